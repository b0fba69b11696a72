import Synchronization

/// The outcome of an operation running as a child of the node's work (``NodeWork/start(_:)``),
/// which several callers may wait for; a wait ends on cancellation without ending the operation.
final class Pending<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Value, any Error>?
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Result<Value, any Error>, Never>] = [:]
        /// Set when a caller gave up on the value: it releases a value that comes later.
        var discard: (@Sendable (Value) -> Void)?
    }

    private let state = Mutex(State())

    /// Records the outcome and wakes the waiters; a success nobody wants any more is discarded.
    func complete(_ outcome: Result<Value, any Error>) {
        let (waiters, discard) = state.withLock { state in
            state.outcome = outcome
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), state.discard)
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
        if let discard, case .success(let late) = outcome { discard(late) }
    }

    /// The outcome, once there is one; `CancellationError` when the waiting task is cancelled.
    func result() async -> Result<Value, any Error> {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, any Error>, Never>) in
                let ready = state.withLock { state -> Result<Value, any Error>? in
                    if let outcome = state.outcome { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: .failure(CancellationError()))
        }
    }

    /// Gives up on the value: `discard` releases it if it comes, now or later.
    func abandon(discard: @escaping @Sendable (Value) -> Void) {
        let late = state.withLock { state -> Value? in
            guard let outcome = state.outcome else {
                state.discard = discard
                return nil
            }
            return try? outcome.get()  // a failure has nothing to release
        }
        if let late { discard(late) }
    }
}
