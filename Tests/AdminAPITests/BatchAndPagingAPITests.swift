import Foundation
import HTTPTypes
import Testing

@Suite("Batches of user and rule edits, and paged lists")
struct BatchAndPagingAPITests {
    static let config = """
    # batch node
    name: t
    clients:
      - name: hk
        addr: 127.0.0.1:9
        password: peer-password
        disabled: true
    users:   # accounts
      - id: u1
        username: alice
        password: alice-password
        enabled: true
    rules:
      - id: lan
        name: LAN
        type: ip
        targets: [10.0.0.0/8]
        exit_via: hk
        enabled: true

    """

    func batch(_ api: APIClient, _ token: String, _ operations: [[String: Any]]) async throws -> APIClient.Answer {
        try await api.call(.post, "batch", token: token, body: api.json(["operations": operations]))
    }

    @Test("a batch is one write: later operations see earlier ones, creations report their ids")
    func oneWrite() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            var operations: [[String: Any]] = (0..<50).map { i in
                ["method": "POST", "path": "/api/users",
                 "body": ["id": "n\(i)", "username": "new\(i)", "password": "new-password-\(i)", "enabled": true]]
            }
            operations += [
                ["method": "PUT", "path": "/api/users/n3/toggle", "body": ["enabled": false]],
                ["method": "DELETE", "path": "/scale/api/users/n4"],
                ["method": "put", "path": "users/u1/toggle"],
                ["method": "POST", "path": "/api/rules",
                 "body": ["name": "Office", "type": "ip", "targets": ["192.168.0.0/16"], "exit_via": "hk", "enabled": true]],
                ["method": "PUT", "path": "/api/rules/lan/toggle", "body": ["enabled": false]],
            ]
            let answer = try await batch(api, token, operations)
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.object["applied"] as? Bool == true)
            let results = answer.object["results"] as? [[String: Any]] ?? []
            #expect(results.count == operations.count)
            #expect(results.first?["id"] as? String == "n0")
            #expect((results.last?["id"]) == nil)
            let ruleID = try #require(results[results.count - 2]["id"] as? String)
            #expect(ruleID.hasPrefix("ip-"))
            let listed = try await api.call(.get, "users", token: token)
            #expect(listed.headers[.eTag] == "\"\(answer.object["revision"] as? String ?? "")\"")

            let text = node.text
            #expect(text.contains("# batch node\n"))
            #expect(text.contains("users:   # accounts"))
            #expect(text.contains("  - id: n49\n    username: new49\n"))
            #expect(!text.contains("id: n4\n"))
            let users = listed.json as? [[String: Any]] ?? []
            #expect(users.count == 50)
            #expect(users.first { $0["id"] as? String == "n3" }?["enabled"] as? Bool == false)
            #expect(users.first { $0["id"] as? String == "u1" }?["enabled"] as? Bool == false)
            let rules = try await api.call(.get, "rules", token: token).object["rules"] as? [[String: Any]] ?? []
            #expect(rules.map { $0["id"] as? String } == ["lan", ruleID])
            #expect(rules.first?["enabled"] as? Bool == false)
        }
    }

    @Test("a failing operation fails the whole batch with its own status, and nothing is saved")
    func allOrNothing() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let duplicate = try await batch(api, token, [
                ["method": "POST", "path": "/api/users", "body": ["username": "carol", "password": "carol-password"]],
                ["method": "POST", "path": "/api/users", "body": ["username": "carol", "password": "other-password"]],
            ])
            #expect(duplicate.status == .conflict, "\(duplicate.body)")
            let message = duplicate.object["error"] as? String ?? ""
            #expect(message.hasPrefix("operations[1] (POST /api/users): a user named \"carol\" exists"), "\(message)")
            #expect(duplicate.object["field"] as? String == "operations[1].username")

            let missing = try await batch(api, token, [
                ["method": "PUT", "path": "/api/users/u1/toggle"],
                ["method": "DELETE", "path": "/api/users/nobody"],
            ])
            #expect(missing.status == .notFound)

            let badBody = try await batch(api, token, [["method": "POST", "path": "/api/users", "body": ["username": 5]]])
            #expect(badBody.status == .badRequest)
            #expect(badBody.object["field"] as? String == "operations[0].body.username", "\(badBody.body)")

            let invalid = try await batch(api, token, [
                ["method": "POST", "path": "/api/users", "body": ["username": "dave", "password": "dave-password"]],
                ["method": "POST", "path": "/api/users", "body": ["username": "erin", "password": "erin-password", "expiry": "2025-13-01"]],
            ])
            #expect(invalid.status == .unprocessableContent, "\(invalid.body)")

            let notBatchable = try await batch(api, token, [["method": "PUT", "path": "/api/settings", "body": [:]]])
            #expect(notBatchable.status == .badRequest)
            #expect((notBatchable.object["error"] as? String ?? "").contains("cannot be batched"))

            let notAList = try await api.call(.post, "batch", token: token, body: api.json(["operations": "all"]))
            #expect(notAList.status == .badRequest)
            #expect(node.text == before)
        }
    }

    @Test("lists take offset, limit and q, and count every match in X-Total-Count")
    func paging() async throws {
        let more = (2...30).map { "  - id: u\($0)\n    username: \($0 % 2 == 0 ? "even" : "odd")\($0)\n    password: password-\($0)\n" }
        let node = try APITestNode(config: Self.config.replacingOccurrences(of: "rules:\n", with: more.joined() + "rules:\n"))
        try await node.test { api in
            let token = try await api.login()
            let whole = try await api.call(.get, "users", token: token)
            #expect((whole.json as? [Any])?.count == 30)
            #expect(whole.headers[HTTPField.Name("X-Total-Count")!] == "30")
            #expect(whole.headers[.eTag] != nil)

            let page = try await api.call(.get, "users?offset=2&limit=3&q=EVEN", token: token)
            #expect(page.headers[HTTPField.Name("X-Total-Count")!] == "15")
            #expect((page.json as? [[String: Any]])?.map { $0["username"] as? String } == ["even6", "even8", "even10"])

            let past = try await api.call(.get, "users?offset=100", token: token)
            #expect(past.body == "[]")

            let rules = try await api.call(.get, "rules?q=10.0.", token: token)
            #expect((rules.object["rules"] as? [[String: Any]])?.count == 1)
            #expect(rules.object["available"] as? Bool == true)
            #expect((try await api.call(.get, "rules?q=none", token: token).object["rules"] as? [Any])?.isEmpty == true)

            let clients = try await api.call(.get, "clients?limit=0", token: token)
            #expect(clients.body == "[]")
            #expect(clients.headers[HTTPField.Name("X-Total-Count")!] == "1")

            let sessions = try await api.call(.get, "sessions?limit=5", token: token).object
            #expect(sessions["total"] as? Int == 0)

            for bad in ["offset=-1", "limit=x", "limit=1.5"] {
                let answer = try await api.call(.get, "users?\(bad)", token: token)
                #expect(answer.status == .badRequest, "\(bad)")
            }
        }
    }
}
