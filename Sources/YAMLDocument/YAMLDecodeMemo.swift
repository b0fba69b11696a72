import Glibc

/// A type whose values the decoder may take from a ``YAMLDecodeMemo`` instead of decoding them:
/// its decoding must depend on nothing but the node's text (true of every `Decodable` here, as
/// the documents have no anchors, aliases or custom tags).
public protocol YAMLReusableDecodable: Decodable, Sendable {}

/// A list of reusable values is one too: when an edit leaves ten thousand rules as they were,
/// the whole list is taken at once, and its storage is the one the last revision had (so
/// comparing it with that revision's list is immediate).
extension Array: YAMLReusableDecodable where Element: YAMLReusableDecodable {}

/// Values of ``YAMLReusableDecodable`` types decoded from one document, found again by the text
/// of their node: an edit that changes one user of 100,000 decodes that one user, and reuses the
/// others from the revision before.
///
/// Only values decoded without any issue are kept; a node whose text is the same byte for byte,
/// starting in the same column (its further lines' indentation means something relative to it),
/// decodes to the same value. Holds the entries of the last document decoded with it.
public struct YAMLDecodeMemo: Sendable {
    /// Values decoded or taken by the last decode.
    var entries: [Key: Entry] = [:]
    /// The items of the lists the last decode took whole, one table per list, shared with the
    /// list's entry rather than copied item by item.
    var carried: [[Key: Entry]] = []

    /// A value kept, with the values inside it that were reusable themselves: a list taken whole
    /// keeps its items for the next revision, which may change one of them.
    struct Entry: Sendable {
        let value: any YAMLReusableDecodable
        let parts: [Key: Entry]
    }

    public init() {}

    /// Values kept.
    public var count: Int { entries.count + carried.reduce(0) { $0 + $1.count } }

    subscript(key: Key) -> Entry? {
        if let entry = entries[key] { return entry }
        for table in carried {
            if let entry = table[key] { return entry }
        }
        return nil
    }

    /// A node's type, column and text (a range of its document's text, not a copy), with the
    /// hash of all three computed once.
    struct Key: Hashable, Sendable {
        let type: ObjectIdentifier
        let column: Int
        let text: String
        let range: Range<Int>
        private let hash: Int

        init(type: ObjectIdentifier, column: Int, text: String, range: Range<Int>) {
            self.type = type
            self.column = column
            self.text = text
            self.range = range
            var hasher = Hasher()
            hasher.combine(type)
            hasher.combine(column)
            Self.withBytes(of: text, in: range) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hash = hasher.finalize()
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            guard lhs.hash == rhs.hash, lhs.type == rhs.type, lhs.column == rhs.column,
                  lhs.range.count == rhs.range.count else { return false }
            return withBytes(of: lhs.text, in: lhs.range) { left in
                withBytes(of: rhs.text, in: rhs.range) { right in
                    left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
                }
            }
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }

        private static func withBytes<R>(of text: String, in range: Range<Int>,
                                         _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeBufferPointer(rebasing: $0[range])) }) {
                return result
            }
            return Array(text.utf8).withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }
}

extension NodeDecoder {
    /// Decodes a mapping or list of a reusable type: from the memo when the same text was
    /// decoded cleanly before, otherwise in a context of its own, so its issues (unknown keys
    /// included) are known before it is kept.
    func decodeReusing<T: Decodable>(_ type: T.Type) throws -> T {
        let key = YAMLDecodeMemo.Key(type: ObjectIdentifier(type), column: node.start.column,
                                     text: context.document.text, range: node.start.offset..<node.end.offset)
        if let kept = context.earlier?[key] ?? context.reused[key], let value = kept.value as? T {
            context.reused[key] = kept
            if !kept.parts.isEmpty { context.carried.append(kept.parts) }
            return value
        }
        let own = DecodingContext(document: context.document, earlier: context.earlier)
        if case .sequence(let items) = node.content { own.reused.reserveCapacity(items.count) }
        var value: T?
        do {
            value = try T(from: NodeDecoder(node: node, path: path, context: own))
        } catch {
            own.record(error, at: path, node: node)
        }
        own.reportUnknownKeys()
        guard own.issues.isEmpty, let value, let reusable = value as? any YAMLReusableDecodable else {
            context.absorb(own)  // the items found clean are kept on their own
            if let value { return value }
            throw AlreadyRecorded()
        }
        // Kept once, as the value's parts: the next decode finds the items there (as those of a
        // list taken whole) when the value itself changed, so they need no table of their own.
        let parts = own.carried.reduce(own.reused) { all, table in all.merging(table) { kept, _ in kept } }
        context.reused[key] = YAMLDecodeMemo.Entry(value: reusable, parts: parts)
        if !parts.isEmpty { context.carried.append(parts) }
        return value
    }
}
