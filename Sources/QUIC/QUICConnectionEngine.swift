import NIOCore

/// What ``QUICConnection`` needs from a QUIC implementation, so the public API does not name ngtcp2.
///
/// Every method is called on the engine's event loop, and every future completes there.
protocol QUICConnectionEngine: AnyObject {
    /// Completes with a stream of our own, once the peer's stream limit allows one.
    func openStream(bidirectional: Bool) -> EventLoopFuture<Int64>
    /// Completes with the next bytes of `stream`, or `nil` once the peer has finished it.
    func read(stream: Int64) -> EventLoopFuture<ByteBuffer?>
    /// Queues `data` (and FIN when `finish`); completes once at most the send buffer's worth
    /// waits to be sent (and the FIN was taken, if asked).
    func write(_ data: ByteBuffer, stream: Int64, finish: Bool) -> EventLoopFuture<Void>
    /// Abandons both directions of `stream`: RESET_STREAM and STOP_SENDING with `errorCode`.
    func reset(stream: Int64, errorCode: UInt64)
    /// Completes with the next stream the peer opened, or `nil` once the connection is closed.
    func acceptStream() -> EventLoopFuture<Int64?>
    /// Queues one unreliable datagram.
    func sendDatagram(_ data: ByteBuffer) throws(QUICError)
    /// The largest datagram payload the peer accepts and the current path carries; 0 when the
    /// peer takes no datagrams.
    var maximumDatagramPayload: Int { get }
    /// Completes with the next datagram received, or `nil` once the connection is closed.
    func receiveDatagram() -> EventLoopFuture<ByteBuffer?>
    /// Sends CONNECTION_CLOSE with application `errorCode` and releases the socket.
    func close(errorCode: UInt64) -> EventLoopFuture<Void>
    /// The ALPN protocol the handshake agreed on.
    var negotiatedALPN: String? { get }
}
