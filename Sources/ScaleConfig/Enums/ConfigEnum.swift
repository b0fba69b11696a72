/// A closed set of spellings a config key accepts, such as `ss.method` or `rules[].type`.
///
/// The model keeps these keys as raw strings so that an unknown value is a validation error with
/// a position rather than a decoding failure; validation parses them with ``init(spelling:)``.
public protocol ConfigEnum: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// Alternative spellings that mean the same as a case, such as `""` for the default.
    static var aliases: [String: Self] { get }

    /// Spellings from hy2scale v1.3 that are still understood but deserve a notice.
    static var legacySpellings: Set<String> { get }
}

extension ConfigEnum {
    /// No aliases unless a type declares some.
    public static var aliases: [String: Self] { [:] }

    /// No legacy spellings unless a type declares some.
    public static var legacySpellings: Set<String> { [] }

    /// The case a spelling names, canonical or alias; `nil` when the spelling is unknown.
    public init?(spelling: String) {
        if let value = Self(rawValue: spelling) {
            self = value
        } else if let value = Self.aliases[spelling] {
            self = value
        } else {
            return nil
        }
    }

    /// Every accepted spelling: canonical ones in declaration order, then aliases sorted.
    public static var acceptedSpellings: [String] {
        var out = allCases.map(\.rawValue)
        for alias in aliases.keys.sorted() where !out.contains(alias) {
            out.append(alias)
        }
        return out
    }

    /// The canonical spellings quoted and joined for a message: `"ip" or "domain"`.
    public static var acceptedList: String {
        let quoted = allCases.map { "\"\($0.rawValue)\"" }
        switch quoted.count {
        case 0: return ""
        case 1: return quoted[0]
        default: return quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
        }
    }

    /// Whether a spelling is a v1.3 spelling that should be reported as a notice.
    public static func isLegacy(_ spelling: String) -> Bool { legacySpellings.contains(spelling) }
}
