import Foundation
import Glibc
import TestSupport
import Testing

/// Holds a SOCKS5 flow open through the node to `target`, prints `ready`, then `closed` when the
/// node ends it.
private let socksClient = """
import socket, sys
proxy, target = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", proxy), timeout=30)
s.sendall(bytes([5, 1, 2])); assert s.recv(2) == bytes([5, 2])
s.sendall(bytes([1, 5]) + b"alice" + bytes([7]) + b"secret1"); assert s.recv(2) == bytes([1, 0])
s.sendall(bytes([5, 1, 0, 1, 127, 0, 0, 1, target >> 8, target & 255])); assert s.recv(10)[1] == 0
print("ready", flush=True)
while s.recv(4096): pass
print("closed", flush=True)
"""

@Suite("Device sessions through the API",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.path("curl") != nil && ExternalTool.path("python3") != nil, "needs curl and python3"))
struct SessionsAPITests {
    @Test("GET /api/sessions lists a live SOCKS5 device; DELETE kicks it and the flow ends")
    func listAndKick() async throws {
        try await withTemporaryDirectory { dir in
            let config = dir.child("config.yaml")
            try Data("""
            \(TestAdmin.configLine)users:
              - id: u1
                username: alice
                password: secret1
                enabled: true
            proxies:
              - id: s1
                protocol: socks5
                listen: 127.0.0.1:0
                enabled: true

            """.utf8).write(to: config)
            let node = try NodeProcess(["serve", "--config", config.path, "--state-dir", dir.child("state").path,
                                        "--api", "127.0.0.1:0"])
            defer { if node.isRunning { node.signal(SIGKILL) } }
            let socks = try #require(await node.boundPort("proxy/s1"), "\(node.stderr)")
            let api = try #require(await node.boundPort("ui"), "\(node.stderr)")
            let curl = ExternalTool.path("curl")!
            let base = "http://127.0.0.1:\(api)/scale/api"
            var token = ""
            _ = await eventually {
                let login = try? await ChildProcess.run(curl, ["-s", "-X", "POST", "\(base)/login", "-H", "Content-Type: application/json",
                    "-d", TestAdmin.loginBody])
                token = (login?.stdout).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["token"] as? String ?? ""
                return !token.isEmpty
            }
            #expect(!token.isEmpty)
            let script = dir.child("client.py").path
            try socksClient.write(toFile: script, atomically: true, encoding: .utf8)
            // The flow's target is the node's own API port: always there.
            let client = try ChildProcess(ExternalTool.path("python3")!, [script, "\(socks)", "\(api)"])
            #expect(await eventually { client.stdout.contains("ready") }, "\(client.stderr)")

            let listed = try await ChildProcess.run(curl, ["-s", "\(base)/sessions", "-H", "Authorization: Bearer \(token)"])
            let body = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any], "\(listed.stdout)")
            let devices = try #require(body["devices"] as? [[String: Any]])
            #expect(body["total"] as? Int == 1)
            #expect(devices.first?["key"] as? String == "alice|127.0.0.1|socks5")
            #expect(devices.first?["conn_count"] as? Int == 1)

            let kicked = try await ChildProcess.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
                                                          "\(base)/sessions/alice%7C127.0.0.1%7Csocks5", "-H", "Authorization: Bearer \(token)"])
            #expect(kicked.stdout == "200")
            #expect(await eventually(within: .seconds(1)) { client.stdout.contains("closed") }, "\(client.stdout)")
            let again = try await ChildProcess.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
                                                         "\(base)/sessions/alice%7C127.0.0.1%7Csocks5", "-H", "Authorization: Bearer \(token)"])
            #expect(again.stdout == "404")
            await client.stop()
            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }
}
