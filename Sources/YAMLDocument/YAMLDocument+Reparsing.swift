extension YAMLDocument {
    private init(text: String, lines: LineIndex, root: YAMLNode?) {
        self.text = text
        self.lines = lines
        self.root = root
    }

    /// This document after its bytes in `range` were replaced, giving `bytes`: the same tree a
    /// full parse of `bytes` gives, found by parsing only the block list item the change lies in
    /// (a user of 100,000) and moving the nodes after it, where that is certain to be the same.
    /// Anything else (a change across items, block scalars, document markers) parses `bytes` whole.
    /// - Throws: ``YAMLError`` as ``init(parsing:)`` does for `bytes`.
    func reparsed(_ bytes: [UInt8], replacing range: Range<Int>) throws(YAMLError) -> YAMLDocument {
        let text = String(decoding: bytes, as: UTF8.self)
        if bytes.count <= Self.maximumSize, let root {
            if let document = removingItem(of: root, in: bytes, text: text, removing: range) { return document }
            if let document = try? reparsingItem(of: root, in: bytes, text: text, replacing: range) { return document }
        }
        return try YAMLDocument(parsing: text)
    }

    /// The case of ``reparsed(_:replacing:)`` where `range` held the whole lines of one block list
    /// item, not its list's last, and nothing took their place: the item leaves its list and the
    /// nodes after it move up. `nil` when that is not certain to be what a full parse gives.
    private func removingItem(of root: YAMLNode, in bytes: [UInt8], text: String,
                              removing range: Range<Int>) -> YAMLDocument? {
        let old = lines.bytes
        guard bytes.count + range.count == old.count, !range.isEmpty,
              let (itemPath, items, i) = Self.blockItem(removedBy: range, in: root, lines: lines),
              i + 1 < items.count,
              // The list starts at its first dash: the next one must take that place.
              i > 0 || lines.lineStart(of: items[1].start.offset) == range.upperBound else { return nil }
        let item = items[i]
        guard Self.isDash(bytes: old[range.lowerBound..<item.start.offset]),
              range.upperBound == lines.nextLineStart(after: max(item.end.offset - 1, item.start.offset)),
              Self.standsAlone(old[range]),
              // A block scalar ending the item before may take in the lines that now follow it.
              i == 0 || !old[items[i - 1].start.offset..<range.lowerBound].contains(where: Self.isBlockScalarIndicator),
              // A lone `\r` before and a `\n` after would join into one break.
              !(range.lowerBound > 0 && old[range.lowerBound - 1] == UInt8(ascii: "\r")
                && old[range.upperBound] == UInt8(ascii: "\n"))
        else { return nil }

        let first = lines.lineNumber(of: range.lowerBound)
        let linesAfter = lines.lineNumber(of: range.upperBound)
        var starts = Array(lines.starts[..<first])
        starts += lines.starts[linesAfter...].lazy.map { $0 - range.count }
        let newLines = LineIndex(bytes: bytes, starts: starts)
        assert(newLines.starts == LineIndex(bytes).starts, "line starts of an item's removal")
        let newRoot = root.replacing(itemPath.components[...], with: nil, oldEnd: item.end.offset,
                                     shift: YAMLNode.Shift(offset: -range.count, line: first - linesAfter))
        return YAMLDocument(text: text, lines: newLines, root: newRoot)
    }

    /// The block list item whose dash line starts `range`, with its list's items and its index.
    private static func blockItem(removedBy range: Range<Int>, in root: YAMLNode,
                                  lines: LineIndex) -> (YAMLPath, [YAMLNode], Int)? {
        var node = root
        var path = YAMLPath.root
        for _ in 1...maximumDepth {
            let content = node.content
            if case .sequence(let items) = content, !node.isFlow,
               let i = items.firstIndex(where: { range.lowerBound < $0.start.offset }),
               lines.lineStart(of: items[i].start.offset) == range.lowerBound {
                return (path.appending(index: i), items, i)
            }
            guard let (component, child) = content.child(holding: range) else { return nil }
            path = path.appending(component)
            node = child
        }
        return nil
    }

    /// The incremental case of ``reparsed(_:replacing:)``, or `nil` when it does not apply.
    private func reparsingItem(of root: YAMLNode, in bytes: [UInt8], text: String,
                               replacing range: Range<Int>) throws(YAMLError) -> YAMLDocument? {
        guard let (itemPath, item, depth) = Self.blockItem(around: range, in: root) else { return nil }
        // The item's whole lines: from its dash's line to the line break after its last byte.
        let first = lines.lineNumber(of: item.start.offset)
        let lineStart = lines.starts[first]
        guard Self.isDash(bytes: lines.bytes[lineStart..<item.start.offset]) else { return nil }
        let lastByte = max(item.end.offset - 1, item.start.offset)
        let end = lines.nextLineStart(after: lastByte)
        let linesAfter = lines.lineNumber(of: lastByte) + 1  // where `end` is, or past the last line
        let delta = bytes.count - lines.bytes.count
        let newEnd = end + delta
        guard range.upperBound <= end, newEnd <= bytes.count, newEnd > lineStart else { return nil }
        let snippet = bytes[lineStart..<newEnd]
        guard Self.standsAlone(snippet), newEnd == bytes.count || LineIndex.breakLength(in: bytes, endingAt: newEnd) > 0
        else { return nil }
        let parsed = try YAMLDocument(parsing: String(decoding: snippet, as: UTF8.self))
        guard let sequence = parsed.root, !sequence.isFlow, case .sequence(let items) = sequence.content,
              items.count == 1, depth + items[0].height < Self.maximumDepth else { return nil }

        // Line starts: those before the item as they were, the item's from its parse, and those
        // after it moved by the change in length.
        var starts = Array(lines.starts[..<first])
        starts += parsed.lines.starts.lazy.map { $0 + lineStart }.filter { $0 < newEnd }
        starts += lines.starts[linesAfter...].lazy.map { $0 + delta }
        let newLines = LineIndex(bytes: bytes, starts: starts)
        assert(newLines.starts == LineIndex(bytes).starts, "line starts of an item re-parse")
        let lineDelta = newLines.starts.count - lines.starts.count
        let newItem = items[0].shifted(by: YAMLNode.Shift(offset: lineStart, line: first))
        let newRoot = root.replacing(itemPath.components[...], with: newItem, oldEnd: item.end.offset,
                                     shift: YAMLNode.Shift(offset: delta, line: lineDelta))
        return YAMLDocument(text: text, lines: newLines, root: newRoot)
    }

    /// The innermost item of a block list that holds all of `range`, its path and how many
    /// collections enclose it.
    private static func blockItem(around range: Range<Int>, in root: YAMLNode) -> (YAMLPath, YAMLNode, Int)? {
        var node = root
        var path = YAMLPath.root
        var found: (YAMLPath, YAMLNode, Int)?
        for depth in 1...maximumDepth {
            guard let (component, child) = node.content.child(holding: range) else { return found }
            path = path.appending(component)
            if case .index = component, !node.isFlow { found = (path, child, depth) }
            node = child
        }
        return found
    }

    /// Spaces, a dash and at least one space: the line before a block list item's content.
    private static func isDash(bytes: ArraySlice<UInt8>) -> Bool {
        guard let dash = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }), bytes[dash] == UInt8(ascii: "-"),
              dash + 1 < bytes.endIndex else { return false }
        return bytes[(dash + 1)...].allSatisfy { $0 == UInt8(ascii: " ") }
    }

    private static func isBlockScalarIndicator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "|") || byte == UInt8(ascii: ">")
    }

    /// True when the item's lines mean the same alone as in the file: no block scalar (whose
    /// value could take in the blank lines after it), and every line after the first indented,
    /// blank or a comment (so none is a document marker or a key of an outer mapping).
    private static func standsAlone(_ snippet: ArraySlice<UInt8>) -> Bool {
        var lineStart = true
        var first = true
        for byte in snippet {
            if isBlockScalarIndicator(byte) || byte == UInt8(ascii: "\t") || byte == 0xC2 || byte == 0xE2 {
                return false  // block scalars; tabs and the Unicode line breaks, left to a full parse
            }
            if lineStart, !first, byte != UInt8(ascii: " "), byte != UInt8(ascii: "#"),
               byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
                return false
            }
            first = first && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r")
            lineStart = byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        return true
    }
}

extension YAMLNode.Content {
    /// The list item or mapping value whose span holds all of `range`, with its path component.
    func child(holding range: Range<Int>) -> (YAMLPath.Component, YAMLNode)? {
        func holds(_ node: YAMLNode) -> Bool { node.start.offset <= range.lowerBound && range.upperBound <= node.end.offset }
        switch self {
        case .scalar:
            return nil
        case .sequence(let items):
            return items.firstIndex(where: holds).map { (.index($0), items[$0]) }
        case .mapping(let entries):
            return entries.first(where: { holds($0.value) }).map { (.key($0.name), $0.value) }
        }
    }
}

extension YAMLNode {
    /// Collections nested in this node, itself included.
    var height: Int {
        switch content {
        case .scalar: return 0
        case .sequence(let items): return 1 + (items.map(\.height).max() ?? 0)
        case .mapping(let entries): return 1 + (entries.map { Swift.max($0.key.height, $0.value.height) }.max() ?? 0)
        }
    }

    /// This node with the node at `path` (which ended at `oldEnd`) replaced by `replacement`, or
    /// removed from its list (never its last item) where that is `nil`, and every node after it
    /// moved by `shift`; the nodes before it are kept.
    func replacing(_ path: ArraySlice<YAMLPath.Component>, with replacement: YAMLNode?, oldEnd: Int,
                   shift: Shift) -> YAMLNode {
        guard let step = path.first else { return replacement ?? self }
        var node = self
        if let replacement, end.offset == oldEnd { node.end = replacement.end } else { node.end = end.moved(by: shift) }
        switch (content, step) {
        case (.sequence(var items), .index(let i)) where items.indices.contains(i):
            var following = i + 1
            if replacement == nil, path.count == 1 {
                items.remove(at: i)
                following = i
            } else {
                items[i] = items[i].replacing(path.dropFirst(), with: replacement, oldEnd: oldEnd, shift: shift)
            }
            for j in items.indices.dropFirst(following) { items[j] = items[j].shifted(by: shift) }
            node.content = .sequence(items)
        case (.mapping(var entries), .key(let name)):
            guard let k = entries.firstIndex(where: { $0.name == name }) else { return self }
            entries[k].value = entries[k].value.replacing(path.dropFirst(), with: replacement, oldEnd: oldEnd, shift: shift)
            for j in entries.indices.dropFirst(k + 1) {
                entries[j] = Entry(key: entries[j].key.shifted(by: shift), value: entries[j].value.shifted(by: shift))
            }
            node.content = .mapping(entries)
        default:
            return self
        }
        return node
    }
}
