public import Foundation
import Synchronization

/// Per-user traffic counters: cheap in-memory increments on the data path, made durable in
/// batches by ``TrafficFlusher``.
///
/// Loss window: increments live only in memory until the next flush commits them, so a crash
/// (`kill -9`, OOM kill) loses at most the increments of one flush interval; everything an
/// earlier flush committed survives (see ``StateStore`` on WAL durability). A graceful shutdown
/// flushes once more and loses nothing.
///
/// All methods are safe from any thread. ``add(user:up:down:)`` takes one short lock and does no
/// I/O; ``flush()`` and the reset methods write to the store and must not run on an event loop.
public final class TrafficCounters: Sendable {
    /// In-memory view; guarded by `state`.
    private struct State {
        /// What the store holds, mirrored so reads need no I/O. Updated only after a commit.
        var committed: [String: TrafficTotals]
        /// Taken out of `pending` by a flush that has not committed yet.
        var inFlight: [String: TrafficTotals] = [:]
        /// Increments since the last flush began.
        var pending: [String: TrafficTotals] = [:]
    }

    /// Where the counters are made durable.
    public let store: StateStore
    private let state: Mutex<State>
    /// Serializes flushes and resets, so a reset cannot be undone by a flush that drained its
    /// user's increments before the reset and commits them after.
    private let writer = Mutex(())

    /// Loads the stored counters from `store`.
    public init(store: StateStore) throws {
        self.store = store
        self.state = Mutex(State(committed: try store.allTraffic()))
    }

    /// The key a WireGuard peer's device bytes are counted under, beside the users' ids: by its
    /// public key (base64), which stays when the peer is renamed.
    public static func wireGuardPeerKey(publicKey: String) -> String { "wireguard-peer:\(publicKey)" }

    /// Counts `up` and `down` bytes for `user`. The data-path call: one short lock, no I/O.
    public func add(user: String, up: UInt64 = 0, down: UInt64 = 0) {
        guard up != 0 || down != 0 else { return }
        let delta = TrafficTotals(up: up, down: down)
        state.withLock { $0.pending[user, default: .zero] += delta }
    }

    /// Everything counted for `user`: committed, being committed, and not yet flushed.
    public func total(for user: String) -> TrafficTotals {
        state.withLock { s in
            (s.committed[user] ?? .zero) + (s.inFlight[user] ?? .zero) + (s.pending[user] ?? .zero)
        }
    }

    /// What the store holds for `user`, as of the last completed flush or reset.
    public func committedTotal(for user: String) -> TrafficTotals {
        state.withLock { $0.committed[user] ?? .zero }
    }

    /// Everything counted, per user (committed + in flight + pending).
    public func totals() -> [String: TrafficTotals] {
        state.withLock { s in
            var all = s.committed
            for (user, delta) in s.inFlight { all[user, default: .zero] += delta }
            for (user, delta) in s.pending { all[user, default: .zero] += delta }
            return all
        }
    }

    /// Commits all pending increments to the store in one transaction.
    ///
    /// On failure the increments go back to pending and are retried by the next flush.
    /// - Returns: what was committed (empty if there was nothing to do).
    @discardableResult
    public func flush() throws -> [String: TrafficTotals] {
        try writer.withLock { _ in
            let batch = state.withLock { s in
                s.inFlight = s.pending
                s.pending = [:]
                return s.inFlight
            }
            guard !batch.isEmpty else { return [:] }
            do {
                try store.addTraffic(batch)
            } catch {
                state.withLock { s in
                    for (user, delta) in s.inFlight { s.pending[user, default: .zero] += delta }
                    s.inFlight = [:]
                }
                throw error
            }
            state.withLock { s in
                for (user, delta) in s.inFlight { s.committed[user, default: .zero] += delta }
                s.inFlight = [:]
            }
            return batch
        }
    }

    /// Sets `user`'s counters to zero, in memory and in the store. Increments counted after this
    /// call returns are kept.
    public func reset(user: String) throws {
        try writer.withLock { _ in
            try store.resetTraffic(for: user)
            state.withLock { s in
                s.committed[user] = nil
                s.pending[user] = nil
            }
        }
    }

    /// Sets every user's counters to zero, in memory and in the store.
    public func resetAll() throws {
        try writer.withLock { _ in
            try store.resetAllTraffic()
            state.withLock { s in
                s.committed = [:]
                s.pending = [:]
            }
        }
    }

    /// Replaces the store's rows with a backup's (``StateStore/replaceContents(withDatabaseAt:)``)
    /// and the in-memory counters with what it holds; increments not yet flushed are dropped,
    /// since the restored figures replace the current ones.
    public func restore(fromDatabaseAt url: URL) throws {
        try writer.withLock { _ in
            try store.replaceContents(withDatabaseAt: url)
            let restored = try store.allTraffic()
            state.withLock { s in
                s.committed = restored
                s.pending = [:]
            }
        }
    }
}
