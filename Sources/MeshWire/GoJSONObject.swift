/// Builds one compact JSON object the way Go's `encoding/json` writes a struct: keys in the order
/// they are added, `omitempty` left to the caller, and Go's string escaping (`<`, `>`, `&`,
/// U+2028 and U+2029 as `\uXXXX`), so what we send matches a v1.3 node byte for byte.
package struct GoJSONObject {
    private var text = "{"
    private var isEmpty = true

    package mutating func add(_ key: String, _ value: String) { addRaw(key, Self.quoted(value)) }
    package mutating func add(_ key: String, _ value: Bool) { addRaw(key, value ? "true" : "false") }
    package mutating func add(_ key: String, _ value: Int) { addRaw(key, String(value)) }
    package mutating func add(_ key: String, _ value: UInt64) { addRaw(key, String(value)) }

    /// Adds `json`, which the caller has already encoded (an array or nested object).
    package mutating func addRaw(_ key: String, _ json: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        text += Self.quoted(key) + ":" + json
    }

    package var json: String { text + "}" }

    package static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            default: out += scalar.value < 0x20 ? unicodeEscape(scalar.value) : String(scalar)
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
