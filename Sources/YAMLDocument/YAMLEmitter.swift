/// Writes values as YAML text fragments: block style for collections, the plainest safe form for
/// scalars.
///
/// A string is written plain only when every YAML reader (1.1 or 1.2) reads it back as the same
/// string; otherwise it is double-quoted. So `"123"`, `"true"`, `"yes"`, `"null"`, `"a: b"`,
/// `"# x"`, `" x"` and `""` all come out quoted.
public enum YAMLEmitter {
    /// How block collections are laid out: the file's own habits, so new text looks like old.
    public struct Layout: Sendable, Equatable {
        /// Spaces per nesting level of mappings.
        public var indent: Int
        /// Spaces between a key and the `-` of its block sequence (0 or `indent`).
        public var sequenceIndent: Int

        public init(indent: Int = 2, sequenceIndent: Int = 2) {
            self.indent = indent
            self.sequenceIndent = sequenceIndent
        }
    }

    /// A scalar or empty collection on one line; a non-empty collection in flow style.
    public static func flow(_ value: YAMLValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return double(d)
        case .string(let s): return string(s, inFlow: true)
        case .sequence(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { flowKey($0.key) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// The text that follows `key:` for `value`, with entries of a block mapping at `keyColumn`
    /// (0-based): ` scalar`, or a line break and the block below.
    public static func afterKey(_ value: YAMLValue, keyColumn: Int, layout: Layout) -> String {
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty:
            return "\n" + mappingLines(pairs, column: keyColumn + layout.indent, layout: layout)
        case .sequence(let items) where !items.isEmpty:
            return "\n" + sequenceLines(items, column: keyColumn + layout.sequenceIndent, layout: layout)
        default:
            return " " + inline(value)
        }
    }

    /// The text that follows the `-` of a sequence item at `dashColumn` (0-based).
    public static func afterDash(_ value: YAMLValue, dashColumn: Int, layout: Layout) -> String {
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty:
            return " " + dropIndent(mappingLines(pairs, column: dashColumn + 2, layout: layout), dashColumn + 2)
        case .sequence(let items) where !items.isEmpty:
            return " " + dropIndent(sequenceLines(items, column: dashColumn + 2, layout: layout), dashColumn + 2)
        default:
            return " " + inline(value)
        }
    }

    /// A whole block value standing at `column`, as the top of a document is written.
    public static func block(_ value: YAMLValue, column: Int, layout: Layout) -> String {
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty:
            return dropIndent(mappingLines(pairs, column: column, layout: layout), column)
        case .sequence(let items) where !items.isEmpty:
            return dropIndent(sequenceLines(items, column: column, layout: layout), column)
        default:
            return inline(value)
        }
    }

    /// `key: value` lines of a block mapping, every line indented to `column`.
    static func mappingLines(_ pairs: [YAMLValue.Pair], column: Int, layout: Layout) -> String {
        pairs.map { spaces(column) + keyAndColon($0.key, column: column) + afterKey($0.value, keyColumn: column, layout: layout) }
            .joined(separator: "\n")
    }

    /// `- item` lines of a block sequence, every dash at `column`.
    static func sequenceLines(_ items: [YAMLValue], column: Int, layout: Layout) -> String {
        items.map { spaces(column) + "-" + afterDash($0, dashColumn: column, layout: layout) }
            .joined(separator: "\n")
    }

    /// A scalar or empty collection written in block context (strings need less quoting there).
    public static func inline(_ value: YAMLValue) -> String {
        if case .string(let s) = value { return string(s) }
        return flow(value)
    }

    /// A mapping key's scalar as written, without indicators: ``keyAndColon(_:column:)`` puts
    /// it in a block mapping, ``flow(_:)`` in a flow one.
    public static func key(_ key: String) -> String { string(key, inFlow: true) }

    /// The most characters an implicit key (one written without `?`) may take up to its `:`.
    /// YAML 1.2 §7.4.3 allows "at most 1024 characters altogether", so that a reader needs only
    /// so much lookahead to tell a key from a scalar; libyaml forgets a possible key once it is
    /// 1024 characters past its start and then refuses the `:` (counting Unicode scalars, not
    /// bytes).
    static let implicitKeyLimit = 1024

    /// Whether a key, as ``key(_:)`` writes it, is too long to stand without `?`.
    static func needsExplicitKey(_ written: String) -> Bool {
        written.unicodeScalars.count > implicitKeyLimit
    }

    /// The key of a block mapping entry at `column` (0-based) and its `:`, ready for
    /// ``afterKey(_:keyColumn:layout:)``'s text: `key:`, or for a key too long to be implicit,
    /// `? key`, a line break and `:` at `column`, which every reader takes back as the same key.
    public static func keyAndColon(_ key: String, column: Int) -> String {
        let written = self.key(key)
        // After a scalar on the `?` line the `:` must start a line of its own: libyaml allows no
        // value indicator right behind the scalar of an explicit key in block context.
        return needsExplicitKey(written) ? "? " + written + "\n" + spaces(column) + ":" : written + ":"
    }

    /// A flow mapping's key: too long to be implicit, it follows `?`, and the `:` may stay on its
    /// line (flow context allows it).
    private static func flowKey(_ key: String) -> String {
        let written = self.key(key)
        return needsExplicitKey(written) ? "? " + written : written
    }

    /// A string scalar: plain when unambiguous, else double-quoted.
    public static func string(_ s: String, inFlow: Bool = false) -> String {
        isSafePlain(s, inFlow: inFlow) ? s : doubleQuoted(s)
    }

    /// A double-quoted scalar with every character that needs it escaped.
    public static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{0}": out += "\\0"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += scalar.value <= 0xFF
                        ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether a character can only be written as an escape: C0 and C1 controls (YAML's
    /// printable set leaves them out), the non-characters U+FFFE and U+FFFF (left out too, so a
    /// reader refuses them raw), the byte order mark, and the Unicode line and paragraph
    /// separators (YAML 1.1 readers break lines on them).
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value)
    }

    /// A single-quoted scalar, or nil when `s` cannot be one (line breaks, control characters).
    public static func singleQuoted(_ s: String) -> String? {
        guard !s.unicodeScalars.contains(where: needsEscape) else { return nil }
        // Split on scalars: a quote followed by a combining mark is one `Character`, but still a
        // quote to a YAML reader.
        var out = "'"
        for scalar in s.unicodeScalars {
            out.unicodeScalars.append(scalar)
            if scalar == "'" { out.unicodeScalars.append("'") }
        }
        return out + "'"
    }

    /// Words that YAML 1.1 readers (many tools still are) take for booleans or null.
    private static let yaml11Words: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        "null", "Null", "NULL", "~",
    ]

    static func isSafePlain(_ s: String, inFlow: Bool) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        guard !yaml11Words.contains(s), YAMLValue.resolvePlain(s) == .string(s) else { return false }
        guard !looksNumeric(s) else { return false }
        let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|",
                                                ">", "'", "\"", "%", "@", "`", " ", "\t"]
        // Indicators are judged on bytes, as a YAML reader sees them: `String`'s own searches
        // compare characters, and `": "` followed by a combining mark is no `": "` to them.
        let bytes = Array(s.utf8)
        func has(_ pattern: String) -> Bool { bytes.firstRange(of: Array(pattern.utf8)) != nil }
        guard !indicators.contains(first)
              || (first == "-" && bytes.count > 1 && !bytes.starts(with: Array("- ".utf8)) && !bytes.starts(with: Array("-\t".utf8))
                  && !bytes.starts(with: Array("---".utf8))) else {
            return false
        }
        guard last != " ", last != "\t", last != ":" else { return false }
        // `...` at the start of a line ends the document (as `---` starts one).
        guard !bytes.starts(with: Array("...".utf8)) else { return false }
        guard !has(": "), !has(" #"), !has(":\t"), !has("\t#") else { return false }
        for scalar in s.unicodeScalars {
            if needsEscape(scalar) { return false }
            if inFlow, [",", "[", "]", "{", "}"].contains(scalar) { return false }
        }
        return true
    }

    /// Numbers only YAML 1.1 readers see: `1_000`, `0b101`, `0x1F`, `0o17`, base 60 (`10:30`).
    /// (Everything YAML 1.2 reads as a number is caught by ``YAMLValue/resolvePlain(_:)``.)
    private static func looksNumeric(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return false }
        if body.hasPrefix("0b") || body.hasPrefix("0x") || body.hasPrefix("0o") { return true }
        if body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ".") }) {
            return body.filter { $0 == "." }.count <= 1  // `1.2.3.4` is no number to any reader
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return false }
        return parts.dropFirst().allSatisfy { part in
            let whole = part.split(separator: ".", maxSplits: 1).first ?? ""
            return (1...2).contains(whole.count) && part.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "_") }
        } && parts[0].allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_") }
    }

    static func double(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        let text = String(d)
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    static func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }

    /// `text` without its first `n` spaces; counted in scalars, since a space and a combining
    /// mark after it make one `Character`.
    private static func dropIndent(_ text: String, _ n: Int) -> String { String(text.unicodeScalars.dropFirst(n)) }
}
