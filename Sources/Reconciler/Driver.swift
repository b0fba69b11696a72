/// Converges one kind of resource: computes what the config wants, reads back what exists, and
/// applies a plan.
///
/// `desired(for:)` is pure. `observe()` reads only objects this project owns (DESIGN invariant 6).
/// `apply(_:)` decides nothing: it carries out the plan, reports each change's outcome and goes
/// on with independent changes after a failure. Applying the plan of `diff(desired:observed:)`
/// and diffing again gives an empty plan (idempotence).
public protocol Driver<Config>: Sendable {
    associatedtype Config: Sendable
    associatedtype R: Resource

    /// Names the kind in plans and logs: `listeners`, `nftables`, `routes`.
    var kind: String { get }

    /// What `config` wants to exist.
    func desired(for config: Config) -> [R]

    /// What exists now, owned by us.
    func observe() async throws -> [R]

    /// Carries out `plan`; one outcome per change, in plan order.
    func apply(_ plan: Plan<R>) async -> [Outcome<R>]
}

/// A driver with its resource type hidden, so the reconciler can hold drivers of every kind.
public struct AnyDriver<Config: Sendable>: Sendable {
    /// The driver's ``Driver/kind``.
    public let kind: String
    private let planLines: @Sendable (Config?) async throws -> [String]
    private let converge: @Sendable (Config?) async -> KindReport

    /// Wraps `driver`, whose input is the whole config.
    public init<D: Driver>(_ driver: D) where D.Config == Config {
        self.init(driver, input: { $0 })
    }

    /// Wraps `driver`, whose input `input` takes from the config: drivers take their own types,
    /// and the node maps its config onto them in one place.
    public init<D: Driver>(_ driver: D, input: @escaping @Sendable (Config) -> D.Config) {
        kind = driver.kind
        planLines = { config in
            let plan = diff(desired: config.map { driver.desired(for: input($0)) } ?? [], observed: try await driver.observe())
            return plan.changes.map(\.description)
        }
        converge = { config in
            do {
                let plan = diff(desired: config.map { driver.desired(for: input($0)) } ?? [], observed: try await driver.observe())
                guard !plan.isEmpty else { return KindReport(kind: driver.kind) }
                let outcomes = await driver.apply(plan)
                return KindReport(kind: driver.kind,
                                  applied: outcomes.filter { !$0.isFailure }.map(\.description),
                                  failed: outcomes.filter(\.isFailure).map(\.description))
            } catch {
                return KindReport(kind: driver.kind, failed: ["observe failed: \(error)"])
            }
        }
    }

    /// The changes a reconcile towards `config` would make (`nil`: towards nothing, i.e. teardown).
    public func plan(for config: Config?) async throws -> [String] { try await planLines(config) }

    /// Observes, diffs and applies towards `config` (`nil`: remove everything owned).
    public func reconcile(towards config: Config?) async -> KindReport { await converge(config) }
}

/// What one kind did in one reconcile.
public struct KindReport: Sendable, Equatable, Codable {
    public var kind: String
    /// Plan lines carried out.
    public var applied: [String]
    /// Plan lines that failed, with reasons; retried on the next reconcile.
    public var failed: [String]

    public init(kind: String, applied: [String] = [], failed: [String] = []) {
        self.kind = kind
        self.applied = applied
        self.failed = failed
    }
}
