import Testing
import YAMLDocument

private struct Server: Decodable, Equatable {
    var listen: String
    var port: Int?
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? ""
        port = try c.decodeIfPresent(Int.self, forKey: .port)
    }
    enum CodingKeys: String, CodingKey { case listen, port }
}

private struct Root: Decodable, Equatable {
    var name: String?
    var enabled: Bool?
    var server: Server?
    var tags: [String]?
    var limits: [String: Int]?
    var ratio: Double?
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        server = try c.decodeIfPresent(Server.self, forKey: .server)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        limits = try c.decodeIfPresent([String: Int].self, forKey: .limits)
        ratio = try c.decodeIfPresent(Double.self, forKey: .ratio)
    }
    enum CodingKeys: String, CodingKey { case name, enabled, server, tags, limits, ratio }
}

@Suite("Decoding into Codable types")
struct YAMLDecoderTests {
    @Test("a good document decodes; numbers-looking text is a string where a string is wanted")
    func good() throws {
        let doc = try YAMLDocument(parsing: """
        name: 1701
        enabled: false
        server: {listen: "0.0.0.0:1", port: 5}
        tags: [a, b]
        limits: {x: 1}
        ratio: 2
        """)
        let root = try YAMLDecoder().decode(Root.self, from: doc)
        #expect(root.name == "1701")
        #expect(root.enabled == false)
        #expect(root.server?.port == 5)
        #expect(root.tags == ["a", "b"])
        #expect(root.limits == ["x": 1])
        #expect(root.ratio == 2)
    }

    @Test("every type error and unknown key is reported with its path and line:column")
    func allErrors() throws {
        let doc = try YAMLDocument(parsing: """
        name: [oops]
        enabled: yes
        server:
          listen: x
          port: 99999999999999999999
          lisen: typo
        tags: [a, {b: c}]
        limits: 5
        ratio: fast
        extra: 1
        """)
        #expect {
            _ = try YAMLDecoder().decode(Root.self, from: doc)
        } throws: { error in
            guard let e = error as? YAMLDecodingError else { return false }
            let found = e.issues.map { "\($0.mark) \($0.path)" }
            #expect(found == [
                "1:7 name", "2:10 enabled", "5:9 server.port", "6:3 server.lisen", "7:11 tags[1]",
                "8:9 limits", "9:8 ratio", "10:1 extra",
            ])
            #expect(e.issues[1].message.contains("true or false"))
            #expect(e.issues[3].message.contains("did you mean \"listen\""))
            return true
        }
    }

    @Test("an empty document decodes as an empty mapping")
    func emptyDocument() throws {
        let root = try YAMLDecoder().decode(Root.self, from: try YAMLDocument(parsing: "# nothing\n"))
        #expect(root.name == nil && root.server == nil)
    }
}
