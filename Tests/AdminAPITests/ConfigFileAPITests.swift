import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@Suite("The config file's text through the API")
struct ConfigFileAPITests {
    static let config = """
    name: t
    # the web UI's editor must keep this comment
    ui_listen: 0.0.0.0:5565

    """

    @Test("GET is the file byte for byte with its revision; PUT with that revision saves and reconciles")
    func roundTrip() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "config", token: token)
            #expect(shown.status == .ok && shown.body == node.text)
            #expect(shown.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let etag = try #require(shown.headers[.eTag])
            let edited = shown.body.replacingOccurrences(of: "name: t", with: "name: edited # by hand")
            let saved = try await api.call(.put, "config", token: token, body: edited, headers: [.ifMatch: etag])
            #expect(saved.status == .ok, "\(saved.body)")
            #expect(saved.object["applied"] as? Bool == true)
            #expect(node.text == edited, "written as sent, comments and all")
            // The revision is now the new one: the old ETag is stale.
            let stale = try await api.call(.put, "config", token: token, body: edited, headers: [.ifMatch: etag])
            #expect(stale.status == .conflict, "\(stale.body)")
        }
    }

    @Test("an invalid text is refused with its problems at line and column; nothing is written")
    func invalid() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let bad = before + "users:\n  - id: a\n    username: a\n    expiry: 2025-13-01\n"
            let refused = try await api.call(.put, "config", token: token, body: bad)
            #expect(refused.status == .unprocessableContent)
            let problems = refused.object["problems"] as? [String] ?? []
            #expect(problems.contains { $0.contains(":8:") && $0.contains("users[0].expiry") }, "\(problems)")
            #expect(node.text == before)

            let checked = try await api.call(.post, "config/validate", token: token, body: bad).object
            #expect(checked["valid"] as? Bool == false)
            let diagnostics = checked["diagnostics"] as? [[String: Any]] ?? []
            #expect(diagnostics.contains { $0["line"] as? Int == 8 && $0["path"] as? String == "users[0].expiry"
                    && $0["severity"] as? String == "error" }, "\(diagnostics)")

            let syntax = try await api.call(.post, "config/validate", token: token, body: "name: [unclosed\n").object
            let first = (syntax["diagnostics"] as? [[String: Any]])?.first
            #expect(syntax["valid"] as? Bool == false && first?["line"] as? Int != nil, "\(syntax)")
            #expect(try await api.call(.post, "config/validate", token: token, body: before).object["valid"] as? Bool == true)
        }
    }

    @Test("the admin credentials are not changed through the text, which needs no current password")
    func credentials() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let hijack = before.replacingOccurrences(of: TestAdmin.configLine, with: "web_password: 8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918\n")
            #expect(hijack != before)
            let refused = try await api.call(.put, "config", token: token, body: hijack)
            #expect(refused.status == .forbidden && refused.object["field"] as? String == "web_password", "\(refused.body)")
            let renamed = try await api.call(.put, "config", token: token, body: before + "web_username: root\n")
            #expect(renamed.status == .forbidden)
            #expect(node.text == before)
        }
    }

    @Test("plan lists what saving would change, against the file on disk, without changing it")
    func plan() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let unchanged = try await api.call(.post, "config/plan", token: token, body: before).object
            #expect(unchanged["valid"] as? Bool == true && (unchanged["plan"] as? [Any])?.isEmpty == true, "\(unchanged)")
            let https = before + "force_https: true\n"
            let planned = try await api.call(.post, "config/plan", token: token, body: https).object
            let lines = planned["plan"] as? [[String: String]] ?? []
            #expect(!lines.isEmpty && lines.allSatisfy { $0["kind"] != nil && $0["change"] != nil }, "\(planned)")
            #expect((planned["revision"] as? String)?.count == 64)
            #expect(node.text == before)
            let invalid = try await api.call(.post, "config/plan", token: token, body: "ui_listen: nowhere\n").object
            #expect(invalid["valid"] as? Bool == false && (invalid["diagnostics"] as? [Any])?.isEmpty == false)
        }
    }

    @Test("a body that is not UTF-8 is a 400; the calls need a session")
    func badBodies() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            #expect(try await api.call(.get, "config").status == .unauthorized)
            let token = try await api.login()
            // Raw bytes through the test client: a Swift String would repair the invalid UTF-8.
            let answer = try await api.client.execute(uri: "/scale/api/config/validate", method: .post,
                                                      headers: [.authorization: "Bearer \(token)"],
                                                      body: .init(bytes: [0xff, 0xfe, 0x41])) { response in response.status }
            #expect(answer == .badRequest)
        }
    }
}
