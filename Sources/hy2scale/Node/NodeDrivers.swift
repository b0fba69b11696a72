import Reconciler
import ScaleConfig

/// The drivers this node reconciles, in dependency order; `serve` and `plan` use the same list.
enum NodeDrivers {
    static func all() -> [AnyDriver<Config>] {
        // Listeners, nftables, routes and VPN drivers join this list as they are built.
        []
    }
}
