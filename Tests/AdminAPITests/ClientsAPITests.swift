import Foundation
import HTTPTypes
import Testing

@Suite("Client peers through the API")
struct ClientsAPITests {
    static let config = """
    name: t
    server:
      listen: 127.0.0.1:5565
      password: node-password

    clients:
      - name: jp          # tokyo box
        addr: jp.example.com:5565
        password: jp-password
        insecure: false

    """

    @Test("create, list, full update, disable, delete")
    func crud() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let created = try await api.call(.post, "clients", token: token, body: api.json([
                "name": "kr", "addr": "ignored.example.com:1", "addrs": ["kr1.example.com:5565", "kr2.example.com:5565"],
                "password": "kr-password",
            ]))
            #expect(created.status == .ok, "\(created.body)")
            #expect(node.text.contains("  - name: kr\n    addr: kr1.example.com:5565\n"), "\(node.text)")

            let list = try await api.call(.get, "clients", token: token)
            let clients = list.json as? [[String: Any]] ?? []
            #expect(clients.map { $0["name"] as? String } == ["jp", "kr"])
            #expect(clients.first?["connected"] as? Bool == false)
            #expect(list.headers[.eTag] != nil)
            #expect(try await api.call(.get, "clients/kr1.example.com:5565", token: token).object["name"] as? String == "kr")

            // One changed field of a full replace is a one-line diff.
            let before = node.text
            let updated = try await api.call(.put, "clients/jp", token: token, body: api.json([
                "name": "jp", "addr": "jp.example.com:5565", "password": "new-jp-password", "insecure": false,
            ]))
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(changedLines(before, node.text) == ["    password: jp-password ->     password: new-jp-password"])
            #expect(node.text.contains("# tokyo box"))

            // addrs moves the primary address on PUT too.
            let moved = try await api.call(.put, "clients/kr", token: token, body: api.json([
                "addrs": ["kr3.example.com:5565"], "password": "kr-password",
            ]))
            #expect(moved.status == .ok, "\(moved.body)")
            #expect(node.text.contains("    addr: kr3.example.com:5565\n"), "\(node.text)")
            #expect(node.text.contains("  - name: kr\n"), "an empty name keeps the name")

            let beforeDisable = node.text
            #expect(try await api.call(.put, "clients/jp/disable", token: token, body: api.json(["disabled": true])).status == .ok)
            #expect(addedAndRemovedLines(beforeDisable, node.text) == ["+    disabled: true"])
            #expect(try await api.call(.put, "clients/jp/disable", token: token, body: api.json(["disabled": false])).status == .ok)
            #expect(node.text.contains("    disabled: false"))

            #expect(try await api.call(.delete, "clients/kr", token: token).status == .ok)
            #expect(!node.text.contains("kr3"))
        }
    }

    @Test("missing fields 400, duplicates 409, unknown names 404, invalid addresses 422")
    func errors() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "clients", api.json(["name": "kr", "addr": "kr.example.com:5565"]), .badRequest),
                (.post, "clients", api.json(["name": "kr", "addr": "kr.example.com:5565", "password": "p", "insecure": "no"]), .badRequest),
                (.post, "clients", api.json(["name": "jp", "addr": "other.example.com:5565", "password": "p"]), .conflict),
                (.post, "clients", api.json(["name": "kr", "addrs": ["x.example.com:1", "jp.example.com:5565"], "password": "p"]), .conflict),
                (.post, "clients", api.json(["name": "kr", "addr": "kr.example.com:99999", "password": "p"]), .unprocessableContent),
                (.post, "clients", api.json(["name": "kr", "addr": "kr.example.com", "password": "p"]), .unprocessableContent),
                (.post, "clients", api.json(["name": "t", "addr": "kr.example.com:5565", "password": "p"]), .unprocessableContent),
                (.put, "clients/nope", api.json(["addr": "n.example.com:1", "password": "p"]), .notFound),
                (.put, "clients/jp", api.json(["addr": "jp.example.com:5565"]), .badRequest),
                (.delete, "clients/nope", "", .notFound),
                (.put, "clients/nope/disable", api.json(["disabled": true]), .notFound),
                (.put, "clients/jp/disable", api.json(["disabled": "yes"]), .badRequest),
                (.get, "clients/nope", "", .notFound),
            ]
            for (method, path, body, status) in cases {
                let answer = try await api.call(method, path, token: token, body: body.isEmpty ? nil : body)
                #expect(answer.status == status, "\(method) \(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            // A rename onto another entry's name conflicts.
            _ = try await api.call(.post, "clients", token: token, body: api.json(["name": "kr", "addr": "kr.example.com:5565", "password": "p"]))
            let rename = try await api.call(.put, "clients/kr", token: token,
                                            body: api.json(["name": "jp", "addr": "kr.example.com:5565", "password": "p"]))
            #expect(rename.status == .conflict, "\(rename.body)")
            #expect(node.text.contains(before.trimmingCharacters(in: .newlines)))
        }
    }
}
