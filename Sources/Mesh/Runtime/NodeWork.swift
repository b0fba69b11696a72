import Synchronization

/// The background work of one node — outbound sessions, the discovery refresher, datagram pumps,
/// and operations that outlive the caller's wait (a raced dial's losers, a timed-out QUIC wait) —
/// as children of one task group that ``MeshNode/run()`` owns.
///
/// Work handed over before the group runs waits for it. Once the group has ended, ``submit(_:)``
/// refuses new work; work that was waiting still runs, cancelled, so whoever awaits it hears back.
final class NodeWork: Sendable {
    typealias Item = @Sendable () async -> Void

    private struct State {
        var pending: [Item] = []
        var taker: CheckedContinuation<Item?, Never>?
        var isClosed = false
    }

    /// The clock every timeout, backoff and measurement of the node reads.
    let clock: MeshClock
    private let state = Mutex(State())

    init(clock: MeshClock) {
        self.clock = clock
    }

    /// Starts `item` as a child of the node's group; false once the group has ended.
    @discardableResult
    func submit(_ item: @escaping Item) -> Bool {
        let (accepted, taker) = state.withLock { state -> (Bool, CheckedContinuation<Item?, Never>?) in
            guard !state.isClosed else { return (false, nil) }
            if let taker = state.taker {
                state.taker = nil
                return (true, taker)
            }
            state.pending.append(item)
            return (true, nil)
        }
        taker?.resume(returning: item)
        return accepted
    }

    /// Runs submitted work as children until the task is cancelled, then cancels the children
    /// and returns once every one has ended.
    func run() async {
        await withDiscardingTaskGroup { group in
            while let item = await next() {
                group.addTask { await item() }
            }
            group.cancelAll()
            for item in close() { group.addTask { await item() } }
        }
    }

    private func next() async -> Item? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
                let item = state.withLock { state -> Item?? in
                    if Task.isCancelled || state.isClosed { return .some(nil) }
                    if !state.pending.isEmpty { return .some(state.pending.removeFirst()) }
                    state.taker = continuation
                    return .none
                }
                if let item { continuation.resume(returning: item) }
            }
        } onCancel: {
            state.withLock { state in defer { state.taker = nil }; return state.taker }?.resume(returning: nil)
        }
    }

    /// Refuses new work and hands back what was still waiting.
    private func close() -> [Item] {
        state.withLock { state in
            state.isClosed = true
            defer { state.pending.removeAll() }
            return state.pending
        }
    }
}
