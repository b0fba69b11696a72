import Foundation
import HTTPTypes
import Testing

@Suite("Proxy listeners through the API")
struct ProxiesAPITests {
    static let config = """
    name: t
    proxies:
      - id: socks       # LAN proxy
        protocol: socks5
        listen: 127.0.0.1:1080
        enabled: true

    """

    @Test("create with a generated id, list, full update, delete")
    func crud() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let created = try await api.call(.post, "proxies", token: token, body: api.json([
                "protocol": "http", "listen": "127.0.0.1:8080", "enabled": true, "exit_paths": ["jp", "kr"],
            ]))
            #expect(created.status == .ok, "\(created.body)")
            let id = try #require(created.object["id"] as? String)
            #expect(id.hasPrefix("http-") && id.count == 13, "\(id)")
            #expect(node.text.contains("    exit_via: jp\n"), "exit sync: \(node.text)")

            let list = try await api.call(.get, "proxies", token: token)
            #expect((list.json as? [[String: Any]])?.map { $0["id"] as? String } == ["socks", id])

            let before = node.text
            let updated = try await api.call(.put, "proxies/socks", token: token, body: api.json([
                "protocol": "socks5", "listen": "127.0.0.1:1081", "enabled": true,
            ]))
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(changedLines(before, node.text) == ["    listen: 127.0.0.1:1080 ->     listen: 127.0.0.1:1081"])

            let noProtocol = try await api.call(.post, "proxies", token: token, body: api.json(["listen": "127.0.0.1:1082"]))
            #expect((noProtocol.object["id"] as? String)?.hasPrefix("socks5-") == true)
            #expect(try await api.call(.delete, "proxies/\(id)", token: token).status == .ok)
            #expect(!node.text.contains(id))
        }
    }

    @Test("missing listen 400, duplicate id 409, unknown id 404, bad listen 422")
    func errors() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "proxies", api.json(["id": "x", "protocol": "socks5"]), .badRequest),
                (.post, "proxies", api.json(["id": "socks", "listen": "127.0.0.1:2000"]), .conflict),
                (.put, "proxies/nope", api.json(["listen": "127.0.0.1:2000"]), .notFound),
                (.put, "proxies/socks", api.json(["protocol": "socks5"]), .badRequest),
                (.delete, "proxies/nope", "", .notFound),
                (.post, "proxies", api.json(["listen": "nowhere"]), .unprocessableContent),
                (.post, "proxies", api.json(["listen": "127.0.0.1:2000", "protocol": "ftp"]), .unprocessableContent),
            ]
            for (method, path, body, status) in cases {
                let answer = try await api.call(method, path, token: token, body: body.isEmpty ? nil : body)
                #expect(answer.status == status, "\(method) \(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            #expect(node.text == before)
        }
    }
}
