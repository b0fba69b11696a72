import Foundation
import HTTPTypes
import Testing

@Suite("Users through the API, editing the file in place")
struct UsersAPITests {
    static let config = """
    # gateway node
    name: t
    server:
      listen: 127.0.0.1:5565
      password: node-password   # peers use this

    # accounts
    users:
      - id: u1
        username: alice     # the first one
        password: alice-password
        traffic_limit: 1073741824   # v1.3 spelling, in bytes
        enabled: true
      - id: u2
        username: bob
        password: bob-password
        enabled: true
    """

    func lineDiff(_ a: String, _ b: String) -> [String] {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        guard x.count == y.count else { return ["line count \(x.count) -> \(y.count)"] }
        return zip(x, y).filter { $0 != $1 }.map { "\($0.0) -> \($0.1)" }
    }

    @Test("changing one user's enabled flag is a one-line diff")
    func oneLine() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let answer = try await api.call(.put, "users/u2/toggle", token: token, body: api.json(["enabled": false]))
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.object["applied"] as? Bool == true)
            #expect(lineDiff(before, node.text) == ["    enabled: true ->     enabled: false"])
        }
    }

    @Test("an id with a space or non-ASCII characters is addressed percent-encoded, as browsers send it")
    func encodedID() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let created = try await api.call(.post, "users", token: token, body: api.json([
                "id": "team a 张", "username": "teama", "password": "team-a-password", "enabled": true,
            ]))
            #expect(created.status == .ok || created.status == .created, "\(created.body)")
            let path = "users/team%20a%20%E5%BC%A0"
            #expect(try await api.call(.put, path + "/toggle", token: token, body: api.json(["enabled": false])).status == .ok)
            #expect(node.text.contains("enabled: false"))
            #expect(try await api.call(.put, path + "/reset-traffic", token: token).status == .ok)
            #expect(try await api.call(.delete, path, token: token).status == .ok)
            #expect(!node.text.contains("teama"))
        }
    }

    @Test("create, list, full update, delete: comments and layout survive, spelling is kept")
    func crud() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let created = try await api.call(.post, "users", token: token, body: api.json([
                "username": "carol", "password": "carol-password", "traffic_limit_gb": 500, "expiry": "2027-01-31",
                "exit_paths": ["us/us-east", "jp"], "enabled": true,
            ]))
            #expect(created.status == .ok, "\(created.body)")
            let id = try #require(created.object["id"] as? String)
            #expect(id.count == 8)

            let list = try await api.call(.get, "users", token: token)
            #expect(list.headers[.eTag] == "\"\(created.object["revision"] as? String ?? "")\"")
            let users = list.json as? [[String: Any]] ?? []
            #expect(users.map { $0["username"] as? String } == ["alice", "bob", "carol"])
            #expect(users[2]["exit_via"] as? String == "us/us-east")
            #expect(users[2]["traffic_used"] as? Int == 0)

            let updated = try await api.call(.put, "users/u1", token: token, body: api.json([
                "username": "alice", "password": "", "traffic_limit_gb": 2, "enabled": true,
            ]))
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(node.text.contains("    traffic_limit: 2147483648"), "\(node.text)")
            #expect(node.text.contains("    password: alice-password\n"), "an empty password keeps the old one")
            #expect(try await api.call(.delete, "users/u2", token: token).status == .ok)

            let text = node.text
            for comment in ["# gateway node", "# peers use this", "# accounts", "# the first one"] {
                #expect(text.contains(comment), "lost \(comment)")
            }
            #expect(!text.contains("bob"))
            // A generated id such as 8e641205 reads as a number in YAML, so the file quotes it.
            #expect(text.contains("  - id: \(id)\n    username: carol\n") || text.contains("  - id: \"\(id)\"\n    username: carol\n"))
        }
    }

    @Test("bad input gets a clear JSON error and leaves the file untouched")
    func badInput() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "users", "{not json", .badRequest),
                (.post, "users", api.json(["username": "x", "password": "y", "enabled": "yes"]), .badRequest),
                (.post, "users", api.json(["username": "x"]), .badRequest),
                (.post, "users", api.json(["username": "alice", "password": "other-password"]), .conflict),
                (.post, "users", api.json(["id": "u1", "username": "zed", "password": "other-password"]), .conflict),
                (.put, "users/nope", api.json(["username": "x", "password": "y"]), .notFound),
                (.delete, "users/nope", "", .notFound),
                (.post, "users", api.json(["username": "x", "password": "pw-long-1", "expiry": "2025-13-01"]), .unprocessableContent),
                (.post, "users", api.json(["username": "x", "password": "node-password"]), .unprocessableContent),
                (.put, "users/..%2F..%2Fetc", api.json(["username": "x", "password": "y"]), .notFound),
            ]
            for (method, path, body, status) in cases {
                let answer = try await api.call(method, path, token: token, body: body.isEmpty ? nil : body)
                #expect(answer.status == status, "\(method) \(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            let invalid = try await api.call(.post, "users", token: token,
                                             body: api.json(["username": "x", "password": "pw-long-1", "expiry": "2025-13-01"]))
            #expect((invalid.object["problems"] as? [String])?.first?.contains("users[2].expiry") == true, "\(invalid.body)")
            let huge = try await api.call(.post, "users", token: token,
                                          body: api.json(["username": String(repeating: "x", count: 2 << 20), "password": "p"]))
            #expect(huge.status == .contentTooLarge)
            #expect(node.text == before)
        }
    }

    @Test("a write naming a stale revision gets 409; one edit racing a file change loses neither")
    func concurrency() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let list = try await api.call(.get, "users", token: token)
            let etag = try #require(list.headers[.eTag])
            // Someone edits the file by hand (a git pull).
            try Data(node.text.replacingOccurrences(of: "name: t", with: "name: pulled").utf8).write(to: node.configURL)
            let stale = try await api.call(.put, "users/u2/toggle", token: token, body: api.json(["enabled": false]),
                                           headers: [.ifMatch: etag])
            #expect(stale.status == .conflict)
            let fresh = try await api.call(.put, "users/u2/toggle", token: token, body: api.json(["enabled": false]))
            #expect(fresh.status == .ok)
            #expect(node.text.contains("name: pulled") && node.text.contains("    enabled: false"))
        }
    }
}
