import Foundation
import Glibc
import TestSupport
import Testing

/// The WireGuard server on a real gateway, against wireguard-go and wireguard-tools as the
/// clients, each host in its own network namespace:
///
///     alice 10.88.1.10 — 10.88.1.1 gw 10.88.3.1 — 10.88.3.3 web
///       bob 10.88.2.10 — 10.88.2.1 gw
///
/// The clients have no route to web but their tunnels; gw does not forward, so only the node's
/// gateway carries them. Tunnel addresses: gw 10.66.0.1, alice 10.66.0.2, bob 10.66.0.3.
///
/// On a kernel with WireGuard (`scripts/vm` boots one) the node's engine and the clients'
/// devices are the kernel's; elsewhere both are wireguard-go.
@Suite("WireGuard clients reach the node's side through the gateway",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: NetworkNamespaces.areAvailable, "needs root and iproute2 to create network namespaces"),
       .enabled(if: ["curl", "python3", "wg", "wg-quick", "wireguard-go", "dig", "dnsmasq", "nft"].allSatisfy { ExternalTool.path($0) != nil },
                "needs curl, python3, wireguard-tools, wireguard-go, dig, dnsmasq and nft"))
struct WireGuardNamespaceTests {
    @Test("a stock client's .conf works; TCP and UDP leave through the node; peers are added, repaired and follow their users",
          .timeLimit(.minutes(5)))
    func gateway() async throws {
        try await NetworkNamespaces.with(hosts: ["alice", "bob", "gw", "web"]) { try await run(in: $0) }
    }

    private func run(in net: NetworkNamespaces) async throws {
        try await net.link("alice", "10.88.1.10/24", "gw", "10.88.1.1/24")
        try await net.link("bob", "10.88.2.10/24", "gw", "10.88.2.1/24")
        try await net.link("gw", "10.88.3.1/24", "web", "10.88.3.3/24")
        let serverKey = try await Self.generateKey(net)
        let alice = try await Self.keyPair(net)
        let kernel = await Self.kernelHasWireGuard(net)
        // scripts/vm's guest runs Debian's stock kernel, which has WireGuard: that run tests the kernel backend.
        #expect(kernel || ProcessInfo.processInfo.environment["HY2SCALE_VM"] == nil, "the virtual machine's kernel makes no WireGuard device")

        try await withTemporaryDirectory { dir in
            var processes: [ChildProcess] = []
            defer {
                for process in processes where process.isRunning { process.signal(SIGKILL) }
                // A killed wireguard-go leaves its control socket in the directory every
                // namespace shares.
                for device in ["wgca\(net.tag)", "wgcb\(net.tag)"] { unlink("/var/run/wireguard/\(device).sock") }
            }
            let who = dir.child("who.py")
            try Data(RuleCaptureNamespaceTests.whoScript.utf8).write(to: who)
            processes.append(try net.spawn(in: "web", ExternalTool.path("python3")!, [who.path]))
            let (parent, dnsmasq) = try DaemonParent.wrapping(ExternalTool.path("dnsmasq")!, [
                "--no-resolv", "--no-hosts", "--keep-in-foreground", "--listen-address=10.88.3.3", "--bind-interfaces",
                "--port=53", "--address=/site.test/10.88.4.4", "--address=/blocked.test/10.88.4.6", "--pid-file=",
            ])
            let resolver = try net.spawn(in: "web", parent, dnsmasq)
            defer { resolver.signal(SIGTERM) }

            let config = dir.child("gw.yaml")
            try Data(Self.config(serverKey: serverKey, alice: alice).utf8).write(to: config)
            let node = try net.spawn(in: "gw", nodeBinary!.path, [
                "serve", "--config", config.path, "--state-dir", dir.child("state").path,
                "--api", "127.0.0.1:8081", "--drift-interval", "2",
            ])
            processes.append(node)
            let log = { "--- gw:\n\(node.stderr.suffix(4000))" }
            let api = try await AdminCalls.login(net, in: "gw")
            var status: [String: Any] = [:]
            #expect(await eventually(within: .seconds(30)) {
                status = await api.wireGuard()
                return status["running"] as? Bool == true
            }, "not running: \(status)\n\(log())")
            #expect(status["backend"] as? String == (kernel ? "kernel" : "wireguard-go") && status["reason"] == nil, "\(status)")

            // alice imports the API's .conf unchanged (wg-quick's strip drops what `wg` does not read).
            let aliceConf = try await api.text("/scale/api/wireguard/peers/alice/config?endpoint=10.88.1.1")
            #expect(aliceConf.contains("Endpoint = 10.88.1.1:51820"), "\(aliceConf)")
            processes += try await Self.connect(net, host: "alice", device: "wgca\(net.tag)", address: "10.66.0.2",
                                                conf: aliceConf, kernel: kernel, in: dir)
            var seen = ""
            #expect(await eventually(within: .seconds(30)) {
                seen = await Self.fetch(net, from: "alice")
                return seen == "10.88.3.1"
            }, "alice through the gateway: \(seen)\n\(log())")
            let answer = (try? await net.exec(in: "alice", "dig", ["+short", "+time=5", "+tries=2", "@10.88.3.3", "site.test"])) ?? ""
            #expect(answer.trimmingCharacters(in: .whitespacesAndNewlines) == "10.88.4.4", "UDP through the gateway: \(answer)")
            // The clients' DNS is the node's forwarder on the tunnel address, so domain rules
            // steer their names too: other names are answered as the upstream answers them, a rule's
            // name is resolved through the rule's exit (here one that does not exist: no answer).
            #expect(aliceConf.contains("DNS = 10.66.0.1\n"), "\(aliceConf)")
            let forwarded = (try? await net.exec(in: "alice", "dig", ["+short", "+time=5", "+tries=2", "@10.66.0.1", "site.test"])) ?? ""
            #expect(forwarded.trimmingCharacters(in: .whitespacesAndNewlines) == "10.88.4.4", "the tunnel's forwarder: \(forwarded)\n\(log())")
            let steered = (try? await net.exec(in: "alice", "dig", ["+short", "+time=3", "+tries=1", "@10.66.0.1", "blocked.test"])) ?? ""
            #expect(!steered.contains("10.88.4.6"), "a rule's name must go through its exit: \(steered)")
            // Nothing but the gateway's flows reaches past gw: ICMP is not forwarded.
            let ping = (try? await net.exec(in: "alice", "ping", ["-c", "1", "-W", "2", "10.88.3.3"])) ?? ""
            #expect(!ping.contains("1 received"), "ICMP must not be forwarded: \(ping)")

            status = await api.wireGuard()
            let aliceBefore = try #require(Self.peer("alice", in: status), "\(status)")
            #expect((aliceBefore["rx_bytes"] as? Int ?? 0) > 0 && (aliceBefore["latest_handshake"] as? Int ?? 0) > 0, "\(aliceBefore)")
            #expect(status["connected"] as? Int == 1)
            // The device's bytes per peer go into the lasting counters (`GET /api/stats`).
            var traffic: [[String: Any]] = []
            #expect(await eventually(within: .seconds(20)) {
                traffic = await api.json("/scale/api/stats")["wireguard_peers"] as? [[String: Any]] ?? []
                return traffic.contains { $0["name"] as? String == "alice" && ($0["rx_bytes"] as? Int ?? 0) > 0 }
            }, "stats: \(traffic)")

            // bob, added through the API, works; alice's peer is not touched (its counters go on).
            let bob = try await Self.keyPair(net)
            let created = try await api.send("POST", "/scale/api/wireguard/peers", body: """
                {"name":"bob","public_key":"\(bob.publicKey)","private_key":"\(bob.privateKey)","allowed_ips":"10.66.0.3/32"}
                """)
            let outcome = try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any]
            #expect(outcome?["applied"] as? Bool == true, "\(created)")
            let bobConf = try await api.text("/scale/api/wireguard/peers/bob/config?endpoint=10.88.2.1")
            processes += try await Self.connect(net, host: "bob", device: "wgcb\(net.tag)", address: "10.66.0.3",
                                                conf: bobConf, kernel: kernel, in: dir)
            #expect(await eventually(within: .seconds(30)) { await Self.fetch(net, from: "bob") == "10.88.3.1" }, "bob: \(log())")
            #expect(await Self.fetch(net, from: "alice") == "10.88.3.1")
            status = await api.wireGuard()
            let aliceAfter = Self.peer("alice", in: status) ?? [:]
            #expect((aliceAfter["rx_bytes"] as? Int ?? 0) > (aliceBefore["rx_bytes"] as? Int ?? 0), "alice re-created? \(aliceAfter)")

            // Converged: a plan (another process, which sees the kernel and the device but not
            // the node's listeners) has nothing for the device, its peers or the kernel's capture.
            let plan = try await net.exec(in: "gw", nodeBinary!.path, ["plan", "--config", config.path, "--state-dir", dir.child("state").path])
            #expect(!plan.contains("wireguard:") && !plan.contains("nftables:") && !plan.contains("routes:"), "plan:\n\(plan)")
            #expect(plan.contains("wireguard engine: \(kernel ? "kernel" : "wireguard-go")\n"), "plan:\n\(plan)")

            // A hand edit of the device, and the device deleted, are repaired at the next drift check.
            try await net.exec(in: "gw", "wg", ["set", "hy2wg0", "peer", alice.publicKey, "remove"])
            #expect(await eventually(within: .seconds(30)) { Self.peer("alice", in: await api.wireGuard()) != nil }, "\(log())")
            try await net.exec(in: "gw", "ip", ["link", "del", "hy2wg0"])
            #expect(await eventually(within: .seconds(60)) { await Self.fetch(net, from: "alice") == "10.88.3.1" },
                    "after the device was deleted: \(log())")

            // Disabling the server through the API (the peers and key are kept) removes the device
            // and its capture; enabling it brings both clients back.
            let section = #"{"listen_port":51820,"private_key":"","address":"10.66.0.1/24","mtu":1420,"enabled":"#
            _ = try await api.send("PUT", "/scale/api/wireguard", body: section + "false}")
            #expect(try String(contentsOf: config, encoding: .utf8).contains("bob"), "the peers are kept")
            #expect(await eventually(within: .seconds(30)) {
                let links = (try? await net.exec(in: "gw", "ip", ["-o", "link", "show"])) ?? ""
                let table = (try? await net.exec(in: "gw", "nft", ["list", "table", "inet", "hy2scale"])) ?? ""
                return !links.contains("hy2wg0") && !table.contains("hy2wg0")
            }, "disabled: \(log())")
            _ = try await api.send("PUT", "/scale/api/wireguard", body: section + "true}")
            #expect(await eventually(within: .seconds(30)) { await Self.fetch(net, from: "alice") == "10.88.3.1" }, "\(log())")
            #expect(await eventually(within: .seconds(30)) { await Self.fetch(net, from: "bob") == "10.88.3.1" }, "\(log())")
            // alice's peer belongs to user alice: her flows are the user's session, and the user's
            // state takes the peer off the device and puts it back.
            processes.append(try net.spawn(in: "alice", ExternalTool.path("python3")!, ["-c", Self.holdConnection]))
            var sessions: [[String: Any]] = []
            #expect(await eventually(within: .seconds(20)) {
                sessions = await api.sessions()
                return sessions.contains { $0["protocol"] as? String == "wireguard" && $0["username"] as? String == "alice" }
            }, "sessions: \(sessions)")
            _ = try await api.send("PUT", "/scale/api/users/u1/toggle", body: #"{"enabled":false}"#)
            #expect(await eventually(within: .seconds(10)) {
                let gone = await !api.sessions().contains { $0["username"] as? String == "alice" }
                status = await api.wireGuard()
                return gone && Self.peer("alice", in: status) == nil
            }, "a disabled user's flows or peer stay: \(status)")
            #expect(await Self.fetch(net, from: "alice").isEmpty, "a disabled user's tunnel still carries traffic")
            #expect(await Self.fetch(net, from: "bob") == "10.88.3.1", "bob is not alice's user\n\(log())")
            _ = try await api.send("PUT", "/scale/api/users/u1/toggle", body: #"{"enabled":true}"#)
            #expect(await eventually(within: .seconds(30)) { await Self.fetch(net, from: "alice") == "10.88.3.1" }, "\(log())")
            // A kick ends her flows and keeps her peer off for a minute.
            processes.append(try net.spawn(in: "alice", ExternalTool.path("python3")!, ["-c", Self.holdConnection]))
            #expect(await eventually(within: .seconds(20)) { await api.sessions().contains { $0["username"] as? String == "alice" } })
            let kicked = try await api.send("DELETE", "/scale/api/sessions/alice%7C10.66.0.2%7Cwireguard", body: "")
            #expect(kicked.contains("ok"), "\(kicked)")
            #expect(await eventually(within: .seconds(10)) { Self.peer("alice", in: await api.wireGuard()) == nil },
                    "a kicked user's peer stays on the device")
            // An API edit answers once the reconcile it asks for has run (an unchanged value
            // reconciles too): that reconcile keeps her off.
            let reconciled = try await api.send("PUT", "/scale/api/users/u1/toggle", body: #"{"enabled":true}"#)
            let after = try JSONSerialization.jsonObject(with: Data(reconciled.utf8)) as? [String: Any]
            #expect(after?["applied"] as? Bool == true, "\(reconciled)")
            #expect(Self.peer("alice", in: await api.wireGuard()) == nil, "the kick's block lasts a minute")
            #expect(await Self.fetch(net, from: "bob") == "10.88.3.1")

            node.signal(SIGTERM)
            #expect(await node.finish() == 0, "did not stop cleanly\n\(log())")
            let links = try await net.exec(in: "gw", "ip", ["-o", "link", "show"])
            #expect(!links.contains("hy2wg0"), "devices after stop: \(links)")
            #expect(!(try await net.exec(in: "gw", "nft", ["list", "tables"])).contains("hy2scale"))
            #expect(!FileManager.default.fileExists(atPath: "/var/run/wireguard/hy2wg0.sock"))
        }
    }

    /// Brings up a client: a device (the kernel's, or wireguard-go) with the API's configuration
    /// set by `wg setconf`, the tunnel address, and routes to web and the tunnel's pool through
    /// the tunnel.
    ///
    /// - Returns: the client's engine process; none for a kernel device.
    private static func connect(_ net: NetworkNamespaces, host: String, device: String, address: String, conf: String,
                                kernel: Bool, in dir: TemporaryDirectory) async throws -> [ChildProcess] {
        let file = dir.child("\(host).conf")
        try Data(conf.utf8).write(to: file)
        let stripped = try await net.exec(in: host, "wg-quick", ["strip", file.path])
        let plain = dir.child("\(host)-plain.conf")
        try Data(stripped.utf8).write(to: plain)
        var engine: [ChildProcess] = []
        if kernel {
            try await net.exec(in: host, "ip", ["link", "add", device, "type", "wireguard"])
        } else {
            engine.append(try net.spawn(in: host, ExternalTool.path("wireguard-go")!, ["-f", device]))
            #expect(await eventually(within: .seconds(10)) {
                ((try? await net.exec(in: host, "ip", ["link", "show", device])) ?? "").contains(device)
            })
        }
        try await net.exec(in: host, "wg", ["setconf", device, plain.path])
        try await net.exec(in: host, "ip", ["addr", "add", "\(address)/32", "dev", device])
        try await net.exec(in: host, "ip", ["link", "set", device, "up"])
        // What wg-quick's default route would send through the tunnel: web, and the tunnel's pool.
        try await net.exec(in: host, "ip", ["route", "add", "10.88.3.0/24", "dev", device])
        try await net.exec(in: host, "ip", ["route", "add", "10.66.0.0/24", "dev", device])
        return engine
    }

    /// Opens a connection to web and holds it, silent, until the node ends it.
    static let holdConnection = """
        import socket
        s = socket.create_connection(("10.88.3.3", 8080), timeout=120)
        s.settimeout(120)
        s.recv(1)

        """

    /// Whether the kernel makes WireGuard devices: a throwaway one in `web`'s namespace.
    private static func kernelHasWireGuard(_ net: NetworkNamespaces) async -> Bool {
        (try? await net.exec(in: "web", "ip", ["link", "add", "wgprobe", "type", "wireguard"])) != nil
    }

    private static func fetch(_ net: NetworkNamespaces, from host: String) async -> String {
        (try? await net.exec(in: host, "curl", ["-s", "--max-time", "5", "http://10.88.3.3:8080/"])) ?? ""
    }

    private static func peer(_ name: String, in status: [String: Any]) -> [String: Any]? {
        (status["peer_status"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    private static func generateKey(_ net: NetworkNamespaces) async throws -> String {
        try await net.exec(in: "gw", "wg", ["genkey"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func keyPair(_ net: NetworkNamespaces) async throws -> (privateKey: String, publicKey: String) {
        let privateKey = try await generateKey(net)
        let publicKey = try await net.exec(in: "gw", "sh", ["-c", "echo \(privateKey) | wg pubkey"])
        return (privateKey, publicKey.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func config(serverKey: String, alice: (privateKey: String, publicKey: String)) -> String {
        """
        name: gw
        dns: 10.88.3.3
        rules:
          - id: steered
            type: domain
            targets: [blocked.test]
            exit_via: nowhere
            enabled: true
        \(TestAdmin.configLine)users:
          - id: u1
            username: alice
            password: alice-password
            enabled: true
        wireguard:
          enabled: true
          listen_port: 51820
          private_key: \(serverKey)
          address: 10.66.0.1/24
          peers:
            - name: alice
              public_key: \(alice.publicKey)
              private_key: \(alice.privateKey)
              allowed_ips: 10.66.0.2/32
              user: alice

        """
    }
}
