extension NodeWork {
    /// Starts `operation` as a child of the node's work; its outcome can be awaited by anyone.
    /// When the node's work has ended, the outcome is `CancellationError` at once.
    func start<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) -> Pending<Value> {
        let pending = Pending<Value>()
        let started = submit {
            do { pending.complete(.success(try await operation())) } catch { pending.complete(.failure(error)) }
        }
        if !started { pending.complete(.failure(CancellationError())) }
        return pending
    }

    /// Runs `operation` and returns its result, or throws ``MeshStreamError/timedOut(_:)`` once
    /// `limit` passes on the node's clock, whichever is first.
    ///
    /// QUIC waits are not cancellable, so a late operation is not abandoned mid-way: it finishes
    /// as a child of the node's work and `discard` releases what it produced (closes the stream
    /// it opened).
    func firstWithin<Value: Sendable>(
        _ limit: Duration, _ what: String,
        discard: @escaping @Sendable (Value) -> Void = { _ in },
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await start(operation).value(within: limit, what, on: clock, discard: discard)
    }
}

extension Pending {
    /// The value, or ``MeshStreamError/timedOut(_:)`` once `limit` passes on `clock`; a value
    /// that comes later goes to `discard`.
    func value(within limit: Duration, _ what: String, on clock: MeshClock,
               discard: @escaping @Sendable (Value) -> Void = { _ in }) async throws -> Value {
        let outcome = await withTaskGroup(of: Result<Value, any Error>?.self) { group in
            group.addTask { await self.result() }
            group.addTask {
                guard (try? await clock.sleep(for: limit)) != nil else { return nil }  // cancelled: the result came first
                return .failure(MeshStreamError.timedOut(what))
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let next { return next }
            }
            return .failure(CancellationError())
        }
        // A failure of our own (the limit, or the caller's cancellation) leaves the operation
        // running; one of the operation's own leaves nothing to release.
        if case .failure = outcome { abandon(discard: discard) }
        return try outcome.get()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
