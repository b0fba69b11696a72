public import Access
public import NIOCore
public import NodeState
public import Reconciler
public import Routing

/// Converges the proxy and Shadowsocks listeners: binds what the config adds, swaps the settings
/// of a listener whose address stays (its connections live on), binds a moved listener at its new
/// address before closing the old one, and closes what the config removes together with its
/// flows. A port that cannot be bound is a failed change, retried on the next reconcile.
public struct ListenerDriver: Driver {
    /// The enabled listeners.
    public typealias Config = [ListenerSpec]
    public let kind = "listeners"
    let gate: InboundGate
    let tlsStore: TLSStore?
    let running: RunningListeners
    let shadowsocks = ShadowsocksListenerState()

    /// - Parameters:
    ///   - handshakeTimeout: how long a client may take from connecting to its first byte of
    ///     payload (TLS, authentication and request included).
    public init(gate: InboundGate, tlsStore: TLSStore?, group: any EventLoopGroup,
                handshakeTimeout: TimeAmount = .seconds(10)) {
        self.gate = gate
        self.tlsStore = tlsStore
        running = RunningListeners(group: group, handshakeTimeout: handshakeTimeout, gate: gate)
    }

    public func desired(for specs: [ListenerSpec]) -> [ListenerSpec] { specs }

    public func observe() async throws -> [ListenerSpec] { await running.specs() }

    public func apply(_ plan: Plan<ListenerSpec>) async -> [Outcome<ListenerSpec>] {
        var outcomes: [Outcome<ListenerSpec>] = []
        for change in plan.changes {
            do {
                switch change {
                case .create(let spec):
                    try await running.start(spec, settings: try settings(for: spec))
                case .update(let old, let new):
                    try await running.replace(old, with: new, settings: try settings(for: new))
                case .delete(let spec):
                    await running.stop(spec.key)
                    gate.endFlows(ofListener: spec.key)
                }
                outcomes.append(.applied(change))
            } catch {
                outcomes.append(.failed(change, reason: "\(error)"))
            }
        }
        return outcomes
    }

    private func settings(for spec: ListenerSpec) throws -> ListenerSettings {
        try ListenerSettings(spec: spec, gate: gate, tlsStore: tlsStore, shadowsocks: shadowsocks)
    }
}

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
        let enabled = policy.accounts.filter(\.isEnabled).count
        return "access policy: \(policy.accounts.count) users (\(enabled) enabled)"
    }
}
