public import Logging
public import ServiceLifecycle

/// The service that makes ``TrafficCounters`` durable: every `interval` it commits the pending
/// increments in one transaction, and once more when it stops.
///
/// Flushes keep a fixed period (each is due an interval after the previous one was due, not
/// after it finished), so the time between two commits does not grow by the time a commit takes.
///
/// A crash loses at most the increments of one interval (see ``TrafficCounters``). Put it early
/// in the `ServiceGroup` so that, shutting down in reverse order, it stops after the services
/// that count traffic and its final flush sees their last bytes.
public struct TrafficFlusher: Service {
    /// The default time between flushes.
    public static let defaultInterval: Duration = .seconds(2)

    private let counters: TrafficCounters
    private let interval: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let didFlush: @Sendable ([String: TrafficTotals]) -> Void

    /// Creates the flusher.
    ///
    /// - Parameters:
    ///   - counters: The counters to flush.
    ///   - interval: Time between flushes; ``defaultInterval`` (2 s) unless told. Must be positive
    ///     (a precondition: callers validate configured values first).
    ///   - clock: The clock that paces flushes; tests pass a manual one.
    ///   - logger: Where failed flushes are reported.
    ///   - didFlush: Called after each successful flush that committed something, with what it
    ///     committed. Runs on the flusher's task; keep it short.
    public init(
        counters: TrafficCounters,
        interval: Duration = TrafficFlusher.defaultInterval,
        clock: some Clock<Duration> = ContinuousClock(),
        logger: Logger,
        didFlush: @escaping @Sendable ([String: TrafficTotals]) -> Void = { _ in }
    ) {
        precondition(interval > .zero, "flush interval must be positive")
        self.counters = counters
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.didFlush = didFlush
    }

    /// Flushes every interval until cancelled or told to shut down gracefully, then flushes once
    /// more and returns.
    ///
    /// A failed periodic flush is logged and retried at the next tick with the same increments.
    /// - Throws: the error of the final flush, if it fails (those increments are then lost).
    public func run() async throws {
        await cancelWhenGracefulShutdown { await flushPeriodically(clock: clock) }
        // Synchronous, so it completes even though this task may be cancelled.
        do {
            let committed = try counters.flush()
            if !committed.isEmpty { didFlush(committed) }
            logger.debug("traffic.flush final flush done")
        } catch {
            logger.error("traffic.flush final flush failed; counts since the last flush are lost", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// Flushes at `start + k × interval` until cancelled. A flush that falls behind (a stalled
    /// machine) does not cause a burst to catch up: the next one is due an interval from now.
    private func flushPeriodically<C: Clock<Duration>>(clock: C) async {
        var due = clock.now.advanced(by: interval)
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: due, tolerance: nil)
            } catch {
                return  // cancelled: the final flush in run() still runs
            }
            do {
                let committed = try counters.flush()
                if !committed.isEmpty { didFlush(committed) }
            } catch {
                logger.warning("traffic.flush failed; retrying next interval", metadata: ["error": "\(error)"])
            }
            due = due.advanced(by: interval)
            if due < clock.now { due = clock.now.advanced(by: interval) }
        }
    }
}
