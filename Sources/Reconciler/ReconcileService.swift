public import Logging
public import ServiceLifecycle
import UnixSignals

/// The reconcile loop as a long-running service: runs at start-up, on every trigger, on SIGHUP
/// and on a periodic drift check; on graceful shutdown it tears down what the drivers own.
///
/// Level-triggered: a trigger says only "look again"; each run recomputes desired against
/// observed from scratch. One run at a time; triggers during a run cause exactly one more.
public struct ReconcileService<Config: Sendable, C: Clock<Duration>>: Service {
    /// The engine this loop drives.
    public let reconciler: Reconciler<Config>
    /// Where the file watcher and the API ask for a run.
    public let trigger: ReconcileTrigger
    private let driftInterval: Duration
    private let clock: C
    private let handlesSIGHUP: Bool
    private let tearsDownOnShutdown: Bool
    private let logger: Logger

    /// - Parameters:
    ///   - driftInterval: how often to re-check the system even without a trigger.
    ///   - handlesSIGHUP: whether SIGHUP triggers a run (the daemon: yes; tests: no).
    ///   - tearsDownOnShutdown: whether graceful shutdown reconciles towards nothing.
    public init(reconciler: Reconciler<Config>, trigger: ReconcileTrigger = ReconcileTrigger(),
                driftInterval: Duration = .seconds(30), clock: C, handlesSIGHUP: Bool = true,
                tearsDownOnShutdown: Bool = true, logger: Logger) {
        self.reconciler = reconciler
        self.trigger = trigger
        self.driftInterval = driftInterval
        self.clock = clock
        self.handlesSIGHUP = handlesSIGHUP
        self.tearsDownOnShutdown = tearsDownOnShutdown
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let trigger = self.trigger
        // Trap SIGHUP before the first run, so a reload request right after start-up never
        // meets the default action (terminate).
        let hangups = handlesSIGHUP ? await UnixSignalsSequence(trapping: .sighup) : nil
        await withDiscardingTaskGroup { group in
            group.addTask { [clock, driftInterval] in
                while (try? await clock.sleep(for: driftInterval)) != nil {  // nil: cancelled, stop
                    trigger.request()
                }
            }
            if let hangups {
                group.addTask { [logger] in
                    for await _ in hangups.cancelOnGracefulShutdown() {
                        logger.info("SIGHUP: reconcile requested")
                        trigger.request()
                    }
                }
            }
            trigger.request()  // start-up
            for await _ in trigger.requests.cancelOnGracefulShutdown() {
                let waiters = trigger.takeWaiters()
                let report = await reconciler.reconcile()
                for waiter in waiters { waiter.resume(returning: report) }
            }
            trigger.finish()
            group.cancelAll()
        }
        if tearsDownOnShutdown {
            logger.info("removing what this node created")
            await reconciler.teardown()
        }
    }
}
