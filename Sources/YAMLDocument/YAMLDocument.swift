/// A parsed YAML file: its text and a tree whose every node knows its position in that text.
///
/// Only what a configuration file needs is accepted: one document, no anchors or aliases, no
/// custom tags, scalar mapping keys, no duplicate keys, bounded size and depth. Anything else is a
/// ``YAMLError`` naming the line and column.
public struct YAMLDocument: Sendable {
    /// Largest text accepted, in bytes: a node's file is a few kilobytes, one with 100,000 users
    /// about 11 MiB; this leaves room for twice that and still bounds what a parse may cost.
    public static let maximumSize = 32 << 20
    /// Deepest nesting accepted; the config schema needs six levels. Also bounds every recursion
    /// over the tree (decoder, editor, value conversion).
    public static let maximumDepth = 64

    /// The text as parsed.
    public let text: String
    /// The document's top node, or `nil` for a file with no content (empty or comments only).
    public let root: YAMLNode?
    let lines: LineIndex

    /// Parses `text`.
    /// - Throws: ``YAMLError`` for a syntax error or for anything outside the accepted subset.
    public init(parsing text: String) throws(YAMLError) {
        let bytes = Array(text.utf8)
        let lines = LineIndex(bytes)
        guard bytes.count <= Self.maximumSize else {
            throw YAMLError(.tooLarge, "the file has \(bytes.count) bytes; at most \(Self.maximumSize) are accepted",
                            at: YAMLMark(offset: 0, line: 1, column: 1))
        }
        self.text = text
        self.lines = lines
        var builder = TreeBuilder(lines: lines)
        self.root = try builder.build()
    }

    /// The node at `path`, if every step exists.
    public func node(at path: YAMLPath) -> YAMLNode? {
        root?.node(at: path)
    }

    /// Where to point a user at for `path`: the node itself, or the deepest parent that exists.
    public func mark(for path: YAMLPath) -> YAMLMark {
        guard let root else { return YAMLMark(offset: 0, line: 1, column: 1) }
        var node = root
        var reached = true
        for component in path.components {
            guard let next = node.child(component) else { reached = false; break }
            node = next
        }
        if reached, path.last.map({ if case .key = $0 { return true } else { return false } }) == true,
           node.isEmptyScalar, let entry = entry(at: path) {
            return entry.key.start
        }
        return node.start
    }

    /// The mapping entry named by the last step of `path`.
    func entry(at path: YAMLPath) -> YAMLNode.Entry? {
        guard case .key(let k)? = path.last, let parent = node(at: path.parent),
              case .mapping(let entries) = parent.content else { return nil }
        return entries.first { $0.name == k }
    }

    /// The plain value of the whole document (`null` when it has no content).
    public var value: YAMLValue { root?.value ?? .null }
}

/// Turns libyaml's event stream into a positioned tree, without recursion.
private struct TreeBuilder {
    let lines: LineIndex

    /// An open collection. Children are appended in place (`stack[top]`), never through a copy
    /// of the frame, so a list of n items costs O(n) to build, not O(n²).
    private struct Frame {
        enum Kind { case mapping, sequence }
        let kind: Kind
        let start: YAMLMark
        let isFlow: Bool
        var entries: [YAMLNode.Entry] = []
        /// Names of `entries`, for the duplicate-key check.
        var names: Set<String> = []
        /// A mapping's key waiting for its value.
        var key: YAMLNode?
        var items: [YAMLNode] = []

        /// True for a mapping whose next child is a key.
        var awaitsKey: Bool { kind == .mapping && key == nil }
    }
    private var stack: [Frame] = []

    init(lines: LineIndex) { self.lines = lines }

    mutating func build() throws(YAMLError) -> YAMLNode? {
        let reader = EventReader(bytes: lines.bytes)
        var root: YAMLNode?
        var documents = 0
        while true {
            let event: ParseEvent
            do {
                event = try reader.next()
            } catch {
                throw YAMLError(.syntax, "invalid YAML: \(error.message)",
                                at: lines.mark(line: error.line, column: error.column))
            }
            let start = lines.mark(line: event.start.line, column: event.start.column)
            let end = lines.mark(line: event.end.line, column: event.end.column)
            if event.anchor != nil {
                throw YAMLError(.anchor, "anchors (&name) are not supported; write the value out in full", at: start)
            }
            var finished: YAMLNode?
            switch event.kind {
            case .streamStart, .documentEnd:
                continue
            case .streamEnd:
                return root
            case .documentStart:
                documents += 1
                if documents > 1 {
                    throw YAMLError(.multipleDocuments,
                                    "a second document (---) is not supported; keep the whole configuration in one document",
                                    at: start)
                }
                continue
            case .alias:
                throw YAMLError(.alias, "aliases (*name) are not supported; write the value out in full", at: start)
            case .scalar(let text, let style, let tag):
                let isString = try checkTag(tag, at: start, allowed: ["tag:yaml.org,2002:str"])
                let scalar = YAMLScalar(text: text, style: style, isTaggedString: isString)
                finished = scalarNode(scalar, isTagged: tag != nil, start: start, end: end)
            case .sequenceStart(let tag, let isFlow):
                _ = try checkTag(tag, at: start, allowed: ["tag:yaml.org,2002:seq"])
                try push(Frame(kind: .sequence, start: start, isFlow: isFlow), at: start)
            case .mappingStart(let tag, let isFlow):
                _ = try checkTag(tag, at: start, allowed: ["tag:yaml.org,2002:map"])
                try push(Frame(kind: .mapping, start: start, isFlow: isFlow), at: start)
            case .sequenceEnd, .mappingEnd:
                guard let frame = stack.popLast() else { continue }
                finished = close(frame, end: end)
            }
            guard let node = finished else { continue }
            if stack.isEmpty {
                root = node
            } else {
                try attach(node)
            }
        }
    }

    private mutating func push(_ frame: Frame, at mark: YAMLMark) throws(YAMLError) {
        if stack.last?.awaitsKey == true {
            throw YAMLError(.complexKey, "a mapping key must be a plain value, not a collection", at: mark)
        }
        guard stack.count < YAMLDocument.maximumDepth else {
            throw YAMLError(.tooDeep, "nesting deeper than \(YAMLDocument.maximumDepth) levels is not supported", at: mark)
        }
        stack.append(frame)
    }

    /// Tags: none, the non-specific `!`, or the one standard tag that fits the node.
    private func checkTag(_ tag: String?, at mark: YAMLMark, allowed: Set<String>) throws(YAMLError) -> Bool {
        guard let tag, tag != "!" else { return false }
        guard allowed.contains(tag) else {
            throw YAMLError(.unsupportedTag, "the tag \(tag) is not supported; remove it", at: mark)
        }
        return tag == "tag:yaml.org,2002:str"
    }

    private func scalarNode(_ scalar: YAMLScalar, isTagged: Bool, start: YAMLMark, end: YAMLMark) -> YAMLNode {
        // A tagged empty value (`key: !!str`) has its tag as its text, so it keeps that span.
        if scalar.style == .plain, scalar.text.isEmpty, !isTagged {
            // libyaml places an empty value at the next token; pin it just after its indicator.
            let at = lines.mark(offset: emptyValueOffset(before: start.offset))
            return YAMLNode(content: .scalar(scalar), start: at, end: at)
        }
        var end = end
        if scalar.style == .literal || scalar.style == .folded {
            // A block scalar's end mark lies past its trailing line breaks; keep only its content.
            end = lines.mark(offset: blockScalarContentEnd(start: start.offset, end: end.offset))
        }
        return YAMLNode(content: .scalar(scalar), start: start, end: end)
    }

    /// Where a block scalar's content ends: before its trailing line breaks and the lines that
    /// hold only its indentation, but after a last line of spaces beyond the indentation, which
    /// is content (`|` then `  x` then `   `: the value ends with a space and a line break).
    private func blockScalarContentEnd(start: Int, end: Int) -> Int {
        let bytes = lines.bytes
        let space = UInt8(ascii: " ")
        var bodyStart = start
        while bodyStart < end, !lines.isBreak(at: bodyStart) { bodyStart += 1 }
        bodyStart = min(end, bodyStart + LineIndex.breakLength(in: bytes, at: bodyStart))
        // The indentation: the fewest leading spaces of a line with content.
        var indentation = Int.max
        var lineStart = bodyStart
        while lineStart < end {
            var i = lineStart
            while i < end, bytes[i] == space { i += 1 }
            if i < end, !lines.isBreak(at: i) { indentation = min(indentation, i - lineStart) }
            while i < end, !lines.isBreak(at: i) { i += 1 }
            guard i < end else { break }
            lineStart = i + LineIndex.breakLength(in: bytes, at: i)
        }
        var offset = end
        while offset > start {
            let length = LineIndex.breakLength(in: bytes, endingAt: offset)
            if length > 0, offset - length >= start {
                offset -= length
                continue
            }
            var lineBegin = offset
            while lineBegin > start, bytes[lineBegin - 1] == space { lineBegin -= 1 }
            let isWholeLine = lineBegin >= bodyStart && (lineBegin == bodyStart || LineIndex.breakLength(in: bytes, endingAt: lineBegin) > 0)
            if isWholeLine, offset - lineBegin > indentation { return offset }
            guard lineBegin < offset else { return offset }
            offset = lineBegin
        }
        return offset
    }

    /// Where an empty value belongs: after the `:` of its key or the `-` of its item.
    private func emptyValueOffset(before fallback: Int) -> Int {
        guard let frame = stack.last else { return fallback }
        switch frame.kind {
        case .mapping:
            guard let key = frame.key else { return fallback }
            var i = key.end.offset
            let bytes = lines.bytes
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            if i < bytes.count, bytes[i] == UInt8(ascii: ":") { return i + 1 }
            return key.end.offset
        case .sequence:
            guard !frame.isFlow else { return fallback }
            var i = fallback - 1
            let bytes = lines.bytes
            while i >= 0 {
                if bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") {
                    i -= 1
                } else if case let length = LineIndex.breakLength(in: bytes, endingAt: i + 1), length > 0 {
                    i -= length
                } else {
                    break
                }
            }
            if i >= 0, bytes[i] == UInt8(ascii: "-") { return i + 1 }
            return fallback
        }
    }

    private func close(_ frame: Frame, end: YAMLMark) -> YAMLNode {
        switch frame.kind {
        case .mapping:
            let last = frame.entries.last?.value.end ?? frame.start
            return YAMLNode(content: .mapping(frame.entries), start: frame.start, end: frame.isFlow ? end : last,
                            isFlow: frame.isFlow)
        case .sequence:
            return YAMLNode(content: .sequence(frame.items), start: frame.start,
                            end: frame.isFlow ? end : (frame.items.last?.end ?? frame.start), isFlow: frame.isFlow)
        }
    }

    private mutating func attach(_ node: YAMLNode) throws(YAMLError) {
        let top = stack.count - 1
        guard top >= 0 else { return }
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            guard let key = stack[top].key else {
                if node.isEmptyScalar, node.start.offset == node.end.offset {
                    // `?` or `:` with nothing before it: a key with no text has no place to edit.
                    throw YAMLError(.syntax, "a mapping key is missing; write the key before its ':'", at: node.start)
                }
                if let name = node.scalar?.text, !stack[top].names.insert(name).inserted {
                    throw YAMLError(.duplicateKey, "the key \"\(name)\" appears twice in this mapping; keep one", at: node.start)
                }
                stack[top].key = node
                return
            }
            stack[top].entries.append(YAMLNode.Entry(key: key, value: node))
            stack[top].key = nil
        }
    }
}
