public import Reconciler

/// Converges hy2scale's routing tables and policy rules towards what the config wants.
///
/// rtnetlink has no transactions, so each change is its own request and reports its own outcome;
/// an update is a delete and an add (routes and rules have no fields to change in place).
public struct RoutesDriver<Config: Sendable>: Driver {
    public let kind = "routes"
    private let netlink: Rtnetlink
    private let wanted: @Sendable (Config) -> [RoutingEntry]

    /// - Parameters:
    ///   - wanted: the entries `config` needs; pure.
    public init(netlink: Rtnetlink, wanted: @escaping @Sendable (Config) -> [RoutingEntry]) {
        self.netlink = netlink
        self.wanted = wanted
    }

    public func desired(for config: Config) -> [RoutingEntry] { wanted(config) }

    public func observe() async throws -> [RoutingEntry] {
        try netlink.routes(inTables: OwnedNames.routeTables).map(RoutingEntry.route) + netlink.ownedRules().map(RoutingEntry.rule)
    }

    public func apply(_ plan: Plan<RoutingEntry>) async -> [Outcome<RoutingEntry>] {
        plan.changes.map { change in
            do throws(NetlinkError) {
                switch change {
                case .create(let entry): try add(entry)
                case .delete(let entry): try delete(entry)
                case .update(let old, let new):
                    try delete(old)
                    try add(new)
                }
                return .applied(change)
            } catch {
                return .failed(change, reason: error.description)
            }
        }
    }

    private func add(_ entry: RoutingEntry) throws(NetlinkError) {
        switch entry {
        case .route(let route): try netlink.add(route)
        case .rule(let rule): try netlink.add(rule)
        }
    }

    private func delete(_ entry: RoutingEntry) throws(NetlinkError) {
        switch entry {
        case .route(let route): try netlink.delete(route)
        case .rule(let rule): try netlink.delete(rule)
        }
    }
}
