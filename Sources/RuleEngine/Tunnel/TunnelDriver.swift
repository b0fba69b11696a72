public import LinuxNet
public import Logging
public import Mesh
public import Reconciler
import NIOConcurrencyHelpers

/// Converges the entry side of raw IP tunnels: device `hy2tun0` exists, with the `use_tun` rules
/// it routes by, exactly while such a rule is enabled. It runs before the routes driver, which
/// points the rules' targets at the device.
public struct TunnelDriver: Driver {
    public typealias Config = RulePlan
    public let kind = "tunnels"
    private let mesh: MeshNode
    private let netlink: Rtnetlink
    private let logger: Logger
    private let entry: TunnelEntrySlot

    /// - Parameter slot: where the running entry is kept, so the API can say which rules are
    ///   carried through the device.
    public init(mesh: MeshNode, netlink: Rtnetlink, slot: TunnelEntrySlot, logger: Logger) {
        self.mesh = mesh
        self.netlink = netlink
        self.entry = slot
        self.logger = logger
    }

    public func desired(for plan: RulePlan) -> [TunnelResource] {
        let rules = plan.tunnelled
        return rules.isEmpty ? [] : [TunnelResource(rules: rules)]
    }

    public func observe() async throws -> [TunnelResource] {
        entry.box.withLockedValue { $0.map { [TunnelResource(rules: $0.rules)] } ?? [] }
    }

    public func apply(_ plan: Plan<TunnelResource>) async -> [Outcome<TunnelResource>] {
        plan.changes.map { change in
            do {
                switch change {
                case .create(let resource):
                    let opened = try TunnelEntry(rules: resource.rules, mesh: mesh, netlink: netlink, logger: logger)
                    entry.box.withLockedValue { $0 = opened }
                case .update(_, let resource):
                    entry.box.withLockedValue { $0?.install(resource.rules) }
                case .delete:
                    let closed = entry.box.withLockedValue { e in
                        defer { e = nil }
                        return e
                    }
                    closed?.close()
                }
                return .applied(change)
            } catch {
                return .failed(change, reason: "\(error)")
            }
        }
    }
}

/// The running entry side of raw IP tunnels, shared by the driver that converges it and the API
/// that reports it.
public final class TunnelEntrySlot: Sendable {
    let box = NIOLockedValueBox<TunnelEntry?>(nil)

    public init() {}

    /// The ids of the rules whose traffic goes through `hy2tun0` now.
    public var activeRuleIDs: Set<String> { box.withLockedValue { Set($0?.rules.map(\.id) ?? []) } }
}

/// Device `hy2tun0` and the rules whose packets it carries.
public struct TunnelResource: Resource {
    public var rules: [CaptureRule]

    public var key: String { TunnelEntry.deviceName }

    public var description: String {
        "device \(TunnelEntry.deviceName) for rules " + rules.map(\.id).joined(separator: ", ")
    }
}
