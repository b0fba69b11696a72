import Foundation
import HTTPTypes
import Testing

@Suite("Shadowsocks, L2TP and IKEv2 sections through the API")
struct ServicesAPITests {
    static let config = """
    name: t
    l2tp:
      listen: "1701"
      enabled: false
      pool: 192.168.25.1/24
      psk: shared-secret     # IPsec PSK
      proxy_port: 12400
      mtu: 1280
    ikev2:
      enabled: false
      mode: psk
      pool: 192.168.26.1/24
      psk: ike-secret
      remote_id: client.example
      proxy_port: 12351

    """

    @Test("GET shows defaults for an absent section; PUT replaces it")
    func shadowsocks() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let absent = try await api.call(.get, "ss", token: token)
            #expect(absent.object["method"] as? String == "aes-256-gcm")
            #expect(absent.object["enabled"] as? Bool == false)
            #expect(absent.object["listen"] as? String == "")
            let put = try await api.call(.put, "ss", token: token, body: api.json([
                "listen": "127.0.0.1:8388", "enabled": true, "method": "chacha20-ietf-poly1305",
            ]))
            #expect(put.status == .ok, "\(put.body)")
            #expect(node.text.contains("ss:\n  listen: 127.0.0.1:8388\n  enabled: true\n  method: chacha20-ietf-poly1305\n"), "\(node.text)")
            let shown = try await api.call(.get, "ss", token: token)
            #expect(shown.object["listen"] as? String == "127.0.0.1:8388")
            let bad = try await api.call(.put, "ss", token: token, body: api.json(["listen": "127.0.0.1:8388", "method": "rc4"]))
            #expect(bad.status == .unprocessableContent, "\(bad.body)")
            #expect(try await api.call(.put, "ss", token: token, body: "[]").status == .badRequest)
        }
    }

    @Test("L2TP: a one-field change is one line; proxy_port survives a UI save")
    func l2tp() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "l2tp", token: token)
            #expect(shown.object["proxy_port"] as? Int == 12400)
            #expect(shown.object["capable"] is Bool && shown.object["reason"] is String)
            let before = node.text
            // The UI's body: no proxy_port.
            let put = try await api.call(.put, "l2tp", token: token, body: api.json([
                "listen": "1701", "enabled": false, "pool": "192.168.25.1/24", "psk": "shared-secret", "mtu": 1400,
            ]))
            #expect(put.status == .ok, "\(put.body)")
            #expect(changedLines(before, node.text) == ["  mtu: 1280 ->   mtu: 1400"])
            let invalid = try await api.call(.put, "l2tp", token: token, body: api.json(["listen": "1701", "enabled": true, "pool": "x"]))
            #expect(invalid.status == .unprocessableContent, "\(invalid.body)")
        }
    }

    @Test("L2TP and IKEv2 GET defaults when absent")
    func defaults() async throws {
        let node = try APITestNode(config: "name: t\n")
        try await node.test { api in
            let token = try await api.login()
            let l2tp = try await api.call(.get, "l2tp", token: token).object
            #expect(l2tp["listen"] as? String == "1701" && l2tp["pool"] as? String == "192.168.25.1/24")
            #expect(l2tp["proxy_port"] as? Int == 12345 && l2tp["mtu"] as? Int == 1280)
            let ikev2 = try await api.call(.get, "ikev2", token: token).object
            #expect(ikev2["mode"] as? String == "mschapv2" && ikev2["pool"] as? String == "192.168.26.1/24")
            #expect(ikev2["proxy_port"] as? Int == 12350 && ikev2["mtu"] as? Int == 1400)
            #expect((ikev2["local_id"] as? String)?.isEmpty == false)
        }
    }

    @Test("IKEv2: bad mode 400; fields the UI leaves out are kept")
    func ikev2() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let shown = try await api.call(.get, "ikev2", token: token).object
            #expect(shown["remote_id"] as? String == "client.example")
            let bad = try await api.call(.put, "ikev2", token: token, body: api.json(["mode": "eap"]))
            #expect(bad.status == .badRequest && bad.object["field"] as? String == "mode", "\(bad.body)")
            let before = node.text
            let put = try await api.call(.put, "ikev2", token: token, body: api.json([
                "enabled": false, "mode": "psk", "pool": "192.168.27.1/24", "psk": "ike-secret", "cert_id": "", "local_id": "",
                "mtu": 0, "default_exit": "", "default_exit_paths": [], "default_exit_mode": "",
            ]))
            #expect(put.status == .ok, "\(put.body)")
            #expect(changedLines(before, node.text) == ["  pool: 192.168.26.1/24 ->   pool: 192.168.27.1/24"])
            // An explicit value replaces a kept field.
            #expect(try await api.call(.put, "ikev2", token: token, body: api.json([
                "mode": "psk", "pool": "192.168.27.1/24", "psk": "ike-secret", "remote_id": "",
            ])).status == .ok)
            #expect(!node.text.contains("remote_id"))
            #expect(node.text.contains("  proxy_port: 12351"))
        }
    }
}
