import NIOCore

/// A copy of bytes queued on a stream, at an address that never moves: ngtcp2 reads them again
/// for retransmission until the peer acknowledges them (spec §4.5), so Swift-managed storage
/// (which may move or be freed) cannot be handed over.
final class SendChunk {
    /// Stream offset of the first byte.
    let offset: UInt64
    /// Owned; freed in deinit.
    let bytes: UnsafeMutableRawBufferPointer

    init(copying buffer: ByteBuffer, at offset: UInt64) {
        self.offset = offset
        bytes = .allocate(byteCount: buffer.readableBytes, alignment: 1)
        buffer.withUnsafeReadableBytes { bytes.copyMemory(from: $0) }
    }

    deinit { bytes.deallocate() }

    /// Stream offset just past the last byte.
    var end: UInt64 { offset + UInt64(bytes.count) }
}
