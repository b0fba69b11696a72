import ShadowsocksClient
import Shadowsocks
import Inbounds
import NIOCore
import Routing
import ScaleConfig

/// Shadowsocks UDP packets: classic AEAD (`ShadowsocksClassicUDP`) and SIP022 (the server's
/// stateless opener, its per-session reply sealer, the client's reply opener, and the packet-id
/// window).
///
/// Input: a mode byte, then raw packets or a script that chooses what to seal with fixed keys.
enum ShadowsocksUDPHarness: FuzzHarness {
    static let name = "shadowsocks-udp"
    static let summary = "Shadowsocks UDP classic and 2022: raw packets, sealed packets that open to themselves, the replay window"

    private static var clock: ShadowsocksClock { ShadowsocksTCPHarness.clock }

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.byte() % 5
        let classic: [ShadowsocksCipher] = [.aes128GCM, .aes256GCM, .chacha20IETFPoly1305]
        let modern: [ShadowsocksCipher] = [.blake3AES128GCM, .blake3AES256GCM]
        switch mode {
        case 0:
            guard let keyring = ShadowsocksTCPHarness.keyrings[input.pick(classic)] else { return }
            let hint = input.bool() ? input.int(in: 0...3) : nil
            if let packet = try? ShadowsocksClassicUDP.open(ByteBuffer(bytes: input.rest()), keyring: keyring, hint: hint) {
                require(keyring.keys.indices.contains(packet.userIndex), "user index \(packet.userIndex) out of range")
            }
        case 1:
            guard let keyring = ShadowsocksTCPHarness.keyrings[input.pick(classic)] else { return }
            classicRoundTrip(keyring, &input)
        case 2:
            guard let keyring = ShadowsocksTCPHarness.keyrings[input.pick(modern)] else { return }
            raw2022(keyring, &input)
        case 3:
            guard let keyring = ShadowsocksTCPHarness.keyrings[input.pick(modern)] else { return }
            session2022(keyring, &input)
        default:
            window(&input)
        }
    }

    private static func classicRoundTrip(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let user = input.int(in: 0...1)
        let key = keyring.keys[user]
        let salt = Array((input.bytes(count: key.keyLength) + Array(repeating: 0x11, count: key.keyLength)).prefix(key.keyLength))
        let target = FuzzTargets.target(from: &input)
        let payload = input.bytes(upTo: 255) + (input.bool() ? Array(repeating: 0x77, count: input.int(in: 0...65_000)) : [])
        var packet = ByteBuffer()
        do {
            try ShadowsocksClassicUDP.seal(ByteBuffer(bytes: payload), address: target, key: key, into: &packet, salt: salt)
        } catch {
            require(false, "sealing a classic packet failed: \(error)")
        }
        var bytes = Array(buffer: packet)
        let flip = input.bool() ? input.int(in: 0...(bytes.count - 1)) : nil
        if let flip { bytes[flip] ^= max(1, input.byte()) }
        let hint = input.bool() ? input.int(in: 0...1) : nil
        let opened = try? ShadowsocksClassicUDP.open(ByteBuffer(bytes: bytes), keyring: keyring, hint: hint)
        if flip == nil {
            require(opened?.userIndex == user && opened?.address == target && opened.map { Array(buffer: $0.payload) } == payload,
                    "a classic packet from user \(user) for \(target) opened as \(clip(opened as Any))")
        } else {
            require(opened == nil, "a classic packet with a flipped byte opened")
        }
    }

    private static func raw2022(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        guard let server = try? Shadowsocks2022UDPServer(keyring: keyring, clock: clock),
              var client = try? Shadowsocks2022UDPClient(key: keyring.keys[0], clock: clock, sessionID: 7)
        else {
            require(false, "cannot make 2022 UDP endpoints")
            return
        }
        let packet = ByteBuffer(bytes: input.rest())
        if let opened = try? server.open(packet, hint: 1) {
            require(opened.sessionID != nil && opened.packetID != nil, "a 2022 packet without ids")
        }
        _ = try? client.open(packet)
    }

    /// Client packet to the server, the server's reply back, each opened to what was sealed, and
    /// a replayed reply refused.
    private static func session2022(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let user = input.int(in: 0...1)
        let key = keyring.keys[user]
        let sessionID = input.integer(UInt64.self)
        guard let server = try? Shadowsocks2022UDPServer(keyring: keyring, clock: clock),
              var client = try? Shadowsocks2022UDPClient(key: key, clock: clock, sessionID: sessionID)
        else {
            require(false, "cannot make 2022 UDP endpoints")
            return
        }
        let target = FuzzTargets.target(from: &input)
        let payload = input.bytes(upTo: 255)
        var packet = ByteBuffer()
        do {
            try client.seal(ByteBuffer(bytes: payload), target: target, into: &packet)
        } catch {
            require(false, "sealing a 2022 packet failed: \(error)")
        }
        var bytes = Array(buffer: packet)
        let flip = input.bool() ? input.int(in: 0...(bytes.count - 1)) : nil
        if let flip { bytes[flip] ^= max(1, input.byte()) }
        let opened = try? server.open(ByteBuffer(bytes: bytes), hint: input.bool() ? 1 - user : nil)
        guard flip == nil else {
            require(opened == nil, "a 2022 packet with a flipped byte opened")
            return
        }
        guard let opened, let packetID = opened.packetID else {
            require(false, "a 2022 packet from user \(user) did not open")
            return
        }
        require(opened.userIndex == user && opened.address == target && Array(buffer: opened.payload) == payload
                && opened.sessionID == sessionID && packetID == 0,
                "a 2022 packet opened as \(clip(opened))")
        var session = Shadowsocks2022UDPServerSession(key: key, clientSessionID: sessionID, clock: clock,
                                                       serverSessionID: input.integer(UInt64.self))
        require(session.accept(packetID: packetID) && !session.accept(packetID: packetID), "the session window let a packet id twice")
        let source = FuzzTargets.target(from: &input)
        let reply = input.bytes(upTo: 255)
        var sealed = ByteBuffer()
        do {
            try session.seal(ByteBuffer(bytes: reply), source: source, into: &sealed)
        } catch {
            require(false, "sealing a 2022 reply failed: \(error)")
        }
        let answer = try? client.open(sealed)
        require(answer?.address == source && answer.map { Array(buffer: $0.payload) } == reply
                && answer?.sessionID == session.serverSessionID,
                "a 2022 reply opened as \(clip(answer as Any))")
        require((try? client.open(sealed)) == nil, "a replayed 2022 reply opened")
    }

    /// `ShadowsocksPacketWindow` against a model that remembers every id: an id is accepted when
    /// it is new and less than `size` behind the highest accepted one.
    private static func window(_ input: inout FuzzInput) {
        var window = ShadowsocksPacketWindow()
        var seen: Set<UInt64> = []
        var highest: UInt64?
        var base = input.integer(UInt64.self) & 0x0000_FFFF_FFFF_FFFF
        while !input.isAtEnd {
            let step = input.byte()
            switch step % 4 {
            case 0: base &+= UInt64(step >> 2)
            case 1: base &-= UInt64(step >> 2)
            case 2: base &+= UInt64(step >> 2) * 64
            default: base &+= UInt64(input.integer(UInt16.self))
            }
            let id = base
            let expected = !seen.contains(id) && (highest.map { id > $0 || $0 - id < ShadowsocksPacketWindow.size } ?? true)
            require(window.allows(id) == expected, "allows(\(id)) after \(seen.count) ids up to \(String(describing: highest))")
            require(window.accept(id) == expected, "accept(\(id)) disagrees with allows")
            if expected {
                seen.insert(id)
                highest = max(highest ?? id, id)
            }
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("classic", [1, 1, 0] + Array(repeating: 3, count: 32) + [0, 53, 0, 8, 8, 8, 8, 4] + Array("ping".utf8) + [0, 0, 0]),
            ("session-2022", [3, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 0, 80, 2, 7] + Array("a.b.com".utf8) + [3] + Array("hey".utf8)
                + [0, 5, 5, 5, 5, 5, 5, 5, 5, 0x13, 0x88, 0, 1, 2, 3, 4, 2] + Array("yo".utf8)),
            ("window", [4, 0, 0, 0, 0, 1, 0, 0, 0, 4, 8, 0, 255, 254, 2, 3, 1, 4, 6]),
        ]
    }
}
