import AdminAPI
import Foundation
import HTTPTypes
import ScaleConfig
import NodeState
import TestSupport
import Testing

@Suite("Admin login and sessions")
struct AuthTests {
    static let config = "name: t\nserver:\n  listen: 127.0.0.1:5565\n  password: node-password\n"
    /// A v1.3 file that never changed the default: `web_password` empty means admin/admin.
    static let defaultPasswordConfig = config + "web_password: \"\"\n"
    static let newDigest = String(repeating: "ab", count: 32)

    @Test("admin/admin of a v1.3 file logs in from this machine, and until it is changed only the password change and logout answer")
    func defaultPasswordMustChange() async throws {
        let node = try APITestNode(config: Self.defaultPasswordConfig)
        try await node.test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "admin", "password": TestAdmin.defaultDigest]))
            #expect(answer.status == .ok)
            #expect(answer.object["force_password_change"] as? Bool == true)
            let token = try #require(answer.object["token"] as? String)
            for (method, path) in [(HTTPRequest.Method.get, "users"), (.get, "status"), (.get, "settings/ui"), (.get, "backup"),
                                   (.put, "node")] {
                let refused = try await api.call(method, path, token: token, body: method == .put ? "{}" : nil)
                #expect(refused.status == .forbidden, "\(path)")
                #expect(refused.body == #"{"error":"change the initial admin password first"}"# + "\n", "\(path)")
            }
            #expect(try await api.call(.get, "build-id").status == .ok)
            let toAdmin = try await api.call(.put, "settings/password", token: token,
                                             body: api.json(["current_password": TestAdmin.defaultDigest, "new_password": TestAdmin.defaultDigest]))
            #expect(toAdmin.status == .badRequest)
            let nameOnly = try await api.call(.put, "settings/password", token: token,
                                              body: api.json(["current_password": TestAdmin.defaultDigest, "new_username": "root"]))
            #expect(nameOnly.status == .badRequest, "the password itself must change")
            let changed = try await api.call(.put, "settings/password", token: token,
                                             body: api.json(["current_password": TestAdmin.defaultDigest, "new_password": Self.newDigest]))
            #expect(changed.status == .ok, "\(changed.body)")
            let again = try await api.call(.post, "login", body: api.json(["username": "admin", "password": Self.newDigest]))
            #expect(again.object["force_password_change"] as? Bool == false)
            let fresh = try #require(again.object["token"] as? String)
            #expect(try await api.call(.get, "users", token: fresh).status == .ok)
        }
    }

    @Test("the initial password made on first start logs in only to change it; the change deletes its file")
    func initialPassword() async throws {
        let digest = AdminPassword.clientDigest(of: "k7m2q-initial")
        let stored = AdminPassword.hash(digest)
        let node = try APITestNode(config: Self.config + "web_password: \(stored)\n")
        try node.initialPassword.record(password: "k7m2q-initial", storedHash: stored)
        #expect(FileManager.default.fileExists(atPath: node.initialPassword.fileURL.path))
        try await node.test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "admin", "password": digest]))
            #expect(answer.object["force_password_change"] as? Bool == true)
            let token = try #require(answer.object["token"] as? String)
            #expect(try await api.call(.get, "users", token: token).status == .forbidden)
            let same = try await api.call(.put, "settings/password", token: token,
                                          body: api.json(["current_password": digest, "new_password": digest]))
            #expect(same.status == .badRequest, "the initial password cannot be kept by setting it again")
            let changed = try await api.call(.put, "settings/password", token: token,
                                             body: api.json(["current_password": digest, "new_password": Self.newDigest]))
            #expect(changed.status == .ok, "\(changed.body)")
            #expect(!FileManager.default.fileExists(atPath: node.initialPassword.fileURL.path))
            let fresh = try await api.call(.post, "login", body: api.json(["username": "admin", "password": Self.newDigest]))
            #expect(fresh.object["force_password_change"] as? Bool == false)
            #expect(try await api.call(.get, "users", token: fresh.object["token"] as? String).status == .ok)
        }
    }

    @Test("admin/admin is refused from an address that is not this machine's loopback",
          .enabled(if: LiveAdminServer.externalAddress != nil, "needs a non-loopback IPv4 address on this host"))
    func defaultPasswordRemote() async throws {
        let node = try APITestNode(config: Self.defaultPasswordConfig)
        let address = try #require(LiveAdminServer.externalAddress)
        try await LiveAdminServer.run(node, listen: "0.0.0.0") { port in
            let body = #"{"username":"admin","password":"\#(TestAdmin.defaultDigest)"}"#
            let remote = try await LiveAdminServer.curl(["-d", body, "http://\(address):\(port)/scale/api/login"])
            #expect(remote.status == 403)
            #expect(remote.body.contains("accepted only from this machine"))
            let local = try await LiveAdminServer.curl(["-d", body, "http://127.0.0.1:\(port)/scale/api/login"])
            #expect(local.status == 200)
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
            let limited = try await api.call(.post, "login", body: api.json(["username": "admin", "password": TestAdmin.digest]))
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
        try await node.test { api in
            let token = try await api.login()
            #expect(try await api.call(.get, "users", token: token).status == .ok)
            let wrong = try await api.call(.put, "settings/password", token: token,
                                           body: api.json(["current_password": String(repeating: "1", count: 64), "new_password": Self.newDigest]))
            #expect(wrong.status == .forbidden)
            let changed = try await api.call(.put, "settings/password", token: token,
                                             body: api.json(["current_password": TestAdmin.digest, "new_password": Self.newDigest]))
            #expect(changed.status == .ok, "\(changed.body)")
            #expect(node.text.contains("web_password: pbkdf2-sha256$"))
            #expect(!node.text.contains(Self.newDigest))
            #expect(try await api.call(.get, "users", token: token).status == .unauthorized)
            let again = try await api.call(.post, "login", body: api.json(["username": "admin", "password": Self.newDigest]))
            #expect(again.status == .ok)
            #expect(again.object["force_password_change"] as? Bool == false)
        }
    }

    @Test("a password changed in the file, not through the API, ends every session too")
    func passwordChangedInFile() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            #expect(try await api.call(.get, "users", token: token).status == .ok)
            let text = node.text.replacingOccurrences(of: TestAdmin.storedHash, with: AdminPassword.hash(Self.newDigest))
            try Data(text.utf8).write(to: node.configURL)
            #expect(try await api.call(.get, "users", token: token).status == .unauthorized)
            #expect(try await api.login(digest: Self.newDigest) != "")
        }
    }

    @Test("logout ends only the caller's session")
    func logout() async throws {
        try await APITestNode(config: Self.config).test { api in
            let first = try await api.login(), second = try await api.login()
            #expect(try await api.call(.post, "logout", token: first).status == .ok)
            #expect(try await api.call(.get, "users", token: first).status == .unauthorized)
            #expect(try await api.call(.get, "users", token: second).status == .ok)
            #expect(try await api.call(.post, "logout").status == .unauthorized)
        }
    }

    @Test("admin/admin as a v1.3 digest logs in, forced, and stays as it is until changed")
    func defaultDigestKept() async throws {
        let node = try APITestNode(config: Self.config + "web_password: \(TestAdmin.defaultDigest)\n")
        let before = node.text
        try await node.test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "admin", "password": TestAdmin.defaultDigest]))
            #expect(answer.object["force_password_change"] as? Bool == true)
            #expect(node.text == before)
        }
    }

    @Test("a v1.3 hex digest in the file still logs in and is replaced by the salted form")
    func legacyDigest() async throws {
        let digest = String(repeating: "cd", count: 32)
        let node = try APITestNode(config: Self.config + "web_username: root\nweb_password: \(digest)\n")
        try await node.test { api in
            let answer = try await api.call(.post, "login", body: api.json(["username": "root", "password": digest]))
            #expect(answer.status == .ok)
            #expect(answer.object["force_password_change"] as? Bool == false)
            #expect(node.text.contains("web_password: pbkdf2-sha256$"))
            #expect(try await api.call(.get, "users", token: answer.object["token"] as? String).status == .ok,
                    "the session outlives the file's own upgrade to the salted form")
            let again = try await api.call(.post, "login", body: api.json(["username": "root", "password": digest]))
            #expect(again.status == .ok)
        }
    }
}
