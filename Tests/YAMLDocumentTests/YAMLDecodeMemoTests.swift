import Synchronization
import Testing
import TestSupport
import YAMLDocument

/// How many entries were decoded rather than reused, by the test that counts them.
private let decodedEntries = Mutex([String: Int]())

private struct Entry: YAMLReusableDecodable, Equatable {
    var id: String
    var port: Int
    var tags: [String]
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 0
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        decodedEntries.withLock { $0[id, default: 0] += 1 }
    }
    enum CodingKeys: String, CodingKey { case id, port, tags }
}

private struct List: Decodable, Equatable {
    var entries: [Entry]
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decodeIfPresent([Entry].self, forKey: .entries) ?? []
    }
    enum CodingKeys: String, CodingKey { case entries }
}

private struct Two: Decodable, Equatable {
    var a: [Entry]
    var b: [Entry]
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decodeIfPresent([Entry].self, forKey: .a) ?? []
        b = try c.decodeIfPresent([Entry].self, forKey: .b) ?? []
    }
    enum CodingKeys: String, CodingKey { case a, b }
}

@Suite("Reusing decoded entries across revisions", .serialized)
struct YAMLDecodeMemoTests {
    private func text(_ entries: [(String, Int)], indent: String = "  ") -> String {
        "# list\nentries:\n" + entries.map { "\(indent)- id: \($0.0)\n\(indent)  port: \($0.1)\n\(indent)  tags: [a, b]\n" }.joined()
    }

    private func counts(_ body: () throws -> Void) rethrows -> [String: Int] {
        decodedEntries.withLock { $0 = [:] }
        try body()
        return decodedEntries.withLock { $0 }
    }

    @Test("an edit of one entry decodes that entry alone, and the result equals a decode from scratch")
    func oneEntryDecoded() throws {
        var memo = YAMLDecodeMemo()
        let before = try YAMLDocument(parsing: text((0..<50).map { ("e\($0)", $0) }))
        let first = counts { _ = YAMLDecoder().decodeCollectingIssues(List.self, from: before, reusing: &memo) }
        #expect(first.count == 50)
        #expect(memo.count == 51)  // the entries and their list

        let after = try YAMLDocument(parsing: text((0..<50).map { ("e\($0)", $0 == 7 ? 7_007 : $0) }))
        var reused: (List?, [YAMLDecodingIssue]) = (nil, [])
        let second = counts { reused = YAMLDecoder().decodeCollectingIssues(List.self, from: after, reusing: &memo) }
        #expect(second == ["e7": 1])
        let scratch = YAMLDecoder().decodeCollectingIssues(List.self, from: after)
        #expect(reused.0 == scratch.0)
        #expect(reused.0?.entries[7].port == 7_007)
        #expect(reused.1.isEmpty && scratch.1.isEmpty)
        #expect(memo.count == 51)
    }

    @Test("an entry removed or inserted decodes only the inserted one; a long run removed decodes the entries after it")
    func removalAndInsertion() throws {
        var memo = YAMLDecodeMemo()
        var entries = (0..<50).map { ("e\($0)", $0) }
        _ = YAMLDecoder().decodeCollectingIssues(List.self, from: try YAMLDocument(parsing: text(entries)), reusing: &memo)
        func decode() throws -> [String: Int] {
            let document = try YAMLDocument(parsing: text(entries))
            var result: (List?, [YAMLDecodingIssue]) = (nil, [])
            let decoded = counts { result = YAMLDecoder().decodeCollectingIssues(List.self, from: document, reusing: &memo) }
            #expect(result.0 == YAMLDecoder().decodeCollectingIssues(List.self, from: document).0)
            return decoded
        }
        entries.remove(at: 20)
        #expect(try decode() == [:])
        entries.insert(("new", 1), at: 10)
        #expect(try decode() == ["new": 1])
        entries.removeSubrange(0..<3)
        #expect(try decode() == [:])
        entries.removeSubrange(5..<25)  // farther than an item is looked for
        #expect(try decode().count == entries.count - 5)
    }

    @Test("an unchanged list is taken whole, storage and all, and its entries stay kept for a later edit")
    func listTakenWhole() throws {
        func text(_ a: [Int], _ b: [Int]) -> String {
            "a:\n" + a.map { "  - id: a\($0)\n    port: \($0)\n" }.joined()
                + "b:\n" + b.map { "  - id: b\($0)\n    port: \($0)\n" }.joined()
        }
        var memo = YAMLDecodeMemo()
        let start = Array(0..<30)
        let first = YAMLDecoder().decodeCollectingIssues(Two.self, from: try YAMLDocument(parsing: text(start, start)), reusing: &memo)
        var a = start
        a[3] = 303
        var second: (Two?, [YAMLDecodingIssue]) = (nil, [])
        let onlyA = try counts { second = YAMLDecoder().decodeCollectingIssues(Two.self, from: try YAMLDocument(parsing: text(a, start)), reusing: &memo) }
        #expect(onlyA == ["a303": 1])
        let storage = { (list: [Entry]?) in list?.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(storage(second.0?.b) == storage(first.0?.b))
        #expect(storage(second.0?.a) != storage(first.0?.a))

        var b = start
        b[29] = 2_929
        let document = try YAMLDocument(parsing: text(a, b))
        var third: (Two?, [YAMLDecodingIssue]) = (nil, [])
        let onlyB = counts { third = YAMLDecoder().decodeCollectingIssues(Two.self, from: document, reusing: &memo) }
        #expect(onlyB == ["b2929": 1])
        let scratch = YAMLDecoder().decodeCollectingIssues(Two.self, from: document)
        #expect(third.0 == scratch.0 && third.1.isEmpty && scratch.1.isEmpty)
    }

    @Test("an entry with a problem is reported on every decode, never kept")
    func problemsNotKept() throws {
        var memo = YAMLDecodeMemo()
        let document = try YAMLDocument(parsing: "entries:\n  - id: a\n    port: 1\n  - id: b\n    prot: 2\n  - id: c\n    port: x\n")
        for _ in 0..<2 {
            let (list, issues) = YAMLDecoder().decodeCollectingIssues(List.self, from: document, reusing: &memo)
            let scratch = YAMLDecoder().decodeCollectingIssues(List.self, from: document)
            #expect(issues == scratch.1)
            #expect(issues.map(\.path.description) == ["entries[1].prot", "entries[2].port"])
            #expect(issues.first?.message.contains("did you mean \"port\"") == true)
            #expect(list == scratch.0)
        }
        #expect(memo.count == 1)
    }

    @Test("the same text in another column is decoded again: its indentation means something else there")
    func columnIsPartOfTheKey() throws {
        var memo = YAMLDecodeMemo()
        let shallow = try YAMLDocument(parsing: text([("a", 1)], indent: ""))
        _ = YAMLDecoder().decodeCollectingIssues(List.self, from: shallow, reusing: &memo)
        let deep = try YAMLDocument(parsing: text([("a", 1)], indent: "    "))
        let decoded = counts { _ = YAMLDecoder().decodeCollectingIssues(List.self, from: deep, reusing: &memo) }
        #expect(decoded == ["a": 1])
    }

    @Test("random edits: decoding with the memo always equals decoding from scratch")
    func randomEdits() throws {
        var generator = SplitMix64(seed: 0x5EED_0018)
        var memo = YAMLDecodeMemo()
        var entries = (0..<40).map { ("e\($0)", $0) }
        for _ in 0..<200 {
            let i = Int.random(in: 0..<entries.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: entries[i].1 = Int.random(in: 0..<5, using: &generator)  // often equal to another entry's
            case 1: entries[i].0 = entries[Int.random(in: 0..<entries.count, using: &generator)].0  // duplicates
            case 2: entries.insert(("n\(i)", i), at: i)
            default: if entries.count > 1 { entries.remove(at: i) }
            }
            var source = text(entries)
            if Bool.random(using: &generator) {  // entries with a problem
                source = source.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0 == "    port: 3" ? "    port: three" : String($0) }.joined(separator: "\n")
            }
            let document = try YAMLDocument(parsing: source)
            let withMemo = YAMLDecoder().decodeCollectingIssues(List.self, from: document, reusing: &memo)
            let scratch = YAMLDecoder().decodeCollectingIssues(List.self, from: document)
            #expect(withMemo.0 == scratch.0)
            #expect(withMemo.1 == scratch.1)
        }
    }
}
