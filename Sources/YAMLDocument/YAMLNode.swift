/// A node of a parsed document that knows where its text is.
///
/// `start` is the first byte of the node's content and `end` is one past its last byte. For block
/// collections `end` is the end of the last child (never trailing comments or blank lines); an
/// empty plain scalar (`key:` with nothing after it) sits just after its indicator, with
/// `start == end`.
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

    public var content: Content
    public var start: YAMLMark
    public var end: YAMLMark
    /// True for `[...]` and `{...}` collections.
    public var isFlow: Bool

    public init(content: Content, start: YAMLMark, end: YAMLMark, isFlow: Bool = false) {
        self.content = content
        self.start = start
        self.end = end
        self.isFlow = isFlow
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
