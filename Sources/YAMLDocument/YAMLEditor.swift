/// Edits a YAML text in place: each operation rewrites only the bytes of what it changes, so
/// comments, key order, quoting and indentation elsewhere survive, and a one-field change is a
/// one-line diff.
///
/// After every operation the text parses to the value the matching ``YAMLValue`` operation
/// (``YAMLValue/setting(_:to:)``, ``YAMLValue/inserting(_:at:)``, ``YAMLValue/removing(_:)``)
/// gives. New text follows the file's own indentation (``YAMLEmitter/Layout``).
/// Edits inside a flow collection (`[a, b]`, `{a: 1}`) rewrite that collection on its line.
public struct YAMLEditor: Sendable {
    /// The document as edited so far.
    public private(set) var document: YAMLDocument
    /// Indentation habits read from the original text.
    public let layout: YAMLEmitter.Layout

    /// The edited text.
    public var text: String { document.text }

    /// Starts editing `text`.
    /// - Throws: ``YAMLError`` when `text` is not an acceptable document.
    public init(_ text: String) throws(YAMLError) {
        self.init(document: try YAMLDocument(parsing: text))
    }

    /// Starts editing a parsed document.
    public init(document: YAMLDocument) {
        self.document = document
        self.layout = Self.detectLayout(document)
    }

    private var bytes: [UInt8] { document.lines.bytes }
    private var lines: LineIndex { document.lines }

    // MARK: - Operations

    /// Sets the node at `path` to `value`, merged as ``YAMLValue/merge(_:_:)`` does, creating
    /// missing mapping keys along the way; an index equal to a list's count appends.
    /// Setting a value equal to the current one changes nothing (quoting included).
    public mutating func set(_ path: YAMLPath, to value: YAMLValue) throws(YAMLEditError) {
        guard let root = document.root else {
            let full = try YAMLValue.null.setting(path, to: value)
            var text = document.text
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            let edited = text + YAMLEmitter.block(full, column: 0, layout: layout) + "\n"
            try commit(path: path) { () throws(YAMLError) in try YAMLDocument(parsing: edited) }
            return
        }
        if let node = root.node(at: path) {
            try replace(node, at: path, with: value)
            return
        }
        guard let last = path.last else { return }
        guard let parent = root.node(at: path.parent) else {
            guard case .key(let k) = last else { throw YAMLEditError(.notFound, path: path) }
            try set(path.parent, to: .mapping([.init(k, value)]))
            return
        }
        if parent.isFlow, parent.value.isInline, !hasFlowAncestor(path.parent), case .key(let k) = last {
            // `peers: {}` gaining its first key becomes a block mapping.
            try replaceWhole(parent, at: path.parent, with: .mapping([.init(k, value)]))
            return
        }
        if hasFlowAncestor(path.parent) || parent.isFlow {
            try rewriteFlow(around: path) { v throws(YAMLEditError) in try v.setting(path, to: value) }
            return
        }
        switch (parent.content, last) {
        case (.mapping(let entries), .key(let k)):
            try appendEntry(k, value, after: entries, in: parent, path: path)
        case (.sequence(let items), .index(let i)) where i == items.count:
            try insert(value, at: path)
        case (.scalar, .key(let k)) where parent.value == .null:
            try set(path.parent, to: .mapping([.init(k, value)]))
        default:
            throw YAMLEditError(.notFound, path: path)
        }
    }

    /// Inserts `value` into the list at `path.parent` before index `path.last` (the count
    /// appends). A missing, `null` or empty list becomes a block list holding `value`.
    public mutating func insert(_ value: YAMLValue, at path: YAMLPath) throws(YAMLEditError) {
        guard case .index(let i)? = path.last else { throw YAMLEditError(.notASequence, path: path) }
        let listPath = path.parent
        guard let list = document.node(at: listPath), case .sequence(let items) = list.content, !items.isEmpty else {
            let current = document.node(at: listPath)?.value ?? .null
            guard i == 0, current == .null || current == .sequence([]) else {
                throw YAMLEditError(current == .null || current == .sequence([]) ? .indexOutOfRange : .notASequence,
                                    path: path)
            }
            try replaceOrCreate(listPath, with: .sequence([value]))
            return
        }
        guard (0...items.count).contains(i) else { throw YAMLEditError(.indexOutOfRange, path: path) }
        if list.isFlow || hasFlowAncestor(listPath) {
            try rewriteFlow(around: path) { v throws(YAMLEditError) in try v.inserting(value, at: path) }
            return
        }
        let dash = dashOffset(of: items[min(i, items.count - 1)])
        let column = lines.mark(offset: dash).column - 1
        let item = "-" + YAMLEmitter.afterDash(value, dashColumn: column, layout: layout)
        if i == items.count {
            let at = endOfLine(after: items[items.count - 1].end.offset)
            try splice(at..<at, "\n" + YAMLEmitter.spaces(column) + item, path: path)
        } else {
            try splice(dash..<dash, item + "\n" + YAMLEmitter.spaces(column), path: path)
        }
    }

    /// Appends `values` to the list at `listPath`, giving the text that inserting them at the end
    /// one by one gives, but written in one splice (one re-parse) where the list is a non-empty
    /// block list.
    public mutating func append(contentsOf values: [YAMLValue], to listPath: YAMLPath) throws(YAMLEditError) {
        var rest = values[...]
        while let first = rest.first {
            let existing = document.node(at: listPath)
            guard let list = existing, case .sequence(let items) = list.content, let last = items.last,
                  !list.isFlow, !hasFlowAncestor(listPath) else {
                var count = 0
                if case .sequence(let items)? = existing?.content { count = items.count }
                try insert(first, at: listPath.appending(index: count))
                rest = rest.dropFirst()
                continue
            }
            let column = lines.mark(offset: dashOffset(of: last)).column - 1
            let text = rest.map { "\n" + YAMLEmitter.spaces(column) + "-" + YAMLEmitter.afterDash($0, dashColumn: column, layout: layout) }
            let at = endOfLine(after: last.end.offset)
            try splice(at..<at, text.joined(), path: listPath.appending(index: items.count))
            return
        }
    }

    /// Removes the mapping entry or list item at `path`, with the lines it stood on. Removing the
    /// last entry of a collection leaves it empty (`{}` or `[]`).
    public mutating func remove(_ path: YAMLPath) throws(YAMLEditError) {
        guard let node = document.node(at: path), let last = path.last,
              let parent = document.node(at: path.parent) else { throw YAMLEditError(.notFound, path: path) }
        if parent.isFlow || hasFlowAncestor(path.parent) {
            try rewriteFlow(around: path) { v throws(YAMLEditError) in try v.removing(path) }
            return
        }
        switch (parent.content, last) {
        case (.mapping(let entries), .key(let k)):
            guard let i = entries.firstIndex(where: { $0.name == k }) else { throw YAMLEditError(.notFound, path: path) }
            if entries.count == 1 {
                try replaceWhole(parent, at: path.parent, with: .mapping([]))
            } else if lines.isFirstOnLine(entryStart(entries[i].key).offset) {
                try deleteLines(from: entryStart(entries[i].key).offset, through: node.end.offset, path: path)
            } else {
                // The first key of a list item (`- name: x`): the next key moves up behind the dash.
                try splice(entryStart(entries[i].key).offset..<entryStart(entries[i + 1].key).offset, "", path: path)
            }
        case (.sequence(let items), .index(let i)):
            let dash = dashOffset(of: items[i])
            if items.count == 1 {
                try replaceWhole(parent, at: path.parent, with: .sequence([]))
            } else if lines.isFirstOnLine(dash) {
                try deleteLines(from: dash, through: node.end.offset, path: path)
            } else {
                try splice(dash..<dashOffset(of: items[i + 1]), "", path: path)
            }
        default:
            throw YAMLEditError(.notFound, path: path)
        }
    }

    // MARK: - Replacing a node

    private mutating func replace(_ node: YAMLNode, at path: YAMLPath, with value: YAMLValue) throws(YAMLEditError) {
        let current = node.value
        let target = YAMLValue.merge(current, value)
        guard current != target else { return }
        if hasFlowAncestor(path) {
            try rewriteFlow(around: path) { v throws(YAMLEditError) in try v.setting(path, to: value) }
            return
        }
        switch (node.content, target) {
        case (.mapping(let entries), .mapping(let pairs)) where !node.isFlow && !entries.isEmpty && !pairs.isEmpty:
            // Walk into the mapping so untouched entries keep their text: sets first, so it is never empty.
            for pair in pairs { try set(path.appending(key: pair.key), to: pair.value) }
            for entry in entries where !pairs.contains(where: { $0.key == entry.name }) {
                try remove(path.appending(key: entry.name))
            }
        case (.sequence(let items), .sequence(let newItems)) where !node.isFlow && !items.isEmpty && !newItems.isEmpty:
            for i in newItems.indices where i < items.count { try set(path.appending(index: i), to: newItems[i]) }
            for i in items.count..<max(items.count, newItems.count) { try insert(newItems[i], at: path.appending(index: i)) }
            for i in (newItems.count..<max(items.count, newItems.count)).reversed() { try remove(path.appending(index: i)) }
        default:
            try replaceWhole(node, at: path, with: target)
        }
    }

    /// Sets `path` to exactly `value`, whether or not it exists.
    private mutating func replaceOrCreate(_ path: YAMLPath, with value: YAMLValue) throws(YAMLEditError) {
        if let node = document.node(at: path), !hasFlowAncestor(path) {
            try replaceWhole(node, at: path, with: value)
        } else {
            try set(path, to: value)
        }
    }

    /// Rewrites the text of `node` (not inside a flow collection) as `value`.
    private mutating func replaceWhole(_ node: YAMLNode, at path: YAMLPath, with value: YAMLValue) throws(YAMLEditError) {
        guard let last = path.last, let parent = document.node(at: path.parent) else {
            try replaceRoot(node, with: YAMLEmitter.block(value, column: node.start.column - 1, layout: layout), path: path)
            return
        }
        // Where the node hangs: after `key:` or after `-`.
        let indicatorEnd: Int
        let ownerLine: Int
        var text: String
        switch (parent.content, last) {
        case (.mapping(let entries), .key(let k)):
            guard let entry = entries.first(where: { $0.name == k }) else { throw YAMLEditError(.notFound, path: path) }
            indicatorEnd = colonEnd(after: entry.key)
            ownerLine = entry.key.start.line
            text = afterKey(value, replacing: node, keyColumn: entryStart(entry.key).column - 1)
        case (.sequence, .index):
            let dash = dashOffset(of: node)
            indicatorEnd = dash + 1
            ownerLine = lines.mark(offset: dash).line
            text = YAMLEmitter.afterDash(value, dashColumn: lines.mark(offset: dash).column - 1, layout: layout)
        default:
            throw YAMLEditError(.notFound, path: path)
        }
        if value.isInline, !node.isEmptyScalar, node.start.line == ownerLine {
            text = inlineText(value, replacing: node)
            try splice(node.start.offset..<node.end.offset, text, path: path)
        } else {
            try splice(indicatorEnd..<max(indicatorEnd, node.end.offset), text, path: path)
        }
    }

    /// Rewrites the document's root node as `text`. Lines of white space after the old root may
    /// not stand after the new one (libyaml reads a tab that starts a line after a root scalar
    /// as the start of a token): where the result is refused, the new root takes them in.
    private mutating func replaceRoot(_ node: YAMLNode, with text: String, path: YAMLPath) throws(YAMLEditError) {
        do {
            try splice(node.start.offset..<node.end.offset, text, path: path)
        } catch {
            let end = endOfBlankAndCommentLines(from: lines.nextLineStart(after: node.end.offset), comments: false)
            guard error.code == .invalidResult, end > node.end.offset else { throw error }
            let atLineStart = end < bytes.count || lines.lineStart(of: end) == end
            try splice(node.start.offset..<end, atLineStart ? text + "\n" : text, path: path)
        }
    }

    /// Text after `key:`; a block collection replacing another keeps the old one's column.
    private func afterKey(_ value: YAMLValue, replacing node: YAMLNode, keyColumn: Int) -> String {
        let column = node.start.column - 1
        switch (node.content, value) {
        case (.mapping, .mapping(let pairs)) where !node.isFlow && !pairs.isEmpty && column > keyColumn:
            return "\n" + YAMLEmitter.mappingLines(pairs, column: column, layout: layout)
        case (.sequence(let items), .sequence(let newItems)) where !node.isFlow && !newItems.isEmpty && !items.isEmpty:
            let dashColumn = lines.mark(offset: dashOffset(of: items[0])).column - 1
            return "\n" + YAMLEmitter.sequenceLines(newItems, column: dashColumn, layout: layout)
        default:
            return YAMLEmitter.afterKey(value, keyColumn: keyColumn, layout: layout)
        }
    }

    /// A one-line value; a string replacing a quoted string keeps its quotes.
    private func inlineText(_ value: YAMLValue, replacing node: YAMLNode) -> String {
        guard case .string(let s) = value, let style = node.scalar?.style else { return YAMLEmitter.inline(value) }
        switch style {
        case .doubleQuoted: return YAMLEmitter.doubleQuoted(s)
        case .singleQuoted: return YAMLEmitter.singleQuoted(s) ?? YAMLEmitter.doubleQuoted(s)
        default: return YAMLEmitter.inline(value)
        }
    }

    private mutating func appendEntry(_ key: String, _ value: YAMLValue, after entries: [YAMLNode.Entry],
                                      in mapping: YAMLNode, path: YAMLPath) throws(YAMLEditError) {
        guard let lastEntry = entries.last else { throw YAMLEditError(.notFound, path: path) }
        // An empty key (`?` alone, `: x`) has no column of its own; take a written key's, else
        // where the mapping starts.
        let column = (entries.last { !$0.key.isEmptyScalar }.map { entryStart($0.key) } ?? mapping.start).column - 1
        let at = endOfLine(after: max(lastEntry.value.end.offset, colonEnd(after: lastEntry.key)))
        let text = "\n" + YAMLEmitter.spaces(column) + YAMLEmitter.keyAndColon(key, column: column)
            + YAMLEmitter.afterKey(value, keyColumn: column, layout: layout)
        let before = self
        try splice(at..<at, text, path: path)
        guard let expected = try? before.document.value.setting(path, to: value), !document.value.isSame(as: expected) else { return }
        // Lines of spaces below a block scalar can be its last lines of text without being in its
        // span (libyaml ends the span at the last line with more than spaces): the entry goes
        // after them, so they stay the scalar's.
        self = before
        let next = lines.nextLineStart(after: at)
        let end = before.endOfBlankAndCommentLines(from: next, comments: false)
        if lines.lineStart(of: end) == end {
            try splice(end..<end, String(text.dropFirst()) + "\n", path: path)
            return
        }
        // The file ends in a line of spaces with no line break. The entry replaces that line
        // where the scalar's value stays the same: put after it, it would end that line with a
        // break, one more trailing line break for keep chomping to read as part of the value.
        let lastLine = lines.lineStart(of: end)
        if (try? splice(lastLine..<end, String(text.dropFirst()), path: path)) != nil, document.value.isSame(as: expected) {
            return
        }
        self = before
        try splice(end..<end, text, path: path)
    }

    // MARK: - Flow collections

    /// True when some collection strictly above `path` is written in flow style.
    private func hasFlowAncestor(_ path: YAMLPath) -> Bool {
        flowAncestor(of: path) != nil
    }

    /// The outermost flow collection strictly above `path`.
    private func flowAncestor(of path: YAMLPath) -> YAMLPath? {
        guard var node = document.root else { return nil }
        var prefix = YAMLPath.root
        for step in path.components {
            if node.isFlow { return prefix }
            guard let next = node.child(step) else { return nil }
            node = next
            prefix = prefix.appending(step)
        }
        return nil
    }

    /// Applies `edit` to the whole document's value and writes the outermost flow collection
    /// around `path` anew on its own span.
    private mutating func rewriteFlow(around path: YAMLPath,
                                      _ edit: (YAMLValue) throws(YAMLEditError) -> YAMLValue) throws(YAMLEditError) {
        let flowPath = flowAncestor(of: path) ?? (document.node(at: path.parent)?.isFlow == true ? path.parent : path)
        guard let node = document.node(at: flowPath) else { throw YAMLEditError(.notFound, path: path) }
        let updated = try edit(document.value)
        let value = try updated.value(at: flowPath)
        try splice(node.start.offset..<node.end.offset, YAMLEmitter.flow(value), path: path)
    }

    // MARK: - Text positions

    /// Offset just after the `:` that follows a mapping key.
    private func colonEnd(after key: YAMLNode) -> Int {
        var i = key.end.offset
        while i < bytes.count, bytes[i] != UInt8(ascii: ":") { i += 1 }
        return min(i + 1, bytes.count)
    }

    /// Offset of the `-` that introduces a block list item.
    private func dashOffset(of item: YAMLNode) -> Int {
        var i = item.start.offset - 1
        while i >= 0, bytes[i] != UInt8(ascii: "-") { i -= 1 }
        return max(i, 0)
    }

    /// The end of the line holding the last byte before `offset` (a block scalar's span ends at
    /// the start of the line after it).
    private func endOfLine(after offset: Int) -> Int {
        if offset > 0, offset <= bytes.count, bytes[offset - 1] == UInt8(ascii: "\n") { return offset - 1 }
        let end = lines.lineEnd(of: offset)
        // libyaml keeps LS and PS in a block scalar's value as they are (it turns the others
        // into `\n`), so text added after such a line goes after its break, not before it.
        return LineIndex.breakLength(in: bytes, at: end) == 3 ? end + 3 : end
    }

    /// Deletes whole lines from the one holding `start` through the one holding `end`, the
    /// entry or item at `path`.
    private mutating func deleteLines(from start: Int, through end: Int, path: YAMLPath) throws(YAMLEditError) {
        let from = lines.lineStart(of: start)
        // A span that takes in its line break ends where the next line starts, and that line is
        // not the node's; otherwise the node's last line goes, break and all (LS and PS too).
        let to = end > from && lines.lineStart(of: end) == end ? end : max(from, lines.nextLineStart(after: end))
        let before = self
        try splice(from..<to, "", path: path)
        guard !lostOnly(path, before: before.document) else { return }
        // A literal or folded scalar just above took in the blank or comment lines that followed
        // the entry: they are indented deeper than its text (or it keeps trailing lines). They
        // belonged to the entry's place, so they go with it.
        self = before
        try splice(from..<before.endOfBlankAndCommentLines(from: to), "", path: path)
    }

    /// Whether deleting the lines of the entry or item at `path` took out that child and changed
    /// no other. Only its neighbours can change: the lines after a deleted child now follow the
    /// one before it, where a block scalar may take them in. Comparing them, not the whole
    /// document, keeps a delete from 10,000 users from costing two walks of all of them.
    private func lostOnly(_ path: YAMLPath, before: YAMLDocument) -> Bool {
        guard let last = path.last, let old = before.node(at: path.parent)?.content,
              let new = document.node(at: path.parent)?.content else { return false }
        func same(_ a: [YAMLNode], _ b: [YAMLNode], at i: Int) -> Bool {
            guard b.count == a.count - 1 else { return false }
            let neighbours = [(i - 1, i - 1), (i + 1, i)].filter { a.indices.contains($0.0) }
            return neighbours.allSatisfy { a[$0.0].value.isSame(as: b[$0.1].value) }
        }
        switch (old, new, last) {
        case (.mapping(let a), .mapping(let b), .key(let k)):
            guard let i = a.firstIndex(where: { $0.name == k }) else { return false }
            return same(a.map(\.value), b.map(\.value), at: i)
                && a.map(\.name).filter { $0 != k } == b.map(\.name)
        case (.sequence(let a), .sequence(let b), .index(let i)):
            return same(a, b, at: i)
        default:
            return false
        }
    }

    /// Where a mapping entry starts: at its key, or at the `?` of an explicit key (`? key`),
    /// whose column the entry's siblings share.
    private func entryStart(_ key: YAMLNode) -> YAMLMark {
        var i = key.start.offset - 1
        while i >= 0, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        return i >= 0 && bytes[i] == UInt8(ascii: "?") ? lines.mark(offset: i) : key.start
    }

    /// Where the run of blank and (unless `comments` is false) comment-only lines starting at
    /// line start `offset` ends.
    private func endOfBlankAndCommentLines(from offset: Int, comments: Bool = true) -> Int {
        var line = offset
        while line < bytes.count {
            var i = line
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            guard i == bytes.count || lines.isBreak(at: i) || (comments && bytes[i] == UInt8(ascii: "#")) else { break }
            let next = lines.nextLineStart(after: line)
            guard next > line else { return bytes.count }
            line = next
        }
        return line
    }

    /// Replaces a byte range and re-parses (only the list item it lies in, where that is the
    /// same); the document is unchanged if the result is invalid.
    private mutating func splice(_ range: Range<Int>, _ replacement: String, path: YAMLPath) throws(YAMLEditError) {
        var edited = bytes
        var range = range
        var chompingChanged = false
        if range.lowerBound == bytes.count, !replacement.isEmpty, let indicator = unbrokenBlockScalarChomping() {
            chompingChanged = true
            // Text added after a block scalar that ends the file with no line break gives it one,
            // which clip and keep chomping would read as part of the value; strip keeps it as is.
            if indicator.isKeep {
                edited[indicator.offset] = UInt8(ascii: "-")
            } else {
                edited.insert(UInt8(ascii: "-"), at: indicator.offset)
                range = range.lowerBound + 1..<range.upperBound + 1
            }
        }
        edited.replaceSubrange(range, with: Array(replacement.utf8))
        // A changed chomping indicator lies outside `range`: only a whole parse sees it.
        try commit(path: path) { [document] () throws(YAMLError) in
            chompingChanged ? try YAMLDocument(parsing: String(decoding: edited, as: UTF8.self))
                : try document.reparsed(edited, replacing: range)
        }
    }

    /// For a literal or folded scalar that is the document's last node and whose text runs to
    /// the end of the file without a line break: where its chomping indicator goes (after `|`
    /// or `>`), or the `+` to replace. `nil` when there is none, or it already strips.
    private func unbrokenBlockScalarChomping() -> (offset: Int, isKeep: Bool)? {
        guard var node = document.root else { return nil }
        for _ in 0..<YAMLDocument.maximumDepth {
            switch node.content {
            case .mapping(let entries): guard let last = entries.last else { return nil }; node = last.value
            case .sequence(let items): guard let last = items.last else { return nil }; node = last
            case .scalar: break
            }
            if case .scalar = node.content { break }
        }
        // Its last lines may be spaces outside its span (libyaml ends the span at the last line
        // with more than spaces); they are its text all the same.
        guard let style = node.scalar?.style, style == .literal || style == .folded,
              lines.lineStart(of: bytes.count) != bytes.count || node.end.offset == bytes.count,
              (node.end.offset..<bytes.count).allSatisfy({ [UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[$0]) || lines.isBreak(at: $0) }),
              var i = (node.start.offset..<node.end.offset).first(where: {
                  bytes[$0] == UInt8(ascii: "|") || bytes[$0] == UInt8(ascii: ">") })
        else { return nil }
        i += 1
        let header = i
        while i < bytes.count, i < header + 2 {
            switch bytes[i] {
            case UInt8(ascii: "-"): return nil
            case UInt8(ascii: "+"): return (i, true)
            case UInt8(ascii: "1")...UInt8(ascii: "9"): i += 1
            default: return (header, false)
            }
        }
        return (header, false)
    }

    /// Takes the document `parse` gives as the edited one; its failure is the edit's.
    private mutating func commit(path: YAMLPath, _ parse: () throws(YAMLError) -> YAMLDocument) throws(YAMLEditError) {
        do {
            document = try parse()
        } catch {
            throw YAMLEditError(.invalidResult, path: path, detail: error.description)
        }
    }

    // MARK: - Layout

    /// Items of each list read for the layout: a long list's items are laid out alike, and an
    /// edit of one user of 100,000 should not walk them all.
    static let layoutSample = 100

    /// Reads the file's indentation: the smallest step between a key and its nested keys, and
    /// how far a key's list is indented (0 or one step), from everything but the items of a list
    /// after its first ``layoutSample``. Defaults: 2 and 2.
    private static func detectLayout(_ document: YAMLDocument) -> YAMLEmitter.Layout {
        var indents: [Int] = []
        var sequenceIndents: [Int] = []
        func walk(_ node: YAMLNode, depth: Int) {
            guard depth < YAMLDocument.maximumDepth else { return }
            switch node.content {
            case .mapping(let entries):
                for entry in entries {
                    let v = entry.value
                    if !v.isFlow, v.start.line > entry.key.start.line {
                        switch v.content {
                        case .mapping: indents.append(v.start.column - entry.key.start.column)
                        case .sequence: sequenceIndents.append(v.start.column - entry.key.start.column)
                        case .scalar: break
                        }
                    }
                    walk(v, depth: depth + 1)
                }
            case .sequence(let items):
                for item in items.prefix(layoutSample) { walk(item, depth: depth + 1) }
            case .scalar:
                break
            }
        }
        if let root = document.root { walk(root, depth: 0) }
        let indent = indents.filter { $0 > 0 }.min() ?? 2
        let counts = Dictionary(grouping: sequenceIndents.filter { $0 >= 0 }, by: { $0 }).mapValues(\.count)
        let sequenceIndent = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? indent
        return YAMLEmitter.Layout(indent: indent, sequenceIndent: sequenceIndent)
    }
}
