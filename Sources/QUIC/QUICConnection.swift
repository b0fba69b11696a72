public import NIOCore

/// One QUIC connection: streams, datagrams and close, usable from any task.
///
/// The engine's state lives on one event loop; each call hops there, so the C library is only ever
/// touched from that thread (spec/hysteria2-and-quic.md §4.6).
public final class QUICConnection: Sendable {
    /// The loop that owns the connection's socket, timers and engine state.
    public let eventLoop: any EventLoop
    /// The peer's UDP address.
    public let remoteAddress: SocketAddress
    private let engine: NIOLoopBound<any QUICConnectionEngine>

    init(engine: NIOLoopBound<any QUICConnectionEngine>, remoteAddress: SocketAddress) {
        self.eventLoop = engine.eventLoop
        self.remoteAddress = remoteAddress
        self.engine = engine
    }

    /// Opens a bidirectional stream, waiting while the peer allows no more (until it raises its
    /// limit with MAX_STREAMS).
    /// - Throws: ``QUICError`` `connectionClosed` after close.
    public func openBidirectionalStream() async throws -> QUICStream {
        QUICStream(id: try await onLoop { $1.openStream(bidirectional: true) }, connection: self)
    }

    /// Opens a unidirectional (send-only) stream, such as an HTTP/3 control stream.
    public func openUnidirectionalStream() async throws -> QUICStream {
        QUICStream(id: try await onLoop { $1.openStream(bidirectional: false) }, connection: self)
    }

    /// Waits for the next stream the peer opens; `nil` once the connection is closed.
    public func acceptStream() async throws -> QUICStream? {
        guard let id = try await onLoop({ $1.acceptStream() }) else { return nil }
        return QUICStream(id: id, connection: self)
    }

    /// Queues one unreliable datagram (RFC 9221). It may be lost; a full queue drops it.
    /// - Throws: ``QUICError`` when the peer does not accept datagrams of this size, or after close.
    public func sendDatagram(_ data: ByteBuffer) async throws {
        try await onLoop { try $1.sendDatagram(data); return $0.eventLoop.makeSucceededVoidFuture() }
    }

    /// Queues the datagrams `make` builds for the largest payload the peer and the current path
    /// take (0 when the peer takes none), without waiting: one hop to the connection's loop, for
    /// senders that fragment to fit. Datagrams that do not fit after all are dropped.
    public func sendDatagrams(fitting make: @escaping @Sendable (_ maximumPayload: Int) -> [ByteBuffer]) {
        _ = onLoopNow { engine in
            let limit = engine.maximumDatagramPayload
            for datagram in make(limit) where datagram.readableBytes <= limit {
                try? engine.sendDatagram(datagram)  // only fails once closed: nothing to send to
            }
            return self.eventLoop.makeSucceededVoidFuture()
        }
    }

    /// The largest datagram payload the peer accepts and the current path carries now.
    public func maximumDatagramPayload() async throws -> Int {
        try await onLoop { $0.eventLoop.makeSucceededFuture($1.maximumDatagramPayload) }
    }

    /// Waits for the next datagram from the peer; `nil` once the connection is closed.
    public func receiveDatagram() async throws -> ByteBuffer? {
        try await onLoop { $1.receiveDatagram() }
    }

    /// The application protocol agreed in the handshake (`h3` for Hysteria 2).
    public func negotiatedALPN() async throws -> String? {
        try await onLoop { $0.eventLoop.makeSucceededFuture($1.negotiatedALPN) }
    }

    /// Closes the connection with application error `errorCode` (0: no error); idempotent.
    public func close(errorCode: UInt64 = 0) async {
        _ = try? await onLoop { $1.close(errorCode: errorCode) }  // close never fails; only the hop could
    }

    /// As ``close(errorCode:)``, from anywhere (a cancellation handler, a callback), without
    /// waiting: the close runs on the connection's loop.
    public func closeNow(errorCode: UInt64 = 0) {
        _ = onLoopNow { $0.close(errorCode: errorCode) }
    }

    func read(stream: Int64) async throws -> ByteBuffer? {
        try await onLoop { $1.read(stream: stream) }
    }

    func reset(stream: Int64, errorCode: UInt64) async {
        _ = try? await onLoop { $1.reset(stream: stream, errorCode: errorCode); return $0.eventLoop.makeSucceededVoidFuture() }
    }

    func write(_ data: ByteBuffer, stream: Int64, finish: Bool) async throws {
        try await onLoop { $1.write(data, stream: stream, finish: finish) }
    }

    /// Runs `body` on the engine's loop, at once when already there (no task hop for channel
    /// handlers sharing the loop).
    func onLoopNow<T: Sendable>(_ body: @escaping @Sendable (any QUICConnectionEngine) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if eventLoop.inEventLoop { return body(engine.value) }
        return eventLoop.flatSubmit { [engine] in body(engine.value) }
    }

    /// Runs `body` on the engine's loop and waits for the future it returns.
    private func onLoop<T: Sendable>(
        _ body: @escaping @Sendable (QUICConnection, any QUICConnectionEngine) throws -> EventLoopFuture<T>
    ) async throws -> T {
        try await eventLoop.flatSubmit { [self] in
            do {
                return try body(self, engine.value)
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }.get()
    }
}
