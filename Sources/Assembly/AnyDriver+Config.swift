public import Access
public import HysteriaServer
import Routing
public import Inbounds
public import Mesh
public import NodeState
public import Reconciler
public import RuleEngine
public import ScaleConfig
public import VPN

/// Each driver's input, taken from the config: the one place where the config model meets the
/// drivers, so `AnyDriver(ListenerDriver(...))` reads the same in the node and in tests.
extension AnyDriver where Config == ScaleConfig.Config {
    public init(_ driver: AccessPolicyDriver) {
        let policies = AccessPolicies()
        self.init(driver) { policies.policy(for: $0) }
    }

    public init(_ driver: MeshDriver) {
        self.init(driver) { [stateNodeID = driver.stateNodeID] in MeshSettings(config: $0, stateNodeID: stateNodeID) }
    }

    public init(_ driver: ListenerDriver) { self.init(driver) { ListenerSpec.all(in: $0) } }

    public init(_ driver: HysteriaServerDriver) { self.init(driver) { HysteriaServerSpec(config: $0) } }

    /// - Parameter plans: shared by the drivers of one node, which carry out the same plan.
    public init(_ driver: CaptureDriver, plans: RulePlans = RulePlans()) { self.init(driver) { plans.plan(for: $0) } }

    public init(_ driver: TunnelDriver, plans: RulePlans = RulePlans()) { self.init(driver) { plans.plan(for: $0) } }

    public init(_ driver: WireGuardDriver) { self.init(driver) { WireGuardSpec(config: $0) } }

    /// - Parameter tlsStore: where the certificate mode's certificate and key are.
    public init(_ driver: IPsecDriver, tlsStore: TLSStore?) { self.init(driver) { IPsecSpec(config: $0, tlsStore: tlsStore) } }

    public init(_ driver: L2TPDriver) { self.init(driver) { L2TPSpec(config: $0) } }

    public init(_ driver: ResolverDriver, plans: RulePlans = RulePlans()) {
        self.init(driver) { ResolverResource.all(config: $0, plan: plans.plan(for: $0)) }
    }
}
