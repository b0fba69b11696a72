import ShadowsocksClient
import Shadowsocks
import Addressing
import Inbounds
import NIOCore
import Routing
import ScaleConfig
import TestSupport
import Testing

@Suite("Shadowsocks UDP packets")
struct ShadowsocksUDPTests {
    static let classicMethods: [ShadowsocksCipher] = [.aes128GCM, .aes256GCM, .chacha20IETFPoly1305]
    static let source = Target("9.9.9.9:53")!

    @Test("classic: client to server to client, user found among several", arguments: classicMethods)
    func classicRoundTrip(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0101)
        let keyring = try SS.keyring(method, users: 4)
        for user in 0..<4 {
            let payload = SS.randomBytes(Int.random(in: 0...1400, using: &rng), using: &rng)
            var packet = ByteBuffer()
            try ShadowsocksClassicUDP.seal(ByteBuffer(bytes: payload), address: SS.target, key: keyring.keys[user], into: &packet)
            let opened = try ShadowsocksClassicUDP.open(packet, keyring: keyring, hint: (user + 1) % 4)
            #expect(opened.userIndex == user)
            #expect(opened.address == SS.target)
            #expect(Array(opened.payload.readableBytesView) == payload)

            var reply = ByteBuffer()
            try ShadowsocksClassicUDP.seal(opened.payload, address: Self.source, key: keyring.keys[user], into: &reply)
            let answer = try ShadowsocksClassicUDP.open(reply, key: keyring.keys[user])
            #expect(answer.address == Self.source)
            #expect(Array(answer.payload.readableBytesView) == payload)
        }
        var stranger = ByteBuffer()
        try ShadowsocksClassicUDP.seal(ByteBuffer(bytes: [1]), address: SS.target, key: SS.key(method, user: 9), into: &stranger)
        #expect(throws: ShadowsocksError.authenticationFailed) { try ShadowsocksClassicUDP.open(stranger, keyring: keyring) }
    }

    @Test("2022: client to server to client, user found among several", arguments: SS.methods2022)
    func roundTrip2022(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0102)
        let keyring = try SS.keyring(method, users: 3)
        let server = try Shadowsocks2022UDPServer(keyring: keyring, clock: SS.clock)
        var client = try Shadowsocks2022UDPClient(key: keyring.keys[2], clock: SS.clock)
        var session: Shadowsocks2022UDPServerSession?
        for index in 0..<5 {
            let payload = SS.randomBytes(Int.random(in: 0...1400, using: &rng), using: &rng)
            var packet = ByteBuffer()
            try client.seal(ByteBuffer(bytes: payload), target: SS.target, into: &packet)
            let opened = try server.open(packet, hint: session.map { _ in 2 })
            #expect(opened.userIndex == 2)
            #expect(opened.address == SS.target)
            #expect(opened.sessionID == client.sessionID)
            #expect(opened.packetID == UInt64(index))
            #expect(Array(opened.payload.readableBytesView) == payload)

            var state = session ?? Shadowsocks2022UDPServerSession(
                key: keyring.keys[opened.userIndex], clientSessionID: client.sessionID, clock: SS.clock
            )
            let first = state.accept(packetID: opened.packetID ?? 0)
            let again = state.accept(packetID: opened.packetID ?? 0)
            #expect(first)
            #expect(!again, "a replayed packet id")
            var reply = ByteBuffer()
            try state.seal(opened.payload, source: Self.source, into: &reply)
            session = state
            let answer = try client.open(reply)
            #expect(answer.address == Self.source)
            #expect(answer.sessionID == state.serverSessionID)
            #expect(answer.sessionID != client.sessionID)
            #expect(Array(answer.payload.readableBytesView) == payload)
            #expect(throws: ShadowsocksError.replayed) { try client.open(reply) }
        }
    }

    @Test("2022: a packet from a stranger, a stale one, and a reply for another session are refused", arguments: SS.methods2022)
    func refused2022(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 2)
        let server = try Shadowsocks2022UDPServer(keyring: keyring, clock: SS.clock)

        var stranger = try Shadowsocks2022UDPClient(key: SS.key(method, user: 7), clock: SS.clock)
        var packet = ByteBuffer()
        try stranger.seal(ByteBuffer(bytes: [1]), target: SS.target, into: &packet)
        #expect(throws: ShadowsocksError.authenticationFailed) { try server.open(packet) }

        var late = try Shadowsocks2022UDPClient(key: keyring.keys[0], clock: SS.clock(offset: -31))
        packet.clear()
        try late.seal(ByteBuffer(bytes: [1]), target: SS.target, into: &packet)
        #expect(throws: ShadowsocksError.staleTimestamp(skew: -31)) { try server.open(packet) }

        var client = try Shadowsocks2022UDPClient(key: keyring.keys[0], clock: SS.clock, sessionID: 1)
        var other = Shadowsocks2022UDPServerSession(key: keyring.keys[0], clientSessionID: 2, clock: SS.clock)
        var reply = ByteBuffer()
        try other.seal(ByteBuffer(bytes: [1]), source: Self.source, into: &reply)
        #expect(throws: ShadowsocksError.wrongSession) { try client.open(reply) }
    }

    @Test("classic UDP known answer (aes-256-gcm, password \"password\")")
    func classicKnownAnswer() throws {
        let key = try ShadowsocksKey(method: .aes256GCM, password: "password")
        var packet = ByteBuffer()
        try ShadowsocksClassicUDP.seal(ByteBuffer(string: "hello"), address: SS.target, key: key, into: &packet, salt: (0..<32).map { $0 })
        #expect(hex(packet.readableBytesView) == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f7daef6db84b74235355de16af46578bc58495b604fa60968b352fac17f935e69e044cfb8")
    }

    /// Computed in Python (`cryptography` AES-ECB and AES-GCM, `blake3`): client session
    /// 0x0102030405060708 packet 0 to example.com:443 "hello"; server session
    /// 0x1112131415161718 packet 0 from example.com:443 "world"; time 1 700 000 000.
    static let known2022: [(ShadowsocksCipher, client: String, server: String)] = [
        (
            .blake3AES128GCM,
            "f38f8a8a10470dc11595accef9fb2891d80cbbf6f8616170fd439317c3db4c4678764da17aa1547ad422e324e2e12792d6b39429a23de21c60628258e2b00c",
            "d241aafde981ce993a4aa902cedb526d4c306255c79080b2977f10f337a3ab44cfc66f5e63ad473e2f41755ff5b7571e8bd99c1a07aff262378b8a63de44bead94eeaa34888ed8"
        ),
        (
            .blake3AES256GCM,
            "f37f9d049cde2047af3d519f7b0a871547db92b3189796aeb7881222def2c97c2d90b120c281935c645984e1f4733a587720301e3cc6074792f4eb366493b1",
            "6e04709d6e7aba6c5206d7e518a9f259cd811f61d31cab441487e0f74d2d0156393fe56442962adc0d72b31eaae1bb3cd1f66f514389e14860889dfe4543ea608b713c8ed2f13e"
        ),
    ]

    @Test("SIP022 UDP known answers", arguments: SS.methods2022)
    func knownAnswer2022(method: ShadowsocksCipher) throws {
        let vector = try #require(Self.known2022.first { $0.0 == method })
        let key = try SS.key(method)
        var client = try Shadowsocks2022UDPClient(key: key, clock: SS.clock, sessionID: 0x0102_0304_0506_0708)
        var packet = ByteBuffer()
        try client.seal(ByteBuffer(string: "hello"), target: SS.target, into: &packet)
        #expect(hex(packet.readableBytesView) == vector.client)

        var session = Shadowsocks2022UDPServerSession(
            key: key, clientSessionID: 0x0102_0304_0506_0708, clock: SS.clock, serverSessionID: 0x1112_1314_1516_1718
        )
        var reply = ByteBuffer()
        try session.seal(ByteBuffer(string: "world"), source: SS.target, into: &reply)
        #expect(hex(reply.readableBytesView) == vector.server)
        #expect(String(buffer: try client.open(reply).payload) == "world")
    }

    @Test("garbage and flipped bits never pass", arguments: SS.methods)
    func hostile(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0103)
        let keyring = try SS.keyring(method, users: 2)
        let is2022 = method.rawValue.hasPrefix("2022")
        let server = is2022 ? try Shadowsocks2022UDPServer(keyring: keyring, clock: SS.clock) : nil
        func open(_ packet: ByteBuffer) throws(ShadowsocksError) {
            if let server { _ = try server.open(packet) } else { _ = try ShadowsocksClassicUDP.open(packet, keyring: keyring) }
        }
        for size in Array(0..<120) + [600, 1500, 9000] {
            let garbage = ByteBuffer(bytes: SS.randomBytes(size, using: &rng))
            #expect(throws: ShadowsocksError.self) { try open(garbage) }
        }
        var packet = ByteBuffer()
        if is2022 {
            var client = try Shadowsocks2022UDPClient(key: keyring.keys[1], clock: SS.clock)
            try client.seal(ByteBuffer(bytes: [1, 2, 3]), target: SS.target, into: &packet)
        } else {
            try ShadowsocksClassicUDP.seal(ByteBuffer(bytes: [1, 2, 3]), address: SS.target, key: keyring.keys[1], into: &packet)
        }
        #expect(throws: Never.self) { try open(packet) }
        for position in 0..<packet.readableBytes {
            var bytes = Array(packet.readableBytesView)
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            #expect(throws: ShadowsocksError.authenticationFailed, "byte \(position)") { try open(ByteBuffer(bytes: bytes)) }
        }
        // Every truncation is refused too.
        for cut in 0..<packet.readableBytes {
            #expect(throws: ShadowsocksError.self) { try open(packet.getSlice(at: 0, length: cut)!) }
        }
    }
}

@Suite("Shadowsocks packet window")
struct ShadowsocksPacketWindowTests {
    @Test("in order, out of order, duplicates, too old, long jumps")
    func window() {
        var window = ShadowsocksPacketWindow()
        func accept(_ id: UInt64) -> Bool { window.accept(id) }
        #expect(accept(10))
        #expect(!accept(10))
        #expect(accept(12))
        #expect(accept(11))
        #expect(accept(0))
        #expect(!accept(11))
        let far = 10 + ShadowsocksPacketWindow.size
        #expect(accept(far))
        #expect(!accept(10), "exactly one window behind")
        #expect(accept(13), "late but inside the window")
        #expect(window.allows(far - 1))
        #expect(!window.allows(far))
        // A jump of many windows forgets everything before it, including bits in reused words.
        #expect(accept(far + 10_000))
        #expect(accept(far + 10_000 - 64))
        #expect(!accept(far + 10_000 - 64))
        #expect(accept(far + 10_000 - 128))
    }

    @Test("matches a reference set over a random sequence")
    func randomised() {
        var rng = SplitMix64(seed: 0x5EED_0104)
        var window = ShadowsocksPacketWindow()
        var seen = Set<UInt64>()
        var highest: UInt64 = 0
        for _ in 0..<20_000 {
            let id = highest + UInt64.random(in: 0...20, using: &rng) - min(highest, UInt64.random(in: 0...600, using: &rng))
            let expected = !seen.contains(id) && (seen.isEmpty || id > highest || highest - id < ShadowsocksPacketWindow.size)
            let accepted = window.accept(id)
            #expect(accepted == expected, "id \(id), highest \(highest)")
            if expected {
                seen.insert(id)
                highest = max(highest, id)
            }
        }
    }
}
