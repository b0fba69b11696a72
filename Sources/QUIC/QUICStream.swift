public import NIOCore

/// One QUIC stream of a ``QUICConnection``: ordered, reliable bytes with FIN.
///
/// Reading hands flow-control credit back to the peer, so a stream nobody reads stops the sender.
/// One reader and one writer at a time.
public struct QUICStream: Sendable {
    /// The QUIC stream ID (RFC 9000 §2.1): bit 0 set = server-initiated, bit 1 set = unidirectional.
    public let id: Int64
    /// The connection the stream belongs to.
    public let connection: QUICConnection

    /// Whether the stream carries bytes one way only.
    public var isUnidirectional: Bool { id & 0x2 != 0 }

    /// The next bytes from the peer, or `nil` once it has finished the stream.
    /// - Throws: ``QUICError`` `streamReset` if the peer reset it, `connectionClosed` after close.
    public func read() async throws -> ByteBuffer? {
        try await connection.read(stream: id)
    }

    /// Sends `data`, then FIN when `finish`; returns once no more than the send buffer
    /// (``QUICConfiguration/streamSendBuffer``) waits to be sent, and the FIN was sent if asked.
    public func write(_ data: ByteBuffer, finish: Bool = false) async throws {
        try await connection.write(data, stream: id, finish: finish)
    }

    /// Abandons the stream in both directions (RESET_STREAM and STOP_SENDING with `errorCode`):
    /// unsent bytes are dropped and the peer stops sending.
    public func reset(errorCode: UInt64 = 0) async {
        await connection.reset(stream: id, errorCode: errorCode)
    }

    /// As ``read()``, as a future on the connection's event loop; called there, it runs at once.
    /// For channel handlers that share the loop and relay without a task hop.
    public func readFuture() -> EventLoopFuture<ByteBuffer?> {
        connection.onLoopNow { [id] in $0.read(stream: id) }
    }

    /// As ``write(_:finish:)``, as a future on the connection's event loop; it completes once the
    /// send buffer has room again, which is the back-pressure.
    public func writeFuture(_ data: ByteBuffer, finish: Bool = false) -> EventLoopFuture<Void> {
        connection.onLoopNow { [id] in $0.write(data, stream: id, finish: finish) }
    }

    /// As ``reset(errorCode:)``, from the connection's event loop or anywhere, without waiting.
    public func resetNow(errorCode: UInt64 = 0) {
        _ = connection.onLoopNow { [id] engine in
            engine.reset(stream: id, errorCode: errorCode)
            return connection.eventLoop.makeSucceededVoidFuture()
        }
    }

    /// Ends our side of the stream (FIN).
    public func finish() async throws {
        try await connection.write(ByteBuffer(), stream: id, finish: true)
    }
}
