/// Something the reconciler owns and converges: a listener, an nftables set, a route.
///
/// Two resources with the same ``key`` are the same object; if they differ otherwise, the object
/// must be updated. `description` is what a plan prints for it.
public protocol Resource: Hashable, Sendable, CustomStringConvertible {
    associatedtype Key: Comparable & Hashable & Sendable
    /// Identity of the object (a listener's address, a set's name); unique within one kind.
    var key: Key { get }

    /// One plan line for an update, when the kind can say what really changes better than
    /// `old -> new` (a set of ten thousand addresses with one more); `nil` for the default.
    static func describeUpdate(from old: Self, to new: Self) -> String?
}

extension Resource {
    public static func describeUpdate(from old: Self, to new: Self) -> String? { nil }
}

/// One step of a ``Plan``.
public enum Change<R: Resource>: Hashable, Sendable, CustomStringConvertible {
    case create(R)
    case update(from: R, to: R)
    case delete(R)

    /// The object this change is about: the one it makes, the one it ends with, or the one it removes.
    public var resource: R {
        switch self {
        case .create(let r), .delete(let r), .update(_, let r): return r
        }
    }

    /// The key of the object this change is about.
    public var key: R.Key { resource.key }

    /// One line, `terraform plan` style: `+ new`, `~ old -> new`, `- old`.
    public var description: String {
        switch self {
        case .create(let r): return "+ \(r)"
        case .update(let old, let new): return R.describeUpdate(from: old, to: new) ?? "~ \(old) -> \(new)"
        case .delete(let r): return "- \(r)"
        }
    }
}

/// What must change for observed to become desired; a pure value.
public struct Plan<R: Resource>: Hashable, Sendable, CustomStringConvertible {
    /// Creates and updates first, then deletes, each sorted by key: a new object exists before
    /// the one it replaces goes (bind before close; DESIGN invariant 5).
    public var changes: [Change<R>]

    public init(changes: [Change<R>]) { self.changes = changes }

    /// True when observed already matches desired.
    public var isEmpty: Bool { changes.isEmpty }

    /// One line per change.
    public var description: String {
        changes.isEmpty ? "no changes" : changes.map(\.description).joined(separator: "\n")
    }

    /// Applies the changes in order, one at a time, with `body`: what a driver's `apply` does.
    /// A change `body` throws for is failed with the error's text, and the later ones still run.
    public func applyEach(_ body: (Change<R>) async throws -> Void) async -> [Outcome<R>] {
        var outcomes: [Outcome<R>] = []
        for change in changes {
            do {
                try await body(change)
                outcomes.append(.applied(change))
            } catch {
                outcomes.append(.failed(change, reason: "\(error)"))
            }
        }
        return outcomes
    }
}

/// Computes the plan that turns `observed` into `desired`. Pure; the same inputs always give the
/// same plan, and `diff(desired: d, observed: d)` is empty.
///
/// - Precondition: keys are unique within each array (drivers guarantee it; duplicates in the
///   config are validation errors long before this point).
public func diff<R: Resource>(desired: [R], observed: [R]) -> Plan<R> {
    // The same list (often the very same array, which compares at once) needs no change; a
    // reconcile of ten thousand unchanged sets ends here.
    if desired == observed { return Plan(changes: []) }
    let current = Dictionary(observed.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    let wanted = Dictionary(desired.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    var upserts: [Change<R>] = []
    for (key, want) in wanted {
        if let have = current[key] {
            if have != want { upserts.append(.update(from: have, to: want)) }
        } else {
            upserts.append(.create(want))
        }
    }
    let deletes = current.filter { wanted[$0.key] == nil }.map { Change<R>.delete($0.value) }
    return Plan(changes: upserts.sorted { $0.key < $1.key } + deletes.sorted { $0.key < $1.key })
}

/// What became of one change when a driver applied it.
public enum Outcome<R: Resource>: Hashable, Sendable, CustomStringConvertible {
    case applied(Change<R>)
    /// Not done; retried on the next reconcile. `reason` is for logs and the API.
    case failed(Change<R>, reason: String)

    public var description: String {
        switch self {
        case .applied(let change): return change.description
        case .failed(let change, let reason): return "\(change)  FAILED: \(reason)"
        }
    }

    public var isFailure: Bool { failureReason != nil }

    /// Why the change failed; `nil` when it was applied.
    public var failureReason: String? {
        if case .failed(_, let reason) = self { return reason }
        return nil
    }
}
