import MeshWire
import Addressing
import Foundation
import Hysteria
import Mesh
import NIOCore
import NIOPosix
import QUIC
import Reconciler
import Routing
import Synchronization
import Testing
import TestSupport

/// A node in this process (mesh, Hysteria 2 server, listeners) driven by our Hysteria 2 client
/// speaking relay protocol v3 byte by byte, as the reference (spec/reference-relay-protocol.md)
/// lays it out: register, control stream and reverse dial, ping, latency, list-peers, via, and
/// hostile input.
@Suite("Mesh relay streams on the Hysteria 2 server", .timeLimit(.minutes(3)))
struct MeshRelayTests {
    /// The node's metadata as v1.3.4 writes it for id 188c762f: `v`, `pv`, `id`, and no `tun`.
    static let hubMetadata = #"{"v":"1.3.4","pv":3,"id":"188c762f"}"#

    @Test("register: the node answers its name and v1.3's metadata, takes ours, lists the peer inbound with its exit flag, and drops it when the stream ends")
    func register() async throws {
        let node = try await MeshTestNode(meshNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let peer = try await RelayPeer.connect(port: port)

        // §3.1's example, C `kr` (exit, meta) registering with S `hub`.
        let register = try await peer.open("_relay_register_:0")
        try await register.write([0x03, 0x00, 0x02, 0x6b, 0x72])
        #expect(await register.read(5) == [0x00, 0x03, 0x68, 0x75, 0x62])
        #expect(await register.read(2 + 36) == [0x00, 0x24] + Array(Self.hubMetadata.utf8))
        try await register.write([0x00, 0x24] + Array(#"{"v":"1.3.4","pv":3,"id":"5a0e91c2"}"#.utf8))
        #expect(await eventually { node.peer("kr") != nil })
        let kr = try #require(node.peer("kr"))
        #expect(kr.direction == "inbound")
        #expect(kr.isExitNode)
        #expect(kr.version == "1.3.4")
        #expect(!kr.isIncompatible && !kr.isUnsupported && !kr.isNative && !kr.isTUNCapable)
        #expect(node.mesh.totals().inboundPeers == 1)
        #expect(register.buffered == 0 && register.end == nil, "nothing follows the metadata, and the stream stays open")

        // C deregisters by closing the register stream; the node closes its side too.
        try await register.write([], finish: true)
        #expect(await eventually { node.peer("kr") == nil })
        #expect(await register.rest() != nil)
        #expect(node.mesh.totals().inboundPeers == 0)

        // Any byte after the handshake ends the session as well (S's one-byte watchdog).
        let again = try await peer.register("kr", id: "5a0e91c2", flags: 0x02)
        #expect(again.nodeName == "hub")
        #expect(again.nodeMeta == Self.hubMetadata)
        #expect(await eventually { node.peer("kr") != nil })
        #expect(node.peer("kr")?.isExitNode == false, "flag bit 0 clear")
        try await again.stream.write([0x00])
        #expect(await eventually { node.peer("kr") == nil })

        // And so does the peer's connection closing.
        let third = try await peer.register("kr", id: "5a0e91c2")
        #expect(third.nodeName == "hub")
        #expect(await eventually { node.peer("kr") != nil })
        await peer.close()
        #expect(await eventually { node.peer("kr") == nil })
    }

    @Test("a flags-0 register without metadata (v1.3's address check) gets the name only and does not displace a session that has a node id")
    func verificationRegister() async throws {
        let node = try await MeshTestNode(meshNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let first = try await RelayPeer.connect(port: port), checker = try await RelayPeer.connect(port: port)
        let session = try await first.register("kr", id: "5a0e91c2")
        let control = try await first.openControl(as: "kr")
        _ = try await first.awaitControl(control, of: "kr")

        let check = try await checker.open("_relay_register_:0")
        try await check.write([0x00, 0x00, 0x02, 0x6b, 0x72])
        #expect(await check.read(5) == [0x00, 0x03, 0x68, 0x75, 0x62])
        let rest = await check.rest()
        #expect(rest?.bytes == [], "no metadata follows the name")
        #expect(rest?.end == .finished, "refused with FIN: a reset can make a v1.3 reader drop the name unread")
        let kr = try #require(node.peer("kr"))
        #expect(kr.version == "1.3.4" && kr.isExitNode, "the session with the node id stays")
        #expect(session.stream.end == nil)
        _ = try await first.awaitControl(control, of: "kr", through: checker)

        // With no session of that name it registers, as v1.3 does, without metadata.
        let lone = try await checker.open("_relay_register_:0")
        try await lone.write([0x00] + RelayBytes.str16("solo"))
        #expect(await lone.read(5) == [0x00, 0x03, 0x68, 0x75, 0x62])
        #expect(await eventually { node.peer("solo") != nil })
        #expect(lone.buffered == 0, "the name only")
        let solo = try #require(node.peer("solo"))
        #expect(solo.version == "" && solo.isIncompatible && !solo.isExitNode)
        try await lone.write([], finish: true)
        #expect(await eventually { node.peer("solo") == nil })

        await checker.close()
        await first.close()
    }

    @Test("a register whose metadata does not come within the node's deadline is kept without metadata, as v1.3 keeps it")
    func registerWithoutMetadata() async throws {
        let node = try await MeshTestNode(meshNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let peer = try await RelayPeer.connect(port: port)
        let register = try await peer.open("_relay_register_:0")
        try await register.write([0x03] + RelayBytes.str16("quiet"))
        #expect(await register.readString16() == "hub")
        #expect(await register.readString16() == Self.hubMetadata)
        // No metadata: after its deadline the node takes the session as it is.
        #expect(await eventually(within: .seconds(30)) { node.peer("quiet") != nil })
        let quiet = try #require(node.peer("quiet"))
        #expect(quiet.version.isEmpty && quiet.isIncompatible && quiet.isExitNode)
        #expect(register.end == nil)
        try await register.write([], finish: true)
        #expect(await eventually { node.peer("quiet") == nil })

        // Metadata that comes after the deadline is a byte after the handshake: it ends the session.
        let late = try await peer.open("_relay_register_:0")
        try await late.write([0x03] + RelayBytes.str16("late"))
        #expect(await late.readString16() == "hub")
        #expect(await late.readString16() == Self.hubMetadata)
        #expect(await eventually(within: .seconds(30)) { node.peer("late") != nil })
        try await late.write(RelayBytes.meta16(RelayBytes.metadata(id: "1a7e1a7e")))
        #expect(await eventually { node.peer("late") == nil })
        #expect(await late.rest() != nil)
        await peer.close()
    }

    @Test("a register under a taken name with another node id is refused; the same id from another connection replaces the session")
    func impostor() async throws {
        let node = try await MeshTestNode(meshNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let first = try await RelayPeer.connect(port: port), second = try await RelayPeer.connect(port: port)
        let original = try await first.register("kr", id: "5a0e91c2", flags: 0x03)
        #expect(await eventually { node.peer("kr") != nil })

        let impostor = try await second.register("kr", id: "deadbeef", flags: 0x02)
        #expect(impostor.nodeName == "hub")
        #expect(impostor.nodeMeta == Self.hubMetadata)
        let refused = await impostor.stream.rest()
        #expect(refused?.bytes == [], "closed after the handshake")
        #expect(refused?.end == .finished)
        #expect(node.peer("kr")?.isExitNode == true, "the first session stays")
        #expect(original.stream.end == nil)
        #expect(node.mesh.peerStatuses().count == 1)

        // A reconnect: same id, same direction. The old register stream is closed.
        let reconnect = try await second.register("kr", id: "5a0e91c2", flags: 0x02)
        #expect(reconnect.nodeName == "hub")
        #expect(await eventually { node.peer("kr")?.isExitNode == false })
        #expect(await original.stream.rest() != nil)
        #expect(reconnect.stream.end == nil)
        await first.close()
        await second.close()
    }

    @Test("control stream and reverse dial: a user's flow through the inbound peer arrives as dial requests, answered on data streams, TCP and udp:")
    func reverseDial() async throws {
        let node = try await MeshTestNode(meshNodeConfig(port: 0, aliceExit: "kr", extra: """
            proxies:
              - id: s1
                protocol: socks5
                listen: 127.0.0.1:0
                enabled: true
            """))
        let port = try node.port("hy2"), socksPort = try node.port("proxy/s1")
        defer { Task { await node.stop() } }
        let peer = try await RelayPeer.connect(port: port)
        let session = try await peer.register("kr", id: "5a0e91c2")
        let control = try await peer.openControl(as: "kr")
        var lastID = try #require(UInt64(try await peer.awaitControl(control, of: "kr")))

        // alice (exit_via: kr) connects through SOCKS5; the node asks kr to dial the target.
        let user = try await RawClient.connect(port: socksPort)
        async let reply = Self.socksConnect(user, to: 4321)
        let request = try #require(await DialRequestSeen.read(from: control))
        #expect(request == DialRequestSeen(id: String(lastID + 1), address: "127.0.0.1:4321"), "ids count up by one")
        lastID += 1
        let data = try await peer.open("_relay_data_\(request.id):0")
        #expect(await reply == 0)
        try await user.send(Array("from the user".utf8))
        #expect(await data.read(13) == Array("from the user".utf8))
        try await data.write(Array("from the exit".utf8))
        #expect(await user.read(13) == Array("from the exit".utf8))
        await user.close()
        #expect(await data.rest() != nil, "the user's close reaches the data stream")

        // The requests as bytes: str16(id) str16(addr), nothing else.
        let second = try await RawClient.connect(port: socksPort)
        async let secondReply = Self.socksConnect(second, to: 80)
        let expected = RelayBytes.str16(String(lastID + 1)) + RelayBytes.str16("127.0.0.1:80")
        #expect(await control.read(expected.count) == expected)
        lastID += 1
        let secondData = try await peer.open("_relay_data_\(lastID):0")
        #expect(await secondReply == 0)
        await second.close()
        _ = await secondData.rest()

        // UDP through the inbound peer: a `udp:` request, then u16-framed datagrams both ways (§8).
        let replies = Replies()
        let flow = Flow(identity: Identity(userID: nil, username: "tester", inbound: .socks5, clientAddress: "127.0.0.1"),
                        exit: ExitRoute(paths: ["kr"]))
        let path = try await node.router.openDatagrams(for: flow, on: MultiThreadedEventLoopGroup.singleton.next()) { source, payload in
            replies.add(source, Array(payload.readableBytesView))
        }
        let target = try #require(Target("127.0.0.1:5353"))
        path.send(ByteBuffer(string: "query one"), to: target)
        let udpRequest = try #require(await DialRequestSeen.read(from: control))
        #expect(udpRequest == DialRequestSeen(id: String(lastID + 1), address: "udp:127.0.0.1:5353"))
        lastID += 1
        let datagrams = try await peer.open("_relay_data_\(udpRequest.id):0")
        #expect(await datagrams.read(11) == RelayBytes.u16(9) + Array("query one".utf8))
        path.send(ByteBuffer(string: "query two!"), to: target)
        #expect(await datagrams.read(12) == RelayBytes.u16(10) + Array("query two!".utf8))
        try await datagrams.write(RelayBytes.u16(6) + Array("answer".utf8) + RelayBytes.u16(13) + Array("second answer".utf8))
        #expect(await eventually { replies.all.count == 2 })
        #expect(replies.all.map(\.source) == [target, target])
        #expect(replies.all.map(\.payload) == [Array("answer".utf8), Array("second answer".utf8)])
        path.close()
        #expect(await datagrams.rest() != nil, "closing the path closes the data stream")

        // A sentinel through the control stream (§3 intro): the node asks kr for its peer list.
        async let list = node.mesh.askPeerList(of: "kr")
        let listRequest = try #require(await DialRequestSeen.read(from: control))
        #expect(listRequest == DialRequestSeen(id: String(lastID + 1), address: "_relay_list_peers_:0"))
        lastID += 1
        let listData = try await peer.open("_relay_data_\(listRequest.id):0")
        try await listData.write(Array(#"[{"name":"kr-r1","exit_node":false,"direction":"outbound","native":false,"latency_ms":87,"connected":true}]"#.utf8),
                                 finish: true)
        let entries = try await list.entries
        #expect(entries.map(\.name) == ["kr-r1"])
        #expect(entries.first?.latencyMilliseconds == 87)

        // A request left unanswered fails the flow closed; its data stream, when it comes late,
        // is closed.
        let third = try await RawClient.connect(port: socksPort)
        async let thirdReply = Self.socksConnect(third, to: 81)
        let unanswered = try #require(await DialRequestSeen.read(from: control))
        #expect(unanswered.address == "127.0.0.1:81")
        let refusal = await thirdReply
        #expect(refusal != 0, "SOCKS5 reply \(String(describing: refusal))")
        await third.close()
        let late = try await peer.open("_relay_data_\(unanswered.id):0")
        #expect(await late.rest()?.bytes == [])

        #expect(session.stream.end == nil && control.end == nil)
        await peer.close()
    }

    @Test("ping answers one byte and FIN; list-peers lists connected peers then offline clients in v1.3's key order; latency reports update the peer")
    func pingListLatency() async throws {
        // Peers nobody serves: their ports refuse QUIC as free ports do, and stay that way.
        let lostPort = try RefusingPort(.udp), slowPort = try RefusingPort(.udp)
        let lost = """
              - name: lost
                addr: 127.0.0.1:\(lostPort.port)
                password: nobody-home
                insecure: true
            """
        let slow = """
              - name: slow
                addr: 127.0.0.1:\(slowPort.port)
                password: nobody-home
                insecure: true
                max_tx: 12500000
            """
        let node = try await MeshTestNode(meshNodeConfig(port: 0, extra: "clients:\n" + lost + "\n" + slow))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let peer = try await RelayPeer.connect(port: port)

        let ping = try await peer.open("_relay_ping_:0")
        let pong = await ping.rest()
        #expect(pong?.bytes == [0x01])
        #expect(pong?.end == .finished)

        let offline = #"{"name":"lost","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false},"#
            + #"{"name":"slow","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false,"max_rate":12500000}"#
        let alone = try await Self.peerList(through: peer)
        #expect(alone == "[" + offline + "]", "offline clients in the file's order")

        let session = try await peer.register("kr", id: "5a0e91c2")
        #expect(await eventually { node.peer("kr") != nil })
        let kr = { (latency: Int) in
            #"{"name":"kr","exit_node":true,"direction":"inbound","native":false,"latency_ms":\#(latency),"version":"1.3.4","node_id":"5a0e91c2","pv":3,"connected":true}"#
        }
        let listed = try await Self.peerList(through: peer)
        #expect(listed == "[" + kr(0) + "," + offline + "]")

        // `str16 name`, `u16 ms`, then close; the node closes the stream once it has read it.
        let report = try await peer.open("_relay_latency_:0")
        try await report.write(RelayBytes.str16("kr") + RelayBytes.u16(42), finish: true)
        #expect(await report.rest() != nil)
        #expect(await eventually { node.peer("kr")?.latencyMilliseconds == 42 })
        let measured = try await Self.peerList(through: peer)
        #expect(measured == "[" + kr(42) + "," + offline + "]")

        // A zero report and a bare open-and-close (the liveness probe) leave the value alone.
        let zero = try await peer.open("_relay_latency_:0")
        try await zero.write(RelayBytes.str16("kr") + RelayBytes.u16(0), finish: true)
        #expect(await zero.rest() != nil)
        let bare = try await peer.open("_relay_latency_:0")
        try await bare.write([], finish: true)
        #expect(await bare.rest() != nil)
        #expect(node.peer("kr")?.latencyMilliseconds == 42)

        // The name comes from the stream, not the connection: another peer connection may report.
        let other = try await RelayPeer.connect(port: port)
        let relayed = try await other.open("_relay_latency_:0")
        try await relayed.write(RelayBytes.str16("kr") + RelayBytes.u16(65535), finish: true)
        #expect(await relayed.rest() != nil)
        #expect(await eventually { node.peer("kr")?.latencyMilliseconds == 65535 })

        // The file's order follows edits.
        #expect(try await node.apply(meshNodeConfig(port: 0, extra: "clients:\n" + slow + "\n" + lost)).failures.isEmpty)
        let reordered = try await Self.peerList(through: peer)
        let swapped = #"{"name":"slow","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false,"max_rate":12500000},"#
            + #"{"name":"lost","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false}"#
        #expect(reordered == "[" + kr(65535) + "," + swapped + "]")

        #expect(session.stream.end == nil)
        await other.close()
        await peer.close()
    }

    @Test("via: through an inbound peer by reverse dial, through an outbound peer to its server, two hops, and refused hops answered with the reason")
    func via() async throws {
        let echo = try await EchoServer.start()
        let tokyo = try await MeshTestNode(meshNodeConfig(name: "tokyo", nodeID: "b0b0b0b0", port: 0, password: "tokyo-secret"))
        let tokyoPort = try tokyo.port("hy2")  // hub, started next, dials it
        let hub = try await MeshTestNode(meshNodeConfig(port: 0, extra: """
            clients:
              - name: tokyo
                addr: 127.0.0.1:\(tokyoPort)
                password: tokyo-secret
                insecure: true
            """))
        let hubPort = try hub.port("hy2")
        defer { Task { await hub.stop(); await tokyo.stop(); await echo.stop() } }
        #expect(await eventually(within: .seconds(30)) { hub.peer("tokyo")?.direction == "outbound" && tokyo.peer("hub")?.direction == "inbound" })
        let onHub = try await RelayPeer.connect(port: hubPort), onTokyo = try await RelayPeer.connect(port: tokyoPort, auth: "tokyo-secret")

        // One hop, outbound: hub opens the target on tokyo's server.
        #expect(try await Self.roundTrip("via tokyo", through: onHub.open("_relay_via_tokyo_127.0.0.1:\(echo.port):0")))

        // One hop, inbound: tokyo asks hub (which dialled it) on hub's control stream, and hub
        // dials. The control stream may take a moment to attach after the register.
        var back: RelayStream?
        #expect(await eventually(within: .seconds(30)) {
            back = try? await onTokyo.open("_relay_via_hub_127.0.0.1:\(echo.port):0")
            return back != nil
        })
        #expect(try await Self.roundTrip("via hub, reverse dialled", through: try #require(back)))

        // Two hops: hub → tokyo (outbound) → kr (inbound on tokyo, the test).
        let session = try await onTokyo.register("kr", id: "5a0e91c2")
        let control = try await onTokyo.openControl(as: "kr")
        _ = try await onTokyo.awaitControl(control, of: "kr")
        let chained = Task { try await onHub.open("_relay_via_tokyo/kr_127.0.0.1:4000:0") }
        let request = try #require(await DialRequestSeen.read(from: control))
        #expect(request.address == "127.0.0.1:4000")
        let data = try await onTokyo.open("_relay_data_\(request.id):0")
        let end = try await chained.value
        try await end.write(Array("two hops".utf8))
        #expect(await data.read(8) == Array("two hops".utf8))
        try await data.write(Array("and back".utf8))
        #expect(await end.read(8) == Array("and back".utf8))

        // Refused: the answer waits for the next hop and carries the reason.
        await #expect {
            _ = try await onHub.open("_relay_via_nobody_127.0.0.1:\(echo.port):0")
        } throws: { error in
            guard case HysteriaClientError.connectFailed(let reason) = error else { return false }
            return reason.contains("nobody")
        }
        await #expect {
            _ = try await onHub.open("_relay_via_tokyo/nobody_127.0.0.1:\(echo.port):0")
        } throws: { error in
            guard case HysteriaClientError.connectFailed(let reason) = error else { return false }
            return reason.contains("nobody")
        }
        let mute = try await onHub.register("mute", id: "0badcafe")
        #expect(await eventually { hub.peer("mute") != nil })
        await #expect {
            _ = try await onHub.open("_relay_via_mute_127.0.0.1:\(echo.port):0")
        } throws: { error in
            guard case HysteriaClientError.connectFailed(let reason) = error else { return false }
            return reason.contains("control stream")
        }

        #expect(session.stream.end == nil && mute.stream.end == nil)
        await onHub.close()
        await onTokyo.close()
    }

    @Test("hostile and odd input: bad registers, stray control and data streams, bad via routes, users asking for sentinels, bridge tags")
    func badInput() async throws {
        let echo = try await EchoServer.start()
        let node = try await MeshTestNode(meshNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop(); await echo.stop() } }
        let peer = try await RelayPeer.connect(port: port), other = try await RelayPeer.connect(port: port)

        // A register that never completes is closed after the node's request deadline.
        let stalled = try await peer.open("_relay_register_:0")
        try await stalled.write([0x03, 0x00])

        // Registers the node refuses before answering: an empty name, a length past the end,
        // a name past 1024 bytes, a name that is not UTF-8.
        for request: [UInt8] in [[0x03, 0x00, 0x00],
                                 [0x03, 0xff, 0xff, 0x61, 0x62, 0x63],
                                 [0x03] + RelayBytes.u16(2000) + Array(repeating: 0x61, count: 2000),
                                 [0xff, 0x00, 0x05, 0xc3, 0x28, 0x61, 0x62, 0x63]] {
            let register = try await peer.open("_relay_register_:0")
            try await register.write(request)
            #expect(await register.rest()?.bytes == [], "\(request.prefix(6))")
        }

        // Metadata of length 0: read as none, as v1.3 does. The session has no version.
        let zero = try await peer.open("_relay_register_:0")
        try await zero.write([0x03] + RelayBytes.str16("zero"))
        #expect(await zero.readString16() == "hub")
        #expect(await zero.readString16() == Self.hubMetadata)
        try await zero.write([0x00, 0x00])
        #expect(await eventually { node.peer("zero") != nil })
        #expect(node.peer("zero").map { $0.version.isEmpty && $0.isIncompatible } == true)
        try await zero.write([], finish: true)
        #expect(await eventually { node.peer("zero") == nil })

        // Metadata of length 5000 with its body: never read as metadata; once the stream ends
        // no session of that name is left.
        let big = try await peer.open("_relay_register_:0")
        try await big.write([0x03] + RelayBytes.str16("big"))
        #expect(await big.readString16() == "hub")
        #expect(await big.readString16() == Self.hubMetadata)
        try await big.write(RelayBytes.u16(5000) + Array(repeating: 0x20, count: 5000))
        #expect(node.peer("big").map { $0.version.isEmpty } ?? true)
        try? await big.write([], finish: true)
        #expect(await eventually { node.peer("big") == nil })

        // Control streams that name no session on their connection are closed.
        let session = try await peer.register("kr", id: "5a0e91c2")
        let control = try await peer.openControl(as: "kr")
        _ = try await peer.awaitControl(control, of: "kr")
        for hello in [RelayBytes.str16("ghost"), RelayBytes.str16("kr"), [0xff, 0xff, 0x00]] {
            let stray = try await other.open("_relay_s2c_ctrl_:0")
            try await stray.write(hello)
            #expect(await stray.rest()?.bytes == [], "\(hello.prefix(4))")
        }
        _ = try await peer.awaitControl(control, of: "kr", through: other)

        // A data stream nobody waits for is closed after the match window.
        let orphan = try await other.open("_relay_data_999:0")
        try await orphan.write(Array("anyone?".utf8))
        #expect(await orphan.rest()?.bytes == [])

        // Addresses the server cannot parse are reset before any answer; via routes to hops
        // that do not exist are answered with the reason; both leave the connection serving.
        for address in ["_relay_data_abc:0", "_relay_via__127.0.0.1:80:0", "_relay_via_a/_127.0.0.1:80:0", "_relay_via_kr_",
                        "_relay_via_kr_:0", "_relay_via_a//b_127.0.0.1:80:0"] {
            await #expect(throws: QUICError(.streamReset, ""), "\(address)") { _ = try await other.open(address) }
        }
        for address in ["_relay_via_k_r_127.0.0.1:\(echo.port):0", "_relay_via_kr/_x_127.0.0.1:80:0"] {
            await #expect(throws: (any Error).self, "\(address)") { _ = try await other.open(address) }
        }

        // Sentinels the node does not offer are answered, then closed.
        for address in ["_relay_iptun_origin", "_relay_api_:0", "_relay_rebind_sb_3f2a_17:0"] {
            let unoffered = try await other.open(address)
            #expect(await unoffered.rest()?.bytes == [], "\(address)")
        }

        // A user (not the node password) asking for sentinels gets the stream reset, and can
        // still proxy on the same connection.
        let user = try await RelayPeer.connect(port: port, auth: "alice:alice-pass-1")
        for address in ["_relay_ping_:0", "_relay_register_:0", "_relay_via_kr_127.0.0.1:\(echo.port):0", "_relay_list_peers_:0"] {
            await #expect(throws: QUICError(.streamReset, ""), "\(address)") { _ = try await user.open(address) }
        }
        #expect(try await Self.roundTrip("user", through: user.open("127.0.0.1:\(echo.port)")))

        // A bridge-tagged plain target is dialled without the tag, for peers and users.
        #expect(try await Self.roundTrip("bridged", through: other.open("127.0.0.1:\(echo.port)#bridge=sb_3f2a_17")))
        #expect(try await Self.roundTrip("user bridged", through: user.open("127.0.0.1:\(echo.port)#bridge=sb_3f2a_18")))

        // The stalled register was closed; the node still serves peers.
        #expect(await stalled.rest(within: .seconds(30))?.bytes == [])
        let ping = try await other.open("_relay_ping_:0")
        #expect(await ping.rest()?.bytes == [0x01])
        #expect(node.peer("kr")?.version == "1.3.4" && session.stream.end == nil)
        await user.close()
        await other.close()
        await peer.close()
    }

    // MARK: helpers

    /// The list-peers answer as text, read to FIN.
    static func peerList(through peer: RelayPeer) async throws -> String? {
        let list = try await peer.open("_relay_list_peers_:0")
        guard let body = await list.rest(), body.end == .finished else { return nil }
        return String(decoding: body.bytes, as: UTF8.self)
    }

    /// Sends `text` on a stream to the echo server and reads it back.
    @Test("a file edit to one client touches only its session; exit_node: false refuses targets to peers but keeps relaying what runs")
    func reconcileOneClient() async throws {
        let echo = try await EchoServer.start()
        let tokyo = try await MeshTestNode(meshNodeConfig(name: "tokyo", nodeID: "b0b0b0b0", port: 0, password: "tokyo-secret"))
        let osaka = try await MeshTestNode(meshNodeConfig(name: "osaka", nodeID: "c0c0c0c0", port: 0, password: "osaka-secret"))
        // hub, started last, dials both; its own port stays 0 across edits, so its listener stays put.
        let tokyoPort = try tokyo.port("hy2"), osakaPort = try osaka.port("hy2")
        func hubConfig(osakaDisabled: Bool) -> String {
            meshNodeConfig(port: 0, extra: """
                clients:
                  - name: tokyo
                    addr: 127.0.0.1:\(tokyoPort)
                    password: tokyo-secret
                    insecure: true
                  - name: osaka
                    addr: 127.0.0.1:\(osakaPort)
                    password: osaka-secret
                    insecure: true
                    disabled: \(osakaDisabled)
                """)
        }
        let hub = try await MeshTestNode(hubConfig(osakaDisabled: false))
        let hubPort = try hub.port("hy2")
        defer { Task { await hub.stop(); await tokyo.stop(); await osaka.stop(); await echo.stop() } }
        #expect(await eventually(within: .seconds(30)) { hub.peer("tokyo") != nil && hub.peer("osaka") != nil })

        // A flow through tokyo stays up while osaka is disabled and enabled again.
        let onHub = try await RelayPeer.connect(port: hubPort)
        let flow = try await onHub.open("_relay_via_tokyo_127.0.0.1:\(echo.port):0")
        try await flow.write(Array("before".utf8))
        #expect(await flow.read(6) == Array("before".utf8))
        let disabling = try await hub.apply(hubConfig(osakaDisabled: true))
        #expect(disabling.failures.isEmpty)
        #expect(await eventually(within: .seconds(30)) { hub.peer("osaka") == nil && osaka.peer("hub") == nil })
        #expect(hub.peer("tokyo") != nil)
        try await flow.write(Array("during".utf8))
        #expect(await flow.read(6) == Array("during".utf8))
        try await hub.apply(hubConfig(osakaDisabled: false))
        #expect(await eventually(within: .seconds(30)) { hub.peer("osaka") != nil })
        try await flow.write(Array("after!".utf8))
        #expect(await flow.read(6) == Array("after!".utf8))

        // tokyo stops being an exit: new targets are refused with the reason, the running flow goes on.
        try await tokyo.apply(meshNodeConfig(name: "tokyo", nodeID: "b0b0b0b0", port: 0, password: "tokyo-secret",
                                             extra: "exit_node: false"))
        await #expect {
            _ = try await onHub.open("_relay_via_tokyo_127.0.0.1:\(echo.port):0")
        } throws: { error in
            guard case HysteriaClientError.connectFailed(let reason) = error else { return false }
            return reason.contains("not an exit")
        }
        try await flow.write(Array("still!".utf8))
        #expect(await flow.read(6) == Array("still!".utf8))
        await onHub.close()
    }

    static func roundTrip(_ text: String, through stream: RelayStream) async throws -> Bool {
        try await stream.write(Array(text.utf8))
        let echoed = await stream.read(text.utf8.count)
        try? await stream.write([], finish: true)
        return echoed == Array(text.utf8)
    }

    /// Datagrams a path handed back, in order.
    final class Replies: Sendable {
        private let received = Mutex<[(source: Target, payload: [UInt8])]>([])
        func add(_ source: Target, _ payload: [UInt8]) { received.withLock { $0.append((source, payload)) } }
        var all: [(source: Target, payload: [UInt8])] { received.withLock { $0 } }
    }

    /// alice's SOCKS5 CONNECT to `127.0.0.1:port`, waiting as long as the node's exit path may
    /// take: the reply code, or nil when the server closed first.
    static func socksConnect(_ client: RawClient, to port: Int) async -> UInt8? {
        let user = Array("alice".utf8), password = Array("alice-pass-1".utf8)
        guard (try? await client.send([5, 1, 2])) != nil, await client.read(2, within: .seconds(20)) == [5, 2],
              (try? await client.send([1, UInt8(user.count)] + user + [UInt8(password.count)] + password)) != nil,
              await client.read(2, within: .seconds(20)) == [1, 0],
              (try? await client.send([5, 1, 0, 1, 127, 0, 0, 1, UInt8(port >> 8), UInt8(port & 0xff)])) != nil
        else { return nil }
        let reply = await client.read(10, within: .seconds(40))
        return reply.count >= 2 ? reply[1] : nil
    }
}
