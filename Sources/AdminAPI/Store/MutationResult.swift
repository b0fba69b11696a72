import Reconciler
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import YAMLDocument
import NodeState
import ScaleConfig

/// The answer to every mutating call (DECISIONS #6): whether the running node now matches the
/// file, the revision written, and what the reconcile did.
public struct MutationResult: Encodable, Sendable {
    public var status = "ok"
    /// True when the file is valid, in force, and every change was applied.
    public var applied: Bool
    /// Revision (hex SHA-256) of the config file after the call; the new ETag.
    public var revision: String
    public var changes: [String]
    public var failures: [String]
    /// Problems of the file on disk, if it is not the one in force (should be empty after an API edit).
    public var problems: [String]

    init(revision: String, report: ReconcileReport?) {
        self.revision = revision
        applied = report?.applied ?? false
        changes = report?.changes ?? []
        failures = report.map(\.failures) ?? ["the node is shutting down; the change was saved but not applied"]
        problems = report?.problems ?? []
    }
}

/// A mutation's own answer fields next to the ``MutationResult``.
struct MutationAnswer<Extra: Encodable & Sendable>: Encodable, Sendable {
    var result: MutationResult
    var extra: Extra

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        try extra.encode(to: encoder)
    }
}
