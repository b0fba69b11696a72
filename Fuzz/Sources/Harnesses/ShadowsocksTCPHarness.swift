import ShadowsocksClient
import Shadowsocks
import Inbounds
import NIOCore
import Routing
import ScaleConfig

/// Shadowsocks TCP streams, AEAD (SIP004) and 2022 (SIP022): the server's request decoder (trial
/// decryption over the users, SIP022 header and timestamp, replay filter, address, chunk reader)
/// and the client's response decoder.
///
/// Input: a mode byte and a method byte, then either raw ciphertext or a script that chooses the
/// plaintext (user, salt, target, payload, cut points, one flipped byte) to encrypt with fixed
/// keys, so most inputs get past decryption.
enum ShadowsocksTCPHarness: FuzzHarness {
    static let name = "shadowsocks-tcp"
    static let summary = "Shadowsocks TCP request/response decoders: raw ciphertext, and encrypted plaintext that must decode to itself"

    static let methods: [ShadowsocksCipher] = [.aes128GCM, .aes256GCM, .chacha20IETFPoly1305, .blake3AES128GCM, .blake3AES256GCM]
    static let now: UInt64 = 1_700_000_000
    static let clock = ShadowsocksClock { ShadowsocksTCPHarness.now }

    /// Two users per method: fixed passwords for classic methods, fixed PSKs for 2022.
    static let keyrings: [ShadowsocksCipher: ShadowsocksKeyring] = {
        var rings: [ShadowsocksCipher: ShadowsocksKeyring] = [:]
        for method in methods {
            let keys = (1...2).compactMap { user -> ShadowsocksKey? in
                let length = method == .aes128GCM || method == .blake3AES128GCM ? 16 : 32
                return method.rawValue.hasPrefix("2022")
                    ? try? ShadowsocksKey(method: method, key: Array(repeating: UInt8(user), count: length))
                    : try? ShadowsocksKey(method: method, password: "fuzz-password-\(user)")
            }
            rings[method] = try? ShadowsocksKeyring(keys)
        }
        return rings
    }()

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.byte() % 4
        let method = input.pick(methods)
        guard let keyring = keyrings[method] else {
            require(false, "no keyring for \(method)")
            return
        }
        switch mode {
        case 0: rawRequest(keyring, &input)
        case 1: request(keyring, &input)
        case 2: rawResponse(keyring, &input)
        default: response(keyring, &input)
        }
    }

    // MARK: requests (server side)

    private static func rawRequest(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let stream = input.rest()
        var script = FuzzInput(stream.reversed())  // cut points from the tail, independent of the head
        _ = decodeRequest(stream, keyring: keyring, pieces: script.pieceLengths(total: stream.count))
    }

    private static func request(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let user = input.int(in: 0...1)
        let key = keyring.keys[user]
        let salt = input.bytes(count: key.keyLength) + Array(repeating: 0xA5, count: key.keyLength)
        let target = FuzzTargets.target(from: &input)
        let writes = (0..<input.int(in: 1...3)).map { _ in input.bytes(upTo: 200) }
        let large = input.bool() ? Array(repeating: UInt8(0x42), count: input.int(in: 0...70_000)) : []
        guard var encoder = try? ShadowsocksRequestEncoder(key: key, target: target, clock: clock, salt: Array(salt.prefix(key.keyLength)))
        else {
            require(false, "cannot make a request encoder")
            return
        }
        let payload = writes.reduce([], +) + large
        let (ciphertext, flip) = sealed(writes, large, "request", input: &input) { try encoder.encode($0, into: &$1) }
        let result = decodeRequest(ciphertext, keyring: keyring, pieces: input.pieceLengths(total: ciphertext.count))
        if flip == nil {
            require(result.error == nil, "a request sealed with user \(user)'s key failed: \(String(describing: result.error))")
            require(result.requests == [ShadowsocksRequest(userIndex: user, target: target, salt: Array(salt.prefix(key.keyLength)))],
                    "request decoded as \(clip(result.requests)), sent for \(target) by user \(user)")
            require(result.payload == payload, "payload of \(payload.count) bytes decoded as \(result.payload.count)")
        } else {
            require(result.error != nil, "a request with a flipped byte decoded without error")
            require(payload.starts(with: result.payload), "a tampered stream yielded bytes that were not sent")
        }
    }

    /// The stream `encode` makes of `writes`, then `large`, with one byte flipped when the input
    /// says so (`flip`: where, or nil).
    private static func sealed(
        _ writes: [[UInt8]], _ large: [UInt8], _ what: String, input: inout FuzzInput,
        encode: (ByteBuffer, inout ByteBuffer) throws -> Void
    ) -> (ciphertext: [UInt8], flip: Int?) {
        var stream = ByteBuffer()
        do {
            for write in writes { try encode(ByteBuffer(bytes: write), &stream) }
            if !large.isEmpty { try encode(ByteBuffer(bytes: large), &stream) }
        } catch {
            require(false, "encoding a \(what) failed: \(error)")
        }
        var ciphertext = Array(buffer: stream)
        let flip = input.bool() && !ciphertext.isEmpty ? input.int(in: 0...(ciphertext.count - 1)) : nil
        if let flip { ciphertext[flip] ^= max(1, input.byte()) }
        return (ciphertext, flip)
    }

    /// Feeds `stream` to a fresh request decoder in pieces; stops at the first error.
    private static func decodeRequest(
        _ stream: [UInt8], keyring: ShadowsocksKeyring, pieces: [Int]
    ) -> (requests: [ShadowsocksRequest], payload: [UInt8], error: ShadowsocksError?) {
        var decoder = ShadowsocksRequestDecoder(keyring: keyring, replayFilter: ShadowsocksReplayFilter(), clock: clock)
        var requests: [ShadowsocksRequest] = []
        var payload = ByteBuffer()
        var offset = 0
        for length in pieces {
            do throws(ShadowsocksError) {
                if let request = try decoder.decode(ByteBuffer(bytes: stream[offset..<offset + length]), into: &payload) {
                    requests.append(request)
                }
            } catch {
                return (requests, Array(buffer: payload), error)
            }
            offset += length
            require(requests.isEmpty || decoder.request == requests.first, "the decoder's request changed")
            require(payload.readableBytes == 0 || !requests.isEmpty, "payload before the request")
        }
        return (requests, Array(buffer: payload), nil)
    }

    // MARK: responses (client side)

    private static func rawResponse(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let key = keyring.keys[0]
        let requestSalt = Array(repeating: UInt8(0x5A), count: key.keyLength)
        let stream = input.rest()
        var script = FuzzInput(stream.reversed())
        _ = decodeResponse(stream, key: key, requestSalt: requestSalt, pieces: script.pieceLengths(total: stream.count))
    }

    private static func response(_ keyring: ShadowsocksKeyring, _ input: inout FuzzInput) {
        let key = keyring.keys[input.int(in: 0...1)]
        let requestSalt = input.bytes(count: key.keyLength) + Array(repeating: 0x3C, count: key.keyLength)
        let salt = input.bytes(count: key.keyLength) + Array(repeating: 0xC3, count: key.keyLength)
        let writes = (0..<input.int(in: 1...3)).map { _ in input.bytes(upTo: 200) }
        let large = input.bool() ? Array(repeating: UInt8(0x24), count: input.int(in: 0...140_000)) : []
        let saltSent = Array(requestSalt.prefix(key.keyLength))
        guard var encoder = try? ShadowsocksResponseEncoder(
            key: key, requestSalt: saltSent, clock: clock, salt: Array(salt.prefix(key.keyLength)))
        else {
            require(false, "cannot make a response encoder")
            return
        }
        let payload = writes.reduce([], +) + large
        let (ciphertext, flip) = sealed(writes, large, "response", input: &input) { try encoder.encode($0, into: &$1) }
        let result = decodeResponse(ciphertext, key: key, requestSalt: saltSent, pieces: input.pieceLengths(total: ciphertext.count))
        if flip == nil {
            require(result.error == nil, "a response failed: \(String(describing: result.error))")
            require(result.payload == payload, "response payload of \(payload.count) bytes decoded as \(result.payload.count)")
        } else {
            require(result.error != nil, "a response with a flipped byte decoded without error")
            require(payload.starts(with: result.payload), "a tampered response yielded bytes that were not sent")
        }
    }

    private static func decodeResponse(
        _ stream: [UInt8], key: ShadowsocksKey, requestSalt: [UInt8], pieces: [Int]
    ) -> (payload: [UInt8], error: ShadowsocksError?) {
        var decoder = ShadowsocksResponseDecoder(key: key, requestSalt: requestSalt, clock: clock)
        var payload = ByteBuffer()
        var offset = 0
        for length in pieces {
            do throws(ShadowsocksError) {
                try decoder.decode(ByteBuffer(bytes: stream[offset..<offset + length]), into: &payload)
            } catch {
                return (Array(buffer: payload), error)
            }
            offset += length
        }
        return (Array(buffer: payload), nil)
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        var seeds: [(label: String, bytes: [UInt8])] = []
        for (index, _) in methods.enumerated() {
            // Mode 1: user 1, a salt, a domain target, two writes, no large write, no flip.
            seeds.append(("request-\(index)", [1, UInt8(index), 1] + Array(repeating: 7, count: 32)
                          + [0x01, 0xBB, 2, 11] + Array("example.com".utf8) + [2, 5] + Array("hello".utf8) + [3] + Array("abc".utf8) + [0, 0]))
            seeds.append(("response-\(index)", [3, UInt8(index), 0] + Array(repeating: 9, count: 64) + [1, 4] + Array("pong".utf8) + [0, 0]))
        }
        return seeds
    }
}
