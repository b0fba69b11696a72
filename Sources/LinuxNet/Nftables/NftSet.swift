/// A named set in hy2scale's table: destination addresses that rules look up.
///
/// Interval sets hold the targets of IP rules, written by the reconciler element by element.
/// Timeout sets are filled at runtime (the DNS forwarder adds the addresses it resolved), so the
/// reconciler only makes sure they exist and never compares or writes their elements.
public struct NftSet: Hashable, Sendable, CustomStringConvertible {
    /// A valid ``NftName``; unique within the table.
    public let name: String
    public let keyType: KeyType
    public let kind: Kind
    /// For ``Kind/intervals``: sorted, no two ranges overlapping or adjacent (see
    /// ``AddressRange/normalised(_:)``), all of the key's family. Empty for every other kind.
    public let elements: [AddressRange]

    /// What the set's elements are.
    public enum KeyType: Hashable, Sendable {
        case ipv4Address
        case ipv6Address
        /// A set found in the table with a key hy2scale never writes; it is replaced.
        case unrecognised(datatype: UInt32, length: UInt32)

        /// The key type of addresses of `family`.
        public init(_ family: IPFamily) { self = family == .ipv4 ? .ipv4Address : .ipv6Address }

        /// The address family, for the two key types hy2scale writes.
        public var family: IPFamily? {
            switch self {
            case .ipv4Address: .ipv4
            case .ipv6Address: .ipv6
            case .unrecognised: nil
            }
        }
    }

    /// How the set behaves.
    public enum Kind: Hashable, Sendable {
        /// `flags interval`: elements are address ranges the reconciler owns.
        case intervals
        /// `flags timeout`: elements expire and are added at runtime, never by the reconciler.
        case timeouts
        /// A set found in the table with flags hy2scale never writes, or whose elements do not
        /// read back as ranges; it is replaced.
        case unrecognised(flags: UInt32)
    }

    /// An interval set holding `ranges`, normalised (sorted, overlapping and adjacent ranges merged).
    /// - Throws: ``NftModelError`` for a bad name or a range of the other family.
    public static func intervals(_ name: String, of family: IPFamily, _ ranges: [AddressRange]) throws(NftModelError) -> NftSet {
        try NftName.validate(name, as: "set")
        if let stranger = ranges.first(where: { $0.family != family }) {
            throw .inconsistent("set \(name) holds \(family.rawValue) addresses, but \(stranger) is \(stranger.family.rawValue)")
        }
        return NftSet(name: name, keyType: KeyType(family), kind: .intervals, elements: AddressRange.normalised(ranges))
    }

    /// An interval set from text (`10.0.0.0/8`, `10.0.0.1`, `10.0.0.1-10.0.0.9`).
    /// - Throws: ``NftModelError`` naming the first entry that does not parse.
    public static func intervals(_ name: String, of family: IPFamily, parsing entries: [String]) throws(NftModelError) -> NftSet {
        var ranges: [AddressRange] = []
        for entry in entries { ranges.append(try AddressRange(parsing: entry)) }
        return try intervals(name, of: family, ranges)
    }

    /// A timeout set, to be filled at runtime through ``NftRuntimeSet``.
    public static func timeouts(_ name: String, of family: IPFamily) throws(NftModelError) -> NftSet {
        try NftName.validate(name, as: "set")
        return NftSet(name: name, keyType: KeyType(family), kind: .timeouts, elements: [])
    }

    /// A set as read back from the kernel, or as validated by the factories above.
    init(name: String, keyType: KeyType, kind: Kind, elements: [AddressRange]) {
        self.name = name
        self.keyType = keyType
        self.kind = kind
        self.elements = kind == .intervals ? elements : []
    }

    /// `set r_web_v4 (ipv4_addr, interval, 3 elements)`.
    public var description: String { "set \(name) (\(typeText), \(kindText))" }

    /// nft's name of the key type.
    var typeText: String {
        switch keyType {
        case .ipv4Address: "ipv4_addr"
        case .ipv6Address: "ipv6_addr"
        case .unrecognised(let datatype, let length): "type \(datatype) of \(length) bytes"
        }
    }

    var kindText: String {
        switch kind {
        case .intervals: "interval, \(elements.count) element\(elements.count == 1 ? "" : "s")"
        case .timeouts: "timeout"
        case .unrecognised(let flags): "flags 0x\(String(flags, radix: 16))"
        }
    }
}
