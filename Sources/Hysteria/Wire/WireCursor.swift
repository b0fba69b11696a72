import NIOCore

/// Reads forward through a buffer without consuming it, so an incremental decoder can look at a
/// message that may be incomplete and commit (move the reader index) only once all of it is there.
struct WireCursor {
    let buffer: ByteBuffer
    private(set) var index: Int

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
        index = buffer.readerIndex
    }

    /// Bytes consumed so far.
    var consumed: Int { index - buffer.readerIndex }

    /// Bytes left after the cursor.
    var remaining: Int { buffer.writerIndex - index }

    mutating func byte() -> UInt8? {
        guard let byte = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        index += 1
        return byte
    }

    mutating func integer<T: FixedWidthInteger>(as type: T.Type) -> T? {
        guard let value = buffer.getInteger(at: index, as: type) else { return nil }
        index += MemoryLayout<T>.size
        return value
    }

    mutating func varint() -> UInt64? {
        guard let (value, length) = QUICVarint.peek(in: buffer, at: index) else { return nil }
        index += length
        return value
    }

    /// A length field: `nil` while incomplete; `invalid` thrown as soon as the value is outside
    /// `range`, so a peer cannot make us wait for bytes we would refuse anyway.
    mutating func length(
        in range: ClosedRange<Int>, invalid: (Int) -> HysteriaWireError
    ) throws(HysteriaWireError) -> Int? {
        guard let value = varint() else { return nil }
        guard value <= UInt64(range.upperBound), range.contains(Int(value)) else {
            throw invalid(Int(clamping: value))
        }
        return Int(value)
    }

    /// The next `count` bytes as a slice (no copy), or `nil` when they have not all arrived.
    mutating func slice(_ count: Int) -> ByteBuffer? {
        guard count <= remaining, let slice = buffer.getSlice(at: index, length: count) else { return nil }
        index += count
        return slice
    }

    /// Steps over `count` bytes; `false` when they have not all arrived.
    mutating func skip(_ count: Int) -> Bool {
        guard count <= remaining else { return false }
        index += count
        return true
    }
}
