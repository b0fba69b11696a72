import Access
import ShadowsocksClient
import Assembly
import Shadowsocks
import Addressing
import Foundation
import Inbounds
import NIOCore
import NodeState
import Routing
import ScaleConfig
import Testing
import TestSupport

/// Users for the Shadowsocks tests: alice and bob, with `ss` keys that suit `method`.
private func shadowsocksConfig(port: Int, method: String) -> String {
    let (alice, bob) = method.hasPrefix("2022-blake3-aes-128")
        ? ("AAECAwQFBgcICQoLDA0ODw==", "EBESExQVFhcYGRobHB0eHw==")
        : method.hasPrefix("2022")
            ? ("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
            : ("alice-ss-password", "bob-ss-password")
    return """
    users:
      - id: u-alice
        username: alice
        password: secret1
        proxy_passwords: {ss: "\(alice)"}
        enabled: true
      - id: u-bob
        username: bob
        password: secret2
        proxy_passwords: {ss: "\(bob)"}
        enabled: true
    ss:
      listen: 127.0.0.1:\(port)
      enabled: true
      method: \(method)
    """
}

/// The `ss` key `shadowsocksConfig` gives `user`.
private func key(of user: String, method: String) -> String {
    let config = shadowsocksConfig(port: 1, method: method)
    guard let entry = config.range(of: "username: \(user)\n"),
          let open = config[entry.upperBound...].range(of: "{ss: \""),
          let close = config[open.upperBound...].firstIndex(of: "\"") else { return "" }
    return String(config[open.upperBound..<close])
}

private let methods = ["aes-128-gcm", "aes-256-gcm", "chacha20-ietf-poly1305", "2022-blake3-aes-128-gcm", "2022-blake3-aes-256-gcm"]

/// sing-box as a Shadowsocks client: SOCKS5 on `entry` (TCP) and a UDP forwarder on `udpEntry`
/// to `udpTarget`, both through our server, both on port 0 read back from its log.
private func singBoxClient(udpTarget: Int, server: Int, method: String, password: String,
                           in directory: TemporaryDirectory) async throws -> (client: ChildProcess, entry: Int, udpEntry: Int) {
    let configuration = """
    {"log": {"level": "info"},
     "inbounds": [{"type": "socks", "tag": "socks", "listen": "127.0.0.1", "listen_port": 0},
                  {"type": "direct", "tag": "udp", "listen": "127.0.0.1", "listen_port": 0, "network": "udp",
                   "override_address": "127.0.0.1", "override_port": \(udpTarget)}],
     "outbounds": [{"type": "shadowsocks", "tag": "ss", "server": "127.0.0.1", "server_port": \(server),
                    "method": "\(method)", "password": "\(password)"}],
     "route": {"final": "ss"}}
    """
    let path = directory.child("sing-box.json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    let client = try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
    guard let entry = await client.singBoxPort(inbound: "socks"), let udpEntry = await client.singBoxPort(inbound: "udp", network: "udp") else {
        await client.stop()
        throw PeerStartFailure("sing-box did not report its inbounds' ports", output: client.stderr)
    }
    return (client, entry, udpEntry)
}

@Suite("Shadowsocks server", .serialized)
struct ShadowsocksServerTests {
    @Test("sing-box relays TCP and UDP through our server with every method; bytes count for the right user",
          .enabled(if: ExternalTool.singBox != nil && ExternalTool.path("curl") != nil, "needs sing-box and curl"),
          arguments: methods)
    func singBox(method: String) async throws {
        let node = try await InboundTestNode(shadowsocksConfig(port: 0, method: method))
        let port = try node.port("ss")
        let server = try await ByteServer.start()
        let echo = try await UDPEchoServer.start()
        let directory = try TemporaryDirectory()
        let (client, entry, udpEntry) = try await singBoxClient(udpTarget: echo.port, server: port, method: method,
                                                                password: key(of: "bob", method: method), in: directory)
        let udp = try await UDPClient.open()
        defer { Task { await udp.close(); await client.stop(); await echo.stop(); await server.stop(); await node.stop(); directory.remove() } }

        var download: (status: Int32, stdout: String, stderr: String) = (1, "", "")
        _ = await eventually(within: .seconds(15)) {
            download = (try? await ChildProcess.run(ExternalTool.path("curl")!, [
                "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{size_download}",
                "-x", "socks5h://127.0.0.1:\(entry)", "http://127.0.0.1:\(server.port)/bytes/2000000",
            ])) ?? (1, "", "")
            return download.status == 0 || !download.stderr.contains("Failed to connect to 127.0.0.1 port \(entry)")
        }
        #expect(download.status == 0, "curl: \(download.stderr) sing-box: \(client.stderr)")
        #expect(download.stdout == "2000000")
        #expect(await eventually { node.counters.total(for: "u-bob").down >= 2_000_000 })
        #expect(node.counters.total(for: "u-alice").total == 0)

        let delivered = await eventually(within: .seconds(10)) {
            try? await udp.send(Array("ss-udp".utf8), to: udpEntry)
            return await eventually(within: .milliseconds(300)) { !udp.received.isEmpty }
        }
        #expect(delivered, "no UDP echo through Shadowsocks; sing-box: \(client.stderr)")
        #expect(udp.received.first == Array("ss-udp".utf8))
    }

    @Test("shadowsocks-libev's ss-local relays TCP and UDP through our server (classic methods)",
          .enabled(if: ExternalTool.path("ss-local") != nil && ExternalTool.path("curl") != nil, "needs ss-local and curl"),
          arguments: ["aes-128-gcm", "aes-256-gcm", "chacha20-ietf-poly1305"])
    func ssLocal(method: String) async throws {
        let node = try await InboundTestNode(shadowsocksConfig(port: 0, method: method))
        let port = try node.port("ss")
        let server = try await ByteServer.start()
        let echo = try await UDPEchoServer.start()
        // ss-local answers UDP ASSOCIATE with its TCP port, so it needs one number for both: the
        // test holds it and ss-local shares it (--reuse-port).
        let shared = try SharedPort()
        let entry = shared.port
        let client = try ChildProcess(ExternalTool.path("ss-local")!, [
            "-s", "127.0.0.1", "-p", "\(port)", "-b", "127.0.0.1", "-l", "\(entry)",
            "-k", key(of: "alice", method: method), "-m", method, "-u", "--reuse-port",
        ])
        defer { Task { shared.close(); await client.stop(); await echo.stop(); await server.stop(); await node.stop() } }
        var download: (status: Int32, stdout: String, stderr: String) = (1, "", "")
        _ = await eventually(within: .seconds(10)) {
            download = (try? await ChildProcess.run(ExternalTool.path("curl")!, [
                "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{size_download}",
                "-x", "socks5h://127.0.0.1:\(entry)", "http://localhost:\(server.port)/bytes/1500000",
            ])) ?? (1, "", "")
            return download.status == 0
        }
        #expect(download.stdout == "1500000", "curl: \(download.stderr) ss-local: \(client.stderr)")
        #expect(await eventually { node.counters.total(for: "u-alice").down >= 1_500_000 })
        // ss-local bound its UDP socket before it served the download; from now on only it gets datagrams.
        shared.close()

        // UDP through ss-local's SOCKS5 UDP ASSOCIATE.
        let control = try await RawClient.connect(port: entry)
        try await control.send([5, 1, 0])
        #expect(await control.read(2) == [5, 0])
        try await control.send([5, 3, 0, 1, 0, 0, 0, 0, 0, 0])
        let reply = await control.read(10)
        try #require(reply.count == 10 && reply[1] == 0)
        let relay = Int(reply[8]) << 8 | Int(reply[9])
        let udp = try await UDPClient.open()
        let header: [UInt8] = [0, 0, 0, 1, 127, 0, 0, 1, UInt8(echo.port >> 8), UInt8(echo.port & 0xff)]
        let delivered = await eventually(within: .seconds(10)) {
            try? await udp.send(header + Array("via ss-local".utf8), to: relay)
            return await eventually(within: .milliseconds(300)) { !udp.received.isEmpty }
        }
        #expect(delivered)
        #expect(udp.received.first.map { Array($0.dropFirst(10)) } == Array("via ss-local".utf8))
        await udp.close()
        await control.close()
    }

    @Test("a replayed request is refused: the target sees one connection, the replay gets no answer")
    func replay() async throws {
        let node = try await InboundTestNode(shadowsocksConfig(port: 0, method: "aes-256-gcm"))
        let port = try node.port("ss")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let clientKey = try ShadowsocksKey(method: .aes256GCM, password: key(of: "alice", method: "aes-256-gcm"))
        var encoder = try ShadowsocksRequestEncoder(key: clientKey, target: Target("127.0.0.1:\(echo.port)")!)
        var request = ByteBuffer()
        try encoder.encode(ByteBuffer(string: "once"), into: &request)
        let bytes = Array(request.readableBytesView)

        let first = try await RawClient.connect(port: port)
        try await first.send(bytes)
        var decoder = ShadowsocksResponseDecoder(key: clientKey, requestSalt: encoder.salt)
        var answer = ByteBuffer()
        let reply = await first.read(clientKey.keyLength + 2 + 16 + 4 + 16)  // salt, length chunk, "once"
        try decoder.decode(ByteBuffer(bytes: reply), into: &answer)
        #expect(String(buffer: answer) == "once")

        let replayed = try await RawClient.connect(port: port)
        try await replayed.send(bytes)
        #expect(await replayed.read(1, within: .milliseconds(500)).isEmpty)
        #expect(node.gate.sessions().map(\.flowCount) == [1])
        await first.close()
        await replayed.close()
    }

    @Test("random bytes over TCP and UDP never crash the server nor admit a flow", arguments: ["aes-256-gcm", "2022-blake3-aes-256-gcm"])
    func garbage(method: String) async throws {
        let node = try await InboundTestNode(shadowsocksConfig(port: 0, method: method), handshakeTimeout: .milliseconds(500))
        let port = try node.port("ss")
        defer { Task { await node.stop() } }
        var random = SplitMix64(seed: 0x55)
        let udp = try await UDPClient.open()
        for round in 0..<30 {
            let length = [1, 16, 33, 50, 51, 200, 4000][round % 7]
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let client = try await RawClient.connect(port: port)
            try await client.send(bytes)
            #expect(await client.read(1, within: .milliseconds(20)).isEmpty, "the server answered garbage")
            await client.close()
            try await udp.send(bytes, to: port)
        }
        #expect(node.gate.sessions().isEmpty)
        #expect(udp.received.isEmpty)
        // The listener still serves: a real client's request is answered.
        let key = try ShadowsocksKey(method: ShadowsocksCipher(rawValue: method)!, password: key(of: "alice", method: method))
        let echo = try await EchoServer.start()
        var encoder = try ShadowsocksRequestEncoder(key: key, target: Target("127.0.0.1:\(echo.port)")!)
        var request = ByteBuffer()
        try encoder.encode(ByteBuffer(string: "still"), into: &request)
        let client = try await RawClient.connect(port: port)
        try await client.send(Array(request.readableBytesView))
        #expect(await !client.read(1).isEmpty)
        await client.close()
        await echo.stop()
        await udp.close()
    }

    @Test("a wrong key gets nothing: no target is dialled and the connection is drained",
          .enabled(if: ExternalTool.singBox != nil && ExternalTool.path("curl") != nil, "needs sing-box and curl"))
    func wrongKey() async throws {
        let node = try await InboundTestNode(shadowsocksConfig(port: 0, method: "aes-256-gcm"))
        let port = try node.port("ss")
        let server = try await ByteServer.start()
        let directory = try TemporaryDirectory()
        let (client, entry, _) = try await singBoxClient(udpTarget: 9, server: port, method: "aes-256-gcm",
                                                         password: "not-a-user", in: directory)
        defer { Task { await client.stop(); await server.stop(); await node.stop(); directory.remove() } }
        _ = await eventually(within: .seconds(10)) { (try? await RawClient.connect(port: entry)) != nil }
        let result = try await ChildProcess.run(ExternalTool.path("curl")!, [
            "-sS", "--max-time", "4", "-o", "/dev/null", "-x", "socks5h://127.0.0.1:\(entry)", "http://127.0.0.1:\(server.port)/",
        ])
        #expect(result.status != 0)
        #expect(node.gate.sessions().isEmpty)
        #expect(node.counters.totals().isEmpty)
    }
}
