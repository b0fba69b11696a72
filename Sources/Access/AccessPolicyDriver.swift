public import Reconciler
public import Routing

/// Puts the config's access policy (users, passwords, limits) in force for every inbound, and
/// ends the flows it no longer allows. One resource, so a plan shows when the policy changes.
public struct AccessPolicyDriver: Driver {
    public typealias Config = AccessPolicy
    public let kind = "access"
    let gate: InboundGate

    public init(gate: InboundGate) { self.gate = gate }

    public func desired(for policy: AccessPolicy) -> [PolicyResource] { [PolicyResource(policy)] }

    public func observe() async throws -> [PolicyResource] {
        gate.installedPolicy.map { [PolicyResource($0)] } ?? []
    }

    public func apply(_ plan: Plan<PolicyResource>) async -> [Outcome<PolicyResource>] {
        plan.changes.map { change in
            switch change {
            case .create(let resource), .update(_, let resource): gate.install(resource.policy)
            case .delete: gate.uninstall()
            }
            return .applied(change)
        }
    }
}

/// The access policy as a reconciled resource.
public struct PolicyResource: Resource {
    public let policy: AccessPolicy
    public init(_ policy: AccessPolicy) { self.policy = policy }
    public var key: String { "users" }
    public var description: String {
        "access policy: \(policy.accounts.count) users (\(policy.enabledCount) enabled)"
    }
}
