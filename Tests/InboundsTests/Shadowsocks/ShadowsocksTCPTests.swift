import ShadowsocksClient
import WireFormat
import Shadowsocks
import Addressing
import Inbounds
import NIOCore
import Routing
import ScaleConfig
import TestSupport
import Testing

@Suite("Shadowsocks TCP streams")
struct ShadowsocksTCPTests {
    @Test("client to server to client, cut at random places", arguments: SS.methods)
    func roundTrip(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let keyring = try SS.keyring(method, users: 3)
        let key = keyring.keys[1]
        // Sizes around both chunk limits, and an empty write.
        let writes = [0, 1, 100, 0x3FFF, 0x4000, 0x10000, 70_000, 5].map { SS.randomBytes($0, using: &rng) }
        let (stream, salt) = try SS.request(key, payload: writes)

        let served = try SS.serve(SS.fragments(stream, maximum: 3000, using: &rng), keyring: keyring)
        #expect(served.request == ShadowsocksRequest(userIndex: 1, target: SS.target, salt: salt))
        #expect(served.payload == writes.flatMap { $0 })

        var responder = try ShadowsocksResponseEncoder(key: key, requestSalt: salt, clock: SS.clock)
        var response = ByteBuffer()
        for write in writes.reversed() { try responder.encode(ByteBuffer(bytes: write), into: &response) }
        var decoder = ShadowsocksResponseDecoder(key: key, requestSalt: salt, clock: SS.clock)
        var received = ByteBuffer()
        for piece in SS.fragments(response, maximum: 5000, using: &rng) { try decoder.decode(piece, into: &received) }
        #expect(received.readableBytesView.elementsEqual(writes.reversed().flatMap { $0 }))
    }

    @Test("one byte at a time", arguments: SS.methods)
    func byteByByte(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0002)
        let keyring = try SS.keyring(method, users: 1)
        let payload = SS.randomBytes(300, using: &rng)
        let (stream, salt) = try SS.request(keyring.keys[0], payload: [payload, [1, 2, 3]])
        let served = try SS.serve(SS.fragments(stream, maximum: 1, using: &rng), keyring: keyring)
        #expect(served.request?.salt == salt)
        #expect(served.payload == payload + [1, 2, 3])

        var responder = try ShadowsocksResponseEncoder(key: keyring.keys[0], requestSalt: salt, clock: SS.clock)
        var response = ByteBuffer()
        try responder.encode(ByteBuffer(bytes: payload), into: &response)
        var decoder = ShadowsocksResponseDecoder(key: keyring.keys[0], requestSalt: salt, clock: SS.clock)
        var received = ByteBuffer()
        for piece in SS.fragments(response, maximum: 1, using: &rng) { try decoder.decode(piece, into: &received) }
        #expect(Array(received.readableBytesView) == payload)
    }

    @Test("a request without payload still names its target", arguments: SS.methods)
    func headerOnly(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 1)
        let target = Target("[2001:db8::1]:8443")!
        let (stream, _) = try SS.request(keyring.keys[0], payload: [], target: target)
        let served = try SS.serve([stream], keyring: keyring)
        #expect(served.request?.target == target)
        #expect(served.payload.isEmpty)
    }

    @Test("classic chunks never exceed 0x3FFF", arguments: [ShadowsocksCipher.aes128GCM, .aes256GCM, .chacha20IETFPoly1305])
    func classicChunkLimit(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        var responder = try ShadowsocksResponseEncoder(key: key, requestSalt: [], clock: SS.clock)
        var response = ByteBuffer()
        try responder.encode(ByteBuffer(repeating: 7, count: 0x4000), into: &response)
        // Salt, then chunks of 0x3FFF and 1 bytes, each with a sealed length and two tags.
        #expect(response.readableBytes == key.keyLength + 0x4000 + 2 * (2 + 16 + 16))
    }

    @Test("2022 chunks go up to 0xFFFF", arguments: SS.methods2022)
    func chunkLimit2022(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        let salt = [UInt8](repeating: 1, count: key.keyLength)
        var responder = try ShadowsocksResponseEncoder(key: key, requestSalt: salt, clock: SS.clock)
        var response = ByteBuffer()
        try responder.encode(ByteBuffer(repeating: 7, count: 0x10000), into: &response)
        // Salt, header (type, time, request salt, length) + tag, 0xFFFF + tag, then one 1-byte chunk.
        let header = 1 + 8 + key.keyLength + 2 + 16
        #expect(response.readableBytes == key.keyLength + header + 0xFFFF + 16 + (2 + 16 + 1 + 16))
    }

    @Test("the right user is found among several; an unknown key is refused", arguments: SS.methods)
    func identification(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 5)
        for user in 0..<5 {
            let (stream, _) = try SS.request(keyring.keys[user], payload: [[1]])
            #expect(try SS.serve([stream], keyring: keyring).request?.userIndex == user)
        }
        let (stranger, _) = try SS.request(try SS.key(method, user: 9), payload: [[1]])
        #expect(throws: ShadowsocksError.authenticationFailed) { try SS.serve([stranger], keyring: keyring) }
    }

    @Test("the same salt is refused the second time", arguments: SS.methods)
    func replay(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 2)
        let filter = ShadowsocksReplayFilter()
        let (stream, _) = try SS.request(keyring.keys[1], payload: [[1, 2, 3]])
        _ = try SS.serve([stream], keyring: keyring, filter: filter)
        #expect(throws: ShadowsocksError.replayed) { try SS.serve([stream], keyring: keyring, filter: filter) }
    }

    @Test("a 2022 request more than 30 s off our clock is refused", arguments: SS.methods2022)
    func staleTimestamp(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 1)
        for offset: Int64 in [-31, 31, -3600] {
            let (stream, _) = try SS.request(keyring.keys[0], payload: [[1]], clock: SS.clock(offset: offset))
            #expect(throws: ShadowsocksError.staleTimestamp(skew: offset)) { try SS.serve([stream], keyring: keyring) }
        }
        for offset: Int64 in [-30, 0, 30] {
            let (stream, _) = try SS.request(keyring.keys[0], payload: [[1]], clock: SS.clock(offset: offset))
            #expect(try SS.serve([stream], keyring: keyring).payload == [1])
        }
    }

    @Test("a 2022 response is checked against our request salt and the clock", arguments: SS.methods2022)
    func responseChecks(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        let salt = [UInt8](repeating: 3, count: key.keyLength)
        var responder = try ShadowsocksResponseEncoder(key: key, requestSalt: salt, clock: SS.clock)
        var response = ByteBuffer()
        try responder.encode(ByteBuffer(bytes: [1, 2, 3]), into: &response)

        var otherRequest = ShadowsocksResponseDecoder(key: key, requestSalt: [UInt8](repeating: 4, count: key.keyLength), clock: SS.clock)
        var sink = ByteBuffer()
        #expect(throws: ShadowsocksError.wrongSession) { try otherRequest.decode(response, into: &sink) }
        var late = ShadowsocksResponseDecoder(key: key, requestSalt: salt, clock: SS.clock(offset: 100))
        #expect(throws: ShadowsocksError.staleTimestamp(skew: -100)) { try late.decode(response, into: &sink) }
        var misused = try ShadowsocksResponseEncoder(key: key, requestSalt: [1, 2, 3], clock: SS.clock)
        #expect(throws: ShadowsocksError.self) { try misused.encode(ByteBuffer(bytes: [1]), into: &sink) }
    }

    @Test("a response reflected back as a request is refused", arguments: SS.methods)
    func reflection(method: ShadowsocksCipher) throws {
        let keyring = try SS.keyring(method, users: 1)
        let filter = ShadowsocksReplayFilter()
        let (stream, salt) = try SS.request(keyring.keys[0], payload: [[1]])
        _ = try SS.serve([stream], keyring: keyring, filter: filter)
        var responder = try ShadowsocksResponseEncoder(key: keyring.keys[0], requestSalt: salt, clock: SS.clock, replayFilter: filter)
        var response = ByteBuffer()
        // A body that parses as an address if a server were fooled into reading it as one.
        var body = ByteBuffer()
        SOCKSAddress.write(SS.target, to: &body)
        try responder.encode(body, into: &response)
        #expect(throws: ShadowsocksError.self) { try SS.serve([response], keyring: keyring, filter: filter) }
    }
}
