/// The names hy2scale gives its chains, sets and rule ids, checked before anything is sent.
///
/// nft accepts identifiers that start with a letter and continue with letters, digits and `_`
/// (more characters exist in its grammar, but these are the ones every version reads back the
/// same way). The kernel allows 256 bytes; 64 keeps plan lines and comments readable and leaves
/// room in the 128-character comment nft prints (`NFTNL_UDATA_COMMENT_MAXLEN`).
public enum NftName {
    static let maxLength = 64

    /// A name part for free text (a rule id from the config): the text itself when it is
    /// already letters, digits and `_` of at most 24 bytes; otherwise its safe characters and a
    /// hash of the whole, so two texts never share a part and the part is stable across runs.
    public static func part(for text: String) -> String {
        let bytes = Array(text.utf8)
        let isSafe: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F }
        if (1...24).contains(bytes.count), bytes.allSatisfy(isSafe) { return text }
        let kept = String(decoding: bytes.filter(isSafe).prefix(16), as: UTF8.self)
        return kept + "_" + String(FNV1a.hex(text).prefix(8))
    }

    /// Checks `name` as the name of a `what` (`set`, `chain`, `rule id`).
    static func validate(_ name: String, as what: String) throws(NftModelError) {
        guard !name.isEmpty else { throw .badName("\(what) name is empty; use letters, digits and _ starting with a letter") }
        guard name.utf8.count <= maxLength else {
            throw .badName("\(what) name \"\(name.prefix(20))…\" is \(name.utf8.count) bytes long; at most \(maxLength) are allowed")
        }
        let bytes = Array(name.utf8)
        let isLetter: (UInt8) -> Bool = { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        guard isLetter(bytes[0]) else {
            throw .badName("\(what) name \"\(name)\" must start with a letter (a-z, A-Z)")
        }
        if let bad = bytes.first(where: { !isLetter($0) && !isDigit($0) && $0 != 0x5F }) {
            let shown = bad < 0x20 || bad > 0x7E ? "byte 0x\(String(bad, radix: 16))" : "\"\(Character(Unicode.Scalar(bad)))\""
            throw .badName("\(what) name \"\(name)\" contains \(shown); only letters, digits and _ are allowed")
        }
    }

    /// Checks an interface name: 1 to 15 bytes (IFNAMSIZ less the NUL), no `/`, space or NUL.
    static func validateInterface(_ name: String) throws(NftModelError) {
        let bytes = Array(name.utf8)
        guard (1...15).contains(bytes.count) else {
            throw .badName("interface name \"\(name)\" must be 1 to 15 bytes long (IFNAMSIZ), it is \(bytes.count)")
        }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x2F || $0 == 0x22 || $0 >= 0x7F }) {
            throw .badName("interface name \"\(name)\" contains a space, quote, / or a non-ASCII byte")
        }
        if bytes.dropLast().contains(UInt8(ascii: "*")) {
            throw .badName("interface name \"\(name)\" has a * before its end; only a trailing * (a prefix match) is allowed")
        }
    }
}
