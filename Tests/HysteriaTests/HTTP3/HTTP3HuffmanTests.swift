@testable import Hysteria
import NIOCore
import TestSupport
import Testing

@Suite("Huffman code (RFC 7541 §5.2, Appendix B)")
struct HTTP3HuffmanTests {
    /// RFC 7541 Appendix C.4 and C.6 strings with their Huffman forms.
    static let examples: [(String, String)] = [
        ("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"),
        ("no-cache", "a8eb 1064 9cbf"),
        ("custom-key", "25a8 49e9 5ba9 7d7f"),
        ("custom-value", "25a8 49e9 5bb8 e8b4 bf"),
        ("302", "6402"),
        ("private", "aec3 771a 4b"),
        ("Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"),
        ("https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"),
        ("gzip", "9bd9 ab"),
        ("233", "132c ff"),
    ]

    @Test("the RFC 7541 Appendix C strings encode and decode byte for byte")
    func rfcExamples() throws {
        for (text, hex) in Self.examples {
            var encoded = ByteBuffer()
            HuffmanCode.encode(text.utf8, into: &encoded)
            #expect(HTTP3TestBytes.hex(encoded) == hex.filter { $0 != " " }, "\(text)")
            #expect(HuffmanCode.encodedLength(of: text.utf8) == encoded.readableBytes)
            let decoded = try HuffmanCode.decode(HTTP3TestBytes.buffer(hex), limit: 1000, limitError: .invalidHuffman)
            #expect(decoded == Array(text.utf8))
        }
    }

    @Test("the table is a complete prefix code with 257 symbols")
    func tableIsComplete() {
        #expect(HuffmanCodeTable.codes.count == 257)
        var kraft = 0.0
        for entry in HuffmanCodeTable.codes {
            #expect((5...30).contains(entry.length))
            #expect(entry.code < (1 << UInt32(entry.length)))
            kraft += 1.0 / Double(1 << UInt64(entry.length))
        }
        #expect(kraft == 1.0)
        #expect(HuffmanCodeTable.codes[256] == (0x3fff_ffff, 30))
    }

    @Test("every byte value and random strings survive a round trip")
    func roundTrip() throws {
        let all = (0...255).map { UInt8($0) }
        var encoded = ByteBuffer()
        HuffmanCode.encode(all, into: &encoded)
        #expect(try HuffmanCode.decode(encoded, limit: 256, limitError: .invalidHuffman) == all)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var buffer = ByteBuffer()
            HuffmanCode.encode(bytes, into: &buffer)
            #expect(try HuffmanCode.decode(buffer, limit: 64, limitError: .invalidHuffman) == bytes)
        }
    }

    @Test("padding longer than 7 bits, padding with a zero and EOS are refused")
    func badPadding() {
        // "www.example.com" plus a whole byte of ones: 8+ bits of padding.
        let tooLong = HTTP3TestBytes.buffer("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff")
        #expect(throws: HTTP3Error.invalidHuffman) { try HuffmanCode.decode(tooLong, limit: 100, limitError: .invalidHuffman) }
        // "no-cache" ends in 1 bit of padding; clearing it makes the padding not all ones.
        let zeroPadding = HTTP3TestBytes.buffer("a8eb 1064 9cbe")
        #expect(throws: HTTP3Error.invalidHuffman) { try HuffmanCode.decode(zeroPadding, limit: 100, limitError: .invalidHuffman) }
        // 30 ones is EOS, which a string must never contain.
        let endOfString = HTTP3TestBytes.buffer("ffff ffff")
        #expect(throws: HTTP3Error.invalidHuffman) { try HuffmanCode.decode(endOfString, limit: 100, limitError: .invalidHuffman) }
        // A lone 0x00 byte is "0" (00000, 5 bits) then 000 padding: not all ones.
        #expect(throws: HTTP3Error.invalidHuffman) {
            try HuffmanCode.decode(HTTP3TestBytes.buffer("00"), limit: 100, limitError: .invalidHuffman)
        }
    }

    @Test("decoding stops at the output limit")
    func limit() {
        let encoded = HTTP3TestBytes.buffer("f1e3 c2e5 f23a 6ba0 ab90 f4ff")
        #expect(throws: HTTP3Error.tooManyFields(limit: 1)) {
            try HuffmanCode.decode(encoded, limit: 14, limitError: .tooManyFields(limit: 1))
        }
    }
}
