/// A message of strongSwan's VICI protocol: named entries in order, each a value (bytes), a
/// list of values, or a section holding a message of its own.
///
/// Written as a literal in the order charon expects:
/// `["version": "2", "local_addrs": ["0.0.0.0/0"], "local": .section(["auth": "pubkey"])]`.
public struct VICIMessage: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public enum Value: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
        case value([UInt8])
        case list([[UInt8]])
        case section(VICIMessage)

        public init(stringLiteral text: String) { self = .value(Array(text.utf8)) }

        public init(arrayLiteral items: String...) { self = .list(items.map { Array($0.utf8) }) }

        /// A list of texts.
        public static func strings(_ items: [String]) -> Value { .list(items.map { Array($0.utf8) }) }

        /// A text value.
        public static func string(_ text: String) -> Value { .value(Array(text.utf8)) }
    }

    public struct Entry: Hashable, Sendable {
        public var name: String
        public var value: Value
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public init(dictionaryLiteral elements: (String, Value)...) {
        entries = elements.map { Entry(name: $0.0, value: $0.1) }
    }

    /// The first entry named `name`.
    public subscript(name: String) -> Value? { entries.first { $0.name == name }?.value }

    /// Entry `name` as text, when it is a value.
    public func string(_ name: String) -> String? {
        guard case .value(let bytes) = self[name] else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Entry `name` as texts, when it is a list.
    public func strings(_ name: String) -> [String]? {
        guard case .list(let items) = self[name] else { return nil }
        return items.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Entry `name` when it is a section.
    public func section(_ name: String) -> VICIMessage? {
        guard case .section(let message) = self[name] else { return nil }
        return message
    }

    public mutating func append(_ name: String, _ value: Value) { entries.append(Entry(name: name, value: value)) }
}

extension VICIMessage {
    private enum Element: UInt8 {
        case sectionStart = 1, sectionEnd, keyValue, listStart, listItem, listEnd
    }

    /// Sections deeper than this are refused: charon's own messages nest four or five deep.
    static let depthLimit = 32

    /// The message's bytes.
    /// - Throws: ``VICIError/malformed(_:)`` for a name over 255 bytes or a value over 65535.
    func encoded() throws(VICIError) -> [UInt8] {
        var bytes: [UInt8] = []
        try encode(into: &bytes)
        return bytes
    }

    private func encode(into bytes: inout [UInt8]) throws(VICIError) {
        for entry in entries {
            switch entry.value {
            case .value(let value):
                bytes.append(Element.keyValue.rawValue)
                try Self.appendName(entry.name, to: &bytes)
                try Self.appendValue(value, of: entry.name, to: &bytes)
            case .list(let items):
                bytes.append(Element.listStart.rawValue)
                try Self.appendName(entry.name, to: &bytes)
                for item in items {
                    bytes.append(Element.listItem.rawValue)
                    try Self.appendValue(item, of: entry.name, to: &bytes)
                }
                bytes.append(Element.listEnd.rawValue)
            case .section(let inner):
                bytes.append(Element.sectionStart.rawValue)
                try Self.appendName(entry.name, to: &bytes)
                try inner.encode(into: &bytes)
                bytes.append(Element.sectionEnd.rawValue)
            }
        }
    }

    static func appendName(_ name: String, to bytes: inout [UInt8]) throws(VICIError) {
        let utf8 = Array(name.utf8)
        guard utf8.count <= 255 else { throw .malformed("name \(name.prefix(40))… is over 255 bytes") }
        bytes.append(UInt8(utf8.count))
        bytes += utf8
    }

    private static func appendValue(_ value: [UInt8], of name: String, to bytes: inout [UInt8]) throws(VICIError) {
        guard value.count <= 0xFFFF else { throw .malformed("the value of \(name) is over 65535 bytes") }
        bytes += [UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
        bytes += value
    }

    /// Reads a message that fills `bytes`.
    /// - Throws: ``VICIError/malformed(_:)`` for a length past the end, an unknown element, an
    ///   element out of place (a list item outside a list, an end without its start), sections
    ///   nested deeper than ``depthLimit``, or a section or list left open.
    init(decoding bytes: ArraySlice<UInt8>) throws(VICIError) {
        var reader = VICIReader(bytes)
        self = try Self.decode(&reader, depth: 0)
    }

    private static func decode(_ reader: inout VICIReader, depth: Int) throws(VICIError) -> VICIMessage {
        var message = VICIMessage()
        while !reader.isAtEnd {
            guard let element = Element(rawValue: try reader.byte()) else { throw .malformed("unknown element type") }
            switch element {
            case .keyValue:
                message.append(try reader.name(), .value(try reader.value()))
            case .listStart:
                let name = try reader.name()
                var items: [[UInt8]] = []
                while true {
                    guard let next = Element(rawValue: try reader.byte()) else { throw .malformed("unknown element type in list \(name)") }
                    if next == .listEnd { break }
                    guard next == .listItem else { throw .malformed("a \(next) inside list \(name)") }
                    items.append(try reader.value())
                }
                message.append(name, .list(items))
            case .sectionStart:
                guard depth < depthLimit else { throw .malformed("sections nested deeper than \(depthLimit)") }
                let name = try reader.name()
                let inner = try decode(&reader, depth: depth + 1)
                guard reader.lastWasSectionEnd else { throw .malformed("section \(name) is not closed") }
                reader.lastWasSectionEnd = false
                message.append(name, .section(inner))
            case .sectionEnd:
                guard depth > 0 else { throw .malformed("a section end with no section open") }
                reader.lastWasSectionEnd = true
                return message
            case .listItem, .listEnd:
                throw .malformed("a list element outside any list")
            }
        }
        return message
    }
}

/// Reads VICI's length-prefixed names and values, every length checked against the bytes.
struct VICIReader {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int
    /// Set when a nested decode returned on a section end (rather than the bytes running out).
    var lastWasSectionEnd = false

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var isAtEnd: Bool { offset >= bytes.endIndex }

    mutating func byte() throws(VICIError) -> UInt8 {
        guard offset < bytes.endIndex else { throw .malformed("the message ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A name: charon's are ASCII, so one that is not UTF-8 is refused rather than repaired.
    mutating func name() throws(VICIError) -> String {
        guard let name = String(validating: try take(Int(try byte())), as: UTF8.self) else {
            throw .malformed("a name that is not UTF-8")
        }
        return name
    }

    mutating func value() throws(VICIError) -> [UInt8] {
        let length = Int(try byte()) << 8 | Int(try byte())
        return Array(try take(length))
    }

    mutating func rest() -> ArraySlice<UInt8> {
        defer { offset = bytes.endIndex }
        return bytes[offset...]
    }

    private mutating func take(_ count: Int) throws(VICIError) -> ArraySlice<UInt8> {
        guard bytes.endIndex - offset >= count else { throw .malformed("a length of \(count) past the end") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
}
