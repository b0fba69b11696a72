import YAMLDocument

/// `YAMLEditor`: set, insert and remove at paths taken from the document, with values chosen by
/// the input. Each operation must give the text whose value the matching `YAMLValue` operation
/// gives, leave the text outside the edited part as it was, and hold the tree a full parse of
/// the new text gives.
///
/// Input: the document's text up to the first NUL byte, then the operations.
enum YAMLEditorHarness: FuzzHarness {
    static let name = "yaml-editor"
    static let summary = "YAMLEditor set/insert/remove: the result matches YAMLValue's operation and keeps untouched text"

    static func run(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let text = String(decoding: bytes[..<split], as: UTF8.self)
        var input = FuzzInput(Array(bytes[min(split + 1, bytes.count)...]))
        guard var editor = try? YAMLEditor(text) else { return }
        for _ in 0..<input.int(in: 1...4) {
            guard !input.isAtEnd else { return }
            apply(operation(for: editor.document, from: &input), to: &editor)
        }
    }

    private enum Operation {
        case set(YAMLPath, YAMLValue)
        case insert(YAMLPath, YAMLValue)
        case remove(YAMLPath)

        var path: YAMLPath {
            switch self {
            case .set(let path, _), .insert(let path, _), .remove(let path): path
            }
        }
    }

    /// An operation on a path of the document: an existing node, a new key of a mapping, a new
    /// item of a sequence, or a path two steps below a missing key.
    private static func operation(for document: YAMLDocument, from input: inout FuzzInput) -> Operation {
        let existing = YAMLFuzzing.paths(of: document.root)
        var path = existing.isEmpty ? YAMLPath.root : input.pick(existing).path
        switch input.byte() % 5 {
        case 0:
            if case .sequence(let items)? = document.node(at: path)?.content {
                path = path.appending(index: input.int(in: 0...items.count))
            } else {
                path = path.appending(key: YAMLFuzzing.key(from: &input))
            }
        case 1:
            path = path.appending(key: YAMLFuzzing.key(from: &input)).appending(key: YAMLFuzzing.key(from: &input))
        default:
            break
        }
        switch input.byte() % 3 {
        case 0:
            return .set(path, YAMLFuzzing.value(from: &input))
        case 1:
            if case .index = path.last {} else { path = path.appending(index: input.int(in: 0...2)) }
            return .insert(path, YAMLFuzzing.value(from: &input))
        default:
            return .remove(path)
        }
    }

    private static func apply(_ operation: Operation, to editor: inout YAMLEditor) {
        let before = editor.document
        let expected: YAMLValue?
        do throws(YAMLEditError) {
            switch operation {
            case .set(let path, let value):
                expected = try before.value.setting(path, to: value)
                try editor.set(path, to: value)
            case .insert(let path, let value):
                expected = try before.value.inserting(value, at: path)
                try editor.insert(value, at: path)
            case .remove(let path):
                expected = try before.value.removing(path)
                try editor.remove(path)
            }
        } catch {
            // The value operation refused (so the editor was not asked), or the editor refused.
            require(error.code != .invalidResult, "\(describe(operation)) on \(clip(before.text)): \(error)")
            require(editor.text == before.text, "a refused \(describe(operation)) changed the text")
            return
        }
        guard let expected else { return }
        require(YAMLFuzzing.same(editor.document.value, expected),
                "\(describe(operation)) on \(clip(before.text)) gave \(clip(editor.document.value)), expected \(clip(expected)); text \(clip(editor.text))")
        // The editor re-parses only the list item an edit lies in where it can: its tree and
        // positions must be a full parse's.
        require(editor.document.root == (try? YAMLDocument(parsing: editor.text))?.root,
                "\(describe(operation)) on \(clip(before.text)): the edited tree differs from a full parse of \(clip(editor.text))")
        checkUntouched(before: before, after: editor.document, operation: operation)
    }

    /// The bytes that changed lie within the lines of the part the operation owns: the edited
    /// node's entry (or list item), the collection an insert or remove changes, the deepest node
    /// that exists on the way to a new key, or the outermost flow collection around any of them.
    private static func checkUntouched(before: YAMLDocument, after: YAMLDocument, operation: Operation) {
        let old = Array(before.text.utf8)
        let new = Array(after.text.utf8)
        guard let root = before.root else { return }
        // Where the change lies in the old text. Repeated text makes that ambiguous (deleting
        // one of two equal lines), so take both extremes: common prefix first, or suffix first.
        func changedRange(prefixFirst: Bool) -> Range<Int> {
            var prefix = 0, suffix = 0
            func growPrefix(limit: Int) {
                while prefix < limit, old[prefix] == new[prefix] { prefix += 1 }
            }
            func growSuffix(limit: Int) {
                while suffix < limit, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
            }
            if prefixFirst {
                growPrefix(limit: min(old.count, new.count))
                growSuffix(limit: min(old.count, new.count) - prefix)
            } else {
                growSuffix(limit: min(old.count, new.count))
                growPrefix(limit: min(old.count, new.count) - suffix)
            }
            return prefix..<(old.count - suffix)
        }
        let candidates = [changedRange(prefixFirst: true), changedRange(prefixFirst: false)]
        guard old != new else { return }

        var owner = operation.path
        switch operation {
        case .insert, .remove: owner = owner.parent
        case .set: break
        }
        while before.node(at: owner) == nil, !owner.isRoot { owner = owner.parent }
        // A flow collection is rewritten whole; so is anything inside one.
        var flow: YAMLPath?
        var node = root
        var walked = YAMLPath.root
        for step in owner.components {
            if node.isFlow { flow = walked; break }
            guard let next = node.child(step) else { break }
            node = next
            walked = walked.appending(step)
        }
        if flow == nil, before.node(at: owner)?.isFlow == true { flow = owner }
        if let flow { owner = flow }
        guard let target = before.node(at: owner) else { return }
        // The owner's lines, from its key or dash on, and for an empty value the line after its
        // key too (a value that becomes a block starts there).
        var from = target.start.offset
        if let key = entryKey(of: owner, in: before) { from = min(from, key.start.offset) }
        from = lineStart(of: min(from, dashBefore(target.start.offset, in: old) ?? from), in: old)
        // A removal may take the blank and comment lines right after the owner with it (they
        // belong to no node, and a block scalar above would otherwise take them in).
        let to = endOfBlankAndCommentLines(from: nextLineStart(after: max(target.end.offset, target.start.offset), in: old), in: old)
        require(candidates.contains { $0.lowerBound >= from && $0.upperBound <= max(to, $0.lowerBound) },
                "\(describe(operation)) changed bytes \(candidates) outside \(from)..<\(to) (\(owner)): \(clip(before.text)) became \(clip(after.text))")
    }

    private static func entryKey(of path: YAMLPath, in document: YAMLDocument) -> YAMLNode? {
        guard case .key(let name)? = path.last, case .mapping(let entries)? = document.node(at: path.parent)?.content
        else { return nil }
        return entries.first { $0.name == name }?.key
    }

    /// The `-` of a block list item, when only white space and line breaks stand between it
    /// and `offset` (an item may start on the line after its dash).
    private static func dashBefore(_ offset: Int, in bytes: [UInt8]) -> Int? {
        var i = offset - 1
        while i >= 0, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) { i -= 1 }
        return i >= 0 && bytes[i] == UInt8(ascii: "-") ? i : nil
    }

    private static func lineStart(of offset: Int, in bytes: [UInt8]) -> Int {
        var i = min(offset, bytes.count)
        while i > 0, bytes[i - 1] != UInt8(ascii: "\n"), bytes[i - 1] != UInt8(ascii: "\r") { i -= 1 }
        return i
    }

    private static func endOfBlankAndCommentLines(from offset: Int, in bytes: [UInt8]) -> Int {
        var line = offset
        while line < bytes.count {
            var i = line
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            guard i == bytes.count || [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#")].contains(bytes[i]) else { break }
            let next = nextLineStart(after: i, in: bytes)
            guard next > line else { break }
            line = next
        }
        return line
    }

    private static func nextLineStart(after offset: Int, in bytes: [UInt8]) -> Int {
        var i = offset
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\r") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\n") { i += 1 }
        return i
    }

    private static func describe(_ operation: Operation) -> String {
        switch operation {
        case .set(let path, let value): "set \(path) to \(clip(value, to: 120))"
        case .insert(let path, let value): "insert \(clip(value, to: 120)) at \(path)"
        case .remove(let path): "remove \(path)"
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let documents = [
            "# comment\nname: a # trailing\nserver:\n  listen: 0.0.0.0:5565\n  password: 'secret'\nusers:\n  - id: u1\n    enabled: true\n  - id: u2\n# end\n",
            "peers: {a: {nested: true}, b: {}}\nlist: [1, 2, 3]\nempty:\n",
            "users:\n- id: u1\n  exit_paths:\n  - a/b\n  - c\n- id: u2\n",
            "text: |\n  block\n  scalar\nnext: \"quoted\"\n",
            "",
        ]
        // Operations: count, then per operation: path pick, path shape, kind, value script.
        let scripts: [[UInt8]] = [[1, 1, 2, 0, 4, 3], [2, 3, 0, 0, 0, 5, 4, 104, 105, 106, 107, 3, 1, 2, 2], [1, 5, 2, 1, 6, 2, 0, 1, 4, 9]]
        var seeds: [(label: String, bytes: [UInt8])] = []
        for (d, document) in documents.enumerated() {
            for (s, script) in scripts.enumerated() {
                seeds.append(("doc\(d)-ops\(s)", Array(document.utf8) + [0] + script))
            }
        }
        return seeds
    }
}
