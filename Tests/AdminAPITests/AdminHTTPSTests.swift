@testable import AdminAPI
import Foundation
import NodeState
import Reconciler
import TestSupport
import Testing

@Suite("The admin API over HTTPS", .enabled(if: ExternalTool.path("curl") != nil, "needs curl"))
struct AdminHTTPSTests {
    static let config = "name: t\n"

    /// Makes CA `caID` and a certificate `admin` it signed for localhost.
    func issue(_ node: APITestNode, caID: String) throws {
        try node.tlsStore.generate(id: caID, domains: ["Test CA \(caID)"], isCA: true)
        try node.tlsStore.sign(caID: caID, id: "admin", commonName: "localhost", domains: ["localhost", "127.0.0.1"], replace: true)
    }

    func trusting(_ node: APITestNode, _ caID: String) throws -> [String] {
        ["--cacert", try node.tlsStore.certificateURL(id: caID).path]
    }

    @Test("with force_https, a client that trusts the store's CA gets the API over TLS with HSTS, plain HTTP is only redirected, and a new certificate applies without a restart")
    func forced() async throws {
        let node = try APITestNode(config: Self.config)
        try issue(node, caID: "ca1")
        try Data((node.text + "force_https: true\nhttps_cert_id: admin\n").utf8).write(to: node.configURL)
        let report = try #require(await node.reconciler.reconcile())
        #expect(report.applied, "\(report.failures)")
        try await LiveAdminServer.run(node) { port in
            let https = "https://localhost:\(port)/scale/api"
            let answer = try await LiveAdminServer.curl(try trusting(node, "ca1") + ["\(https)/build-id"])
            #expect(answer.status == 200)
            #expect(answer.headers["strict-transport-security"] == "max-age=31536000")
            for version in [["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3"]] {
                #expect(try await LiveAdminServer.curl(try trusting(node, "ca1") + version + ["\(https)/build-id"]).status == 200)
            }

            let plain = try await LiveAdminServer.curl(["http://localhost:\(port)/scale/api/build-id"])
            #expect(plain.status == 308)
            #expect(plain.headers["location"] == "\(https)/build-id")
            let login = try await LiveAdminServer.curl(["-d", TestAdmin.loginBody, "http://127.0.0.1:\(port)/scale/api/login"])
            #expect(login.status == 308, "a plain request never reaches the API")
            #expect(!login.body.contains("token"))

            // A new certificate from another CA: new connections present it at once.
            try issue(node, caID: "ca2")
            _ = await node.reconciler.reconcile()
            #expect(try await LiveAdminServer.curl(try trusting(node, "ca2") + ["\(https)/build-id"]).status == 200)
            let oldCA = try await LiveAdminServer.attempt(try trusting(node, "ca1") + ["\(https)/build-id"])
            #expect((try? oldCA.get()) == nil, "the old CA no longer verifies")

            // Turned off through the API, over TLS: plain HTTP answers again, without HSTS.
            let token = try #require(try await LiveAdminServer.curl(try trusting(node, "ca2") + ["-d", TestAdmin.loginBody, "\(https)/login"])
                .body.jsonObject?["token"] as? String)
            let off = try await LiveAdminServer.curl(try trusting(node, "ca2") + [
                "-X", "PUT", "-H", "Authorization: Bearer \(token)", "-d", #"{"force_https":false}"#, "\(https)/settings/ui"])
            #expect(off.status == 200, "\(off.body)")
            let open = try await LiveAdminServer.curl(["http://127.0.0.1:\(port)/scale/api/build-id"])
            #expect(open.status == 200)
            #expect(open.headers["strict-transport-security"] == nil)
        }
    }

    @Test("with force_https and a certificate that cannot be loaded, plain HTTP is refused and the reconcile says why")
    func unusableCertificate() async throws {
        let node = try APITestNode(config: Self.config)
        try issue(node, caID: "ca1")
        try Data("not a key".utf8).write(to: try node.tlsStore.keyURL(id: "admin"))
        try Data((node.text + "force_https: true\nhttps_cert_id: admin\n").utf8).write(to: node.configURL)
        let report = try #require(await node.reconciler.reconcile())
        #expect(!report.applied)
        #expect(report.failures.contains { $0.contains("certificate admin unusable") }, "\(report.failures)")
        try await LiveAdminServer.run(node) { port in
            let plain = try await LiveAdminServer.curl(["http://127.0.0.1:\(port)/scale/api/build-id"])
            #expect(plain.status == 503)
            #expect(plain.body.contains("HTTPS only"))
        }
    }

    @Test("without force_https the same port answers plain HTTP and, with the default certificate, HTTPS")
    func optional() async throws {
        let node = try APITestNode(config: Self.config)
        try issue(node, caID: "ca1")
        try Data((node.text + "https_cert_id: admin\n").utf8).write(to: node.configURL)
        _ = await node.reconciler.reconcile()
        try await LiveAdminServer.run(node) { port in
            #expect(try await LiveAdminServer.curl(["http://127.0.0.1:\(port)/scale/api/build-id"]).status == 200)
            let https = try await LiveAdminServer.curl(try trusting(node, "ca1") + ["https://localhost:\(port)/scale/api/build-id"])
            #expect(https.status == 200)
            #expect(https.headers["strict-transport-security"] == nil)
        }
    }
}

@Suite("The answer to plain HTTP on an HTTPS-only server")
struct PlainHTTPAnswerTests {
    @Test("the redirect keeps the client's host, port and target", arguments: [
        ("GET /scale/api/users?q=a HTTP/1.1\r\nHost: node.example:5565", "https://node.example:5565/scale/api/users?q=a"),
        ("POST /scale/api/login HTTP/1.1\r\nUser-Agent: x\r\nhost:  [2001:db8::1]:5565 ", "https://[2001:db8::1]:5565/scale/api/login"),
        ("GET / HTTP/1.0\nHost: 10.0.0.1", "https://10.0.0.1/"),
    ])
    func redirect(head: String, location: String) {
        #expect(PlainHTTPAnswer.redirectLocation(head: Substring(head)) == location)
    }

    @Test("a request that could steer the redirect anywhere but its own host gets no redirect", arguments: [
        "GET /x HTTP/1.1",                                               // no Host
        "GET /x HTTP/1.1\r\nHost: ",                                     // empty Host
        "GET /x HTTP/1.1\r\nHost: evil.example/path",                    // a path in Host
        "GET /x HTTP/1.1\r\nHost: a b",                                  // a space in Host
        "GET /x HTTP/1.1\r\nHost: node\u{0}.evil.example",                // a NUL
        "GET http://evil.example/ HTTP/1.1\r\nHost: node",               // absolute-form target
        "GET //evil.example HTTP/1.1\r\nHost: node\u{7f}",               // a control character
        "GET /x\u{e9} HTTP/1.1\r\nHost: node",                          // not ASCII
        "GET /x HTTP/1.1 extra\r\nHost: node",                           // not three fields
    ])
    func refused(head: String) {
        #expect(PlainHTTPAnswer.redirectLocation(head: Substring(head)) == nil)
    }
}

extension String {
    /// The text as a JSON object, if it is one.
    var jsonObject: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(utf8)) as? [String: Any] }
}
