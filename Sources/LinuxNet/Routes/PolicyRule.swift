/// A policy-routing rule (`ip rule`) in hy2scale's priority band: which packets consult which of
/// its routing tables.
public struct PolicyRule: Hashable, Sendable, CustomStringConvertible {
    /// Which packets the rule selects.
    public enum Selector: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// Packets carrying this mark (under `mask`).
        case mark(UInt32, mask: UInt32 = 0xffff_ffff)
        /// Packets to this prefix.
        case destination(IPPrefix)

        public var description: String {
            switch self {
            case .mark(let value, let mask):
                "fwmark 0x\(String(value, radix: 16))" + (mask == 0xffff_ffff ? "" : "/0x\(String(mask, radix: 16))")
            case .destination(let prefix): "to \(prefix)"
            }
        }

        public static func < (a: Selector, b: Selector) -> Bool { a.description < b.description }
    }

    public var family: IPFamily
    public var priority: UInt32
    public var selector: Selector
    public var table: UInt32

    public init(family: IPFamily, priority: UInt32, selector: Selector, table: UInt32) {
        self.family = family
        self.priority = priority
        self.selector = selector
        self.table = table
    }

    /// Like `ip rule`: `6800: fwmark 0x6879 lookup 6879 (ipv4)`.
    public var description: String { "\(priority): \(selector) lookup \(table) (\(family))" }
}
