import Foundation
import HTTPTypes
import Testing

@Suite("Per-peer flags through the API")
struct PeersFlagsAPITests {
    static let config = """
    name: t
    server:
      listen: 127.0.0.1:5565
      password: node-password
    peers:
      us:                 # the US gateway
        nested: true

    """

    @Test("nested and disable on names and qualified paths; all-false entries go away")
    func flags() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let sub = try await api.call(.put, "peers/us%2Fus-east/nested", token: token, body: api.json(["enabled": true]))
            #expect(sub.status == .ok, "\(sub.body)")
            #expect(node.text.contains("  us/us-east:\n    nested: true\n"), "\(node.text)")

            // A leading own name (or node id) is stripped.
            let before = node.text
            let disabled = try await api.call(.put, "peers/t%2Fus/disable", token: token, body: api.json(["disabled": true]))
            #expect(disabled.status == .ok, "\(disabled.body)")
            #expect(addedAndRemovedLines(before, node.text) == ["+    disabled: true"], "\(node.text)")
            let nodeID = try await api.call(.get, "node", token: token).object["node_id"] as? String ?? ""
            let byID = try await api.call(.put, "peers/\(nodeID)%2Fjp/disable", token: token, body: api.json(["disabled": true]))
            #expect(byID.status == .ok)
            #expect(node.text.contains("  jp:\n    disabled: true\n"), "\(node.text)")

            // Nested off for us cascades to us/...; us keeps its disabled flag.
            #expect(try await api.call(.put, "peers/us/nested", token: token, body: api.json(["enabled": false])).status == .ok)
            #expect(!node.text.contains("us/us-east"), "\(node.text)")
            #expect(node.text.contains("  us:                 # the US gateway\n"), "\(node.text)")
            #expect(node.text.contains("    disabled: true"))
            #expect(try await api.call(.put, "peers/us/disable", token: token, body: api.json(["disabled": false])).status == .ok)
            #expect(try await api.call(.put, "peers/jp/disable", token: token, body: api.json(["disabled": false])).status == .ok)
            #expect(!node.text.contains("  us:") && !node.text.contains("  jp:"), "\(node.text)")
        }
    }

    @Test("bad names and bodies are 400, nothing written")
    func errors() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            for (path, body) in [("peers/us%2F%2Fx/nested", api.json(["enabled": true])),
                                 ("peers/us/nested", api.json(["enabled": "yes"])),
                                 ("peers/us/disable", "{}")] {
                let answer = try await api.call(.put, path, token: token, body: body)
                #expect(answer.status == .badRequest, "\(path): \(answer.body)")
            }
            let loop = try await api.call(.put, "peers/us%2Ft/nested", token: token, body: api.json(["enabled": true]))
            #expect(loop.status == .unprocessableContent, "\(loop.body)")
            #expect(node.text == before)
        }
    }
}
