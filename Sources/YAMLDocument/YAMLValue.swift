/// A document's meaning without its text: what a reader of the file gets.
///
/// Mappings keep their key order, so two values are equal only when their keys come in the same
/// order; that is what lets tests prove an edit kept the order of everything it did not touch.
public enum YAMLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case sequence([YAMLValue])
    case mapping([Pair])

    /// One key of a mapping with its value.
    public struct Pair: Sendable, Equatable {
        public var key: String
        public var value: YAMLValue
        public init(_ key: String, _ value: YAMLValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` in a mapping.
    public subscript(key: String) -> YAMLValue? {
        guard case .mapping(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// True for scalars and for empty collections: the values written on one line.
    public var isInline: Bool {
        switch self {
        case .sequence(let items): return items.isEmpty
        case .mapping(let pairs): return pairs.isEmpty
        default: return true
        }
    }

    public var description: String { YAMLEmitter.flow(self) }

    /// Resolves an untagged plain scalar under the YAML 1.2 core schema.
    /// The plain spellings of `null`.
    static func isNullSpelling(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    public static func resolvePlain(_ text: String) -> YAMLValue {
        if isNullSpelling(text) { return .null }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let int = parseInteger(text) { return .int(int) }
        if isFloatSyntax(text), let d = Double(text) { return .double(d) }
        return .string(text)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+` (YAML 1.2 core); nil when out of range too.
    static func parseInteger(_ text: String) -> Int64? {
        if text.hasPrefix("0x"), text.count > 2 { return Int64(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o"), text.count > 2 { return Int64(text.dropFirst(2), radix: 8) }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloatSyntax(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if let f = chars.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { chars = chars.dropFirst() }
        func digitRun() -> Int {
            var n = 0
            while let c = chars.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { chars = chars.dropFirst(); n += 1 }
            return n
        }
        let intDigits = digitRun()
        var fracDigits = 0
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            fracDigits = digitRun()
        }
        guard intDigits > 0 || fracDigits > 0 else { return false }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let s = chars.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { chars = chars.dropFirst() }
            guard digitRun() > 0 else { return false }
        }
        return chars.isEmpty
    }
}

extension YAMLValue {
    /// Equality where `.nan` equals `.nan`, as the same text reads back: what an edit's result
    /// is checked with.
    func isSame(as other: YAMLValue) -> Bool {
        switch (self, other) {
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.sequence(let xs), .sequence(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.isSame(as: $1) }
        case (.mapping(let xs), .mapping(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.key == $1.key && $0.value.isSame(as: $1.value) }
        default: return self == other
        }
    }
}

extension YAMLValue: Encodable {
    /// Encodes the tree as itself: mappings as keyed containers (in order), lists as unkeyed ones.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .sequence(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .mapping(let pairs):
            var c = encoder.container(keyedBy: AnyKey.self)
            for pair in pairs { try c.encode(pair.value, forKey: AnyKey(stringValue: pair.key)) }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
