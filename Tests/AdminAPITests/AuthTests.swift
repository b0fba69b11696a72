import Foundation
import HTTPTypes
import Testing

@Suite("Admin login and sessions")
struct AuthTests {
    static let config = "name: t\nserver:\n  listen: 127.0.0.1:5565\n  password: node-password\n"

    @Test("the default admin/admin logs in and is asked to change the password")
    func defaultLogin() async throws {
        try await APITestNode(config: Self.config).test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "admin", "password": APITestNode.sha256Admin]))
            #expect(answer.status == .ok)
            #expect((answer.object["token"] as? String)?.count == 32)
            #expect(answer.object["force_password_change"] as? Bool == true)
        }
    }

    @Test("wrong credentials get a JSON 401; repeated failures are rate limited with Retry-After")
    func failures() async throws {
        try await APITestNode(config: Self.config).test { api in
            let wrong = api.json(["username": "admin", "password": String(repeating: "0", count: 64)])
            for _ in 0..<5 {
                let answer = try await api.call(.post, "login", body: wrong)
                #expect(answer.status == .unauthorized)
                #expect(answer.object["error"] as? String == "invalid credentials")
            }
            let limited = try await api.call(.post, "login", body: api.json(["username": "admin", "password": APITestNode.sha256Admin]))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test("routes need a token; a bad or missing one is a JSON 401")
    func needsToken() async throws {
        try await APITestNode(config: Self.config).test { api in
            for token in [nil, "0123456789abcdef0123456789abcdef"] {
                let answer = try await api.call(.get, "users", token: token)
                #expect(answer.status == .unauthorized)
                #expect((answer.object["error"] as? String)?.hasPrefix("unauthorized") == true)
            }
            let query = try await api.call(.get, "users?token=" + (try await api.login()))
            #expect(query.status == .unauthorized, "a query token is for event streams only")
        }
    }

    @Test("changing the password stores a salted hash, ends every session, and the new one works")
    func changePassword() async throws {
        let node = try APITestNode(config: Self.config)
        let newDigest = String(repeating: "ab", count: 32)
        try await node.test { api in
            let token = try await api.login()
            let wrong = try await api.call(.put, "settings/password", token: token,
                                           body: api.json(["current_password": String(repeating: "1", count: 64), "new_password": newDigest]))
            #expect(wrong.status == .forbidden)
            let changed = try await api.call(.put, "settings/password", token: token,
                                             body: api.json(["current_password": APITestNode.sha256Admin, "new_password": newDigest]))
            #expect(changed.status == .ok, "\(changed.body)")
            #expect(node.text.contains("web_password: pbkdf2-sha256$"))
            #expect(!node.text.contains(newDigest))
            #expect(try await api.call(.get, "users", token: token).status == .unauthorized)
            let again = try await api.call(.post, "login", body: api.json(["username": "admin", "password": newDigest]))
            #expect(again.status == .ok)
            #expect(again.object["force_password_change"] as? Bool == false)
        }
    }

    @Test("a v1.3 hex digest in the file still logs in and is replaced by the salted form")
    func legacyDigest() async throws {
        let digest = String(repeating: "cd", count: 32)
        let node = try APITestNode(config: Self.config + "web_username: root\nweb_password: \(digest)\n")
        try await node.test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "root", "password": digest]))
            #expect(answer.status == .ok)
            #expect(node.text.contains("web_password: pbkdf2-sha256$"))
            let again = try await api.call(.post, "login", body: api.json(["username": "root", "password": digest]))
            #expect(again.status == .ok)
        }
    }
}
