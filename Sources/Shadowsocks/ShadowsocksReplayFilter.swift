import Synchronization

/// Remembers request salts so a recorded session cannot be replayed (SIP022 §3.1.5: every
/// salt for 60 s; classic AEAD has no timestamps, so this only narrows its replay window).
///
/// Two generations of exact sets (no Bloom filter: SIP022 forbids false positives). Salts go
/// into the current one; when it is `window` seconds old it becomes the previous one and the
/// old previous one is dropped, so a salt is remembered between one and two windows. Memory is
/// bounded: a generation that reaches `capacity` salts rotates early, which under a flood can
/// forget a salt before its window ends; the capacity is sized far above honest traffic.
/// Shared by all connections of a listener; a `Mutex` guards it.
public final class ShadowsocksReplayFilter: Sendable {
    private struct State {
        var current: Set<SaltKey> = []
        var previous: Set<SaltKey> = []
        var currentStart: UInt64 = 0
    }

    private let state: Mutex<State>
    private let window: UInt64
    private let capacity: Int

    /// - Parameters:
    ///   - window: seconds each generation lasts; 60 meets SIP022.
    ///   - capacity: salts per generation (at most 2 × 48 bytes each, plus set overhead).
    public init(window: UInt64 = 60, capacity: Int = 1 << 17) {
        self.window = max(1, window)
        self.capacity = max(1, capacity)
        state = Mutex(State())
    }

    /// Records `salt` seen at `now` (Unix seconds); `false` when it was already recorded.
    public func insert(_ salt: some Collection<UInt8>, now: UInt64) -> Bool {
        let key = SaltKey(salt)
        return state.withLock { state in
            rotate(&state, now: now)
            if state.previous.contains(key) { return false }
            guard state.current.insert(key).inserted else { return false }
            return true
        }
    }

    /// How many salts are remembered (both generations).
    public var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    private func rotate(_ state: inout State, now: UInt64) {
        let age = now >= state.currentStart ? now - state.currentStart : 0
        if age >= 2 * window {
            state.previous = []
            state.current = []
            state.currentStart = now
        } else if age >= window || state.current.count >= capacity {
            state.previous = state.current
            state.current = []
            state.currentStart = now
        }
    }
}

/// A salt of up to 32 bytes as four words: hashing and storing it needs no allocation.
private struct SaltKey: Hashable {
    package var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    package var count: Int

    package init(_ salt: some Collection<UInt8>) {
        count = salt.count
        withUnsafeMutableBytes(of: &words) { storage in
            for (index, byte) in salt.prefix(storage.count).enumerated() { storage[index] = byte }
        }
    }

    package static func == (lhs: SaltKey, rhs: SaltKey) -> Bool {
        lhs.count == rhs.count && lhs.words == rhs.words
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
        hasher.combine(count)
    }
}
