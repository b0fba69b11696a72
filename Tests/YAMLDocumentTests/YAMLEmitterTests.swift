import Testing
import TestSupport
import YAMLDocument

@Suite("Writing scalars and blocks")
struct YAMLEmitterTests {
    static let tricky = [
        "plain", "with space", "123", "-7", "1.5", "1e3", "true", "True", "yes", "no", "on", "off", "y", "null", "~",
        "", " lead", "trail ", "a: b", "a:b", "# hash", "x #y", "x#y", "multi\nline", "quote\"s", "it's",
        "0.0.0.0:5565", "[::]:443", "10:30", "1_000", "0x1F", "0o17", "0b101", ".5", ".inf", "-dash", "- item",
        "---", "[x]", "{y}", "a,b", "*star", "&amp", "!bang", "%pct", "@at", "`tick`", "|pipe", ">gt", "?q",
        "ünïcode", "tab\there", "back\\slash", "\u{7}bell", "c1\u{80}\u{9B}\u{9F}", "nel\u{85}", "\u{2028}", "non\u{FFFE}char\u{FFFF}", "end:", "us/us-east", "1.1.1.1", "10.0.0.0/8",
    ]

    @Test("every string reads back as itself, in block and in flow context", arguments: tricky)
    func roundTrip(_ s: String) throws {
        let block = try YAMLDocument(parsing: "k: " + YAMLEmitter.inline(.string(s)) + "\n")
        #expect(block.value == .mapping([.init("k", .string(s))]))
        let flow = try YAMLDocument(parsing: "k: [" + YAMLEmitter.flow(.string(s)) + "]\n")
        #expect(flow.value == .mapping([.init("k", .sequence([.string(s)]))]))
        let key = try YAMLDocument(parsing: YAMLEmitter.key(s) + ": 1\n")
        #expect(key.value == .mapping([.init(s, .int(1))]))
    }

    @Test("strings that other readers could take for something else are quoted", arguments: [
        "123", "true", "yes", "No", "null", "~", "", "10:30", "1_000", "0x1F", "a: b", "# x", " x", "1e3",
    ])
    func quoted(_ s: String) {
        #expect(YAMLEmitter.string(s).hasPrefix("\""))
    }

    @Test("ordinary config values stay plain", arguments: [
        "0.0.0.0:5565", "us/us-east", "alice", "10.0.0.0/8", "1.1.1.1", "aes-256-gcm", "/etc/hy2scale/tls/a.crt",
    ])
    func plain(_ s: String) {
        #expect(YAMLEmitter.string(s) == s)
    }

    @Test("random strings round-trip (seed printed on failure)")
    func randomStrings() throws {
        let seed: UInt64 = 0xC0FFEE
        var rng = SplitMix64(seed: seed)
        let pieces = Array(":#- '\"\\\n\t[]{},&*!|>%@`?ab01.xé_/~")
        for _ in 0..<3000 {
            let s = String((0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] })
            let doc = try YAMLDocument(parsing: "k: " + YAMLEmitter.inline(.string(s)) + "\n")
            #expect(doc.value == .mapping([.init("k", .string(s))]), "seed \(seed): \(String(reflecting: s))")
        }
    }

    @Test("nested blocks follow the layout")
    func blocks() throws {
        let value: YAMLValue = .mapping([
            .init("users", .sequence([.mapping([.init("id", .string("a")), .init("tags", .sequence([.string("x")]))])])),
            .init("empty", .mapping([])),
        ])
        let text = YAMLEmitter.block(value, column: 0, layout: .init(indent: 4, sequenceIndent: 0))
        #expect(text == "users:\n- id: a\n  tags:\n  - x\nempty: {}")
        #expect(try YAMLDocument(parsing: text).value == value)
    }
}
