@testable import AdminAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NodeState
import TestSupport
import Testing

@Suite("TLS store, WireGuard QR code, backup and restore through the API")
struct TLSAndBackupAPITests {
    static let config = """
    # node with a proxy on a store certificate
    name: gw
    server:
      listen: 127.0.0.1:5565
      password: node-password
    users:
      - id: u1
        username: alice
        password: alice-password
        enabled: true
    wireguard:
      enabled: true
      listen_port: 51820
      private_key: "uEaEhUnwrDjYBm6KGtwMjuvSOdx1k2pZt7KcDHBVuVk="
      address: 10.0.0.1/24
      peers:
        - name: phone
          public_key: "t4UQRA/rkXVtP7c06k/UQwWSSXBh4tHDHffQPrYA7yQ="
          private_key: "OOlaZamF9Ihmxsii0TixUvXSt+ZoeGhQuiWLcH3iDVo="
          allowed_ips: 10.0.0.2/32
    """

    @Test("the default certificate cannot be deleted, only replaced")
    func defaultCertificateStays() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let generated = try await api.call(.post, "tls/generate", token: token, body: api.json(["id": "default", "domains": ["gw"]]))
            #expect(generated.status == .ok, "\(generated.body)")
            let refused = try await api.call(.delete, "tls/default", token: token)
            #expect(refused.status == .conflict && refused.object["field"] as? String == "id", "\(refused.body)")
            #expect(refused.body.contains("replace it instead"))
            #expect(FileManager.default.fileExists(atPath: try node.tlsStore.certificateURL(id: "default").path))
            let replaced = try await api.call(.post, "tls/generate", token: token,
                                              body: api.json(["id": "default", "domains": ["gw.example"], "replace": true]))
            #expect(replaced.status == .ok, "\(replaced.body)")
        }
    }

    @Test("generate, list, sign, PEM download, refuse deleting a certificate in use, delete")
    func tls() async throws {
        let node = try APITestNode(config: Self.config)
        try await node.test { api in
            let token = try await api.login()
            let ca = try await api.call(.post, "tls/generate", token: token,
                                        body: api.json(["id": "root", "name": "Root", "domains": ["Mesh Root"], "is_ca": true]))
            #expect(ca.status == .ok, "\(ca.body)")
            #expect((ca.object["certificate"] as? [String: Any])?["is_ca"] as? Bool == true)
            let leaf = try await api.call(.post, "tls/sign", token: token,
                                          body: api.json(["ca_id": "root", "id": "proxy", "cn": "proxy.example"]))
            #expect(leaf.status == .ok, "\(leaf.body)")
            let list = try await api.call(.get, "tls", token: token).json as? [[String: Any]] ?? []
            #expect(list.compactMap { $0["id"] as? String }.contains("proxy"))
            let pem = try await api.call(.get, "tls/proxy/pem", token: token)
            #expect(pem.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(pem.body.hasPrefix("-----BEGIN CERTIFICATE-----") && !pem.body.contains("PRIVATE KEY"))

            let proxy = try await api.call(.post, "proxies", token: token, body: api.json([
                "id": "tls-socks", "protocol": "socks5", "listen": "127.0.0.1:1443", "enabled": true, "tls_cert": "proxy",
            ]))
            #expect(proxy.status == .ok, "\(proxy.body)")
            let inUse = try await api.call(.delete, "tls/proxy", token: token)
            #expect(inUse.status == .conflict && inUse.object["field"] as? String == "proxies[0].tls_cert", "\(inUse.body)")
            #expect(try await api.call(.delete, "tls/root", token: token).status == .ok)
            #expect(try await api.call(.delete, "tls/root", token: token).status == .notFound)

            let bad: [(String, [String: Any], HTTPResponse.Status)] = [
                ("tls/import", ["id": "x", "cert": "not a certificate"], .badRequest),
                ("tls/import", ["id": "../../etc/passwd", "cert": "x"], .badRequest),
                ("tls/generate", ["id": "proxy", "domains": ["a.example"]], .conflict),
                ("tls/generate", ["id": "y", "domains": [String]()], .badRequest),
                ("tls/sign", ["ca_id": "nope", "id": "z", "cn": "z"], .notFound),
                ("tls/import-path", ["id": "w", "cert_path": "/etc/shadow"], .badRequest),
            ]
            for (path, body, status) in bad {
                let answer = try await api.call(.post, path, token: token, body: api.json(body))
                #expect(answer.status == status, "\(path) \(body): \(answer.body)")
                #expect(answer.object["error"] is String)
            }
        }
    }

    @Test("the WireGuard QR code is a PNG of the peer's client configuration")
    func qr() async throws {
        try await APITestNode(config: Self.config).test { api in
            let token = try await api.login()
            let answer = try await api.call(.get, "wireguard/qr?peer=phone&endpoint=vpn.example", token: token)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "image/png")
            #expect(try await api.call(.get, "wireguard/qr?peer=nobody", token: token).status == .notFound)
            #expect(try await api.call(.get, "wireguard/qr", token: token).status == .badRequest)
        }
    }

    @Test("a backup restores config, counters and TLS store; a bad archive changes nothing")
    func backupRestore() async throws {
        let node = try APITestNode(config: Self.config)
        let original = node.text
        try await node.test { api in
            let token = try await api.login()
            _ = try await api.call(.post, "tls/generate", token: token, body: api.json(["id": "web", "domains": ["gw.example"]]))
            node.counters.add(user: "u1", up: 10, down: 1000)
            try node.counters.flush()
            let backup = try await api.client.execute(uri: "/scale/api/backup", method: .get,
                                                      headers: [.authorization: "Bearer \(token)"]) { $0 }
            #expect(backup.status == .ok)
            #expect(backup.headers[.contentType] == "application/gzip")
            let archive = backup.body

            // Change everything, then restore.
            _ = try await api.call(.delete, "users/u1", token: token)
            _ = try await api.call(.delete, "tls/web", token: token)
            try node.counters.resetAll()
            let restored = try await api.client.execute(uri: "/scale/api/restore", method: .post,
                                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/gzip",
                                                                  .currentPassword: TestAdmin.digest],
                                                        body: archive) { $0 }
            #expect(restored.status == .ok, "\(String(buffer: restored.body))")
            #expect(node.text == original)
            #expect(node.counters.total(for: "u1").total == 1010)
            #expect(FileManager.default.fileExists(atPath: node.dir.child("state/tls/web.crt").path))

            let before = node.text
            for garbage in ["", "not gzip at all", String(repeating: "\u{1f}", count: 20)] {
                let answer = try await api.call(.post, "restore", token: token, body: garbage,
                                                headers: [.currentPassword: TestAdmin.digest])
                #expect(answer.status == .badRequest, "\(answer.body)")
                #expect(answer.object["field"] as? String != Upload.passwordField, "\(answer.body)")
            }
            #expect(node.text == before)
        }
    }
}
