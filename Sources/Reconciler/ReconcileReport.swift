/// The outcome of one reconcile, as logs and the API report it.
public struct ReconcileReport: Sendable, Equatable, Codable {
    /// Revision of the configuration in force after the run (`nil` before any valid one).
    public var revision: String?
    /// Why the file as it is now was refused; empty when it is the one in force.
    public var problems: [String]
    /// What each kind changed or failed to change.
    public var kinds: [KindReport]

    public init(revision: String?, problems: [String] = [], kinds: [KindReport] = []) {
        self.revision = revision
        self.problems = problems
        self.kinds = kinds
    }

    /// True when the file is valid, in force, and every change succeeded: the running node matches it.
    public var applied: Bool { problems.isEmpty && revision != nil && kinds.allSatisfy { $0.failed.isEmpty } }

    /// Plan lines carried out, prefixed by kind.
    public var changes: [String] { kinds.flatMap { k in k.applied.map { "\(k.kind): \($0)" } } }

    /// Plan lines that failed, prefixed by kind.
    public var failures: [String] { kinds.flatMap { k in k.failed.map { "\(k.kind): \($0)" } } }
}
