import Addressing
import Foundation

/// An address family and prefix as the kernel's routing code sees them: raw bytes and a length.
public struct IPPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), host bits cleared.
    public let bytes: [UInt8]
    public let length: UInt8

    /// `nil` unless `bytes` has 4 or 16 bytes and `length` fits; host bits are cleared.
    public init?(bytes: [UInt8], length: Int) {
        guard let address = IPAddress(bytes: bytes), let network = IPNetwork(address: address, prefixLength: length) else { return nil }
        self.bytes = network.masked.address.bytes
        self.length = UInt8(length)
    }

    /// Parses `address/length` or a bare address (a host prefix).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let isIPv6 = parts[0].contains(":")
        var raw = [UInt8](repeating: 0, count: isIPv6 ? 16 : 4)
        guard raw.withUnsafeMutableBytes({ inet_pton(isIPv6 ? AF_INET6 : AF_INET, parts[0], $0.baseAddress) }) == 1
        else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : raw.count * 8
        guard let length else { return nil }
        self.init(bytes: raw, length: length)
    }

    /// The whole family: `0.0.0.0/0` or `::/0`.
    public static func any(_ family: IPFamily) -> IPPrefix {
        IPPrefix(zeroOf: family)
    }

    private init(zeroOf family: IPFamily) {
        bytes = [UInt8](repeating: 0, count: family == .ipv4 ? 4 : 16)
        length = 0
    }

    public var family: IPFamily { bytes.count == 4 ? .ipv4 : .ipv6 }

    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(family == .ipv4 ? AF_INET : AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return length == bytes.count * 8 ? address : "\(address)/\(length)"
    }

    public static func < (a: IPPrefix, b: IPPrefix) -> Bool {
        a.bytes.count != b.bytes.count ? a.bytes.count < b.bytes.count
            : a.bytes != b.bytes ? a.bytes.lexicographicallyPrecedes(b.bytes) : a.length < b.length
    }
}
