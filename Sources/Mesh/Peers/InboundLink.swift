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
    private let clock: MeshClock
    private let state = Mutex(State())

    private struct State {
        var control: QUICStream?
        var waiting: [String: CheckedContinuation<QUICStream, any Error>] = [:]
        var isClosed = false
    }

    init(connection: QUICConnection, clock: MeshClock) {
        self.connection = connection
        self.clock = clock
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
        // The wait does not end on cancellation; the timer ends it, at the limit or when the
        // caller is cancelled, and the answer (or any other end) cancels the timer.
        return try await withThrowingTaskGroup(of: QUICStream?.self) { group in
            group.addTask { [frame] in try await self.wait(for: key, sending: frame, on: control) }
            group.addTask {
                let failure: any Error
                do {
                    try await self.clock.sleep(for: Self.answerTimeout)
                    failure = MeshRouteError.noAnswer(address)
                } catch {
                    failure = error
                }
                self.resolve(key, with: .failure(failure))
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let stream = next { return stream }
            }
            throw MeshRouteError.noAnswer(address)  // unreachable: the wait ends the group first
        }
    }

    /// Registers the wait for request `key`, writes its frame, and returns the data stream
    /// that answers it.
    private func wait(for key: String, sending frame: ByteBuffer, on control: QUICStream) async throws -> QUICStream {
        try await withCheckedThrowingContinuation { continuation in
            let refusal = state.withLock { state -> (any Error)? in
                guard !state.isClosed else { return MeshRouteError.linkClosed }
                guard !Task.isCancelled else { return CancellationError() }  // the timer may have gone already
                state.waiting[key] = continuation
                return nil
            }
            if let refusal { return continuation.resume(throwing: refusal) }
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
