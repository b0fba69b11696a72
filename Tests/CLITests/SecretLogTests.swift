import Foundation
import Glibc
import ScaleConfig
import TestSupport
import Testing

/// Every secret a scenario configures, sends or is sent, looked for in the whole log of two
/// nodes at trace level (STYLE §5: no secret in any log line at any level).
@Suite("No secret reaches the log",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.path("curl") != nil && ExternalTool.path("python3") != nil, "needs curl and python3"),
       .enabled(if: ExternalTool.path("ss-local") != nil, "needs ss-local (shadowsocks-libev)"),
       .enabled(if: ExternalTool.hysteriaPython != nil, "needs the official Hysteria 2 client (PyPI hysteria2)"))
struct SecretLogTests {
    /// Secrets of the scenario; each is distinctive, so a match in the log is a leak.
    enum Secret {
        static let nodeA = "node-a-secret-P4ssw0rd"
        static let nodeB = "node-b-secret-K9xxQ2"
        static let obfuscation = "obfs-secret-Zq81v"
        static let aliceMain = "alice-main-secret-M1q"
        static let aliceHy2 = "alice-hy2-secret-H2w"
        static let aliceSS = "alice-ss-secret-S3e"
        static let bob = "bob-secret-B6r"
        static let aliceChanged = "alice-new-secret-N5t"
        static let newAdmin = "admin-new-secret-A7y"
        static let wireGuard = "gAlOp0EO0wcMNI1uXiUm8M5wp5yDkOnGw+Y7zPrpwm8="
        /// Attempts that fail: what a client tried is as secret as what it should have sent.
        static let wrongSOCKS = "wrong-socks-secret-W1u"
        static let wrongHTTP = "wrong-http-secret-W2i"
        static let wrongSS = "wrong-ss-secret-W3o"
        static let wrongHy2 = "wrong-hy2-secret-W4p"
        static let wrongHy2Named = "wrong-hy2-named-W7d"
        static let wrongAdmin = "wrong-admin-secret-W5a"
        static let brokenEdit = "broken-edit-secret-W6s"
    }

    /// Node A's file: its listeners on port 0 (read back from its log), node B's server on `hy2B`.
    func config(hy2B: Int) -> String {
        """
        name: a
        \(TestAdmin.configLine)hy2_user_auth: true
        server:
          listen: 127.0.0.1:0
          password: \(Secret.nodeA)
          obfs: {type: salamander, password: \(Secret.obfuscation)}
        clients:
          - name: b
            addr: 127.0.0.1:\(hy2B)
            password: \(Secret.nodeB)
            insecure: true
        users:
          - id: alice
            username: alice
            password: \(Secret.aliceMain)
            proxy_passwords: {hy2: \(Secret.aliceHy2), ss: \(Secret.aliceSS)}
            exit_via: b
            enabled: true
        proxies:
          - id: socks
            protocol: socks5
            listen: 127.0.0.1:0
            enabled: true
          - id: web
            protocol: http
            listen: 127.0.0.1:0
            enabled: true
        ss:
          listen: 127.0.0.1:0
          enabled: true
          method: aes-256-gcm
        wireguard:
          enabled: false
          listen_port: 51820
          private_key: \(Secret.wireGuard)
          address: 10.0.0.1/24

        """
    }

    /// The ports the scenario's listeners got.
    struct Ports {
        var apiA = 0, hy2A = 0, hy2B = 0, socks = 0, http = 0, ss = 0, upstream = 0
    }


    /// curl's exit status and output for `arguments`.
    func curl(_ arguments: [String]) async -> (status: Int32, body: String) {
        let run = try? await ChildProcess.run(ExternalTool.path("curl")!, ["-s", "--max-time", "10"] + arguments)
        return (run?.status ?? -1, run?.stdout ?? "")
    }

    /// The API of node A: answer body as JSON.
    func api(_ ports: Ports, _ method: String, _ path: String, token: String? = nil, body: String? = nil) async -> [String: Any] {
        var arguments = ["-X", method, "-H", "Content-Type: application/json"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-d", body] }
        let answer = await curl(arguments + ["http://127.0.0.1:\(ports.apiA)/scale/api/\(path)"]).body
        return (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any] ?? [:]
    }

    /// The official client's configuration, forwarding `forward` to the upstream through node A.
    func hysteriaConfiguration(_ ports: Ports, auth: String, forward: Int) -> String {
        """
        {"server": "127.0.0.1:\(ports.hy2A)", "auth": "\(auth)", "tls": {"insecure": true},
         "obfs": {"type": "salamander", "salamander": {"password": "\(Secret.obfuscation)"}},
         "tcpForwarding": [{"listen": "127.0.0.1:\(forward)", "remote": "127.0.0.1:\(ports.upstream)"}]}
        """
    }

    /// The official client with a password node A refuses: it ends before its forward listens, so
    /// the forward asks for port 0 and nothing waits for it.
    func refusedHysteriaClient(_ dir: TemporaryDirectory, _ ports: Ports, auth: String, attempt: Int) throws -> ChildProcess {
        let file = dir.child("hy2-refused-\(attempt).json").path
        try hysteriaConfiguration(ports, auth: auth, forward: 0).write(toFile: file, atomically: true, encoding: .utf8)
        return try ChildProcess(ExternalTool.hysteriaPython!, ExternalTool.hysteriaClientArguments(config: file))
    }

    /// The port in python's `Serving HTTP on 127.0.0.1 port N` line; `nil` when it does not come
    /// before the wait ends (which only stops a hang).
    func servingPort(_ server: ChildProcess) async -> Int? {
        var port: Int?
        _ = await eventually {
            if let range = server.stdout.range(of: " port ") {
                port = Int(server.stdout[range.upperBound...].prefix { $0.isNumber })
            }
            return port != nil || !server.isRunning
        }
        return port
    }

    @Test("two nodes at trace level, every inbound used with right and wrong credentials, API edits and a refused file: no secret in any log line",
          .timeLimit(.minutes(5)))
    func scenario() async throws {
        try await withTemporaryDirectory { dir in
            var ports = Ports()
            try FileManager.default.createDirectory(at: dir.child("site"), withIntermediateDirectories: true)
            try Data("upstream-content".utf8).write(to: dir.child("site/file"))
            var helpers: [ChildProcess] = []
            defer { for helper in helpers where helper.isRunning { helper.signal(SIGKILL) } }
            // -u: unbuffered, so the line naming the port it got arrives.
            let upstream = try ChildProcess(ExternalTool.path("python3")!, [
                "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.child("site").path])
            helpers.append(upstream)
            ports.upstream = try #require(await servingPort(upstream), "\(upstream.stderr)")

            // B first: A's file names B's server port.
            try Data("name: b\n\(TestAdmin.configLine)server:\n  listen: 127.0.0.1:0\n  password: \(Secret.nodeB)\n".utf8)
                .write(to: dir.child("b.yaml"))
            let nodeB = try NodeProcess(["serve", "--config", dir.child("b.yaml").path, "--state-dir", dir.child("state-b").path,
                                         "--api", "127.0.0.1:0", "--log-level", "trace"])
            defer { if nodeB.isRunning { nodeB.signal(SIGKILL) } }
            ports.hy2B = try #require(await nodeB.boundPort("hy2"), "\(nodeB.stderr.suffix(3000))")
            try Data(config(hy2B: ports.hy2B).utf8).write(to: dir.child("a.yaml"))
            let nodeA = try NodeProcess(["serve", "--config", dir.child("a.yaml").path, "--state-dir", dir.child("state-a").path,
                                         "--api", "127.0.0.1:0", "--log-level", "trace"])
            defer { if nodeA.isRunning { nodeA.signal(SIGKILL) } }
            for (key, port) in [("ui", \Ports.apiA), ("hy2", \.hy2A), ("proxy/socks", \.socks), ("proxy/web", \.http), ("ss", \.ss)] {
                ports[keyPath: port] = try #require(await nodeA.boundPort(key), "\(key): \(nodeA.stderr.suffix(3000))")
            }
            #expect(await eventually(within: .seconds(60)) { nodeA.stderr.contains("peer connected") }, "\(nodeA.stderr.suffix(3000))")
            let file = "http://127.0.0.1:\(ports.upstream)/file"

            // SOCKS5 and HTTP, right and wrong.
            #expect(await eventually { await curl(["-x", "socks5h://alice:\(Secret.aliceMain)@127.0.0.1:\(ports.socks)", file]).body == "upstream-content" })
            #expect(await curl(["-x", "socks5h://alice:\(Secret.wrongSOCKS)@127.0.0.1:\(ports.socks)", file]).status != 0)
            #expect(await curl(["-x", "http://alice:\(Secret.aliceMain)@127.0.0.1:\(ports.http)", file]).body == "upstream-content")
            #expect(await curl(["-x", "http://alice:\(Secret.wrongHTTP)@127.0.0.1:\(ports.http)", file]).body != "upstream-content")

            // Shadowsocks, right and wrong.
            for (key, works) in [(Secret.aliceSS, true), (Secret.wrongSS, false)] {
                // A port the test holds and ss-local shares (--reuse-port): refused until ss-local listens.
                let ssLocal = try SharedPort()
                let local = try ChildProcess(ExternalTool.path("ss-local")!, [
                    "-s", "127.0.0.1", "-p", "\(ports.ss)", "-b", "127.0.0.1", "-l", "\(ssLocal.port)", "-k", key, "-m", "aes-256-gcm",
                    "--reuse-port"])
                helpers.append(local)
                let through = await eventually(within: .seconds(works ? 20 : 3)) {
                    await curl(["-x", "socks5h://127.0.0.1:\(ssLocal.port)", file]).body == "upstream-content"
                }
                #expect(through == works)
                local.signal(SIGKILL)  // ss-local inherits a mask that blocks SIGTERM
                _ = await local.finish()
                ssLocal.close()
            }

            // Hysteria 2 with the user's hy2 password, and with a wrong one.
            let (good, hy2Forward) = try await OfficialHysteriaClient.start(writingTo: dir.child("hy2").path) { forward in
                hysteriaConfiguration(ports, auth: Secret.aliceHy2, forward: forward)
            }
            helpers.append(good)
            #expect(await eventually(within: .seconds(30)) { await curl(["http://127.0.0.1:\(hy2Forward)/file"]).body == "upstream-content" },
                    "\(good.stderr.suffix(2000))")
            for (attempt, auth) in [Secret.wrongHy2, "alice:\(Secret.wrongHy2Named)"].enumerated() {
                let refusals = nodeA.stderr.components(separatedBy: "hy2 client refused").count
                helpers.append(try refusedHysteriaClient(dir, ports, auth: auth, attempt: attempt))
                #expect(await eventually { nodeA.stderr.components(separatedBy: "hy2 client refused").count > refusals })
            }
            #expect(nodeA.stderr.contains("user=alice"), "a refused login names the user it claimed")

            // The admin API: a wrong login, a session, user edits, a TLS key, a password change.
            #expect(await api(ports, "POST", "login", body: #"{"username":"admin","password":"\#(AdminPassword.clientDigest(of: Secret.wrongAdmin))"}"#)["token"] == nil)
            let token = try #require(await api(ports, "POST", "login", body: TestAdmin.loginBody)["token"] as? String)
            _ = await api(ports, "GET", "users", token: token)
            let bob = #"{"id":"bob","username":"bob","password":"\#(Secret.bob)","enabled":true}"#
            #expect(await api(ports, "POST", "users", token: token, body: bob)["applied"] as? Bool == true)
            let alice = """
            {"id":"alice","username":"alice","password":"\(Secret.aliceChanged)","enabled":true,"exit_via":"b",
             "proxy_passwords":{"hy2":"\(Secret.aliceHy2)","ss":"\(Secret.aliceSS)"}}
            """
            #expect(await api(ports, "PUT", "users/alice", token: token, body: alice)["applied"] as? Bool == true)
            #expect(await api(ports, "POST", "tls/generate", token: token, body: #"{"id":"web","domains":["a.example"]}"#)["id"] as? String == "web")
            let change = #"{"current_password":"\#(TestAdmin.digest)","new_password":"\#(AdminPassword.clientDigest(of: Secret.newAdmin))"}"#
            #expect(await api(ports, "PUT", "settings/password", token: token, body: change)["applied"] as? Bool == true)

            // A file that does not parse, with a secret on the broken line; then one that does
            // not validate because of a secret.
            let valid = try String(contentsOf: dir.child("a.yaml"), encoding: .utf8)
            try Data((valid + "  password: \"\(Secret.brokenEdit)\n").utf8).write(to: dir.child("a.yaml"))
            #expect(await eventually { nodeA.stderr.components(separatedBy: "config refused").count == 2 })
            let clash = valid.replacingOccurrences(of: "password: \(Secret.bob)", with: "password: \(Secret.nodeA)")
            try Data(clash.utf8).write(to: dir.child("a.yaml"))
            #expect(await eventually { nodeA.stderr.components(separatedBy: "config refused").count == 3 }, "\(nodeA.stderr.suffix(2000))")
            try Data(valid.utf8).write(to: dir.child("a.yaml"))

            for node in [nodeA, nodeB] { node.signal(SIGTERM) }
            #expect(await nodeA.finish() == 0)
            #expect(await nodeB.finish() == 0)

            var secrets = [Secret.nodeA, Secret.nodeB, Secret.obfuscation, Secret.aliceMain, Secret.aliceHy2, Secret.aliceSS,
                           Secret.bob, Secret.aliceChanged, Secret.newAdmin, AdminPassword.clientDigest(of: Secret.newAdmin), Secret.wireGuard,
                           Secret.wrongSOCKS, Secret.wrongHTTP, Secret.wrongSS, Secret.wrongHy2, Secret.wrongHy2Named, Secret.wrongAdmin,
                           AdminPassword.clientDigest(of: Secret.wrongAdmin), Secret.brokenEdit, TestAdmin.password, TestAdmin.digest, token,
                           Data("alice:\(Secret.aliceMain)".utf8).base64EncodedString()]
            // Private keys of both TLS stores: every line of their PEM bodies.
            for key in ["state-a/tls/default.key", "state-a/tls/web.key", "state-b/tls/default.key"] {
                let pem = try String(contentsOf: dir.child(key), encoding: .utf8)
                secrets += pem.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count >= 16 }.map(String.init)
            }
            let log = nodeA.stderr + nodeB.stderr
            #expect(log.split(separator: "\n").count > 100, "the scenario logged at trace level")
            for secret in secrets {
                let lines = log.split(separator: "\n").filter { $0.contains(secret) }
                #expect(lines.isEmpty, "a secret is in the log: \(lines.prefix(3))")
            }
        }
    }
}
