import NIOCore

/// Hex vectors to ByteBuffers and back, for the HTTP/3 tests.
enum HTTP3TestBytes {
    /// `"0000 5f09"` → bytes; spaces ignored. Traps on bad hex, which only a typo in a test can cause.
    static func buffer(_ hex: String) -> ByteBuffer {
        ByteBuffer(bytes: bytes(hex))
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        precondition(digits.count % 2 == 0, "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    static func hex(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
