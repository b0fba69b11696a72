import Foundation
import HTTPTypes
import NodeState
import Testing

@Suite("WireGuard through the API")
struct WireGuardAPITests {
    static let serverKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
    static let phoneKey = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
    static let config = """
    name: t
    dns: 9.9.9.9 149.112.112.112
    wireguard:
      enabled: false
      listen_port: 51821
      private_key: \(serverKey)
      address: 10.0.0.1/24
      mtu: 1420
      peers:
        - name: phone      # Alice's phone
          public_key: \(phoneKey)
          allowed_ips: 10.0.0.2/32
          keepalive: 25
          exit_via: ""

    """

    @Test("section GET and PUT keep the peers; a one-field change is one line")
    func section() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "wireguard", token: token).object
            #expect(shown["public_key"] as? String == (try SecretGenerator.wireGuardPublicKey(fromPrivateKey: Self.serverKey)))
            #expect((shown["peers"] as? [[String: Any]])?.count == 1)
            #expect(shown["running"] as? Bool == false)
            let before = node.text
            // The UI's body: no peers.
            let put = try await api.call(.put, "wireguard", token: token, body: api.json([
                "enabled": false, "listen_port": 51822, "address": "10.0.0.1/24", "private_key": Self.serverKey, "mtu": 1420,
            ]))
            #expect(put.status == .ok, "\(put.body)")
            #expect(changedLines(before, node.text) == ["  listen_port: 51821 ->   listen_port: 51822"])
            let noKey = try await api.call(.put, "wireguard", token: token, body: api.json([
                "enabled": true, "listen_port": 51822, "address": "10.0.0.1/24", "mtu": 1420,
            ]))
            #expect(noKey.status == .ok, "an empty private_key keeps the key: \(noKey.body)")
            #expect(node.text.contains(Self.serverKey))
            let bad = try await api.call(.put, "wireguard", token: token, body: api.json(["enabled": true, "address": "nope", "private_key": Self.serverKey]))
            #expect(bad.status == .unprocessableContent, "\(bad.body)")
        }
    }

    @Test("defaults when absent; generate-key; a first peer creates the section")
    func fresh() async throws {
        let node = try APITestNode(config: "name: t\n")
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "wireguard", token: token).object
            #expect(shown["listen_port"] as? Int == 51820 && shown["address"] as? String == "10.0.0.1/24")
            #expect(shown["mtu"] as? Int == 1420 && (shown["peers"] as? [Any])?.isEmpty == true)
            let keys = try await api.call(.post, "wireguard/generate-key", token: token).object
            let privateKey = try #require(keys["private_key"] as? String)
            #expect(keys["public_key"] as? String == (try SecretGenerator.wireGuardPublicKey(fromPrivateKey: privateKey)))
            // A private key alone is enough: the public key is derived.
            let created = try await api.call(.post, "wireguard/peers", token: token, body: api.json([
                "name": "laptop", "private_key": privateKey, "allowed_ips": "10.0.0.3/32",
            ]))
            #expect(created.status == .ok, "\(created.body)")
            #expect(node.text.contains("wireguard:\n  peers:\n    - name: laptop\n"), "\(node.text)")
            let conf = try await api.call(.get, "wireguard/peers/laptop/config", token: token)
            #expect(conf.status == .conflict, "no server key yet: \(conf.body)")
        }
    }

    @Test("peers: create, duplicate, full update, delete, errors")
    func peers() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let keys = try await api.call(.post, "wireguard/generate-key", token: token).object
            let tablet = try #require(keys["public_key"] as? String)
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "wireguard/peers", api.json(["name": "tablet", "allowed_ips": "10.0.0.4/32"]), .badRequest),
                (.post, "wireguard/peers", api.json(["name": "phone", "public_key": tablet, "allowed_ips": "10.0.0.4/32"]), .conflict),
                (.post, "wireguard/peers", api.json(["name": "tablet", "public_key": Self.phoneKey, "allowed_ips": "10.0.0.4/32"]), .conflict),
                (.post, "wireguard/peers", api.json(["name": "tablet", "public_key": tablet, "allowed_ips": "10.0.0.4"]), .unprocessableContent),
                (.put, "wireguard/peers/nope", api.json(["public_key": tablet, "allowed_ips": "10.0.0.4/32"]), .notFound),
                (.delete, "wireguard/peers/nope", "", .notFound),
                (.get, "wireguard/peers/nope/config", "", .notFound),
            ]
            for (method, path, body, status) in cases {
                let answer = try await api.call(method, path, token: token, body: body.isEmpty ? nil : body)
                #expect(answer.status == status, "\(method) \(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            let created = try await api.call(.post, "wireguard/peers", token: token, body: api.json([
                "name": "tablet", "public_key": tablet, "allowed_ips": "10.0.0.4/32", "exit_paths": ["jp"],
            ]))
            #expect(created.status == .ok, "\(created.body)")
            let before = node.text
            let updated = try await api.call(.put, "wireguard/peers/phone", token: token, body: api.json([
                "name": "phone", "public_key": Self.phoneKey, "allowed_ips": "10.0.0.2/32", "keepalive": 15, "exit_via": "",
            ]))
            #expect(updated.status == .ok, "\(updated.body)")
            #expect(changedLines(before, node.text) == ["      keepalive: 25 ->       keepalive: 15"])
            #expect(try await api.call(.delete, "wireguard/peers/tablet", token: token).status == .ok)
            #expect(!node.text.contains("tablet"))
        }
    }

    @Test("client .conf: keys, DNS, endpoint from the query or the Host header")
    func clientConfig() async throws {
        let phonePrivate = SecretGenerator.wireGuardPrivateKey()
        let phonePublic = try SecretGenerator.wireGuardPublicKey(fromPrivateKey: phonePrivate)
        let config = Self.config.replacingOccurrences(of: "public_key: \(Self.phoneKey)",
                                                      with: "public_key: \(phonePublic)\n      private_key: \(phonePrivate)")
        let node = try APITestNode(config: config)
        try await node.test { api in
            let token = try await api.login()
            let answer = try await api.call(.get, "wireguard/peers/phone/config?endpoint=vpn.example.com", token: token)
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(answer.headers[.contentDisposition] == "attachment; filename=\"phone.conf\"")
            let serverPublic = try SecretGenerator.wireGuardPublicKey(fromPrivateKey: Self.serverKey)
            #expect(answer.body == """
            [Interface]
            PrivateKey = \(phonePrivate)
            Address = 10.0.0.2/32
            DNS = 9.9.9.9, 149.112.112.112
            MTU = 1420

            [Peer]
            PublicKey = \(serverPublic)
            Endpoint = vpn.example.com:51821
            AllowedIPs = 0.0.0.0/0, ::/0
            PersistentKeepalive = 25

            """)
            let v6 = try await api.call(.get, "wireguard/peers/phone/config?endpoint=2001:db8::1", token: token)
            #expect(v6.body.contains("Endpoint = [2001:db8::1]:51821\n"), "\(v6.body)")
            // Without ?endpoint=, the host the request was sent to.
            let host = try await api.call(.get, "wireguard/peers/phone/config", token: token)
            #expect(host.body.contains("Endpoint = localhost:51821\n"), "\(host.body)")
        }
    }
}
