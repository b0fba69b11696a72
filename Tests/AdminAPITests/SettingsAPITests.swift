import Foundation
import HTTPTypes
import Testing

@Suite("UI settings through the API")
struct SettingsAPITests {
    static let config = """
    name: t
    # web UI
    ui_listen: 0.0.0.0:5565
    dns: 1.1.1.1
    max_nested_depth: 50

    """

    @Test("GET shows effective values")
    func show() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let view = try await api.call(.get, "settings/ui", token: token).object
            #expect(view["listen"] as? String == "0.0.0.0:5565" && view["base_path"] as? String == "/scale")
            #expect(view["dns"] as? String == "1.1.1.1" && view["session_timeout_h"] as? Int == 12)
            #expect(view["max_nested_depth"] as? Int == 10, "clamped")
            #expect(view["max_response_nodes"] as? Int == 1024 && view["max_fetch_fan_out"] as? Int == 8)
            #expect(view["dns_resolver_enabled"] as? Bool == true && view["force_https"] as? Bool == false)
        }
    }

    @Test("partial PUT: a one-key change is one line; listen and base path need a restart")
    func update() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let dns = try await api.call(.put, "settings/ui", token: token, body: api.json(["dns": "9.9.9.9, 1.1.1.1"]))
            #expect(dns.status == .ok, "\(dns.body)")
            #expect(dns.object["restart_required"] as? [String] == [])
            #expect(changedLines(before, node.text) == ["dns: 1.1.1.1 -> dns: 9.9.9.9, 1.1.1.1"])

            let same = try await api.call(.put, "settings/ui", token: token, body: api.json(["listen": "0.0.0.0:5565", "session_timeout_h": 24]))
            #expect(same.object["restart_required"] as? [String] == [], "\(same.body)")
            #expect(node.text.contains("session_timeout_h: 24\n"))
            let moved = try await api.call(.put, "settings/ui", token: token, body: api.json(["listen": "127.0.0.1:5566", "base_path": "admin/"]))
            #expect(moved.object["restart_required"] as? [String] == ["listen", "base_path"], "\(moved.body)")
            #expect(node.text.contains("ui_listen: 127.0.0.1:5566\n") && node.text.contains("ui_base_path: admin/\n"))
            #expect(node.text.contains("# web UI"))

            // Zero and empty remove the key.
            #expect(try await api.call(.put, "settings/ui", token: token, body: api.json(["max_nested_depth": 0, "dns": ""])).status == .ok)
            #expect(!node.text.contains("max_nested_depth") && !node.text.contains("dns:"))
            #expect(try await api.call(.put, "settings/ui", token: token, body: api.json(["force_https": false])).status == .ok)
            #expect(!node.text.contains("force_https"), "false is not written where absent")
            #expect(try await api.call(.put, "settings/ui", token: token, body: api.json(["dns_resolver_enabled": false, "dns_resolver_cache_ttl": 60])).status == .ok)
            #expect(node.text.contains("dns_resolver:\n  enabled: false\n  cache_ttl: 60\n"), "\(node.text)")
        }
    }

    @Test("bad values: wrong types 400, invalid values 422, file untouched")
    func errors() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            for (body, status) in [(api.json(["session_timeout_h": "12"]), HTTPResponse.Status.badRequest),
                                   (api.json(["max_fetch_fan_out": -1]), .unprocessableContent),
                                   (api.json(["dns": "not-a-server"]), .unprocessableContent),
                                   (api.json(["listen": "nowhere"]), .unprocessableContent),
                                   (api.json(["https_cert_id": "missing-cert"]), .unprocessableContent)] {
                let answer = try await api.call(.put, "settings/ui", token: token, body: body)
                #expect(answer.status == status, "\(body): \(answer.body)")
            }
            #expect(node.text == before)
        }
    }
}
