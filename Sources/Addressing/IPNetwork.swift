/// An address with a prefix length, as in `10.0.0.1/24` or `2001:db8::/32`.
///
/// Host bits may be set (a WireGuard `address` such as `10.0.0.1/24` names both the interface
/// address and its subnet).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The address as written.
    public let address: IPAddress
    /// Prefix length, 0–32 for IPv4 and 0–128 for IPv6.
    public let prefixLength: Int

    /// A network; `nil` when the prefix is out of range for the family.
    public init?(address: IPAddress, prefixLength: Int) {
        guard (0...address.bitCount).contains(prefixLength) else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `ip/prefix`; `nil` unless both parts are valid. A bare address is not a network.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(parts[0]),
              !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let prefix = Int(parts[1])
        else { return nil }
        self.init(address: address, prefixLength: prefix)
    }

    /// The network with its host bits cleared (`10.0.0.5/24` → `10.0.0.0/24`).
    public var masked: IPNetwork {
        let bytes = address.bytes.enumerated().map { index, byte -> UInt8 in
            let kept = max(0, min(8, prefixLength - index * 8))
            return kept == 8 ? byte : byte & ~(0xFF >> kept)
        }
        return IPAddress(bytes: bytes).flatMap { IPNetwork(address: $0, prefixLength: prefixLength) } ?? self
    }

    /// Whether `other` lies in this network (same family, first ``prefixLength`` bits equal).
    public func holds(_ other: IPAddress) -> Bool {
        guard let theirs = IPNetwork(address: other, prefixLength: prefixLength), other.isIPv4 == address.isIPv4 else { return false }
        return theirs.masked == masked
    }

    /// Whether the two networks share an address: one holds the other's first address.
    public func overlaps(_ other: IPNetwork) -> Bool {
        prefixLength <= other.prefixLength ? holds(other.address) : other.holds(address)
    }

    /// `address/prefix`.
    public var description: String { "\(address)/\(prefixLength)" }
}
