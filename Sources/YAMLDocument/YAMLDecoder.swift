/// Decodes `Decodable` types from a positioned tree and reports every problem at once.
///
/// Type errors inside `decodeIfPresent` are recorded and the field is treated as absent, so one
/// pass finds them all. Keys that no type asked for are reported as unknown: a typo in a config
/// file is an error, not a silently ignored setting. Each ``YAMLDecodingIssue`` carries the path
/// and the position in the text.
public struct YAMLDecoder: Sendable {
    public init() {}

    /// Decodes `type` from `document`; an empty document decodes as an empty mapping.
    /// - Throws: ``YAMLDecodingError`` listing every issue, in text order.
    public func decode<T: Decodable>(_ type: T.Type, from document: YAMLDocument) throws(YAMLDecodingError) -> T {
        let (value, issues) = decodeCollectingIssues(type, from: document)
        if let value, issues.isEmpty { return value }
        throw YAMLDecodingError(issues: issues)
    }

    /// Decodes as much of `type` as possible: wrong or unknown fields are reported and left at
    /// their defaults, so later checks can still run over the rest and every problem is listed at
    /// once. The value is `nil` only when the top level itself could not be decoded.
    public func decodeCollectingIssues<T: Decodable>(_ type: T.Type,
                                                     from document: YAMLDocument) -> (T?, [YAMLDecodingIssue]) {
        decode(type, from: document, context: DecodingContext(document: document))
    }

    /// ``decodeCollectingIssues(_:from:)``, taking values of ``YAMLReusableDecodable`` types from
    /// `memo` where their text is unchanged; afterwards `memo` holds this document's values.
    public func decodeCollectingIssues<T: Decodable>(_ type: T.Type, from document: YAMLDocument,
                                                     reusing memo: inout YAMLDecodeMemo) -> (T?, [YAMLDecodingIssue]) {
        let context = DecodingContext(document: document, earlier: memo)
        let result = decode(type, from: document, context: context)
        memo.lists = context.lists
        return result
    }

    private func decode<T: Decodable>(_ type: T.Type, from document: YAMLDocument,
                                      context: DecodingContext) -> (T?, [YAMLDecodingIssue]) {
        let root = document.root ?? YAMLNode(content: .mapping([]), start: YAMLMark(offset: 0, line: 1, column: 1),
                                             end: YAMLMark(offset: 0, line: 1, column: 1))
        let decoder = NodeDecoder(node: root, path: .root, context: context)
        var result: T?
        do {
            result = try T(from: decoder)
        } catch {
            context.record(error, at: .root, node: root)
        }
        context.reportUnknownKeys()
        return (result, context.issues.sorted { $0.mark < $1.mark })
    }
}

/// One thing wrong with a document's content, with its place.
public struct YAMLDecodingIssue: Sendable, Equatable, CustomStringConvertible {
    public var path: YAMLPath
    public var mark: YAMLMark
    public var message: String

    public var description: String { "\(mark): \(path): \(message)" }
}

/// Every issue a decode found.
public struct YAMLDecodingError: Error, Sendable, Equatable {
    public var issues: [YAMLDecodingIssue]
}

/// Shared by all containers of one decode: issues found and keys consulted.
final class DecodingContext {
    let document: YAMLDocument
    var issues: [YAMLDecodingIssue] = []
    /// Mappings opened as keyed containers, by path, with the keys some type asked about.
    var consulted: [YAMLPath: (node: YAMLNode, keys: Set<String>)] = [:]
    private var reported: Set<YAMLPath> = []
    /// Values to reuse (``YAMLDecodeMemo``), or `nil` when this decode keeps none.
    let earlier: YAMLDecodeMemo?
    /// This document's lists of reusable values, for the next revision.
    var lists: [YAMLPath: YAMLDecodeMemo.List] = [:]
    /// The list whose items this context decodes, if it is one's.
    var list: ListDecode?

    init(document: YAMLDocument, earlier: YAMLDecodeMemo? = nil) {
        self.document = document
        self.earlier = earlier
    }

    /// Takes in what a nested context (one reusable node's) found.
    func absorb(_ nested: DecodingContext) {
        issues += nested.issues
        lists.merge(nested.lists) { _, new in new }
    }

    func record(_ error: any Error, at path: YAMLPath, node: YAMLNode) {
        if error is AlreadyRecorded { return }
        let message: String
        var where_ = path
        if let decoding = error as? DecodingError {
            switch decoding {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
                message = c.debugDescription
            @unknown default:
                message = "\(decoding)"
            }
        } else if let located = error as? LocatedDecodingError {
            message = located.message
            where_ = located.path
        } else {
            message = "\(error)"
        }
        guard !reported.contains(where_) else { return }
        reported.insert(where_)
        let mark = where_ == path ? node.start : document.mark(for: where_)
        issues.append(YAMLDecodingIssue(path: where_, mark: mark, message: message))
    }

    func consult(_ key: String, in path: YAMLPath) {
        consulted[path]?.keys.insert(key)
    }

    func reportUnknownKeys() {
        for (path, entry) in consulted {
            guard case .mapping(let entries) = entry.node.content else { continue }
            let known = entry.keys
            for e in entries where !known.contains(e.name) {
                let suggestion = closest(to: e.name, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
                issues.append(YAMLDecodingIssue(path: path.appending(key: e.name), mark: e.key.start,
                                                message: "unknown key \"\(e.name)\"\(suggestion)"))
            }
        }
    }

    /// The known key nearest to a misspelling, when it is near enough to be the intent.
    private func closest(to name: String, in known: Set<String>) -> String? {
        let scored = known.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= max(2, name.count / 3) }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// Thrown after an issue was recorded, to unwind without recording it twice.
struct AlreadyRecorded: Error {}

/// An error a model's `init(from:)` can throw to point at one of its fields.
public struct LocatedDecodingError: Error, Sendable {
    public var path: YAMLPath
    public var message: String
    public init(path: YAMLPath, message: String) {
        self.path = path
        self.message = message
    }
}

/// A `Decoder` positioned on one node.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let path: YAMLPath
    let context: DecodingContext

    var codingPath: [any CodingKey] { path.components.map(PathKey.init) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The path of this node, for a model's ``LocatedDecodingError``.
    func fail(_ message: String) -> any Error {
        context.record(LocatedDecodingError(path: path, message: message), at: path, node: node)
        return AlreadyRecorded()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node.content {
        case .mapping(let entries):
            if context.consulted[path] == nil { context.consulted[path] = (node, []) }
            return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, entries: entries))
        case .scalar where node.isNull:
            return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, entries: []))
        default:
            throw fail("expected a mapping of keys and values, found \(node.kindName)")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node.content {
        case .sequence(let items):
            return UnkeyedNodeContainer(decoder: self, items: items)
        case .scalar where node.isNull:
            return UnkeyedNodeContainer(decoder: self, items: [])
        default:
            throw fail("expected a list, found \(node.kindName)")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func child(_ node: YAMLNode, _ component: YAMLPath.Component) -> NodeDecoder {
        NodeDecoder(node: node, path: path.appending(component), context: context)
    }

    // MARK: Scalars

    func decodeScalar<T>(_ type: T.Type) throws -> T where T: Decodable {
        if type is String.Type {  // the common case, without resolving numbers
            guard let s = node.scalar, !s.isNull else { throw fail("expected a text value, found \(node.kindName)") }
            return try cast(s.text)
        }
        let value = node.value
        switch type {
        case is Bool.Type:
            guard case .bool(let b) = value else { throw fail("expected true or false, found \(node.describedValue)") }
            return try cast(b)
        case is Double.Type, is Float.Type:
            let d: Double
            switch value {
            case .int(let i): d = Double(i)
            case .double(let x): d = x
            default: throw fail("expected a number, found \(node.describedValue)")
            }
            return try type == Float.self ? cast(Float(d)) : cast(d)
        default:
            return try decodeInteger(type)
        }
    }

    private func decodeInteger<T>(_ type: T.Type) throws -> T {
        guard case .int(let i) = node.value else { throw fail("expected a whole number, found \(node.describedValue)") }
        func fit<I: FixedWidthInteger>(_: I.Type) throws -> T {
            guard let v = I(exactly: i) else { throw fail("\(i) is out of range; use \(I.min)...\(I.max)") }
            return try cast(v)
        }
        switch type {
        case is Int.Type: return try fit(Int.self)
        case is Int64.Type: return try fit(Int64.self)
        case is Int32.Type: return try fit(Int32.self)
        case is Int16.Type: return try fit(Int16.self)
        case is Int8.Type: return try fit(Int8.self)
        case is UInt.Type: return try fit(UInt.self)
        case is UInt64.Type: return try fit(UInt64.self)
        case is UInt32.Type: return try fit(UInt32.self)
        case is UInt16.Type: return try fit(UInt16.self)
        case is UInt8.Type: return try fit(UInt8.self)
        default: throw fail("cannot read a \(type) here")
        }
    }

    static let scalarTypes: [Any.Type] = [
        String.self, Bool.self, Double.self, Float.self, Int.self, Int64.self, Int32.self, Int16.self, Int8.self,
        UInt.self, UInt64.self, UInt32.self, UInt16.self, UInt8.self,
    ]

    func decodeAny<T: Decodable>(_ type: T.Type) throws -> T {
        if Self.scalarTypes.contains(where: { $0 == type }) { return try decodeScalar(type) }
        if context.earlier != nil, type is any YAMLReusableDecodable.Type {
            if node.kind.kind != .scalar { return try decodeReusing(type) }
        }
        return try T(from: self)
    }

    /// `value` as `T`, which the callers' type switches guarantee.
    private func cast<T>(_ value: Any) throws -> T {
        guard let typed = value as? T else { throw fail("cannot read a \(T.self) here") }
        return typed
    }
}

private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ component: YAMLPath.Component) {
        switch component {
        case .key(let k): stringValue = k; intValue = nil
        case .index(let i): stringValue = "\(i)"; intValue = i
        }
    }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

extension YAMLNode {
    /// "a mapping", "a list", or "a text value", for messages.
    var kindName: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return value == .null ? "nothing (null)" : "\(describedValue)"
        }
    }

    /// The value as the user wrote it, quoted, for messages.
    var describedValue: String {
        switch content {
        case .scalar(let s): return value == .null ? "nothing (null)" : "\"\(s.text)\""
        default: return kindName
        }
    }
}
