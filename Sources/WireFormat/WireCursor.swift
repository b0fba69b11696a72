public import NIOCore

/// Reads forward through a buffer without consuming it, so an incremental decoder can look at a
/// message that may be incomplete and commit (move the reader index) only once all of it is there.
/// Integers are big-endian, as in every protocol here.
public struct WireCursor {
    public let buffer: ByteBuffer
    public private(set) var index: Int

    public init(_ buffer: ByteBuffer) {
        self.buffer = buffer
        index = buffer.readerIndex
    }

    /// Bytes consumed so far.
    public var consumed: Int { index - buffer.readerIndex }

    /// Bytes left after the cursor.
    public var remaining: Int { buffer.writerIndex - index }

    public mutating func byte() -> UInt8? {
        integer(as: UInt8.self)
    }

    public mutating func integer<T: FixedWidthInteger>(as type: T.Type) -> T? {
        guard let value = buffer.getInteger(at: index, endianness: .big, as: type) else { return nil }
        index += MemoryLayout<T>.size
        return value
    }

    /// The next `count` bytes as a slice (no copy), or `nil` when they have not all arrived.
    public mutating func slice(_ count: Int) -> ByteBuffer? {
        guard count <= remaining, let slice = buffer.getSlice(at: index, length: count) else { return nil }
        index += count
        return slice
    }

    /// Steps over `count` bytes; `false` when they have not all arrived.
    public mutating func skip(_ count: Int) -> Bool {
        guard count <= remaining else { return false }
        index += count
        return true
    }

    /// Steps over `count` bytes the caller has already looked at (a varint it peeked).
    public mutating func advance(by count: Int) {
        index += count
    }

    /// Moves the reader index of `target` (the buffer this cursor was made from) past what was read.
    public func commit(to target: inout ByteBuffer) {
        target.moveReaderIndex(forwardBy: consumed)
    }
}
