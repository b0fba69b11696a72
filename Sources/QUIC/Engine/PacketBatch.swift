import NIOCore

/// Packets written back to back into one buffer, sent as one datagram the kernel splits (UDP
/// generic segmentation offload): one trip through the socket layer for up to 32 packets.
///
/// GSO splits a buffer into equal segments with a shorter last one, so a batch holds packets of
/// one size and ends after a shorter packet; a larger one (a path MTU probe) starts a new batch.
struct PacketBatch {
    private static let maximumSegments = 32
    private static let maximumBytes = 60_000
    private static let capacity = 64 << 10

    /// The packets so far; the next one is written at its end.
    private var buffer: ByteBuffer
    private let allocator: ByteBufferAllocator
    private let segments: Bool
    private var segmentSize = 0
    private var count = 0

    /// - Parameter segments: whether the socket may segment; without, each packet is its own batch.
    init(allocator: ByteBufferAllocator, segments: Bool) {
        self.allocator = allocator
        self.segments = segments
        buffer = allocator.buffer(capacity: segments ? Self.capacity : NgtcpConnection.packetCapacity)
    }

    /// Runs `body` with room for `bytes` more at the end of the batch, in place (no copy).
    mutating func withSpace<R>(for bytes: Int, _ body: (inout ByteBuffer) -> R) -> R {
        buffer.reserveCapacity(minimumWritableBytes: bytes)
        return body(&buffer)
    }

    /// Takes in the `length` bytes just written into the batch's space; a batch this completes
    /// goes to `write` with its segment size (`nil`: one packet).
    mutating func commit(_ length: Int, with write: (ByteBuffer, Int?) -> Void) {
        buffer.moveWriterIndex(forwardBy: length)
        guard segments else { return flush(with: write) }
        if count == 0 {
            segmentSize = length
            count = 1
        } else if length <= segmentSize {
            count += 1
            if length < segmentSize { return flush(with: write) }  // a short segment must be the last
        } else {
            // Larger than the batch's segments: send those, and start again with this one.
            let earlier = buffer.readSlice(length: buffer.readableBytes - length)!  // within the readable bytes
            write(earlier, count > 1 ? segmentSize : nil)
            var fresh = allocator.buffer(capacity: Self.capacity)
            fresh.writeBuffer(&buffer)
            buffer = fresh
            segmentSize = length
            count = 1
        }
        if count == Self.maximumSegments || buffer.readableBytes + segmentSize > Self.maximumBytes { flush(with: write) }
    }

    /// Hands over whatever is batched.
    mutating func flush(with write: (ByteBuffer, Int?) -> Void) {
        guard buffer.readableBytes > 0 else { return }
        write(buffer, count > 1 ? segmentSize : nil)
        buffer = allocator.buffer(capacity: segments ? Self.capacity : NgtcpConnection.packetCapacity)
        count = 0
    }
}
