import Testing
import YAMLDocument

/// Inputs the fuzzer found (Fuzz/Corpus/yaml-document, yaml-editor), kept as regressions.
@Suite("YAML inputs the fuzzer found")
struct YAMLFuzzFindTests {
    @Test("a tagged empty scalar spans its tag, so replacing it replaces the tag")
    func taggedEmptyScalar() throws {
        let document = try YAMLDocument(parsing: "!!str ")
        let root = try #require(document.root)
        #expect(root.start.offset == 0 && root.end.offset > root.start.offset)
        var editor = try YAMLEditor("!!str ")
        try editor.set(.root, to: .null)
        #expect(editor.document.value == .null)
        var keyed = try YAMLEditor("a: !!str\nb: 1\n")
        try keyed.set(["a"], to: .int(2))
        #expect(keyed.text == "a: 2\nb: 1\n")
    }

    @Test("LS, PS and NEL end lines as libyaml counts them, so spans stay on their text",
          arguments: ["\u{2028}", "\u{2029}", "\u{85}"])
    func unicodeLineBreaks(_ lineBreak: String) throws {
        let text = "text: |\(lineBreak)\n \n  scalar\nnext: \"quoted\"\n"
        var editor = try YAMLEditor(text)
        try editor.set(["text"], to: .int(151_257_344))
        #expect(editor.document.value == .mapping([.init("text", .int(151_257_344)), .init("next", .string("quoted"))]))
        let document = try YAMLDocument(parsing: "a: 1\(lineBreak)b: x\n")
        let b = try #require(document.node(at: ["b"]))
        #expect(b.start.line == 2 && b.start.column == 4)
        #expect(Array(document.text.utf8)[b.start.offset] == UInt8(ascii: "x"))
    }

    @Test("appending after a block scalar that ends the file without a line break keeps its value",
          arguments: ["|", "|+", "|2", ">", ">+2", "|-"])
    func blockScalarAtEndOfFile(_ header: String) throws {
        let text = "text: \(header)\n  block\n  scalar"
        let before = try YAMLDocument(parsing: text).value
        var editor = try YAMLEditor(text)
        try editor.set(["next"], to: .int(1))
        #expect(editor.document.value == (try before.setting(["next"], to: .int(1))))
        var list = try YAMLEditor("- a\n- |\n  x")
        try list.insert(.string("b"), at: [2])
        #expect(list.document.value == .sequence([.string("a"), .string("x"), .string("b")]))
    }

    /// A space, quote or colon followed by a combining mark is one `Character` to Swift, but a
    /// YAML reader sees the indicator.
    static let combiningMarkStrings = [
        "\u{5B3}x", "- \u{301}a", "a: \u{301}b", "a:\t\u{301}b", "'\u{301}", "it'\u{301}s", "-\t\u{301}",
    ]

    @Test("strings with combining marks after indicators survive the emitter", arguments: combiningMarkStrings)
    func combiningMarks(_ text: String) throws {
        let value = YAMLValue.mapping([.init("k", .sequence([.sequence([.mapping([.init(text, .string(text))])])]))])
        let emitted = YAMLEmitter.block(value, column: 0, layout: YAMLEmitter.Layout())
        #expect(try YAMLDocument(parsing: emitted).value == value, "\(emitted)")
        if let quoted = YAMLEmitter.singleQuoted(text) {  // nil for text with a tab
            #expect(try YAMLDocument(parsing: "a: " + quoted).value == .mapping([.init("a", .string(text))]))
        }
        var editor = try YAMLEditor("a: 'x'\n")
        try editor.set(["a"], to: .string(text))
        #expect(editor.document.value == .mapping([.init("a", .string(text))]))
    }

    @Test("a mapping key with no text (`?` or `:` alone) is refused", arguments: ["?", "?\n: v\n", "a:\n  ?\n", ": x\n", "{: x}", "[? ]"])
    func emptyKey(_ text: String) {
        let error = #expect(throws: YAMLError.self) { try YAMLDocument(parsing: text) }
        #expect(error?.code == .syntax)
    }

    @Test("an empty string key, written out, is still a key")
    func emptyStringKey() throws {
        var editor = try YAMLEditor("\"\": 1\n")
        try editor.set(["a"], to: .int(2))
        #expect(editor.document.value == .mapping([.init("", .int(1)), .init("a", .int(2))]))
    }

    @Test("a block scalar's last line of spaces beyond its indentation is content, and edits keep it",
          arguments: ["text: |\n lt: |\n  blo\n  blt: |\n  \r", "a: |\n  x\n   \n  \nb: 1\n", "a: >\n  x\n    \n",
                      "t: |\n x\nT blt: |1\n  \r", "a: |1\n  \n   \n", "a: |1\n  \n  ", "T blt: |1\n  "])
    func spaceLineAtBlockEnd(_ text: String) throws {
        let before = try YAMLDocument(parsing: text).value
        var editor = try YAMLEditor(text)
        try editor.set(["k0"], to: .mapping([]))
        #expect(editor.document.value == (try before.setting(["k0"], to: .mapping([]))))
    }

    @Test("a key appended after keep chomping's empty lines and a last line of spaces keeps its line breaks",
          arguments: ["t: |\n g1.\nT&blt: |+1\r \n ", "a: |+\n  x\n\n  ", "a: |+\n  x\n  ", "a: >+\n  x\n\n\n "])
    func keepChompingBeforeSpaceLine(_ text: String) throws {
        let before = try YAMLDocument(parsing: text).value
        var editor = try YAMLEditor(text)
        try editor.set(["k0"], to: .mapping([]))
        #expect(editor.document.value == (try before.setting(["k0"], to: .mapping([]))))
    }

    @Test("a new root scalar takes in the line of white space after the old root")
    func rootScalarBeforeTabLine() throws {
        var editor = try YAMLEditor("users:!\n\t")
        try editor.set(.root, to: .string("\u{0}"))
        #expect(editor.document.value == .string("\u{0}"))
    }

    @Test("a key appended after a block scalar whose last line ends in LS or PS goes after that break",
          arguments: ["\u{2028}", "\u{2029}"])
    func separatorEndsBlock(_ lineBreak: String) throws {
        let text = "t: |\n  x\n  calt: |\(lineBreak)"
        let before = try YAMLDocument(parsing: text).value
        var editor = try YAMLEditor(text)
        try editor.set(["k0"], to: .null)
        #expect(editor.document.value == (try before.setting(["k0"], to: .null)))
    }

    @Test("a string that starts with the document end marker is quoted", arguments: ["...", "... x", "...a"])
    func documentEndMarker(_ text: String) throws {
        var editor = try YAMLEditor("\u{FFFD}")
        try editor.set(.root, to: .string(text))
        #expect(editor.document.value == .string(text))
        #expect(try YAMLDocument(parsing: YAMLEmitter.block(.sequence([.string(text)]), column: 0, layout: YAMLEmitter.Layout())).value
                == .sequence([.string(text)]))
    }

    static let removalsAfterBlockScalars: [(text: String, path: YAMLPath)] = [
        ("text: |\n lt: |\n lt: |\n  bo\n  t: |\n  ol \nk2: null\n  \r", ["k2"]),
        ("a: |+\n  x\nb: 1\n\nc: 2\n", ["b"]),
        ("a: |\n  x\nb: 1\n    # about b\nc: 2\n", ["b"]),
        ("- |\n  x\n- 1\n   \n- 2\n", [1]),
        ("a: |\u{2028}b: |\u{2028}\n ", ["a"]),
    ]

    @Test("removing the entry after a block scalar takes the blank and comment lines it would leave to that scalar",
          arguments: removalsAfterBlockScalars)
    func removalAfterBlockScalar(_ text: String, _ path: YAMLPath) throws {
        let before = try YAMLDocument(parsing: text).value
        var editor = try YAMLEditor(text)
        try editor.remove(path)
        #expect(editor.document.value == (try before.removing(path)), "\(editor.text)")
    }

    @Test("removal elsewhere keeps blank lines and comments where they are")
    func removalKeepsLayout() throws {
        var editor = try YAMLEditor("a: 1\nb: 2\n\n# section\nc: 3\n")
        try editor.remove(["b"])
        #expect(editor.text == "a: 1\n\n# section\nc: 3\n")
    }

    @Test("a key longer than an implicit key may be is written as an explicit `?` key, in blocks and flows",
          arguments: [1025, 3000])
    func longKeys(_ length: Int) throws {
        let key = String(repeating: "k", count: length - 1) + "\u{E9}"
        let value = YAMLValue.mapping([.init(key, .mapping([.init(key, .int(1))])), .init("b", .sequence([.mapping([.init(key, .null)])]))])
        for text in [YAMLEmitter.block(value, column: 0, layout: YAMLEmitter.Layout()), YAMLEmitter.flow(value)] {
            #expect(try YAMLDocument(parsing: text).value == value)
        }
        var editor = try YAMLEditor("a: 1\n")
        try editor.set(YAMLPath.root.appending(key: key), to: .string("x"))
        try editor.set(YAMLPath(["m", .key(key)]), to: .int(2))
        #expect(editor.document.value == .mapping([.init("a", .int(1)), .init(key, .string("x")), .init("m", .mapping([.init(key, .int(2))]))]))
    }

    @Test("entries written with `?` are removed and followed at their `?`, not at their key")
    func explicitKeyEntries() throws {
        var removed = try YAMLEditor("- ? a\n  : 1\n  ? b\n  : 2\n")
        try removed.remove([0, "a"])
        #expect(removed.text == "- ? b\n  : 2\n")
        var appended = try YAMLEditor("? a\n: 1\n")
        try appended.set(["b"], to: .int(2))
        #expect(appended.text == "? a\n: 1\nb: 2\n")
    }

    @Test("a NaN appended after a last line without a line break is one more entry")
    func nanAfterUnbrokenLastLine() throws {
        var editor = try YAMLEditor("users:\n  - id: u1\n  - id")
        try editor.set(["k0"], to: .double(.nan))
        #expect(editor.text == "users:\n  - id: u1\n  - id\nk0: .nan")
    }
}

