public import Logging

/// Converges the system towards the configuration: reads it, and for every driver observes,
/// diffs and applies. One run at a time (actor isolation); every run starts from scratch.
///
/// An invalid file is never applied, not even in part: the last valid configuration stays in
/// force (drift is still repaired towards it) and the problems are kept in ``status``.
public actor Reconciler<Config: Sendable> {
    private let source: any ConfigSource<Config>
    private let drivers: [AnyDriver<Config>]
    private let logger: Logger
    private var inForce: (config: Config, revision: String)?
    private var lastReport = ReconcileReport(revision: nil)
    private var lastRefusedRevision: String?

    /// - Parameters:
    ///   - drivers: applied in this order (dependencies first).
    public init(source: some ConfigSource<Config>, drivers: [AnyDriver<Config>], logger: Logger) {
        self.source = source
        self.drivers = drivers
        self.logger = logger
    }

    /// The report of the latest run.
    public var status: ReconcileReport { lastReport }

    /// The configuration in force, if a valid one was ever loaded.
    public var configuration: Config? { inForce?.config }

    /// Reads the configuration and converges every kind towards it.
    @discardableResult
    public func reconcile() async -> ReconcileReport {
        var problems: [String] = []
        switch await source.load() {
        case .valid(let config, let revision):
            if inForce?.revision != revision {
                logger.info("config accepted", metadata: ["config.revision": "\(revision)"])
            }
            inForce = (config, revision)
            lastRefusedRevision = nil
        case .invalid(let revision, let found):
            problems = found
            if revision == nil || revision != lastRefusedRevision {
                lastRefusedRevision = revision
                logger.error("config refused; the last valid one stays in force", metadata: [
                    "config.problems": "\(found.count)", "config.first_problem": "\(found.first ?? "")",
                ])
            }
        }
        var kinds: [KindReport] = []
        if let config = inForce?.config {
            for driver in drivers { kinds.append(await driver.reconcile(towards: config)) }
        }
        let report = ReconcileReport(revision: inForce?.revision, problems: problems, kinds: kinds)
        log(report)
        logger.debug("reconcile finished", metadata: [
            "reconcile.changes": "\(report.changes.count)", "reconcile.failures": "\(report.failures.count)",
        ])
        lastReport = report
        return report
    }

    /// What a reconcile would change now, per kind, without changing anything.
    public func plan() async -> ReconcileReport {
        switch await source.load() {
        case .invalid(let revision, let problems):
            return ReconcileReport(revision: revision, problems: problems)
        case .valid(let config, let revision):
            return ReconcileReport(revision: revision, kinds: await plan(towards: config))
        }
    }

    /// What a reconcile would change if `candidate` were the file (a text edited in the web UI,
    /// not yet saved), per kind, without changing anything.
    public func plan(towards candidate: Config) async -> [KindReport] {
        var kinds: [KindReport] = []
        for driver in drivers {
            do {
                kinds.append(KindReport(kind: driver.kind, applied: try await driver.plan(for: candidate)))
            } catch {
                kinds.append(KindReport(kind: driver.kind, failed: ["observe failed: \(error)"]))
            }
        }
        return kinds
    }

    /// Removes everything the drivers own: a reconcile towards an empty desired state, in reverse
    /// driver order (DESIGN invariant 6).
    @discardableResult
    public func teardown() async -> ReconcileReport {
        var kinds: [KindReport] = []
        for driver in drivers.reversed() { kinds.append(await driver.reconcile(towards: nil)) }
        let report = ReconcileReport(revision: nil, kinds: kinds)
        log(report)
        lastReport = report
        return report
    }

    private func log(_ report: ReconcileReport) {
        for line in report.changes { logger.info("reconcile applied", metadata: ["reconcile.change": "\(line)"]) }
        for line in report.failures {
            logger.warning("reconcile failed; retrying on the next run", metadata: ["reconcile.failure": "\(line)"])
        }
    }
}
