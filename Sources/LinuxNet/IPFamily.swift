import Glibc

/// The two address families of hy2scale's kernel objects: sets and rules, routes and policy rules.
public enum IPFamily: String, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case ipv4
    case ipv6

    /// Bytes in one address of this family.
    public var addressLength: Int { self == .ipv4 ? 4 : 16 }

    /// The family of an address of `byteCount` bytes, or `nil` if no family has that length.
    public init?(addressLength byteCount: Int) {
        switch byteCount {
        case 4: self = .ipv4
        case 16: self = .ipv6
        default: return nil
        }
    }

    /// The family of an `AF_INET` / `AF_INET6` number, as rtnetlink messages carry it.
    init?(socketFamily: UInt8) {
        switch Int32(socketFamily) {
        case AF_INET: self = .ipv4
        case AF_INET6: self = .ipv6
        default: return nil
        }
    }

    /// `AF_INET` or `AF_INET6`.
    var socketFamily: UInt8 { UInt8(self == .ipv4 ? AF_INET : AF_INET6) }

    /// The nft keyword for the family's network header: `ip` or `ip6`.
    var nftKeyword: String { self == .ipv4 ? "ip" : "ip6" }

    public var description: String { rawValue }

    public static func < (a: IPFamily, b: IPFamily) -> Bool { a == .ipv4 && b == .ipv6 }
}
