@testable import Inbounds
import ShadowsocksClient
import WireFormat
import Shadowsocks
import Addressing
import NIOCore
import Routing
import ScaleConfig
import TestSupport
import Testing

/// Builds streams no honest peer would send, sealing with the real session cipher.
private struct Forger {
    private var cipher: ShadowsocksSessionCipher
    var stream = ByteBuffer()

    init(_ key: ShadowsocksKey, salt: [UInt8]) throws {
        stream.writeBytes(salt)
        cipher = try salt.withUnsafeBytes { try ShadowsocksSessionCipher(aead: key.aead, key: key.sessionKey(salt: $0)) }
    }

    mutating func seal(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try cipher.seal($0, into: &stream) }
    }

    mutating func sealLength(_ length: Int) throws { try seal([UInt8(length >> 8), UInt8(length & 0xFF)]) }

    /// A SIP022 fixed header: type, timestamp, length.
    mutating func sealFixedHeader(type: UInt8, length: Int, timestamp: UInt64 = SS.now) throws {
        var header = ByteBuffer()
        header.writeInteger(type)
        header.writeInteger(timestamp)
        header.writeInteger(UInt16(length))
        try seal(Array(header.readableBytesView))
    }
}

@Suite("Shadowsocks hostile input")
struct ShadowsocksHostileInputTests {
    static func address(_ target: Target = SS.target) -> [UInt8] {
        var buffer = ByteBuffer()
        SOCKSAddress.write(target, to: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func salt(_ key: ShadowsocksKey, _ byte: UInt8 = 9) -> [UInt8] { [UInt8](repeating: byte, count: key.keyLength) }

    @Test("random bytes of many sizes: need more bytes or authentication failure, nothing else", arguments: SS.methods)
    func garbage(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        let keyring = try SS.keyring(method, users: 3)
        let firstUnit = keyring.keys[0].keyLength + (method.rawValue.hasPrefix("2022") ? 11 : 2) + 16
        for size in Array(0..<200) + [511, 1024, 4096, 70_000] {
            let garbage = ByteBuffer(bytes: SS.randomBytes(size, using: &rng))
            for pieces in [[garbage], SS.fragments(garbage, maximum: 17, using: &rng)] {
                do {
                    let served = try SS.serve(pieces, keyring: keyring)
                    #expect(size < firstUnit, "size \(size) accepted")
                    #expect(served.request == nil && served.payload.isEmpty)
                } catch {
                    #expect(error == .authenticationFailed, "size \(size): \(error)")
                }
            }
            var client = ShadowsocksResponseDecoder(key: keyring.keys[0], requestSalt: Self.salt(keyring.keys[0]), clock: SS.clock)
            var sink = ByteBuffer()
            do {
                try client.decode(garbage, into: &sink)
                #expect(sink.readableBytes == 0)
            } catch {
                #expect(error == .authenticationFailed, "size \(size): \(error)")
            }
        }
    }

    @Test("every truncation of a stream only waits for more", arguments: SS.methods)
    func truncated(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0004)
        let keyring = try SS.keyring(method, users: 2)
        let payload = [SS.randomBytes(40, using: &rng), SS.randomBytes(25, using: &rng)]
        let (stream, _) = try SS.request(keyring.keys[1], payload: payload)
        let whole = payload.flatMap { $0 }
        for cut in 0..<stream.readableBytes {
            let served = try SS.serve([stream.getSlice(at: 0, length: cut)!], keyring: keyring)
            #expect(whole.starts(with: served.payload))
            if served.request != nil { #expect(served.request?.userIndex == 1) }
        }
    }

    @Test("any flipped bit is caught", arguments: SS.methods)
    func flippedBits(method: ShadowsocksCipher) throws {
        var rng = SplitMix64(seed: 0x5EED_0005)
        let keyring = try SS.keyring(method, users: 2)
        let (stream, _) = try SS.request(keyring.keys[0], payload: [SS.randomBytes(50, using: &rng), [7, 7]])
        for position in 0..<stream.readableBytes {
            var bytes = Array(stream.readableBytesView)
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            #expect(throws: ShadowsocksError.authenticationFailed, "byte \(position)") {
                try SS.serve([ByteBuffer(bytes: bytes)], keyring: keyring)
            }
        }
    }

    @Test("a classic length of 0x4000 is refused, both directions", arguments: [ShadowsocksCipher.aes128GCM, .aes256GCM, .chacha20IETFPoly1305])
    func oversizeClassic(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        let keyring = try ShadowsocksKeyring([key])
        var first = try Forger(key, salt: Self.salt(key))
        try first.sealLength(0x4000)
        #expect(throws: ShadowsocksError.oversizeLength(0x4000)) { try SS.serve([first.stream], keyring: keyring) }

        // A later chunk, after a good address chunk.
        var later = try Forger(key, salt: Self.salt(key, 10))
        let chunk = Self.address() + [1, 2]
        try later.sealLength(chunk.count)
        try later.seal(chunk)
        try later.sealLength(0xFFFF)
        #expect(throws: ShadowsocksError.oversizeLength(0xFFFF)) { try SS.serve([later.stream], keyring: keyring) }

        var response = try Forger(key, salt: Self.salt(key, 11))
        try response.sealLength(0x4000)
        var client = ShadowsocksResponseDecoder(key: key, requestSalt: [], clock: SS.clock)
        var sink = ByteBuffer()
        #expect(throws: ShadowsocksError.oversizeLength(0x4000)) { try client.decode(response.stream, into: &sink) }
    }

    @Test("classic: an address split over two chunks is read", arguments: [ShadowsocksCipher.aes256GCM, .chacha20IETFPoly1305])
    func splitAddress(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        var forger = try Forger(key, salt: Self.salt(key))
        let address = Self.address()
        try forger.sealLength(3)
        try forger.seal(Array(address.prefix(3)))
        let rest = Array(address.dropFirst(3)) + [42]
        try forger.sealLength(rest.count)
        try forger.seal(rest)
        let served = try SS.serve([forger.stream], keyring: ShadowsocksKeyring([key]))
        #expect(served.request?.target == SS.target)
        #expect(served.payload == [42])
    }

    @Test("classic: an unknown address type is refused")
    func classicBadAddress() throws {
        let key = try SS.key(.aes256GCM)
        var forger = try Forger(key, salt: Self.salt(key))
        try forger.sealLength(7)
        try forger.seal([9, 1, 2, 3, 4, 0, 80])
        #expect(throws: ShadowsocksError.badAddress(reason: "unknown address type 9")) {
            try SS.serve([forger.stream], keyring: ShadowsocksKeyring([key]))
        }
    }

    @Test("2022: wrong type, empty header, no padding nor payload, padding past the end, bad address", arguments: SS.methods2022)
    func bad2022Headers(method: ShadowsocksCipher) throws {
        let key = try SS.key(method)
        let keyring = try ShadowsocksKeyring([key])
        let address = Self.address()
        func serve(_ variable: [UInt8]?, type: UInt8 = 0, length: Int? = nil, salt: UInt8) throws {
            var forger = try Forger(key, salt: Self.salt(key, salt))
            try forger.sealFixedHeader(type: type, length: length ?? variable?.count ?? 0)
            if let variable { try forger.seal(variable) }
            _ = try SS.serve([forger.stream], keyring: keyring)
        }
        #expect(throws: ShadowsocksError.wrongHeaderType(1)) { try serve(address + [0, 0, 1], type: 1, salt: 1) }
        #expect(throws: ShadowsocksError.badHeader(reason: "empty variable-length header")) { try serve(nil, length: 0, salt: 2) }
        #expect(throws: ShadowsocksError.badHeader(reason: "neither padding nor payload")) { try serve(address + [0, 0], salt: 3) }
        #expect(throws: ShadowsocksError.badHeader(reason: "padding runs past the header")) { try serve(address + [0, 5, 1, 1], salt: 4) }
        #expect(throws: ShadowsocksError.badHeader(reason: "no padding length")) { try serve(address + [0], salt: 5) }
        #expect(throws: ShadowsocksError.badAddress(reason: "header ends inside the address")) { try serve(Array(address.prefix(4)), salt: 6) }
        #expect(throws: ShadowsocksError.badAddress(reason: "unknown address type 7")) { try serve([7, 1, 1, 1, 1, 0, 1, 0, 1, 0], salt: 7) }
        // Padding and no payload is a valid request.
        #expect(throws: Never.self) { try serve(address + [0, 3, 0, 0, 0], salt: 8) }
    }

    @Test("keys: bad base64, wrong PSK length, unsupported method, mixed keyring")
    func badKeys() throws {
        #expect(throws: ShadowsocksError.self) { try ShadowsocksKey(method: .blake3AES256GCM, password: "not base64!") }
        #expect(throws: ShadowsocksError.self) { try ShadowsocksKey(method: .blake3AES256GCM, password: "AAAAAAAAAAAAAAAAAAAAAA==") }
        #expect(throws: ShadowsocksError.unsupportedMethod(.none)) { try ShadowsocksKey(method: .none, password: "x") }
        #expect(throws: ShadowsocksError.self) { try ShadowsocksKeyring([]) }
        #expect(throws: ShadowsocksError.self) { try ShadowsocksKeyring([SS.key(.aes128GCM), SS.key(.aes256GCM)]) }
        do {
            _ = try ShadowsocksKey(method: .blake3AES128GCM, password: SS.password(.blake3AES256GCM, user: 0))
            Issue.record("a 32-byte PSK was accepted for a 16-byte method")
        } catch {
            #expect(error.description.contains("16 bytes"))
        }
    }
}
