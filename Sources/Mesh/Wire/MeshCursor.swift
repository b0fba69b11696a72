import NIOCore

/// Reads forward through a buffer without consuming it, so a decoder can look at a message that
/// may be incomplete and move the reader index only once all of it is there.
struct MeshCursor {
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

    /// The next big-endian integer (§0: every relay integer is big-endian), or `nil` if incomplete.
    mutating func integer<T: FixedWidthInteger>(as type: T.Type) -> T? {
        guard let value = buffer.getInteger(at: index, endianness: .big, as: type) else { return nil }
        index += MemoryLayout<T>.size
        return value
    }

    /// The next `count` bytes as a slice (no copy), or `nil` when they have not all arrived.
    mutating func slice(_ count: Int) -> ByteBuffer? {
        guard count <= remaining, let slice = buffer.getSlice(at: index, length: count) else { return nil }
        index += count
        return slice
    }

    /// Moves the reader index of `target` (the buffer this cursor was made from) past what was read.
    func commit(to target: inout ByteBuffer) {
        target.moveReaderIndex(forwardBy: consumed)
    }
}
