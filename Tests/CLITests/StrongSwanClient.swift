import Foundation
import TestSupport
import Testing

/// The test client's IKE daemon: charon-systemd writes no pid file, so it runs beside the node's charon.
let strongSwanClientDaemon = "/usr/sbin/charon-systemd"

/// A strongSwan client in a namespace: charon-systemd with a configuration and VICI socket of its
/// own, driven by swanctl.
struct StrongSwanClient {
    let net: NetworkNamespaces
    let host: String
    let socket: String
    let daemon: ChildProcess
    let logFile: String

    /// Starts the daemon in `host` and loads `swanctl` (a swanctl.conf text) into it.
    /// - Parameter userspaceESP: ESP in charon (kernel-libipsec, tunnel mode only) rather than
    ///   the kernel's.
    static func start(_ net: NetworkNamespaces, in dir: TemporaryDirectory, host: String = "alice", userspaceESP: Bool,
                      swanctl: String) async throws -> StrongSwanClient {
        let socket = dir.child("client.vici").path
        let conf = dir.child("client.conf")
        try Data("""
            charon {
                load_modular = no
                load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints aes sha1 sha2 hmac kdf gcm \
            \(userspaceESP ? "kernel-libipsec " : "")kernel-netlink socket-default vici eap-identity eap-mschapv2
                plugins {
                    vici {
                        socket = unix://\(socket)
                    }
                }
                filelog {
                    client {
                        path = \(dir.child("client.log").path)
                        default = 1
                        flush_line = yes
                    }
                }
            }

            """.utf8).write(to: conf)
        let file = dir.child("swanctl.conf")
        try Data(swanctl.utf8).write(to: file)
        let (parent, arguments) = try DaemonParent.wrapping("/usr/bin/env", ["STRONGSWAN_CONF=\(conf.path)", strongSwanClientDaemon])
        let daemon = try net.spawn(in: host, parent, arguments)
        let client = StrongSwanClient(net: net, host: host, socket: socket, daemon: daemon, logFile: dir.child("client.log").path)
        #expect(await eventually(within: .seconds(10)) {
            (try? await net.exec(in: host, "swanctl", ["--load-all", "--file", file.path, "--uri", "unix://\(socket)"])) != nil
        }, "the client's charon did not take its configuration\n\(client.log())")
        return client
    }

    /// Brings `child` up; `nil` when it could not be established.
    func initiate(_ child: String) async -> String? {
        try? await net.exec(in: host, "swanctl", ["--initiate", "--child", child, "--timeout", "20", "--uri", "unix://\(socket)"])
    }

    func isUp(_ name: String) async -> Bool {
        let sas = (try? await net.exec(in: host, "swanctl", ["--list-sas", "--ike", name, "--uri", "unix://\(socket)"])) ?? ""
        return sas.contains("ESTABLISHED")
    }

    func log() -> String { ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").suffix(3000).description }
}

/// The node's charon keeps its pid file at `/run/charon.pid` and will not start while another
/// lives, in any network namespace: the suites whose node runs one take turns.
actor CharonTurns {
    static let shared = CharonTurns()
    private var isTaken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other suite's node has a charon.
    static func take<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        guard isTaken else {
            isTaken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { isTaken = false } else { waiting.removeFirst().resume() }
    }
}

/// The node of the IPsec suites, in the middle of `alice 10.88.1.10 — 10.88.1.1 gw 10.88.3.1 —
/// 10.88.3.3 web`: web answers with who called (who.py), gw runs the node with its admin API
/// logged in.
struct GatewayNode {
    let process: ChildProcess
    let api: AdminCalls

    /// The end of the node's log, for a failed expectation.
    var log: String { "--- gw:\n\(process.stderr.suffix(4000))" }

    /// Links the hosts and starts web's who.py and gw's node with `config`; both are added to
    /// `processes`.
    static func start(_ net: NetworkNamespaces, in dir: TemporaryDirectory, config: String,
                      processes: inout [ChildProcess]) async throws -> GatewayNode {
        try await net.link("alice", "10.88.1.10/24", "gw", "10.88.1.1/24")
        try await net.link("gw", "10.88.3.1/24", "web", "10.88.3.3/24")
        let who = dir.child("who.py")
        try Data(RuleCaptureNamespaceTests.whoScript.utf8).write(to: who)
        processes.append(try net.spawn(in: "web", ExternalTool.path("python3")!, [who.path]))
        let file = dir.child("gw.yaml")
        try Data(config.utf8).write(to: file)
        let node = try net.spawn(in: "gw", nodeBinary!.path, [
            "serve", "--config", file.path, "--state-dir", dir.child("state").path, "--api", "127.0.0.1:8081",
        ])
        processes.append(node)
        return GatewayNode(process: node, api: try await AdminCalls.login(net, in: "gw"))
    }
}
