/// An inclusive range of IPv4 or IPv6 addresses, the unit an interval set holds.
///
/// Addresses are raw network-order bytes (4 or 16), so this target needs no address type from
/// the configuration layer. A CIDR, a single address and an `a-b` range all become one of these.
public struct AddressRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first address in the range; as long as ``last``.
    public let first: [UInt8]
    /// The last address in the range; not below ``first``.
    public let last: [UInt8]

    /// The range `first...last`.
    /// - Throws: ``NftModelError/badAddress(_:)`` when the lengths differ or are not 4 or 16, or
    ///   when `last` comes before `first`.
    public init(first: [UInt8], last: [UInt8]) throws(NftModelError) {
        guard IPFamily(addressLength: first.count) != nil, first.count == last.count else {
            throw .badAddress("a range needs two addresses of the same family (4 or 16 bytes), got \(first.count) and \(last.count) bytes")
        }
        guard !Self.bytesPrecede(last, first) else {
            throw .badAddress("range \(Self.text(first))-\(Self.text(last)) ends before it starts")
        }
        self.first = first
        self.last = last
    }

    /// The one address `address`.
    public init(address: [UInt8]) throws(NftModelError) {
        try self.init(first: address, last: address)
    }

    /// The network `address/prefixLength`; host bits in `address` are ignored, as the kernel would.
    public init(network address: [UInt8], prefixLength: Int) throws(NftModelError) {
        guard let family = IPFamily(addressLength: address.count) else {
            throw .badAddress("an address has 4 or 16 bytes, got \(address.count)")
        }
        let bits = family.addressLength * 8
        guard (0...bits).contains(prefixLength) else {
            throw .badAddress("prefix length /\(prefixLength) is outside 0...\(bits) for \(family.rawValue)")
        }
        var low = address, high = address
        for index in 0..<address.count {
            let keep = max(0, min(8, prefixLength - index * 8))
            let mask: UInt8 = keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
            low[index] &= mask
            high[index] |= ~mask
        }
        try self.init(first: low, last: high)
    }

    /// The family of both ends.
    public var family: IPFamily { first.count == 4 ? .ipv4 : .ipv6 }

    /// Whether `address` (4 or 16 bytes) lies in the range; an address of the other family never does.
    public func contains(_ address: [UInt8]) -> Bool {
        address.count == first.count && !Self.bytesPrecede(address, first) && !Self.bytesPrecede(last, address)
    }

    /// Whether the range holds one address.
    public var isSingleAddress: Bool { first == last }

    /// The prefix length when the range is exactly one CIDR block, else `nil`.
    public var prefixLength: Int? {
        let bits = first.count * 8
        for length in 0...bits {
            if let block = try? AddressRange(network: first, prefixLength: length), block == self { return length }
        }
        return nil
    }

    /// Ordered by first address, then by last: the order an interval set lists its elements in.
    public static func < (lhs: AddressRange, rhs: AddressRange) -> Bool {
        if lhs.first != rhs.first { return bytesPrecede(lhs.first, rhs.first) }
        return bytesPrecede(lhs.last, rhs.last)
    }

    /// nft syntax: `10.0.0.1`, `10.0.0.0/8`, `10.0.0.1-10.0.0.9`.
    public var description: String {
        if isSingleAddress { return Self.text(first) }
        if let length = prefixLength { return "\(Self.text(first))/\(length)" }
        return "\(Self.text(first))-\(Self.text(last))"
    }

    /// Whether `a` comes before `b`, both of the same length, as big-endian numbers.
    static func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}
