import ShadowsocksClient
import Shadowsocks
import Addressing
import Foundation
import Inbounds
import NIOCore
import Routing
import ScaleConfig
import TestSupport

/// Lower-case hex of `bytes`.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}

/// The bytes a hex string spells (test input only; traps on bad text).
func bytes(hex text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

/// Shared inputs for the Shadowsocks tests.
enum SS {
    static let now: UInt64 = 1_700_000_000
    static let clock = ShadowsocksClock { now }
    static func clock(offset: Int64) -> ShadowsocksClock { ShadowsocksClock { UInt64(Int64(now) + offset) } }

    static let methods: [ShadowsocksCipher] = [.aes128GCM, .aes256GCM, .chacha20IETFPoly1305, .blake3AES128GCM, .blake3AES256GCM]
    static let methods2022: [ShadowsocksCipher] = [.blake3AES128GCM, .blake3AES256GCM]

    static let target = Target("example.com:443")!

    /// A distinct password per user: text for classic methods, a base64 PSK for 2022.
    static func password(_ method: ShadowsocksCipher, user: Int) -> String {
        guard method.rawValue.hasPrefix("2022") else { return "secret-\(user)" }
        let length = method == .blake3AES128GCM ? 16 : 32
        return Data((0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + user * 31 + 1) }).base64EncodedString()
    }

    static func key(_ method: ShadowsocksCipher, user: Int = 0) throws -> ShadowsocksKey {
        try ShadowsocksKey(method: method, password: password(method, user: user))
    }

    static func keyring(_ method: ShadowsocksCipher, users: Int) throws -> ShadowsocksKeyring {
        try ShadowsocksKeyring((0..<users).map { try key(method, user: $0) })
    }

    static func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// `buffer` cut into pieces of 1...`maximum` bytes.
    static func fragments(_ buffer: ByteBuffer, maximum: Int, using rng: inout SplitMix64) -> [ByteBuffer] {
        var buffer = buffer
        var pieces: [ByteBuffer] = []
        while buffer.readableBytes > 0 {
            let length = Int.random(in: 1...max(1, min(maximum, buffer.readableBytes)), using: &rng)
            pieces.append(buffer.readSlice(length: length)!)
        }
        return pieces
    }

    /// A client request stream carrying `chunks` of payload, one encode call each.
    static func request(
        _ key: ShadowsocksKey, payload chunks: [[UInt8]], target: Target = target, clock: ShadowsocksClock = clock
    ) throws -> (stream: ByteBuffer, salt: [UInt8]) {
        var encoder = try ShadowsocksRequestEncoder(key: key, target: target, clock: clock)
        var stream = ByteBuffer()
        for chunk in chunks { try encoder.encode(ByteBuffer(bytes: chunk), into: &stream) }
        if chunks.isEmpty { try encoder.encode(ByteBuffer(), into: &stream) }
        return (stream, encoder.salt)
    }

    /// Feeds `pieces` to a fresh server decoder; the request and all payload.
    static func serve(
        _ pieces: [ByteBuffer], keyring: ShadowsocksKeyring, filter: ShadowsocksReplayFilter = ShadowsocksReplayFilter(),
        clock: ShadowsocksClock = clock
    ) throws(ShadowsocksError) -> (request: ShadowsocksRequest?, payload: [UInt8]) {
        var decoder = ShadowsocksRequestDecoder(keyring: keyring, replayFilter: filter, clock: clock)
        var payload = ByteBuffer()
        var request: ShadowsocksRequest?
        for piece in pieces {
            if let found = try decoder.decode(piece, into: &payload) {
                precondition(request == nil, "request announced twice")
                request = found
            }
        }
        return (request, payload.readBytes(length: payload.readableBytes) ?? [])
    }
}
