public import ServiceLifecycle

/// Gives the memory of ended flows, and of replaced configurations, back to the system once the
/// load has dropped.
///
/// The node keeps freed memory in its allocator's heaps (MallocTuning in the executable keeps up
/// to 64 MiB per heap, so a relay does not hand buffers back and fault them in again on every
/// read); after a spike of thousands of flows that memory would otherwise stay resident for
/// good (the soak test saw 125 MiB held after 5,000 flows ended). Every `interval` this looks at
/// the number of live flows and calls `trim` once it has fallen to half of its peak since the
/// last trim (a peak between two looks counts too): never under steady load, once per drop.
/// Edits do the same to a large file's node: each one frees the revision before it, which the
/// allocator would keep for the next edit's peak (tens of MiB at 10,000 users), so a new
/// configuration revision also leads to one trim, at the first look that finds no newer one.
public struct HeapTrim<C: Clock>: Service where C.Duration == Duration {
    /// Time between two looks at the flow count.
    public static var defaultInterval: Duration { .seconds(30) }

    private let interval: Duration
    private let clock: C
    private let flows: @Sendable () -> (live: Int, highWater: Int)
    private let revision: @Sendable () async -> String?
    private let trim: @Sendable () -> Void

    /// - Parameters:
    ///   - flows: the number of flows open now, and the most there were at once since the last
    ///     call (cheap: called once per interval).
    ///   - revision: the revision of the configuration in force.
    ///   - trim: returns freed heap memory to the system (glibc's `malloc_trim`).
    public init(interval: Duration = Self.defaultInterval, clock: C,
                flows: @escaping @Sendable () -> (live: Int, highWater: Int),
                revision: @escaping @Sendable () async -> String? = { nil }, trim: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.clock = clock
        self.flows = flows
        self.revision = revision
        self.trim = trim
    }

    /// Looks at the flow count of `gate`.
    public init(gate: InboundGate, clock: C, revision: @escaping @Sendable () async -> String?,
                trim: @escaping @Sendable () -> Void) {
        self.init(clock: clock, flows: { (gate.liveFlowCount, gate.takeFlowHighWater()) }, revision: revision, trim: trim)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var policy = HeapTrimPolicy()
            while (try? await clock.sleep(for: interval)) != nil {  // nil: cancelled, stop
                let (live, highWater) = flows()
                let afterFlows = policy.shouldTrim(liveFlows: live, highWater: highWater)
                let afterEdits = policy.shouldTrim(configRevision: await revision())
                if afterFlows || afterEdits { trim() }
            }
        }
    }
}

/// When to trim: the decision of ``HeapTrim``, apart from its clock.
package struct HeapTrimPolicy {
    /// Drops from fewer flows than this are not worth a trim: they free little.
    package static let minimumPeak = 256

    /// The most flows seen since the last trim (or the start).
    private(set) var peak = 0
    /// The configuration revision of the last look, and whether it was new then.
    private var revision: String?
    private var revisionIsNew = false

    package init() {}

    /// Records one look: the flows open now, and the most open at once since the last look;
    /// true when the heap should be trimmed now.
    package mutating func shouldTrim(liveFlows: Int, highWater: Int? = nil) -> Bool {
        peak = max(peak, liveFlows, highWater ?? liveFlows)
        guard peak >= Self.minimumPeak, liveFlows <= peak / 2 else { return false }
        peak = liveFlows
        return true
    }

    /// Records the configuration revision in force at one look; true at the first look after a
    /// change that finds no newer one, so a run of edits leads to one trim once it is over.
    package mutating func shouldTrim(configRevision: String?) -> Bool {
        if configRevision != revision {
            revision = configRevision
            revisionIsNew = true
            return false
        }
        defer { revisionIsNew = false }
        return revisionIsNew
    }
}
