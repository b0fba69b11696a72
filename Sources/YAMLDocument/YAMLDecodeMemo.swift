import Glibc

/// A type whose values the decoder may take from a ``YAMLDecodeMemo`` instead of decoding them:
/// its decoding must depend on nothing but the node's text (true of every `Decodable` here, as
/// the documents have no anchors, aliases or custom tags).
public protocol YAMLReusableDecodable: Decodable, Sendable {}

/// A list of reusable values is one too: when an edit leaves ten thousand rules as they were,
/// the whole list is taken at once, and its storage is the one the last revision had (so
/// comparing it with that revision's list is immediate).
extension Array: YAMLReusableDecodable where Element: YAMLReusableDecodable {}

/// The lists of ``YAMLReusableDecodable`` values decoded from one document, by path, with where
/// each item's text was: an edit that changes one user of 100,000 decodes that one user and
/// takes the others from the revision before.
///
/// A list or item is taken again when its text is the same byte for byte, starting in the same
/// column (further lines' indentation means something relative to it), and it decoded without
/// any issue. Items are matched in order, a few places either way, so a change, an insertion or
/// a removal costs one comparison of each item's bytes, and no hashing.
public struct YAMLDecodeMemo: Sendable {
    /// The lists of the last decode.
    var lists: [YAMLPath: List] = [:]

    public init() {}

    /// Lists and items that would be taken again if their text stays the same.
    public var count: Int {
        lists.values.reduce(0) { $0 + ($1.isClean ? 1 : 0) + $1.items.count { $0.isClean } }
    }

    /// One list as decoded: its text's place, its value and its items' places.
    struct List: Sendable {
        /// The text of the document it was decoded from, shared with that document.
        let bytes: [UInt8]
        let start: Int
        let length: Int
        let column: Int
        /// The decoded list (an array), whose elements are the items in order.
        let value: any YAMLReusableDecodable
        /// Decoded without any issue, so the whole value may be taken.
        let isClean: Bool
        let items: [Item]

        /// The same list found at `start` of `bytes`, whose text there is this list's.
        func moved(to bytes: [UInt8], start: Int) -> List {
            List(bytes: bytes, start: start, length: length, column: column, value: value, isClean: isClean, items: items)
        }

        /// Whether `node` of `bytes` has this list's text, in its column.
        func matches(_ node: YAMLNode, in other: [UInt8]) -> Bool {
            node.start.column == column
                && Self.equal(other, node.start.offset, bytes, start, count: node.end.offset - node.start.offset, length)
        }

        /// Whether `node` of `other` has the text of item `i`, in its column.
        func item(_ i: Int, matches node: YAMLNode, in other: [UInt8]) -> Bool {
            let item = items[i]
            return item.isClean && node.start.column == Int(item.column)
                && Self.equal(other, node.start.offset, bytes, start + Int(item.offset),
                              count: node.end.offset - node.start.offset, Int(item.length))
        }

        private static func equal(_ a: [UInt8], _ i: Int, _ b: [UInt8], _ j: Int, count: Int, _ length: Int) -> Bool {
            guard count == length, i >= 0, j >= 0, i + count <= a.count, j + count <= b.count else { return false }
            return count == 0 || a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in memcmp(a.baseAddress! + i, b.baseAddress! + j, count) == 0 }
            }
        }
    }

    /// Where an item's text was, relative to its list's start (12 bytes for each of 100,000).
    struct Item: Sendable {
        let offset: Int32
        let length: Int32
        let column: Int32
        let isClean: Bool

        init(_ node: YAMLNode, in list: Int, isClean: Bool) {
            offset = Int32(clamping: node.start.offset - list)
            length = Int32(clamping: node.end.offset - node.start.offset)
            column = Int32(clamping: node.start.column)
            self.isClean = isClean
        }
    }
}

/// The decode of one list in progress: the same list's last revision, how far its items were
/// matched, and the new items' places.
final class ListDecode {
    let old: YAMLDecodeMemo.List?
    /// How many path components the list's items have.
    let itemDepth: Int
    let start: Int
    private(set) var items: [YAMLDecodeMemo.Item] = []
    private var cursor = 0
    /// How many old items past the cursor an item is looked for: a run of removals longer than
    /// this decodes the items after it again.
    private static let reach = 8

    init(old: YAMLDecodeMemo.List?, node: YAMLNode, path: YAMLPath, count: Int) {
        self.old = old
        itemDepth = path.components.count + 1
        start = node.start.offset
        items.reserveCapacity(count)
    }

    /// The last revision's value of `node`, the next item, when an item near the cursor had its text.
    func reused<T>(_ node: YAMLNode, in bytes: [UInt8]) -> T? {
        guard let old, let values = old.value as? [T] else { return nil }
        for i in cursor..<min(cursor + Self.reach, old.items.count) where old.item(i, matches: node, in: bytes) {
            cursor = i + 1
            record(node, isClean: true)
            return values[i]
        }
        return nil
    }

    func record(_ node: YAMLNode, isClean: Bool) {
        items.append(YAMLDecodeMemo.Item(node, in: start, isClean: isClean))
    }
}

extension NodeDecoder {
    /// Decodes a list or list item of a reusable type: from the last revision when the same text
    /// was decoded cleanly there, otherwise in a context of its own, so its issues (unknown keys
    /// included) are known before it is kept.
    func decodeReusing<T: Decodable>(_ type: T.Type) throws -> T {
        let (kind, count) = node.kind
        if kind == .sequence { return try decodeList(type, count: count) }
        guard let list = context.list, path.components.count == list.itemDepth else { return try T(from: self) }
        if let value: T = list.reused(node, in: context.document.lines.bytes) { return value }
        let (value, own) = decodeOwn(type, list: nil)
        list.record(node, isClean: value != nil && own.issues.isEmpty)
        context.absorb(own)
        guard let value else { throw AlreadyRecorded() }
        return value
    }

    private func decodeList<T: Decodable>(_ type: T.Type, count: Int) throws -> T {
        let bytes = context.document.lines.bytes
        let old = context.earlier?.lists[path]
        if let old, old.isClean, old.matches(node, in: bytes), let value = old.value as? T {
            context.lists[path] = old.moved(to: bytes, start: node.start.offset)
            return value
        }
        let (value, own) = decodeOwn(type, list: ListDecode(old: old, node: node, path: path, count: count))
        if let value, let reusable = value as? any YAMLReusableDecodable, let list = own.list, list.items.count == count {
            own.lists[path] = YAMLDecodeMemo.List(bytes: bytes, start: node.start.offset,
                                                  length: node.end.offset - node.start.offset, column: node.start.column,
                                                  value: reusable, isClean: own.issues.isEmpty, items: list.items)
        }
        context.absorb(own)
        guard let value else { throw AlreadyRecorded() }
        return value
    }

    /// `type` decoded in a context of its own, which holds its issues.
    private func decodeOwn<T: Decodable>(_ type: T.Type, list: ListDecode?) -> (T?, DecodingContext) {
        let own = DecodingContext(document: context.document, earlier: context.earlier)
        own.list = list
        var value: T?
        do {
            value = try T(from: NodeDecoder(node: node, path: path, context: own))
        } catch {
            own.record(error, at: path, node: node)
        }
        own.reportUnknownKeys()
        return (value, own)
    }
}
