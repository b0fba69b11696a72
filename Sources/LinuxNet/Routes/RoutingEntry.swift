public import Reconciler

/// What the `routes` driver converges: a route in one of hy2scale's tables or a policy rule in
/// its priority band.
public enum RoutingEntry: Resource {
    case route(Route)
    case rule(PolicyRule)

    /// Routes sort before rules, so a plan creates a table's routes before the rule that sends
    /// packets to it.
    public var key: String {
        switch self {
        case .route(let r): "route \(r.table) \(r.family) \(r.destination)"
        case .rule(let r): "rule \(r.priority) \(r.family) \(r.selector)"
        }
    }

    public var description: String {
        switch self {
        case .route(let r): "route \(r)"
        case .rule(let r): "rule \(r)"
        }
    }
}
