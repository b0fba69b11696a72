/// An IPv4 or IPv6 address parsed from text, without any system network API.
///
/// IPv4 is dotted quad with decimal octets 0–255; an octet with a leading zero (`01.2.3.4`) is
/// rejected because some tools read it as octal. IPv6 follows RFC 4291 §2.2: up to eight hex
/// groups, one `::` compression, and an optional trailing dotted IPv4 part. Zone ids (`%eth0`)
/// are not accepted.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The number of bits: 32 or 128.
    public var bitCount: Int { bytes.count * 8 }

    /// Whether this is the unspecified address `0.0.0.0` or `::`.
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// An address from 4 or 16 network-order bytes; `nil` for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses IPv4 or IPv6 text; `nil` when it is neither.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        if text.utf8.contains(UInt8(ascii: ":")) {
            guard let b = Self.parseIPv6(text) else { return nil }
            bytes = b
        } else {
            guard let b = Self.parseIPv4(text) else { return nil }
            bytes = b
        }
    }

    /// Orders IPv4 before IPv6, then by value.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.bytes.count != rhs.bytes.count { return lhs.bytes.count < rhs.bytes.count }
        return lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Dotted quad for IPv4; RFC 5952 text (lower-case, longest zero run compressed) for IPv6.
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 0, start = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if start < 0 { start = i }
            } else if start >= 0 {
                if i - start > bestLength, i - start >= 2 { bestStart = start; bestLength = i - start }
                start = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    /// Dotted quad: four decimal parts of one to three digits, no leading zeros, each at most 255.
    /// Reads the UTF-8 bytes directly: a rule set holds a hundred thousand of these.
    static func parseIPv4(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(4)
        var value = 0, digits = 0, first = UInt8(0)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits == 0 { first = byte } else if first == UInt8(ascii: "0") { return nil }
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard digits <= 3, value <= 255 else { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        // RFC 4291 §2.2 form 2 (compression) and form 3 (embedded IPv4).
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawCompression = false
        var halves: [String] = [text]
        if let r = text.firstRange(of: "::") {
            halves = [String(text[..<r.lowerBound]), String(text[r.upperBound...])]
            guard !halves[1].contains("::"), !halves[0].hasSuffix(":"), !halves[1].hasPrefix(":") else { return nil }
        }
        sawCompression = halves.count == 2

        func groups(_ part: String, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (i, item) in items.enumerated() {
                if item.contains(".") {
                    guard allowIPv4, i == items.count - 1, let v4 = parseIPv4(String(item)) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                } else {
                    guard (1...4).contains(item.count), item.allSatisfy(\.isHexDigit), let v = UInt16(item, radix: 16)
                    else { return nil }
                    out.append(v)
                }
            }
            return out
        }

        if sawCompression {
            guard let h = groups(halves[0], allowIPv4: false), let t = groups(halves[1], allowIPv4: true) else { return nil }
            head = h
            tail = t
            guard head.count + tail.count <= 7 else { return nil }
        } else {
            guard let h = groups(text, allowIPv4: true), h.count == 8 else { return nil }
            head = h
        }
        let all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}
