import MeshWire
import NIOCore
import QUIC
import Synchronization

/// Our side of a peer that dialled us. Hysteria 2 lets only the client open streams, so each
/// stream we want towards it is a dial request on the control stream it opened, answered by a
/// `_relay_data_<id>:0` stream it opens back (§4.1).
final class InboundLink: Sendable {
    /// How long a request waits for its data stream; v1.3 answers nothing on failure (§3.2).
    static let answerTimeout = Duration.seconds(10)

    let connection: QUICConnection
    private let state = Mutex(State())

    private struct State {
        var control: QUICStream?
        var waiting: [String: CheckedContinuation<QUICStream, any Error>] = [:]
        var isClosed = false
    }

    init(connection: QUICConnection) {
        self.connection = connection
    }

    /// Takes the control stream the peer opened on this connection (§3.2).
    func attachControl(_ stream: QUICStream) {
        state.withLock { $0.control = stream }
    }

    var hasControl: Bool { state.withLock { $0.control != nil } }

    /// Asks the peer to open `address` for us and waits for its data stream.
    /// - Throws: ``MeshRouteError`` when there is no control stream, the link closed, or no
    ///   answer came within ``answerTimeout``.
    func request(_ address: String, id: DialRequestID) async throws -> QUICStream {
        guard let control = state.withLock({ $0.isClosed ? nil : $0.control }) else {
            throw MeshRouteError.noControlStream
        }
        var frame = ByteBuffer()
        try DialRequest(id: id, address: address).encode(into: &frame)
        let key = id.text
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: Self.answerTimeout)) != nil else { return }
            self?.resolve(key, with: .failure(MeshRouteError.noAnswer(address)))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state in
                guard !state.isClosed else { return false }
                state.waiting[key] = continuation
                return true
            }
            guard accepted else { return continuation.resume(throwing: MeshRouteError.linkClosed) }
            // Whole frames never interleave: the QUIC send queue appends each write at once.
            control.writeFuture(frame).whenFailure { [weak self] error in
                self?.resolve(key, with: .failure(error))
            }
        }
    }

    /// Hands a data stream to the request it answers; false when nobody waits for `id` (late or
    /// unknown), and the caller closes it.
    func deliver(_ stream: QUICStream, id: DialRequestID) -> Bool {
        resolve(id.text, with: .success(stream))
    }

    @discardableResult
    private func resolve(_ key: String, with result: Result<QUICStream, any Error>) -> Bool {
        guard let waiter = state.withLock({ $0.waiting.removeValue(forKey: key) }) else { return false }
        waiter.resume(with: result)
        return true
    }

    /// Fails every waiting request; the session ended.
    func close() {
        let waiters = state.withLock { state in
            state.isClosed = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.resume(throwing: MeshRouteError.linkClosed) }
    }
}
