import Hysteria
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("QUIC varints")
struct HysteriaVarintTests {
    @Test("RFC 9000 appendix A vectors decode, including a non-minimal form")
    func rfcVectors() {
        let vectors: [(String, UInt64)] = [
            ("c2197c5eff14e88c", 151_288_809_941_952_652), ("9d7f3e7d", 494_878_333),
            ("7bbd", 15293), ("25", 37), ("4025", 37),
        ]
        for (hex, value) in vectors {
            var buffer = ByteBuffer(bytes: hexBytes(hex) + [0xAA])
            #expect(QUICVarint.read(from: &buffer) == .value(value))
            #expect(buffer.bytes == [0xAA])
        }
    }

    @Test("the shortest form at every width boundary, and values of 2^62 refused")
    func shortestForm() throws {
        let cases: [(UInt64, String)] = [
            (0, "00"), (63, "3f"), (64, "4040"), (16383, "7fff"), (16384, "80004000"),
            ((1 << 30) - 1, "bfffffff"), (1 << 30, "c000000040000000"), (QUICVarint.maximum, "ffffffffffffffff"),
        ]
        for (value, hex) in cases {
            var buffer = ByteBuffer()
            let written = try QUICVarint.write(value, to: &buffer)
            #expect(hexString(buffer.bytes) == hex)
            #expect(written == QUICVarint.encodedLength(of: value))
        }
        var buffer = ByteBuffer()
        #expect(throws: HysteriaWireError.varintTooLarge(1 << 62)) { try QUICVarint.write(1 << 62, to: &buffer) }
        #expect(throws: HysteriaWireError.varintTooLarge(.max)) { try QUICVarint.write(.max, byteCount: 8, to: &buffer) }
        #expect(QUICVarint.encodedLength(of: 1 << 62) == nil)
        #expect(buffer.readableBytes == 0)
    }

    @Test("a forced width: 0x401 is 44 01; too narrow or odd widths are refused")
    func forcedWidth() throws {
        var buffer = ByteBuffer()
        try QUICVarint.write(0x401, byteCount: 2, to: &buffer)
        try QUICVarint.write(5, byteCount: 4, to: &buffer)
        #expect(hexString(buffer.bytes) == "440180000005")
        #expect(throws: HysteriaWireError.varintWidth(value: 0x401, byteCount: 1)) {
            try QUICVarint.write(0x401, byteCount: 1, to: &buffer)
        }
        #expect(throws: HysteriaWireError.varintWidth(value: 1, byteCount: 3)) {
            try QUICVarint.write(1, byteCount: 3, to: &buffer)
        }
    }

    @Test("every prefix of a varint needs more bytes and leaves the buffer alone")
    func incremental() {
        for hex in ["c2197c5eff14e88c", "9d7f3e7d", "7bbd"] {
            let bytes = hexBytes(hex)
            for count in 0..<bytes.count {
                var buffer = ByteBuffer(bytes: bytes.prefix(count))
                #expect(QUICVarint.read(from: &buffer) == .needMoreBytes)
                #expect(buffer.readableBytes == count)
            }
        }
    }

    @Test("random values round-trip")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let value = rng.next() >> Int.random(in: 2...63, using: &rng)
            var buffer = ByteBuffer()
            try QUICVarint.write(value, to: &buffer)
            #expect(QUICVarint.read(from: &buffer) == .value(value))
            #expect(buffer.readableBytes == 0)
        }
    }
}
