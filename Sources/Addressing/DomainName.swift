/// Syntax checks for host and domain names (RFC 1123 §2.1 labels).
public enum DomainName {
    /// Whether `text` is a host name: dot-separated labels of letters, digits, `-` and `_`, each
    /// 1–63 characters not starting or ending with `-`, 253 characters at most, an optional final
    /// dot. All-numeric dotted text is not a host name (it is a malformed IPv4 address).
    public static func isValidHostName(_ text: some StringProtocol) -> Bool {
        var name = Substring(text)
        if name.last == "." { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 253 else { return false }
        if name.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) }) { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { return false }
        }
        return true
    }

    /// Whether `text` is a domain rule target: a host name, optionally prefixed by `*.` or `.`
    /// to say "this domain and its subdomains".
    public static func isValidRuleTarget(_ text: some StringProtocol) -> Bool {
        var name = Substring(text)
        if name.hasPrefix("*.") {
            name = name.dropFirst(2)
        } else if name.hasPrefix(".") {
            name = name.dropFirst()
        }
        return isValidHostName(name)
    }
}
