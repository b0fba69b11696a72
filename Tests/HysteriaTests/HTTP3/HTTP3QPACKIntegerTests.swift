@testable import Hysteria
import NIOCore
import Testing

@Suite("QPACK prefixed integers (RFC 7541 §5.1)")
struct HTTP3QPACKIntegerTests {
    private func read(_ hex: String, prefixBits: Int) throws(HTTP3Error) -> UInt64 {
        var buffer = HTTP3TestBytes.buffer(hex)
        guard let first = buffer.readInteger(as: UInt8.self) else { throw .truncatedFieldSection }
        let value = try QPACKInteger.read(prefixBits: prefixBits, first: first, from: &buffer)
        #expect(buffer.readableBytes == 0)
        return value
    }

    @Test("the RFC 7541 Appendix C.1 examples: 10 and 1337 in 5 bits, 42 in 8 bits")
    func rfcExamples() throws {
        #expect(try read("0a", prefixBits: 5) == 10)
        #expect(try read("1f 9a 0a", prefixBits: 5) == 1337)
        #expect(try read("2a", prefixBits: 8) == 42)
        var buffer = ByteBuffer()
        QPACKInteger.write(1337, prefixBits: 5, flags: 0xe0, into: &buffer)
        #expect(HTTP3TestBytes.hex(buffer) == "ff9a0a")
    }

    @Test("values round trip at every prefix size up to 2^62 - 1")
    func roundTrip() throws {
        let values: [UInt64] = [0, 1, 6, 7, 8, 14, 15, 16, 62, 63, 64, 126, 127, 128, 255, 256, 16_383, 1 << 40, QPACKInteger.maximum]
        for prefixBits in 1...8 {
            for value in values {
                var buffer = ByteBuffer()
                QPACKInteger.write(value, prefixBits: prefixBits, flags: 0, into: &buffer)
                let first = buffer.readInteger(as: UInt8.self) ?? 0  // write always emits at least one byte
                #expect(try QPACKInteger.read(prefixBits: prefixBits, first: first, from: &buffer) == value)
                #expect(buffer.readableBytes == 0)
            }
        }
    }

    @Test("integers past 62 bits and endless continuations are refused; a cut one is truncated")
    func hostile() {
        #expect(throws: HTTP3Error.integerOverflow) { try read("ff" + String(repeating: "ff", count: 9) + "01", prefixBits: 8) }
        #expect(throws: HTTP3Error.integerOverflow) { try read("3f" + String(repeating: "80", count: 40) + "00", prefixBits: 6) }
        #expect(throws: HTTP3Error.integerOverflow) { try read("ff ff ff ff ff ff ff ff ff 7f", prefixBits: 8) }
        #expect(throws: HTTP3Error.truncatedFieldSection) { try read("1f 9a", prefixBits: 5) }
    }
}
