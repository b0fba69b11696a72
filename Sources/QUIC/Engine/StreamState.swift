import NIOCore

/// Everything the engine keeps about one stream.
final class StreamState {
    let id: Int64
    /// Bytes received in order and not yet read by the application (bounded by the stream window,
    /// since credit is only handed back as the application reads).
    var received = ByteBuffer()
    /// The peer sent FIN and every byte before it has arrived.
    var isFinishReceived = false
    /// The peer reset the stream, or it closed before FIN: the application error code.
    var resetCode: UInt64?
    /// ngtcp2 has closed the stream; nothing more will arrive or leave.
    var isClosed = false
    /// The application was told the stream ended (`nil` or an error from read).
    var isReadEnded = false
    /// The single reader waiting for data.
    var readWaiter: EventLoopPromise<ByteBuffer?>?
    /// Bytes queued for sending and kept until acknowledged.
    var send = SendQueue()

    init(id: Int64) {
        self.id = id
    }

    /// What a read returns right now, or `nil` when it has to wait.
    func takeReadable() -> Result<ByteBuffer?, QUICError>? {
        if received.readableBytes > 0 {
            let data = received
            received = ByteBuffer()
            return .success(data)
        }
        if isFinishReceived { return .success(nil) }
        if let resetCode { return .failure(QUICError(.streamReset, "stream \(id) reset with code \(resetCode)")) }
        if isClosed { return .success(nil) }
        return nil
    }
}
