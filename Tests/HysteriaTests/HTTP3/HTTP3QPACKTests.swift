import Hysteria
import NIOCore
import TestSupport
import Testing

@Suite("QPACK field sections, static table only (RFC 9204 §4.5)")
struct HTTP3QPACKTests {
    private let decoder = QPACKDecoder()

    private func fields(_ pairs: [(String, String)]) -> [HTTP3Field] {
        pairs.map { HTTP3Field(name: $0.0, value: $0.1) }
    }

    /// The auth request; its bytes were produced by pylsqpack 1.0.0 (ls-qpack) with no dynamic table.
    static let authRequest: [(String, String)] = [
        (":method", "POST"), (":scheme", "https"), (":authority", "hysteria"), (":path", "/auth"),
        ("hysteria-auth", "secret"), ("hysteria-cc-rx", "0"), ("hysteria-padding", "abc"),
    ]
    static let authRequestHex =
        "0000d4d750869fd2125b0c3f51846076a67f2f029fd2125b0c35876a6784414961532f039fd2125b0c358845acf30130"
        + "2f059fd2125b0c35ab1c921aa9bf821c64"
    static let authResponse: [(String, String)] = [
        (":status", "233"), ("hysteria-udp", "true"), ("hysteria-cc-rx", "auto"), ("hysteria-padding", "Zz09"),
    ]
    static let authResponseHex =
        "00005f09033233332f029fd2125b0c35ad92bf834d96972f039fd2125b0c358845acf3831da93f2f059fd2125b0c35ab1c921aa9bf045a7a3039"

    @Test("sing-box's :status 233 (name reference to static 24, Huffman value 13 2c ff) decodes")
    func singBoxStatus() throws {
        let section = HTTP3TestBytes.buffer("0000 5f09 83 132cff")
        #expect(try decoder.decode(section) == [HTTP3Field(name: ":status", value: "233")])
    }

    @Test("our encoding of the auth exchange matches ls-qpack's byte for byte, and decodes back")
    func matchesLSQPACK() throws {
        for (pairs, hex) in [(Self.authRequest, Self.authRequestHex), (Self.authResponse, Self.authResponseHex)] {
            var encoded = ByteBuffer()
            QPACKEncoder.encode(fields(pairs), into: &encoded)
            #expect(HTTP3TestBytes.hex(encoded) == hex)
            #expect(try decoder.decode(HTTP3TestBytes.buffer(hex)) == fields(pairs))
        }
    }

    @Test("indexed, name-reference and literal-name forms, with and without Huffman, all decode")
    func representations() throws {
        // d1: static 17 (:method GET). 5f1d 0178: name of static 44, raw value "x". 23 616263 826402:
        // raw literal name "abc", Huffman value "302". 2e a8eb10649cbf 00: Huffman name "no-cache", empty value.
        let section = HTTP3TestBytes.buffer("0000 d1 5f1d 0178 2361 6263 826402 2e a8eb10649cbf 00")
        #expect(
            try decoder.decode(section)
                == fields([(":method", "GET"), ("content-type", "x"), ("abc", "302"), ("no-cache", "")])
        )
    }

    @Test("names go out in lower case; long strings use multi-byte lengths")
    func encoderDetails() throws {
        var encoded = ByteBuffer()
        let long = String(repeating: "~", count: 300)  // 13 bits each: Huffman longer, sent raw
        QPACKEncoder.encode(fields([("X-Custom", long), ("Content-Type", "text/plain")]), into: &encoded)
        #expect(try decoder.decode(encoded) == fields([("x-custom", long), ("content-type", "text/plain")]))
    }

    @Test("random field sections round trip through the encoder and decoder")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 1)
        let names = [":path", "content-type", "hysteria-auth", "x-a", "accept", "te", "user-agent"]
        for _ in 0..<300 {
            let count = Int.random(in: 0..<8, using: &rng)
            let pairs = (0..<count).map { _ in
                let name = names.randomElement(using: &rng) ?? "x"
                let value = String(decoding: (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7e, using: &rng) }, as: UTF8.self)
                return (name, value)
            }
            var encoded = ByteBuffer()
            QPACKEncoder.encode(fields(pairs), into: &encoded)
            #expect(try decoder.decode(encoded) == fields(pairs))
        }
    }

    @Test("anything that needs the dynamic table is refused", arguments: [
        "0100 d1",  // Required Insert Count 1
        "0080 d1",  // sign bit: negative Base
        "0000 81",  // Indexed Field Line, T = 0 (dynamic)
        "0000 10",  // Indexed Field Line with Post-Base Index
        "0000 4101 61",  // Literal with Name Reference, T = 0
        "0000 0001 61",  // Literal with Post-Base Name Reference
    ])
    func dynamicReferences(hex: String) {
        #expect(throws: HTTP3Error.dynamicTableReference) { try decoder.decode(HTTP3TestBytes.buffer(hex)) }
    }

    @Test("bad indices, cut sections, overflowing lengths and bad Huffman are refused")
    func malformed() {
        #expect(throws: HTTP3Error.staticIndexOutOfRange(99)) { try decoder.decode(HTTP3TestBytes.buffer("0000 ff24")) }
        #expect(throws: HTTP3Error.truncatedFieldSection) { try decoder.decode(HTTP3TestBytes.buffer("00")) }
        #expect(throws: HTTP3Error.truncatedFieldSection) { try decoder.decode(HTTP3TestBytes.buffer("0000 5f09 05 3233")) }
        #expect(throws: HTTP3Error.truncatedFieldSection) { try decoder.decode(HTTP3TestBytes.buffer("0000 5f09")) }
        #expect(throws: HTTP3Error.integerOverflow) {
            try decoder.decode(HTTP3TestBytes.buffer("0000 5f09 7f ffffffffffffffffff7f"))
        }
        #expect(throws: HTTP3Error.invalidHuffman) { try decoder.decode(HTTP3TestBytes.buffer("0000 5f09 84 132cffff")) }
    }

    @Test("the field count and decoded size limits hold, counting 32 bytes per field")
    func limits() throws {
        var encoded = ByteBuffer()
        QPACKEncoder.encode(Array(repeating: HTTP3Field(name: ":method", value: "GET"), count: 5), into: &encoded)
        #expect(throws: HTTP3Error.tooManyFields(limit: 4)) { try QPACKDecoder(maximumFieldCount: 4).decode(encoded) }
        #expect(try QPACKDecoder(maximumFieldCount: 5).decode(encoded).count == 5)
        // Each ":method GET" costs 7 + 3 + 32 = 42 bytes.
        #expect(throws: HTTP3Error.fieldSectionTooLarge(limit: 209)) { try QPACKDecoder(maximumFieldSectionSize: 209).decode(encoded) }
        #expect(try QPACKDecoder(maximumFieldSectionSize: 210).decode(encoded).count == 5)
        // A Huffman value that decodes past the limit stops early.
        var big = ByteBuffer()
        QPACKEncoder.encode([HTTP3Field(name: "x", value: String(repeating: "a", count: 5000))], into: &big)
        #expect(throws: HTTP3Error.fieldSectionTooLarge(limit: 1000)) { try QPACKDecoder(maximumFieldSectionSize: 1000).decode(big) }
    }

    @Test("random bytes of many sizes never crash the decoder")
    func hostileInput() {
        var rng = SplitMix64(seed: 1)
        for size in 0..<2000 {
            var bytes = (0..<(size % 200)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if size % 2 == 0, bytes.count >= 2 { bytes[0] = 0; bytes[1] = 0 }  // get past the prefix half the time
            _ = try? decoder.decode(ByteBuffer(bytes: bytes))
        }
    }
}
