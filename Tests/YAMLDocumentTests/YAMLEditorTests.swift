import Testing
import TestSupport
import YAMLDocument

@Suite("Editing text in place")
struct YAMLEditorTests {
    /// Lines of `after` that differ from `before`, as (removed, added) counts.
    func lineDiff(_ before: String, _ after: String) -> (removed: [Substring], added: [Substring]) {
        let a = before.split(separator: "\n", omittingEmptySubsequences: false)
        let b = after.split(separator: "\n", omittingEmptySubsequences: false)
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        return (Array(a[prefix..<(a.count - suffix)]), Array(b[prefix..<(b.count - suffix)]))
    }

    static let oneLineCases: [(path: YAMLPath, value: YAMLValue, line: String)] = [
        (["users", 0, "enabled"], .bool(false), "    enabled: false"),
        (["users", 0, "username"], .string("carol"), "    username: carol       # first user"),
        (["server", "password"], .string("n3w"), "  password: 'n3w'   # keep it secret"),
        (["server", "tls_cert"], .string("/x.crt"), "  tls_cert: \"/x.crt\""),
        (["name"], .string("123"), "name: \"123\"          # shown to peers"),
        (["dns_resolver", "cache_ttl"], .int(60), "  cache_ttl: 60"),
    ]

    @Test("changing one field is a one-line diff that keeps the line's comment", arguments: oneLineCases)
    func oneLine(_ example: (path: YAMLPath, value: YAMLValue, line: String)) throws {
        let (path, value, line) = example
        var editor = try YAMLEditor(sampleConfig)
        try editor.set(path, to: value)
        let diff = lineDiff(sampleConfig, editor.text)
        #expect(diff.removed.count == 1)
        #expect(diff.added == [Substring(line)])
        #expect(try YAMLDocument(parsing: editor.text).value == (try YAMLDocument(parsing: sampleConfig).value.setting(path, to: value)))
    }

    @Test("setting a whole entry to itself but one field changes one line")
    func subtreeMerge() throws {
        var editor = try YAMLEditor(sampleConfig)
        var user = try #require(editor.document.node(at: ["users", 1])).value
        guard case .mapping(var pairs) = user else { Issue.record("not a mapping"); return }
        pairs[pairs.firstIndex { $0.key == "enabled" }!].value = .bool(true)
        user = .mapping(pairs)
        try editor.set(["users", 1], to: user)
        let diff = lineDiff(sampleConfig, editor.text)
        #expect(diff.added == ["    enabled: true"])
        #expect(diff.removed == ["    enabled: false"])
    }

    @Test("adding keys, list items and new sections follows the file's indentation")
    func additions() throws {
        var editor = try YAMLEditor(sampleConfig)
        try editor.set(["server", "tls_key"], to: .string("/k.key"))
        try editor.insert(.mapping([.init("id", .string("u3")), .init("username", .string("dave"))]), at: ["users", 2])
        try editor.insert(.string("172.16.0.0/12"), at: ["rules", 0, "targets", 0])
        try editor.set(["ss"], to: .mapping([.init("listen", .string("0.0.0.0:8388")), .init("enabled", .bool(true))]))
        try editor.set(["peers", "jp/osaka", "nested"], to: .bool(true))
        try editor.insert(.mapping([.init("name", .string("jp")), .init("addr", .string("jp.example:5565"))]),
                          at: ["clients", 0])
        let text = editor.text
        #expect(text.contains("  tls_cert: \"/var/lib/hy2scale/tls/default.crt\"\n  tls_key: /k.key\n"))
        #expect(text.contains("    enabled: false\n  - id: u3\n    username: dave\n"))
        #expect(text.contains("      targets:\n        - 172.16.0.0/12\n        - 10.0.0.0/8\n"))
        #expect(text.contains("\nss:\n  listen: 0.0.0.0:8388\n  enabled: true\n"))
        #expect(text.contains("peers:\n  jp/osaka:\n    nested: true\n"))
        #expect(text.contains("clients:\n  - name: jp\n    addr: jp.example:5565   # outbound peers\n"))
        #expect(text.contains("# hy2scale node configuration\n") && text.contains("# bob's quota\n"))
        #expect(text.hasSuffix("# end of file\n") || text.hasSuffix("# end of file"))
    }

    @Test("a long list's layout is read from its first items, whatever its later ones do")
    func layoutOfLongList() throws {
        let items = (0..<300).map { i in
            i < 100 ? "    - id: u\(i)\n      tags:\n          - a\n" : "    - id: u\(i)\n      tags:\n        - a\n"
        }
        var editor = try YAMLEditor("users:\n" + items.joined())
        try editor.insert(.mapping([.init("id", .string("new")), .init("tags", .sequence([.string("b")]))]), at: ["users", 300])
        #expect(editor.text.hasSuffix("    - id: new\n      tags:\n          - b\n"))
    }

    @Test("removing entries takes their lines; the last one leaves an empty collection")
    func removals() throws {
        var editor = try YAMLEditor(sampleConfig)
        try editor.remove(["users", 0])
        #expect(!editor.text.contains("alice"))
        #expect(editor.text.contains("users:\n  - id: u2\n"))
        try editor.remove(["users", 0, "id"])
        #expect(editor.text.contains("users:\n  - username: bob\n"))
        try editor.remove(["users", 0])
        #expect(editor.text.contains("users: []\n"))
        try editor.remove(["dns_resolver", "enabled"])
        try editor.remove(["dns_resolver", "cache_ttl"])
        #expect(editor.text.contains("dns_resolver: {}\n# end of file"))
    }

    @Test("edits inside a flow collection rewrite just that collection")
    func flow() throws {
        var editor = try YAMLEditor(sampleConfig)
        try editor.insert(.string("kr"), at: ["users", 0, "exit_paths", 1])
        #expect(editor.text.contains("    exit_paths: [us, kr, jp]\n"))
        try editor.remove(["users", 0, "exit_paths", 0])
        #expect(editor.text.contains("    exit_paths: [kr, jp]\n"))
    }

    @Test("bad edits are refused and change nothing")
    func refused() throws {
        var editor = try YAMLEditor(sampleConfig)
        #expect(throws: YAMLEditError.self) { try editor.remove(["nope"]) }
        #expect(throws: YAMLEditError.self) { try editor.insert(.int(1), at: ["users", 9]) }
        #expect(throws: YAMLEditError.self) { try editor.insert(.int(1), at: ["server", "listen"]) }
        #expect(throws: YAMLEditError.self) { try editor.set(["users", 7, "id"], to: .int(1)) }
        #expect(editor.text == sampleConfig)
    }

    // MARK: - Properties over random edit sequences

    enum Edit: CustomStringConvertible {
        case set(YAMLPath, YAMLValue), insert(YAMLPath, YAMLValue), remove(YAMLPath)
        var description: String {
            switch self {
            case .set(let p, let v): return "set \(p) = \(v)"
            case .insert(let p, let v): return "insert \(p) = \(v)"
            case .remove(let p): return "remove \(p)"
            }
        }
    }

    struct EditGenerator {
        var rng: SplitMix64
        let keys = ["name", "enabled", "new key", "123", "true", "a:b", "x.y", "ключ", "listen", "k"]

        mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

        mutating func scalar() -> YAMLValue {
            switch rng.next() % 6 {
            case 0: return .int(Int64(bitPattern: rng.next() % 100_000) - 50_000)
            case 1: return .bool(rng.next() % 2 == 0)
            case 2: return .null
            case 3: return .double(Double(rng.next() % 1000) / 8)
            default: return .string(pick(YAMLEmitterTests.tricky))
            }
        }

        mutating func value(depth: Int = 0) -> YAMLValue {
            guard depth < 3, rng.next() % 3 == 0 else { return scalar() }
            let n = Int(rng.next() % 3)
            if rng.next() % 2 == 0 {
                var pairs: [YAMLValue.Pair] = []
                for _ in 0..<n {
                    let k = pick(keys)
                    if !pairs.contains(where: { $0.key == k }) { pairs.append(.init(k, value(depth: depth + 1))) }
                }
                return .mapping(pairs)
            }
            return .sequence((0..<n).map { _ in value(depth: depth + 1) })
        }

        /// Every path in `value`, with the value there.
        func paths(_ value: YAMLValue, _ prefix: YAMLPath = .root) -> [(YAMLPath, YAMLValue)] {
            var out = [(prefix, value)]
            switch value {
            case .mapping(let pairs): for p in pairs { out += paths(p.value, prefix.appending(key: p.key)) }
            case .sequence(let items): for (i, v) in items.enumerated() { out += paths(v, prefix.appending(index: i)) }
            default: break
            }
            return out
        }

        /// A random edit of `current`; `keepComments` limits it to edits that touch no comment.
        mutating func edit(of current: YAMLValue, keepComments: Bool) -> Edit {
            let all = paths(current).filter { !$0.0.isRoot }
            let containers = paths(current).filter {
                if case .mapping = $0.1 { return true }
                if case .sequence = $0.1 { return true }
                return false
            }
            switch rng.next() % (keepComments ? 3 : 5) {
            case 0:
                let scalars = all.filter { $0.1.isInline }
                let (path, _) = pick(scalars.isEmpty ? all : scalars)
                return .set(path, keepComments ? scalar() : value())
            case 1:
                let (path, node) = pick(containers)
                if case .sequence(let items) = node {
                    return .insert(path.appending(index: Int(rng.next() % UInt64(items.count + 1))), value())
                }
                return .set(path.appending(key: pick(keys)), value())
            case 2:
                let (path, node) = pick(containers)
                switch node {
                case .mapping(let pairs) where !pairs.isEmpty:
                    let p = pick(pairs)
                    return .set(path.appending(key: p.key), keepComments && !p.value.isInline ? p.value : value())
                case .sequence(let items):
                    return .set(path.appending(index: items.count), scalar())
                default:
                    return .set(path.appending(key: pick(keys)), scalar())
                }
            case 3:
                return .set(pick(all).0, value())
            default:
                return .remove(pick(all).0)
            }
        }
    }

    static func comments(_ text: String) -> [Substring] {
        text.split(separator: "\n").compactMap { line in line.firstRange(of: "# ").map { line[$0.lowerBound...] } }
    }

    @Test("hundreds of random edits: re-parsing always gives the intended value (seeds printed)",
          arguments: Array(UInt64(1)...UInt64(12)))
    func randomEdits(seed: UInt64) throws {
        var generator = EditGenerator(rng: SplitMix64(seed: seed))
        var editor = try YAMLEditor(sampleConfig)
        var model = editor.document.value
        var log: [String] = []
        for _ in 0..<60 {
            let edit = generator.edit(of: model, keepComments: false)
            log.append(edit.description)
            let expected: YAMLValue
            do {
                switch edit {
                case .set(let p, let v): expected = try model.setting(p, to: v); try editor.set(p, to: v)
                case .insert(let p, let v): expected = try model.inserting(v, at: p); try editor.insert(v, at: p)
                case .remove(let p): expected = try model.removing(p); try editor.remove(p)
                }
            } catch {
                Issue.record("seed \(seed): \(error) after \(log.joined(separator: "; "))\n\(editor.text)")
                return
            }
            let full = try YAMLDocument(parsing: editor.text)
            let reparsed = full.value
            #expect(editor.document.root == full.root, "seed \(seed): the edited tree and positions are a full parse's")
            guard reparsed == expected else {
                Issue.record("seed \(seed): \(log.joined(separator: "; "))\nwanted \(expected)\ngot    \(reparsed)\n\(editor.text)")
                return
            }
            model = expected
        }
    }

    @Test("comments and key order survive hundreds of random edits that touch no comment")
    func commentsSurvive() throws {
        let seed: UInt64 = 0xA11CE
        var generator = EditGenerator(rng: SplitMix64(seed: seed))
        var editor = try YAMLEditor(sampleConfig)
        var model = editor.document.value
        let original = Self.comments(sampleConfig)
        for step in 0..<300 {
            let edit = generator.edit(of: model, keepComments: true)
            switch edit {
            case .set(let p, let v): model = try model.setting(p, to: v); try editor.set(p, to: v)
            case .insert(let p, let v): model = try model.inserting(v, at: p); try editor.insert(v, at: p)
            case .remove: continue
            }
            #expect(try YAMLDocument(parsing: editor.text).value == model, "seed \(seed) step \(step): \(edit)")
        }
        #expect(Self.comments(editor.text).filter { original.contains($0) } == original, "seed \(seed)")
    }
}

@Suite("Editing a ten-thousand-entry file")
struct LargeFileEditTests {
    /// The sample config with a commented list of 10,000 accounts after it.
    static let largeConfig: String = {
        var text = sampleConfig + "\n# ten thousand accounts, one comment per hundred\naccounts:\n"
        for i in 0..<10_000 {
            if i % 100 == 0 { text += "  # block \(i / 100)\n" }
            text += "  - id: u\(i)\n    username: user\(i)   # login\n    enabled: \(i % 3 != 0)\n"
        }
        return text
    }()

    @Test("random edits of a 10,000-entry file re-parse to the intended value (seeds printed)", arguments: [UInt64(21), 22])
    func randomEdits(seed: UInt64) throws {
        var generator = YAMLEditorTests.EditGenerator(rng: SplitMix64(seed: seed))
        var editor = try YAMLEditor(Self.largeConfig)
        var model = editor.document.value
        for step in 0..<20 {
            let edit = generator.edit(of: model, keepComments: false)
            switch edit {
            case .set(let p, let v): model = try model.setting(p, to: v); try editor.set(p, to: v)
            case .insert(let p, let v): model = try model.inserting(v, at: p); try editor.insert(v, at: p)
            case .remove(let p): model = try model.removing(p); try editor.remove(p)
            }
            let full = try YAMLDocument(parsing: editor.text)
            #expect(editor.document.root == full.root, "seed \(seed) step \(step): tree and positions as parsed whole")
            guard full.value == model else {
                Issue.record("seed \(seed) step \(step): \(edit) does not re-parse to the intended value")
                return
            }
        }
    }

    @Test("an edit inside one list item gives the tree and positions of a full parse", arguments: [
        (YAMLPath(["accounts", 5, "enabled"]), YAMLValue.bool(true)),  // one value, same length
        (YAMLPath(["accounts", 5, "username"]), .string("a much longer name")),  // text after moves
        (YAMLPath(["accounts", 9_999, "enabled"]), .bool(false)),  // the last item: its parents end later
        (YAMLPath(["accounts", 7, "groups"]), .sequence([.string("a"), .string("b")])),  // lines added inside
        (YAMLPath(["accounts", 7]), .mapping([.init("id", .string("x"))])),  // the whole item
        (YAMLPath(["accounts", 3, "note"]), .string("line one\nline two")),  // a block scalar: parsed whole
        (YAMLPath(["accounts", 0, "enabled"]), .int(3)),
    ] as [(YAMLPath, YAMLValue)])
    func itemReparsed(path: YAMLPath, value: YAMLValue) throws {
        var editor = try YAMLEditor(Self.largeConfig)
        try editor.set(path, to: value)
        let full = try YAMLDocument(parsing: editor.text)
        #expect(editor.document.root == full.root)
        #expect(editor.document.node(at: path)?.value == value)
        try editor.remove(path)
        #expect(editor.document.root == (try YAMLDocument(parsing: editor.text)).root)
    }

    @Test("removing a list item gives the tree and positions of a full parse, whatever surrounds it", arguments: [
        "a:\n  - x: 1\n  - x: 2\n  - x: 3\nb: 4\n",  // the middle item
        "a:\n  - x: 1\n  - x: 2\nb: 4\n",  // the first item
        "a:\n- x: 1\n  # about the next\n- x: 2\n\n  # after it\n\n- x: 3\n",  // comments and blank lines around
        "a:\n  - x: |+\n      keep\n\n  - x: 2\n\n  - x: 3\n",  // a block scalar before it takes in the blank line
        "a:\n  - x: >\n      folded\n  - 2\n  # deeper\n  - 3\n",  // a folded scalar before it
        "a:\r  - 1\r  - 2\r  - 3\r",  // lone carriage returns
        "a:\r\n  - 1\r\n  - 2\r\n  - 3\r\n",
        "a:\n  - - 1\n    - 2\n  - - 3\n  - 4\n",  // lists in a list
        "a:\n  - b:\n      - 1\n      - 2\n    c: 3\n  - 5\n",  // an item of a nested list
    ])
    func removalReparsed(text: String) throws {
        let model = try YAMLDocument(parsing: text).value
        for path in Self.itemPaths(in: try YAMLDocument(parsing: text).root) {
            var editor = try YAMLEditor(text)
            try editor.remove(path)
            #expect(editor.document.root == (try YAMLDocument(parsing: editor.text)).root, "\(path) of \(text.debugDescription)")
            #expect(editor.document.value == (try model.removing(path)), "\(path) of \(text.debugDescription)")
        }
    }

    /// The paths of every list item under `node`.
    static func itemPaths(in node: YAMLNode?, at path: YAMLPath = .root) -> [YAMLPath] {
        switch node?.content {
        case .sequence(let items)?:
            return items.indices.flatMap { [path.appending(index: $0)] + itemPaths(in: items[$0], at: path.appending(index: $0)) }
        case .mapping(let entries)?:
            return entries.flatMap { itemPaths(in: $0.value, at: path.appending(.key($0.name))) }
        default:
            return []
        }
    }

    @Test("removing items one after another from a 10,000-entry file keeps the tree a full parse's")
    func removalsInARow() throws {
        var editor = try YAMLEditor(Self.largeConfig)
        var model = editor.document.value
        for i in [9_998, 5_000, 4_999, 100, 99, 0, 1, 0] {
            let path = YAMLPath([.key("accounts"), .index(i)])
            model = try model.removing(path)
            try editor.remove(path)
        }
        #expect(editor.document.root == (try YAMLDocument(parsing: editor.text)).root)
        #expect(editor.document.value == model)
    }

    @Test("comments survive random edits of a 10,000-entry file that touch no comment")
    func commentsSurvive() throws {
        var generator = YAMLEditorTests.EditGenerator(rng: SplitMix64(seed: 0x10_000))
        var editor = try YAMLEditor(Self.largeConfig)
        var model = editor.document.value
        let original = YAMLEditorTests.comments(Self.largeConfig)
        for step in 0..<20 {
            let edit = generator.edit(of: model, keepComments: true)
            switch edit {
            case .set(let p, let v): model = try model.setting(p, to: v); try editor.set(p, to: v)
            case .insert(let p, let v): model = try model.inserting(v, at: p); try editor.insert(v, at: p)
            case .remove: continue
            }
            #expect(try YAMLDocument(parsing: editor.text).value == model, "step \(step): \(edit)")
        }
        #expect(YAMLEditorTests.comments(editor.text).filter { original.contains($0) } == original)
    }

    @Test("appending many values at once writes the text that appending them one by one writes",
          arguments: ["accounts", "users", "clients", "absent", "flow"])
    func appendContentsOf(list: String) throws {
        var generator = YAMLEditorTests.EditGenerator(rng: SplitMix64(seed: 7))
        let values = (0..<25).map { _ in generator.value() }
        let text = Self.largeConfig + "flow: [a, b]\n"
        var together = try YAMLEditor(text)
        var oneByOne = try YAMLEditor(text)
        var count = 0
        if case .sequence(let items)? = oneByOne.document.node(at: [.key(list)])?.content { count = items.count }
        for (i, value) in values.enumerated() { try oneByOne.insert(value, at: YAMLPath([.key(list), .index(count + i)])) }
        try together.append(contentsOf: values, to: [.key(list)])
        #expect(together.text == oneByOne.text)
        #expect(try YAMLDocument(parsing: together.text).value == oneByOne.document.value)
    }
}
