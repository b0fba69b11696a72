public import NIOCore

extension FixedSizeRecvByteBufferAllocator {
    /// Room for any UDP datagram whole: NIO's default for datagram channels cuts them at 2048
    /// bytes, and a relay must pass larger ones (up to 64 KiB) intact.
    public static var wholeDatagrams: FixedSizeRecvByteBufferAllocator { FixedSizeRecvByteBufferAllocator(capacity: 65_536) }
}
