import Glibc

/// A type whose values the decoder may take from a ``YAMLDecodeMemo`` instead of decoding them:
/// its decoding must depend on nothing but the node's text (true of every `Decodable` here, as
/// the documents have no anchors, aliases or custom tags).
public protocol YAMLReusableDecodable: Decodable, Sendable {}

/// Values of ``YAMLReusableDecodable`` types decoded from one document, found again by the text
/// of their node: an edit that changes one user of 100,000 decodes that one user, and reuses the
/// others from the revision before.
///
/// Only values decoded without any issue are kept; a node whose text is the same byte for byte,
/// starting in the same column (its further lines' indentation means something relative to it),
/// decodes to the same value. Holds the entries of the last document decoded with it.
public struct YAMLDecodeMemo: Sendable {
    var entries: [Key: any YAMLReusableDecodable] = [:]

    public init() {}

    /// Values kept.
    public var count: Int { entries.count }

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
    /// Decodes a mapping of a reusable type: from the memo when the same text was decoded
    /// cleanly before, otherwise in a context of its own, so its issues (unknown keys included)
    /// are known before it is kept.
    func decodeReusing<T: Decodable>(_ type: T.Type) throws -> T {
        let key = YAMLDecodeMemo.Key(type: ObjectIdentifier(type), column: node.start.column,
                                     text: context.document.text, range: node.start.offset..<node.end.offset)
        if let kept = context.earlier?[key] ?? context.reused[key], let value = kept as? T {
            context.reused[key] = kept
            return value
        }
        let own = DecodingContext(document: context.document, earlier: context.earlier)
        var value: T?
        do {
            value = try T(from: NodeDecoder(node: node, path: path, context: own))
        } catch {
            own.record(error, at: path, node: node)
        }
        own.reportUnknownKeys()
        context.absorb(own)
        guard let value else { throw AlreadyRecorded() }
        if own.issues.isEmpty { context.reused[key] = value as? any YAMLReusableDecodable }
        return value
    }
}
