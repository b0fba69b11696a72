import Glibc

/// Address text both ways, through the C library's own parser and printer.
extension AddressRange {
    /// Parses `10.0.0.0/8`, `10.0.0.1`, `10.0.0.1-10.0.0.9`, or the same forms in IPv6.
    /// - Throws: ``NftModelError/badAddress(_:)`` naming the text and what is accepted.
    public init(parsing text: String) throws(NftModelError) {
        let trimmed = text.trimmingSpaces
        if let slash = trimmed.firstIndex(of: "/") {
            let address = try Self.address(String(trimmed[..<slash]), in: text)
            guard let length = Int(trimmed[trimmed.index(after: slash)...]) else {
                throw .badAddress("\"\(text)\": the prefix length after / is not a number")
            }
            try self.init(network: address, prefixLength: length)
        } else if let dash = trimmed.firstIndex(of: "-") {
            let first = try Self.address(String(trimmed[..<dash]), in: text)
            let last = try Self.address(String(trimmed[trimmed.index(after: dash)...]), in: text)
            try self.init(first: first, last: last)
        } else {
            try self.init(address: Self.address(trimmed, in: text))
        }
    }

    /// The bytes of one IPv4 or IPv6 address in text form.
    public static func address(_ text: String) throws(NftModelError) -> [UInt8] {
        try address(text, in: text)
    }

    private static func address(_ part: String, in whole: String) throws(NftModelError) -> [UInt8] {
        let part = part.trimmingSpaces
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, part, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, part, &v6) == 1 { return v6 }
        throw .badAddress("\"\(whole)\": \"\(part)\" is not an IPv4 or IPv6 address (expected forms: 10.0.0.1, 10.0.0.0/8, 10.0.0.1-10.0.0.9, 2001:db8::/32)")
    }

    /// The usual text form of a 4- or 16-byte address.
    static func text(_ address: [UInt8]) -> String {
        let family = address.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let printed = inet_ntop(family, address, &buffer, socklen_t(buffer.count))
        guard printed != nil else { return address.map { String($0, radix: 16) }.joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
