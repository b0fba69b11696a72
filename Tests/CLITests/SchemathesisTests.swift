import Foundation
import Glibc
import TestSupport
import Testing

/// `schemathesis` on PATH, if installed (`scripts/install-deps --with-test-tools` installs it).
let schemathesisBinary: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("schemathesis") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// A config for the fuzzed node: one item of each kind, every listener on loopback and off. The
/// API speaks HTTPS from the start (the node's default certificate), so a generated
/// `force_https: true` changes nothing the run relies on.
private let fuzzFixture = """
# Fixture for the schemathesis run: one item of each kind the API edits by id.
name: fuzzed
force_https: true
\(TestAdmin.configLine)server:
  listen: 127.0.0.1:0              # loopback only, any free port; the data plane is not under test here
  password: fixture-node-password

# a peer this node would dial; disabled, so nothing is dialled
clients:
  - name: jp
    addr: 127.0.0.1:9
    password: jp-node-password
    disabled: true

users:
  - id: alice                      # an account with a quota
    username: alice
    password: alice-long-password
    traffic_limit_gb: 5
    enabled: true

proxies:
  - id: socks                      # a SOCKS5 listener, switched off
    protocol: socks5
    listen: 127.0.0.1:41090
    enabled: false

rules:
  - id: office                     # route an office network through jp
    name: Office
    type: ip
    targets: [10.20.0.0/16]
    exit_via: jp
    enabled: false

wireguard:
  enabled: false
  listen_port: 51821
  private_key: yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
  address: 10.0.0.1/24
  mtu: 1420
  peers:
    - name: phone                  # Alice's phone
      public_key: xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
      allowed_ips: 10.0.0.2/32
      keepalive: 25

"""

/// Operations the fuzzer must not call, each with its reason.
private let excludedPaths: [(path: String, reason: String)] = [
    ("/api/restore", "replaces the config and state files"),
    ("/api/upgrade", "replaces the binary"),
    ("/api/settings/password", "changes the admin password and ends the run's session"),
    ("/api/login", "failed logins are rate limited, which would lock the run out"),
    ("/api/logout", "ends the run's session"),
    ("/api/graph-layout/stream", "an event stream never ends, so every call would only time out"),
]


@Suite("schemathesis against hy2scale serve",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.path("curl") != nil, "needs curl"),
       .enabled(if: schemathesisBinary != nil,
                "schemathesis is not on PATH; scripts/install-deps --with-test-tools installs it"))
struct SchemathesisTests {
    /// Logs in over HTTPS (the node's self-signed default certificate); nil until the API answers.
    func login(port: Int, namespace: String?) async -> String? {
        let command = ChildProcess.command([ExternalTool.path("curl") ?? "/usr/bin/curl",
            "-sS", "--insecure", "--max-time", "10", "-H", "Content-Type: application/json",
            "-d", TestAdmin.loginBody, "https://127.0.0.1:\(port)/scale/api/login",
        ], namespace: namespace)
        guard let run = try? await ChildProcess.run(command[0], Array(command.dropFirst())), run.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else { return nil }
        return object["token"] as? String
    }

    /// As root, the node and its callers run in a network namespace of their own: a generated
    /// edit may switch on the WireGuard server or a rule, whose device, addresses and nftables
    /// table must not touch the host's network.
    @Test("no generated request makes the server answer 5xx or fail", .timeLimit(.minutes(5)))
    func noServerErrors() async throws {
        if NetworkNamespaces.areAvailable {
            try await NetworkNamespaces.with(hosts: ["api"]) { try await fuzz(inside: $0.namespace("api")) }
        } else {
            try await fuzz(inside: nil)
        }
    }

    private func fuzz(inside namespace: String?) async throws {
        let schemathesis = try #require(schemathesisBinary)
        try await withTemporaryDirectory { dir in
            let config = dir.child("config.yaml")
            try Data(fuzzFixture.utf8).write(to: config)
            let node = try NodeProcess(["serve", "--config", config.path, "--state-dir", dir.child("state").path,
                                        "--api", "127.0.0.1:0"], namespace: namespace)
            defer { if node.isRunning { node.signal(SIGKILL) } }
            #expect(await eventually { node.stderr.contains("config accepted") }, "\(node.stderr)")
            let port = try #require(await node.boundPort("ui"), "\(node.stderr)")
            var token: String?
            _ = await eventually { token = await login(port: port, namespace: namespace); return token != nil }
            let bearer = try #require(token, "login failed: \(node.stderr)")

            let base = "https://127.0.0.1:\(port)/scale"
            var arguments = [
                "run", "\(base)/api/openapi.json", "--url", base, "-H", "Authorization: Bearer \(bearer)",
                "--checks", "not_a_server_error", "--max-examples", "5",
                "--max-time", "120",             // the whole run's budget
                "--request-timeout", "10",       // one hung request fails that case, not the run
                "--generation-database", "none", // nothing written next to the tests
                "--tls-verify", "false",         // the node's own self-signed certificate
                "--no-color",
            ]
            for excluded in excludedPaths { arguments += ["--exclude-path", excluded.path] }

            let output = TextBuffer()
            let command = ChildProcess.command([schemathesis.path] + arguments, namespace: namespace)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.currentDirectoryURL = dir.url
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            PipeReader.start(pipe, into: output)
            let ended = await eventually(within: .seconds(240)) { !process.isRunning }
            if !ended { process.terminate() }
            _ = await eventually(within: .seconds(2)) { false }  // let the pipe drain; not a measurement
            // The failures (with a curl line to reproduce each), then the summary.
            let lines = output.value.split(separator: "\n", omittingEmptySubsequences: false)
            let failures = lines.drop { !$0.contains("= FAILURES =") }.prefix(150)
            let shown: [Substring] = (failures.isEmpty ? [] : Array(failures) + ["…"]) + Array(lines.suffix(30))
            let tail = shown.joined(separator: "\n")
            #expect(ended, "schemathesis did not finish in time:\n\(tail)")
            #expect(process.terminationStatus == 0, "schemathesis exited \(process.terminationStatus):\n\(tail)")
            #expect(node.isRunning, "the node stopped during the run:\n\(node.stderr.suffix(20000))")  // room for a crash report
            node.signal(SIGTERM)
            #expect(await node.finish() == 0, "\(node.stderr.suffix(20000))")
        }
    }
}
