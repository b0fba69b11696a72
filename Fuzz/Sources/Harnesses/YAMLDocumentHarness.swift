import YAMLDocument

/// `YAMLDocument(parsing:)`: the positions the editor relies on, and values that survive being
/// written out again.
enum YAMLDocumentHarness: FuzzHarness {
    static let name = "yaml-document"
    static let summary = "YAMLDocument(parsing:): spans and marks match the text; YAMLEmitter.block of the value parses back to it"

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let utf8 = Array(text.utf8)
        let document: YAMLDocument
        do throws(YAMLError) {
            document = try YAMLDocument(parsing: text)
        } catch {
            require((0...utf8.count).contains(error.mark.offset) && error.mark.line >= 1 && error.mark.column >= 1,
                    "error mark \(error.mark) (offset \(error.mark.offset)) outside a \(utf8.count)-byte text")
            return
        }
        let all = YAMLFuzzing.paths(of: document.root)
        let lines = YAMLFuzzing.LineTable(utf8)
        for (path, node) in all {
            check(node, at: path, in: lines)
            // Where an error at this path, or at a child that does not exist, would point.
            for probe in [path, path.appending(key: "missing"), path.appending(index: 99)] {
                let mark = document.mark(for: probe)
                require((0...utf8.count).contains(mark.offset), "mark(for: \(probe)) is \(mark.offset), outside the text")
            }
        }
        let value = document.value
        let emitted = YAMLEmitter.block(value, column: 0, layout: YAMLEmitter.Layout())
        do {
            let again = try YAMLDocument(parsing: emitted)
            require(YAMLFuzzing.same(again.value, value),
                    "YAMLEmitter.block changed the value: \(clip(value)) became \(clip(again.value)) via \(clip(emitted))")
        } catch {
            require(false, "YAMLEmitter.block wrote text that does not parse: \(error) in \(clip(emitted))")
        }
    }

    /// A node's span lies within the text, its marks describe its offsets, and its first and
    /// last bytes are what its kind and style say they are.
    private static func check(_ node: YAMLNode, at path: YAMLPath, in lines: YAMLFuzzing.LineTable) {
        let bytes = lines.bytes
        let (start, end) = (node.start.offset, node.end.offset)
        require(0 <= start && start <= end && end <= bytes.count, "\(path): span \(start)..<\(end) in \(bytes.count) bytes")
        for mark in [node.start, node.end] {
            let expected = lines.lineAndColumn(of: mark.offset)
            require(mark.line == expected.line && mark.column == expected.column,
                    "\(path): mark \(mark) does not describe offset \(mark.offset), which is \(expected.line):\(expected.column)")
        }
        let span = Array(bytes[start..<end])
        // A node's span starts at its tag when it has one (`!!str 12`).
        let opener = span.first == UInt8(ascii: "!") ? nil : span.first
        switch node.content {
        case .scalar(let scalar):
            switch scalar.style {
            case .doubleQuoted:
                require((opener ?? UInt8(ascii: "\"")) == UInt8(ascii: "\"") && span.last == UInt8(ascii: "\"") && span.count >= 2,
                        "\(path): double-quoted span \(clip(String(decoding: span, as: UTF8.self)))")
            case .singleQuoted:
                require((opener ?? UInt8(ascii: "'")) == UInt8(ascii: "'") && span.last == UInt8(ascii: "'") && span.count >= 2,
                        "\(path): single-quoted span \(clip(String(decoding: span, as: UTF8.self)))")
            case .plain where !scalar.text.isEmpty && !YAMLFuzzing.containsBreak(span):
                // A line break inside (NEL, LS and PS too) is folded, so the text differs from the span.
                // Bytes, not characters: after a tag, a leading combining mark joins the space.
                let text = Array(scalar.text.utf8)
                require(opener == nil ? span.suffix(text.count).elementsEqual(text) : span == text,
                        "\(path): plain span \(clip(String(decoding: span, as: UTF8.self))) is not its text \(clip(scalar.text))")
            default:
                break
            }
        case .mapping(let entries):
            if node.isFlow {
                // A single pair in a flow sequence (`[a: 1]`) is a flow mapping without braces.
                require(opener != UInt8(ascii: "{") || span.last == UInt8(ascii: "}"), "\(path): flow mapping span")
            }
            for entry in entries {
                require(start <= entry.key.start.offset && entry.key.end.offset <= entry.value.start.offset
                        && entry.value.end.offset <= end,
                        "\(path).\(entry.name): entry \(entry.key.start.offset)...\(entry.value.end.offset) outside \(start)..<\(end)")
            }
        case .sequence(let items):
            if node.isFlow {
                require((opener ?? UInt8(ascii: "[")) == UInt8(ascii: "[") && span.last == UInt8(ascii: "]"), "\(path): flow sequence span")
            }
            for (index, item) in items.enumerated() {
                require(start <= item.start.offset && item.end.offset <= end,
                        "\(path)[\(index)]: item \(item.start.offset)..<\(item.end.offset) outside \(start)..<\(end)")
            }
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("mapping", "name: a\nserver:\n  listen: 0.0.0.0:5565 # port\n  password: 'p w'\n"),
            ("lists", "users:\n  - id: u1\n    exit_paths: [a/b, c]\n  -   id: \"u2\"\n    enabled: true\n"),
            ("flow", "peers: {a: {nested: true}, \"b/c\": {}}\nrules: []\n"),
            ("block-scalars", "key: |\n  line one\n  line two\n\nfolded: >-\n  a\n  b\nafter: 1\n"),
            ("scalars", "a: ~\nb: 0x1F\nc: .inf\nd: -1.5e3\ne: !!str 12\nf: 'it''s'\ng: \"\\u00e9\\n\"\n"),
            ("empty-values", "a:\nb:\n  -\n  - x\nc: {}\n"),
            ("crlf", "a: 1\r\nb:\r\n  c: 2\r\n"),
            ("comments-only", "# nothing here\n\n# at all\n"),
        ].map { ($0.0, Array($0.1.utf8)) }
    }
}
