/// A validating reader of strict JSON (RFC 8259) over UTF-8 bytes; it builds no values.
///
/// Foundation's parser takes some documents other readers refuse (a trailing comma), and silently
/// keeps one of two equal keys, which in `paths` would drop an operation. This one refuses both,
/// and says where, by line and column.
struct StrictJSONReader {
    /// What a value is, as far as the caller asks.
    enum Kind: Equatable { case object, array, string, number, literal }

    struct SyntaxError: Error {
        let message: String
        let line: Int
        let column: Int
    }

    /// Nesting deeper than this is refused rather than risk the stack.
    private static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the whole input as one value; answers the kinds of its keys' values when it is an
    /// object, nil otherwise.
    mutating func document() throws(SyntaxError) -> [String: Kind]? {
        skipWhitespace()
        var topLevel: [String: Kind] = [:]
        let kind = try value(collectingInto: &topLevel)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describe(index)) after the document") }
        return kind == .object ? topLevel : nil
    }

    /// Reads one value; for an object, records its keys' kinds in `keys`.
    private mutating func value(collectingInto keys: inout [String: Kind]) throws(SyntaxError) -> Kind {
        guard index < bytes.count else { throw error("the document ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try object(collectingInto: &keys)
            return .object
        case UInt8(ascii: "["):
            try array()
            return .array
        case UInt8(ascii: "\""):
            _ = try string()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return .number
        case UInt8(ascii: "t"): try word("true")
        case UInt8(ascii: "f"): try word("false")
        case UInt8(ascii: "n"): try word("null")
        default: throw error("expected a value, found \(describe(index))")
        }
        return .literal
    }

    private mutating func object(collectingInto keys: inout [String: Kind]) throws(SyntaxError) {
        try enter()
        index += 1
        skipWhitespace()
        if consume("}") { depth -= 1; return }
        var seen: Set<String> = []
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a key in quotes, found \(describe(index))")
            }
            let keyStart = index
            let key = try string()
            guard seen.insert(key).inserted else {
                index = keyStart
                throw error("the key \"\(key)\" appears twice in one object")
            }
            skipWhitespace()
            guard consume(":") else { throw error("expected ':' after a key, found \(describe(index))") }
            skipWhitespace()
            var ignored: [String: Kind] = [:]
            keys[key] = try value(collectingInto: &ignored)
            skipWhitespace()
            if consume("}") { break }
            guard consume(",") else { throw error("expected ',' or '}' in an object, found \(describe(index))") }
        }
        depth -= 1
    }

    private mutating func array() throws(SyntaxError) {
        try enter()
        index += 1
        skipWhitespace()
        if consume("]") { depth -= 1; return }
        while true {
            skipWhitespace()
            var ignored: [String: Kind] = [:]
            _ = try value(collectingInto: &ignored)
            skipWhitespace()
            if consume("]") { break }
            guard consume(",") else { throw error("expected ',' or ']' in an array, found \(describe(index))") }
        }
        depth -= 1
    }

    /// Reads a string from its opening quote; answers its text with the escapes as written.
    private mutating func string() throws(SyntaxError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    index += 1
                    for _ in 0..<4 {
                        guard index < bytes.count, isHexDigit(bytes[index]) else {
                            throw error("\\u needs four hex digits")
                        }
                        index += 1
                    }
                default:
                    throw error("unknown escape \\\(describe(index))")
                }
            case 0x00..<0x20:
                throw error("a control character (\(describe(index))) in a string must be escaped")
            default:
                index += 1
            }
        }
        throw error("the document ends inside a string")
    }

    private mutating func number() throws(SyntaxError) {
        _ = consume("-")
        if consume("0") {
            // No leading zeros.
        } else {
            guard digits() > 0 else { throw error("expected a digit, found \(describe(index))") }
        }
        if consume(".") {
            guard digits() > 0 else { throw error("expected a digit after '.', found \(describe(index))") }
        }
        if consume("e") || consume("E") {
            _ = consume("+") || consume("-")
            guard digits() > 0 else { throw error("expected a digit in the exponent, found \(describe(index))") }
        }
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func word(_ word: String) throws(SyntaxError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("expected \(word), found \(describe(index))") }
            index += 1
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) deep") }
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    /// The byte at `position` as the message shows it.
    private func describe(_ position: Int) -> String {
        guard position < bytes.count else { return "the end of the document" }
        let byte = bytes[position]
        if (0x21..<0x7F).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    /// An error at the current position, with its 1-based line and column (in characters).
    private func error(_ message: String) -> SyntaxError {
        let end = min(index, bytes.count)
        let lineStart = bytes[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = 1 + bytes[..<lineStart].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = 1 + String(decoding: bytes[lineStart..<end], as: UTF8.self).count
        return SyntaxError(message: message, line: line, column: column)
    }
}
