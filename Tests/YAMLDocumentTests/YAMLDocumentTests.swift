import Testing
import TestSupport
import YAMLDocument

@Suite("Parsing into a positioned tree")
struct YAMLDocumentTests {
    @Test("every node knows its line, column and byte span")
    func positions() throws {
        let text = """
        # comment
        name: node-a   # trailing
        server:
          listen: "0.0.0.0:5565"
        users:
          - id: ü1
            enabled: true
        """
        let doc = try YAMLDocument(parsing: text)
        let listen = try #require(doc.node(at: ["server", "listen"]))
        #expect(listen.start.line == 4 && listen.start.column == 11)
        #expect(slice(text, listen) == "\"0.0.0.0:5565\"")
        let enabled = try #require(doc.node(at: ["users", 0, "enabled"]))
        #expect(enabled.start.description == "7:14")
        #expect(slice(text, enabled) == "true")
        let id = try #require(doc.node(at: ["users", 0, "id"]))
        #expect(slice(text, id) == "ü1")
        let users = try #require(doc.node(at: ["users"]))
        #expect(slice(text, users).hasSuffix("enabled: true"))
        #expect(doc.mark(for: ["users", 0, "missing"]).line == 6)
    }

    @Test("values resolve under the YAML 1.2 core schema")
    func resolution() throws {
        let doc = try YAMLDocument(parsing: """
        a: 12
        b: -3
        c: 1.5
        d: true
        e: ~
        f:
        g: "12"
        h: yes
        i: 0x1F
        j: '1.5'
        k: !!str 7
        """)
        let expected: YAMLValue = .mapping([
            .init("a", .int(12)), .init("b", .int(-3)), .init("c", .double(1.5)), .init("d", .bool(true)),
            .init("e", .null), .init("f", .null), .init("g", .string("12")), .init("h", .string("yes")),
            .init("i", .int(31)), .init("j", .string("1.5")), .init("k", .string("7")),
        ])
        #expect(doc.value == expected)
    }

    @Test("an empty or comment-only file has no root")
    func empty() throws {
        #expect(try YAMLDocument(parsing: "").root == nil)
        #expect(try YAMLDocument(parsing: "# only a comment\n\n").root == nil)
    }

    @Test("features outside the accepted subset are refused with a position", arguments: [
        ("a: &x 1\nb: 2\n", YAMLError.Code.anchor, 1),
        ("a: 1\nb: *x\n", .alias, 2),
        ("a: 1\n---\nb: 2\n", .multipleDocuments, 2),
        ("a: 1\nb: 2\na: 3\n", .duplicateKey, 3),
        ("a: !custom 1\n", .unsupportedTag, 1),
        ("? [a, b]\n: 1\n", .complexKey, 1),
        ("a: [1, 2\n", .syntax, 2),
        ("a:\n  - b\n  c: d\n", .syntax, 3),
        ("\"unterminated\n", .syntax, 2),
    ])
    func refused(_ example: (text: String, code: YAMLError.Code, line: Int)) {
        let (text, code, line) = example
        #expect {
            _ = try YAMLDocument(parsing: text)
        } throws: { error in
            guard let e = error as? YAMLError else { return false }
            return e.code == code && e.mark.line == line && !e.message.isEmpty
        }
    }

    @Test("aliases are refused even when the anchor parses")
    func alias() {
        #expect(throws: YAMLError.self) { _ = try YAMLDocument(parsing: "a: &x 1\nb: *x\n") }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func deep() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect {
            _ = try YAMLDocument(parsing: text)
        } throws: { ($0 as? YAMLError)?.code == .tooDeep }
    }

    @Test("an oversized file is refused before parsing")
    func oversized() {
        let text = "a: " + String(repeating: "x", count: YAMLDocument.maximumSize) + "\n"
        #expect {
            _ = try YAMLDocument(parsing: text)
        } throws: { ($0 as? YAMLError)?.code == .tooLarge }
    }

    @Test("random garbage and mutated documents never crash or hang the parser")
    func garbage() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let base = Array(sampleConfig.utf8)
        let alphabet = Array("-:?[]{},#&*!|>'\"%@` \n\t\\ab01".utf8)
        var parsed = 0, refused = 0
        for _ in 0..<2000 {
            var bytes = base
            for _ in 0..<Int(rng.next() % 8 + 1) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            do {
                let doc = try YAMLDocument(parsing: String(decoding: bytes, as: UTF8.self))
                _ = doc.value
                parsed += 1
            } catch {
                #expect(!error.message.isEmpty)
                refused += 1
            }
        }
        #expect(parsed + refused == 2000)
        #expect(refused > 0)
    }

    private func slice(_ text: String, _ node: YAMLNode) -> String {
        String(decoding: Array(text.utf8)[node.start.offset..<node.end.offset], as: UTF8.self)
    }
}
