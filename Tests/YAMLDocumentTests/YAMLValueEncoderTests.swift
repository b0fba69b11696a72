import Testing
import YAMLDocument

private struct Entry: Encodable {
    var id = "a1"
    var quota = 500.0
    var ratio = 0.5
    var tags = ["x", "y"]
    var passwords = ["ss": "p2", "hy2": "p1"]
    var nested: [String: Int]? = nil
    var enabled = true
    enum CodingKeys: String, CodingKey { case id, quota, ratio, tags, passwords, nested, enabled }
}

@Suite("Encoding values for the editor")
struct YAMLValueEncoderTests {
    @Test("keys keep CodingKeys order, maps are sorted, whole doubles become integers")
    func shape() throws {
        let value = try YAMLValueEncoder().encode(Entry())
        #expect(value == .mapping([
            .init("id", .string("a1")), .init("quota", .int(500)), .init("ratio", .double(0.5)),
            .init("tags", .sequence([.string("x"), .string("y")])),
            .init("passwords", .mapping([.init("hy2", .string("p1")), .init("ss", .string("p2"))])),
            .init("enabled", .bool(true)),
        ]))
    }

    @Test("an encoded value written by the editor decodes back to itself")
    func roundTrip() throws {
        let value = try YAMLValueEncoder().encode(Entry())
        var editor = try YAMLEditor("# users\nusers: []\n")
        try editor.insert(value, at: ["users", 0])
        #expect(try YAMLDocument(parsing: editor.text).value["users"] == .sequence([value]))
        #expect(editor.text.hasPrefix("# users\nusers:\n  - id: a1\n    quota: 500\n"))
    }
}
