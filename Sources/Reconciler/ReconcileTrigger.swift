import Synchronization

/// Asks for a reconcile. Requests carry no payload and collapse: any number of them while a run
/// is under way cause exactly one more run (a "dirty" flag, STYLE §2).
///
/// Safe to call from anywhere: the file watcher, the SIGHUP handler, the drift timer, the API.
public final class ReconcileTrigger: Sendable {
    private struct State {
        /// Callers of ``requestAndWait()`` not yet picked up by a run.
        var waiters: [CheckedContinuation<ReconcileReport?, Never>] = []
        var isFinished = false
    }

    private let state = Mutex(State())
    private let continuation: AsyncStream<Void>.Continuation
    /// One element per pending run; at most one is ever buffered.
    let requests: AsyncStream<Void>

    public init() {
        (requests, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Marks the configuration dirty; returns at once.
    public func request() {
        continuation.yield()
    }

    /// Marks the configuration dirty and waits for the report of a run that started after this
    /// call, so it saw every change made before it. `nil` when the reconciler stopped first.
    public func requestAndWait() async -> ReconcileReport? {
        await withCheckedContinuation { (waiter: CheckedContinuation<ReconcileReport?, Never>) in
            let accepted = state.withLock { s -> Bool in
                guard !s.isFinished else { return false }
                s.waiters.append(waiter)
                return true
            }
            if accepted { continuation.yield() } else { waiter.resume(returning: nil) }
        }
    }

    /// Callers waiting for a run (for tests).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Called as a run starts: the callers this run will answer.
    func takeWaiters() -> [CheckedContinuation<ReconcileReport?, Never>] {
        state.withLock { s in
            defer { s.waiters = [] }
            return s.waiters
        }
    }

    /// Called when the loop stops: answers everyone still waiting, and refuses later waits.
    func finish() {
        let left = state.withLock { s in
            s.isFinished = true
            defer { s.waiters = [] }
            return s.waiters
        }
        continuation.finish()
        for waiter in left { waiter.resume(returning: nil) }
    }
}
