import Foundation
import HTTPTypes
import Testing

@Suite("Routing rules and TUN mode through the API")
struct RulesAPITests {
    static let config = """
    name: t
    rules:
      - id: streaming      # video sites
        name: Streaming
        type: domain
        targets: [netflix.com]
        exit_via: us
        enabled: true

    """

    @Test("create, list, full update, toggle, delete")
    func crud() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let created = try await api.call(.post, "rules", token: token, body: api.json([
                "name": "LAN", "type": "ip", "targets": ["10.0.0.0/8"], "exit_paths": ["jp", "hk/jp"],
                "exit_mode": "aggregate", "enabled": true,
            ]))
            #expect(created.status == .ok, "\(created.body)")
            let id = try #require(created.object["id"] as? String)
            #expect(id.hasPrefix("ip-"))
            #expect(node.text.contains("    exit_via: jp\n"), "\(node.text)")

            let list = try await api.call(.get, "rules", token: token).object
            let rules = list["rules"] as? [[String: Any]] ?? []
            #expect(rules.map { $0["id"] as? String } == ["streaming", id])
            #expect(rules.first?["tun_active"] as? Bool == false)

            let before = node.text
            let updated = try await api.call(.put, "rules/streaming", token: token, body: api.json([
                "name": "Streaming", "type": "domain", "targets": ["netflix.com"], "exit_via": "jp", "enabled": true,
            ]))
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(changedLines(before, node.text) == ["    exit_via: us ->     exit_via: jp"])
            #expect(node.text.contains("# video sites"))

            let beforeToggle = node.text
            #expect(try await api.call(.put, "rules/streaming/toggle", token: token, body: api.json(["enabled": false])).status == .ok)
            #expect(changedLines(beforeToggle, node.text) == ["    enabled: true ->     enabled: false"])

            // No exit at all: the mode cannot stand in for one.
            let plain = try await api.call(.post, "rules", token: token, body: api.json([
                "id": "plain", "type": "ip", "targets": ["1.1.1.1"], "exit_via": "", "exit_paths": [], "exit_mode": "quality",
            ]))
            #expect(plain.status == .badRequest, "exit_via is required: \(plain.body)")
            #expect(try await api.call(.delete, "rules/\(id)", token: token).status == .ok)
            #expect(!node.text.contains(id))
        }
    }

    @Test("400 for missing fields, bad type, aggregate across exits; 409 duplicate; 404 unknown; 422 bad target")
    func errors() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "rules", api.json(["type": "ip", "exit_via": "us"]), .badRequest),
                (.post, "rules", api.json(["type": "url", "targets": ["x"], "exit_via": "us"]), .badRequest),
                (.post, "rules", api.json(["type": "ip", "targets": ["1.1.1.1"], "exit_paths": ["us", "jp"], "exit_mode": "aggregate"]), .badRequest),
                (.post, "rules", api.json(["id": "streaming", "type": "ip", "targets": ["1.1.1.1"], "exit_via": "us"]), .conflict),
                (.put, "rules/nope", api.json(["type": "ip", "targets": ["1.1.1.1"], "exit_via": "us"]), .notFound),
                (.put, "rules/streaming", api.json(["type": "ip", "targets": ["1.1.1.1"], "exit_paths": ["a/us", "jp"], "exit_mode": "speed"]), .badRequest),
                (.delete, "rules/nope", "", .notFound),
                (.put, "rules/nope/toggle", api.json(["enabled": true]), .notFound),
                (.post, "rules", api.json(["type": "ip", "targets": ["10.0.0.300"], "exit_via": "us"]), .unprocessableContent),
                (.put, "rules/tun-mode", api.json(["mode": "half"]), .badRequest),
            ]
            for (method, path, body, status) in cases {
                let answer = try await api.call(method, path, token: token, body: body.isEmpty ? nil : body)
                #expect(answer.status == status, "\(method) \(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            #expect(node.text == before)
        }
    }

    @Test("tun-mode: defaults, then stored as tun_mode")
    func tunMode() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "rules/tun-mode", token: token).object
            #expect(shown["enabled"] as? Bool == false && shown["mode"] as? String == "mixed")
            let put = try await api.call(.put, "rules/tun-mode", token: token, body: api.json(["enabled": true, "mode": "full"]))
            #expect(put.status == .ok, "\(put.body)")
            #expect(node.text.contains("tun_mode:\n  enabled: true\n  mode: full\n"), "\(node.text)")
            let again = try await api.call(.get, "rules/tun-mode", token: token).object
            #expect(again["enabled"] as? Bool == true && again["mode"] as? String == "full")
        }
    }
}
