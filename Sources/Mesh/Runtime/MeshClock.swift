/// The clock the mesh reads for timeouts, keepalives, backoff and latency: any `Clock<Duration>`
/// the node was given, erased so that ``MeshNode`` is not generic over it. Tests hand in a manual
/// clock; `serve` hands in `ContinuousClock`.
public struct MeshClock: Clock {
    /// A point in time, as the time since the clock was wrapped.
    public struct Instant: InstantProtocol {
        var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        static func + (lhs: Instant, rhs: Duration) -> Instant { lhs.advanced(by: rhs) }
        static func - (lhs: Instant, rhs: Instant) -> Duration { rhs.duration(to: lhs) }
    }

    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void
    public let minimumResolution: Duration

    /// Wraps `clock`; its current instant becomes this clock's origin.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { try await clock.sleep(until: clock.now.advanced(by: $0), tolerance: nil) }
        minimumResolution = clock.minimumResolution
    }

    public var now: Instant { Instant(offset: elapsed()) }

    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleeper(now.duration(to: deadline))
    }
}
