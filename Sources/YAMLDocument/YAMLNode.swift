/// A node of a parsed document that knows where its text is.
///
/// `start` is the first byte of the node's content and `end` is one past its last byte. For block
/// collections `end` is the end of the last child (never trailing comments or blank lines); an
/// empty plain scalar (`key:` with nothing after it) sits just after its indicator, with
/// `start == end`.
///
/// A node's marks are stored relative to a shift that applies to it and everything inside it, so
/// an edit of one list item moves the nodes after it in the time it takes to touch their parents'
/// lists, not every node of the ten thousand rules below: see ``shifted(by:)``.
public struct YAMLNode: Sendable, Equatable {
    /// What the node holds.
    public enum Content: Sendable, Equatable {
        case scalar(YAMLScalar)
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    /// A key and its value in a mapping, in the order of the text.
    public struct Entry: Sendable, Equatable {
        public var key: YAMLNode
        public var value: YAMLNode
        /// The key's text (mapping keys are always scalars here).
        public var name: String {
            if case .scalar(let s) = key.content { return s.text }
            return ""
        }
    }

    /// How far a node, and all it holds, lies after its stored marks.
    struct Shift: Equatable {
        var offset: Int32
        var line: Int32

        static let zero = Shift(offset: 0, line: 0)

        init(offset: Int, line: Int) {
            self.offset = Int32(clamping: offset)  // a document holds at most 32 MiB
            self.line = Int32(clamping: line)
        }

        static func + (lhs: Shift, rhs: Shift) -> Shift {
            Shift(offset: Int(lhs.offset) + Int(rhs.offset), line: Int(lhs.line) + Int(rhs.line))
        }

        static prefix func - (shift: Shift) -> Shift { Shift(offset: -Int(shift.offset), line: -Int(shift.line)) }
    }

    /// A mark in half the space of ``YAMLMark``: a parsed file has hundreds of thousands of them.
    private struct StoredMark {
        var offset: Int32
        var line: Int32
        var column: Int32

        init(_ mark: YAMLMark, less shift: Shift) {
            offset = Int32(clamping: mark.offset - Int(shift.offset))
            line = Int32(clamping: mark.line - Int(shift.line))
            column = Int32(clamping: mark.column)
        }

        func mark(moved shift: Shift) -> YAMLMark {
            YAMLMark(offset: Int(offset), line: Int(line), column: Int(column)).moved(by: shift)
        }
    }

    private var storedContent: Content
    private var storedStart: StoredMark
    private var storedEnd: StoredMark
    private var shift = Shift.zero
    /// True for `[...]` and `{...}` collections.
    public var isFlow: Bool

    public init(content: Content, start: YAMLMark, end: YAMLMark, isFlow: Bool = false) {
        storedContent = content
        storedStart = StoredMark(start, less: .zero)
        storedEnd = StoredMark(end, less: .zero)
        self.isFlow = isFlow
    }

    /// What the node holds, its children's marks where they are now.
    public var content: Content {
        get { shift == .zero ? storedContent : storedContent.shifted(by: shift) }
        set { storedContent = shift == .zero ? newValue : newValue.shifted(by: -shift) }
    }

    /// The three kinds of content.
    public enum Kind: Sendable { case scalar, mapping, sequence }

    /// What kind of content the node holds, and how many children (0 for a scalar), without
    /// moving their marks as ``content`` does: the decoder asks this of 100,000 users.
    public var kind: (kind: Kind, count: Int) {
        switch storedContent {
        case .scalar: (.scalar, 0)
        case .mapping(let entries): (.mapping, entries.count)
        case .sequence(let items): (.sequence, items.count)
        }
    }

    public var start: YAMLMark {
        get { storedStart.mark(moved: shift) }
        set { storedStart = StoredMark(newValue, less: shift) }
    }

    public var end: YAMLMark {
        get { storedEnd.mark(moved: shift) }
        set { storedEnd = StoredMark(newValue, less: shift) }
    }

    /// This node with every mark in it moved by `shift`, in constant time.
    func shifted(by shift: Shift) -> YAMLNode {
        var node = self
        node.shift = node.shift + shift
        return node
    }

    /// Equal where they are and in what they hold, however their marks are stored.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        lhs.start == rhs.start && lhs.end == rhs.end && lhs.isFlow == rhs.isFlow && lhs.content == rhs.content
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// True when the node denotes `null` (`~`, `null`, nothing): a collection never does, and is
    /// not converted to find out (a `users:` list of 100,000 entries is asked this once).
    public var isNull: Bool {
        if case .scalar(let s) = content { return s.isNull }
        return false
    }

    /// True for a plain scalar with no text at all (`key:`), which has no span of its own.
    public var isEmptyScalar: Bool {
        if case .scalar(let s) = content { return s.style == .plain && s.text.isEmpty }
        return false
    }

    /// The child reached by one path step, if any.
    public func child(_ component: YAMLPath.Component) -> YAMLNode? {
        switch (content, component) {
        case (.mapping(let entries), .key(let k)):
            return entries.first { $0.name == k }?.value
        case (.sequence(let items), .index(let i)):
            return items.indices.contains(i) ? items[i] : nil
        default:
            return nil
        }
    }

    /// The node at `path` below this one, if every step exists.
    public func node(at path: YAMLPath) -> YAMLNode? {
        var node = self
        for component in path.components {
            guard let next = node.child(component) else { return nil }
            node = next
        }
        return node
    }


    /// The plain value this node denotes (tags and scalar styles resolved, positions dropped).
    public var value: YAMLValue {
        switch content {
        case .scalar(let s):
            return s.resolved
        case .sequence(let items):
            return .sequence(items.map(\.value))
        case .mapping(let entries):
            return .mapping(entries.map { YAMLValue.Pair($0.name, $0.value.value) })
        }
    }
}

/// A scalar's text as written, after unquoting and escapes.
public struct YAMLScalar: Sendable, Equatable {
    /// How the scalar was written.
    public enum Style: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style
    /// `!!str` forces a string; other tags are refused at parse time.
    public var isTaggedString: Bool

    public init(text: String, style: Style, isTaggedString: Bool = false) {
        self.text = text
        self.style = style
        self.isTaggedString = isTaggedString
    }

    /// True when ``resolved`` is `null`, found without resolving numbers.
    public var isNull: Bool {
        guard style == .plain, !isTaggedString else { return false }
        return YAMLValue.isNullSpelling(text)
    }

    /// The value under the YAML 1.2 core schema: only plain, untagged scalars become null, bools
    /// or numbers; everything else is a string.
    public var resolved: YAMLValue {
        guard style == .plain, !isTaggedString else { return .string(text) }
        return YAMLValue.resolvePlain(text)
    }
}

extension YAMLNode.Content {
    /// The same content with its children moved by `shift` (each in constant time).
    fileprivate func shifted(by shift: YAMLNode.Shift) -> Self {
        switch self {
        case .scalar: self
        case .sequence(let items): .sequence(items.map { $0.shifted(by: shift) })
        case .mapping(let entries):
            .mapping(entries.map { YAMLNode.Entry(key: $0.key.shifted(by: shift), value: $0.value.shifted(by: shift)) })
        }
    }
}

extension YAMLMark {
    func moved(by shift: YAMLNode.Shift) -> YAMLMark {
        YAMLMark(offset: offset + Int(shift.offset), line: line + Int(shift.line), column: column)
    }
}
