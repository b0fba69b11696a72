import Foundation
import Glibc
import TestSupport
import Testing

/// Host routing rules on a real gateway: a LAN host, the gateway node, an exit node and a web
/// server that only the exit can reach, each in its own network namespace.
///
///     lan 10.88.1.10 — 10.88.1.1 gw 10.88.2.1 — 10.88.2.2 b 10.88.3.2 — 10.88.3.3 web
///
/// web also answers at 10.88.4.4 (the domain rule's address) and 10.88.5.5 (the TUN rule's).
@Suite("Rules capture host and LAN traffic into exits",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: NetworkNamespaces.areAvailable, "needs root and iproute2 to create network namespaces"),
       .enabled(if: ["curl", "python3", "nft", "dig", "dnsmasq", "ping", "sysctl"].allSatisfy { ExternalTool.path($0) != nil },
                "needs curl, python3, nft, dig, dnsmasq, ping and sysctl"))
struct RuleCaptureNamespaceTests {
    @Test("IP, domain and TUN rules send LAN and local traffic through the exit; toggles, drift and shutdown touch only hy2scale's objects",
          .timeLimit(.minutes(5)))
    func gateway() async throws {
        try await NetworkNamespaces.with(hosts: ["lan", "gw", "b", "web"]) { try await run(in: $0) }
    }

    private func run(in net: NetworkNamespaces) async throws {
        try await net.link("lan", "10.88.1.10/24", "gw", "10.88.1.1/24")
        try await net.link("gw", "10.88.2.1/24", "b", "10.88.2.2/24")
        try await net.link("b", "10.88.3.2/24", "web", "10.88.3.3/24")
        try await net.exec(in: "lan", "ip", ["route", "add", "default", "via", "10.88.1.1"])
        try await net.exec(in: "web", "ip", ["route", "add", "default", "via", "10.88.3.2"])
        try await net.exec(in: "web", "ip", ["addr", "add", "10.88.4.4/32", "dev", "lo"])
        try await net.exec(in: "web", "ip", ["addr", "add", "10.88.5.5/32", "dev", "lo"])
        try await net.exec(in: "b", "ip", ["route", "add", "10.88.4.0/24", "via", "10.88.3.3"])
        try await net.exec(in: "b", "ip", ["route", "add", "10.88.5.0/24", "via", "10.88.3.3"])
        // The gateway forwards its LAN's packets (into the TUN device), and has a default route
        // as a real host would: its own connections need a route before any packet is sent. b
        // does not forward, so nothing reaches web that way unless hy2scale carries it.
        try await net.exec(in: "gw", "sysctl", ["-qw", "net.ipv4.ip_forward=1"])
        try await net.exec(in: "gw", "ip", ["route", "add", "default", "via", "10.88.2.2"])
        // b resolves names with web's DNS server (`ip netns exec` reads /etc/netns/<name>/).
        let resolvConf = URL(fileURLWithPath: "/etc/netns/\(net.namespace("b"))")
        try FileManager.default.createDirectory(at: resolvConf, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: resolvConf) }
        try Data("nameserver 10.88.3.3\n".utf8).write(to: resolvConf.appendingPathComponent("resolv.conf"))
        // Someone else's table on the gateway: hy2scale must never touch it.
        try await net.exec(in: "gw", "nft", ["add table inet other; add chain inet other c { type filter hook input priority 0; }"])

        try await withTemporaryDirectory { dir in
            var processes: [ChildProcess] = []
            defer { for process in processes where process.isRunning { process.signal(SIGKILL) } }
            let echo = dir.child("who.py")
            try Data(Self.whoScript.utf8).write(to: echo)
            processes.append(try net.spawn(in: "web", ExternalTool.path("python3")!, [echo.path]))
            let (parent, dnsmasq) = try DaemonParent.wrapping(ExternalTool.path("dnsmasq")!, [
                "--no-resolv", "--no-hosts", "--keep-in-foreground", "--listen-address=10.88.3.3", "--bind-interfaces",
                "--port=53", "--address=/site.test/10.88.4.4", "--address=/alt.site.test/10.88.5.5", "--local-ttl=300",
                "--pid-file=",
            ])
            // Stopped with SIGTERM, which its parent passes on: dnsmasq drops capabilities, and
            // with them the parent-death signal that a SIGKILL of the parent would rely on.
            let resolver = try net.spawn(in: "web", parent, dnsmasq)
            defer { resolver.signal(SIGTERM) }
            let configGW = dir.child("gw.yaml")
            try Data(Self.gateway(webEnabled: true).utf8).write(to: configGW)
            try Data(Self.exitB.utf8).write(to: dir.child("b.yaml"))
            var nodes: [String: ChildProcess] = [:]
            for host in ["gw", "b"] {
                let node = try net.spawn(in: host, nodeBinary!.path, [
                    "serve", "--config", dir.child("\(host).yaml").path, "--state-dir", dir.child("state-\(host)").path,
                    "--api", "127.0.0.1:8081", "--drift-interval", "2",
                ])
                nodes[host] = node
                processes.append(node)
            }
            let logs = { ["gw", "b"].map { "--- \($0):\n\(nodes[$0]!.stderr.suffix(3000))" }.joined(separator: "\n") }
            let table = { (try? await net.exec(in: "gw", "nft", ["list", "table", "inet", "hy2scale"])) ?? "" }

            // An IP rule: the LAN host reaches a server only the exit can reach, and the server
            // sees the exit's address.
            var seen = ""
            let captured = await eventually(within: .seconds(60)) {
                seen = await fetch(net, from: "lan", "10.88.3.3")
                return seen == "10.88.3.2"
            }
            let listing = await table()
            #expect(captured, "LAN through b: \(seen)\n\(listing)\n\(logs())")
            // An upload crosses whole: what the client sends after the flow's first bytes too.
            let body = dir.child("upload.bin")
            try Data(repeating: 0x5A, count: 4 << 20).write(to: body)
            let uploaded = (try? await net.exec(in: "lan", "curl", [
                "-s", "--max-time", "20", "-H", "Expect:", "--data-binary", "@\(body.path)", "http://10.88.3.3:8080/",
            ])) ?? ""
            #expect(uploaded == "\(4 << 20)", "an upload through the capture arrived as \(uploaded) bytes")
            // UDP is captured too: a query to web's DNS server only the exit can reach.
            let overUDP = (try? await net.exec(in: "lan", "dig", ["+short", "+time=5", "+tries=2", "@10.88.3.3", "site.test"])) ?? ""
            #expect(overUDP.trimmingCharacters(in: .whitespacesAndNewlines) == "10.88.4.4", "UDP through b: \(overUDP)")
            // The gateway's own traffic is captured too.
            seen = await fetch(net, from: "gw", "10.88.3.3")
            #expect(seen == "10.88.3.2", "local through b: \(seen)")

            // A domain rule: nothing reaches its address until a lookup through the forwarder.
            #expect(await fetch(net, from: "lan", "10.88.4.4").isEmpty)
            let answer = try await net.exec(in: "lan", "dig", ["+short", "+time=5", "+tries=3", "@10.88.1.1", "www.site.test"])
            #expect(answer.trimmingCharacters(in: .whitespacesAndNewlines) == "10.88.4.4", "forwarder answered: \(answer)")
            seen = await fetch(net, from: "lan", "10.88.4.4")
            let learned = await table()
            #expect(seen == "10.88.3.2", "domain rule through b: \(seen)\n\(learned)")
            // The name in a captured request goes to the exit, which resolves it itself: b's
            // resolver says alt.site.test is 10.88.5.5, whatever address the client used.
            let reached = (try? await net.exec(in: "lan", "curl", [
                "-s", "--max-time", "5", "--resolve", "alt.site.test:8080:10.88.4.4", "http://alt.site.test:8080/to",
            ])) ?? ""
            #expect(reached == "10.88.5.5", "the exit dialled the sniffed name: \(reached)")

            // A TUN rule: raw IP packets (ICMP too) cross the mesh and leave masqueraded at b.
            seen = ""
            #expect(await eventually(within: .seconds(30)) {
                seen = await fetch(net, from: "lan", "10.88.5.5")
                return seen == "10.88.3.2"
            }, "TUN rule through b: \(seen)\n\(logs())")
            let ping = (try? await net.exec(in: "lan", "ping", ["-c", "2", "-W", "3", "10.88.5.5"])) ?? ""
            #expect(ping.contains("2 received"), "ping through the tunnel: \(ping)")
            let devices = try await net.exec(in: "b", "ip", ["-o", "link", "show"])
            #expect(devices.contains("hy2exit0"), "b's tunnel device: \(devices)")
            let api = try await AdminCalls.login(net, in: "gw")
            let listed = await api.json("/scale/api/rules")
            let rules = listed["rules"] as? [[String: Any]] ?? []
            let tunActive = Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0["tun_active"] as? Bool) })
            #expect(tunActive == ["web": false, "site": false, "tunnel": true], "GET /api/rules: \(listed)")

            // The running state converged: a plan has nothing for the kernel.
            let plan = try await net.exec(in: "gw", nodeBinary!.path, [
                "plan", "--config", configGW.path, "--state-dir", dir.child("state-gw").path,
            ])
            #expect(!plan.contains("nftables:") && !plan.contains("routes:"), "plan after convergence:\n\(plan)")

            // A hand edit inside the table is repaired at the next drift check.
            let chain = { await Self.chain("prerouting", in: table()) }
            let captureChain = await chain()
            #expect(captureChain.contains("tproxy ip to 127.0.0.1:12380"), "prerouting: \(captureChain)")
            try await net.exec(in: "gw", "nft", ["flush", "chain", "inet", "hy2scale", "prerouting"])
            var repaired = ""
            #expect(await eventually(within: .seconds(30)) {
                repaired = await chain()
                return repaired == captureChain
            }, "not repaired:\n\(repaired)")
            #expect(await fetch(net, from: "lan", "10.88.3.3") == "10.88.3.2")

            // Turning the IP rule off through the API takes its capture away and nothing else.
            let policyBefore = try await net.exec(in: "gw", "ip", ["rule", "show"])
            let outputBefore = Self.chain("output", in: await table())
            _ = try await api.send("PUT", "/scale/api/rules/web/toggle", body: #"{"enabled":false}"#)
            var toggled = ""
            #expect(await eventually(within: .seconds(30)) {
                toggled = await table()
                return !toggled.contains("captured_v4")  // web was the only address rule captured
            }, "\(toggled)")
            #expect(await fetch(net, from: "lan", "10.88.3.3").isEmpty, "a disabled rule must not capture")
            #expect(toggled.contains("r_site_v4"), "the domain rule's set must stay:\n\(toggled)")
            #expect(try String(contentsOf: configGW, encoding: .utf8).contains("enabled: false"))
            #expect(try await net.exec(in: "gw", "ip", ["rule", "show"]) == policyBefore)
            let outputAfter = Self.chain("output", in: toggled)
            #expect(outputAfter.split(separator: "\n").filter { !$0.contains("captured_v4") }
                == outputBefore.split(separator: "\n").filter { !$0.contains("captured_v4") },
                "only the web rule's lines may go:\n\(outputBefore)\n---\n\(outputAfter)")

            // Turning it back on in the file brings its capture back.
            try Data(Self.gateway(webEnabled: true).utf8).write(to: configGW)
            #expect(await eventually(within: .seconds(30)) { await fetch(net, from: "lan", "10.88.3.3") == "10.88.3.2" },
                    "the file's edit did not converge")

            // Stopping removes exactly what hy2scale made.
            for node in nodes.values { node.signal(SIGTERM) }
            for (host, node) in nodes { #expect(await node.finish() == 0, "\(host) did not stop cleanly\n\(logs())") }
            let tables = try await net.exec(in: "gw", "nft", ["list", "tables"])
            #expect(!tables.contains("hy2scale") && tables.contains("table inet other"), "tables after stop: \(tables)")
            for host in ["gw", "b"] {
                let rules = try await net.exec(in: host, "ip", ["rule", "show"])
                #expect(!rules.contains("lookup 68") && !rules.contains("lookup 69"), "\(host)'s policy rules after stop: \(rules)")
                let links = try await net.exec(in: host, "ip", ["-o", "link", "show"])
                #expect(!links.contains("hy2tun") && !links.contains("hy2exit"), "\(host)'s devices after stop: \(links)")
                let left = try await net.exec(in: host, "nft", ["list", "tables"])
                #expect(!left.contains("hy2scale"), "\(host)'s tables after stop: \(left)")
            }
        }
    }

    /// The lines of chain `name` in an `nft list table` listing.
    static func chain(_ name: String, in listing: String) -> String {
        let lines = listing.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("chain \(name) {") }) else { return "" }
        let end = lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "}" } ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n")
    }

    /// The body of `http://<address>:8080/` fetched from `host`: the address the server saw;
    /// empty on failure.
    private func fetch(_ net: NetworkNamespaces, from host: String, _ address: String) async -> String {
        (try? await net.exec(in: host, "curl", ["-s", "--max-time", "5", "http://\(address):8080/"])) ?? ""
    }

    /// An HTTP server on port 8080 that answers with the client's address (or, at `/to`, its own),
    /// and a POST with the number of body bytes that arrived.
    static let whoScript = """
        import http.server
        class Who(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                # /to: the address the client reached; anything else: the client's address.
                address = self.connection.getsockname() if self.path == "/to" else self.client_address
                body = address[0].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_POST(self):
                # The number of body bytes that arrived.
                length, got = int(self.headers.get("Content-Length", "0")), 0
                while got < length:
                    chunk = self.rfile.read(min(65536, length - got))
                    if not chunk:
                        break
                    got += len(chunk)
                body = str(got).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("0.0.0.0", 8080), Who).serve_forever()

        """

    static func gateway(webEnabled: Bool) -> String {
        """
        name: gw
        \(TestAdmin.configLine)clients:
          - name: b
            addr: 10.88.2.2:5565
            password: node-b-password
            insecure: true
        dns: 10.88.3.3
        dns_resolver:
          listen: 10.88.1.1:53
        rules:
          - id: web
            type: ip
            targets: [10.88.3.0/24]
            exit_via: b
            enabled: \(webEnabled)
          - id: site
            type: domain
            targets: [site.test]
            exit_via: b
            enabled: true
          - id: tunnel
            type: ip
            targets: [10.88.5.0/24]
            exit_via: b
            use_tun: true
            enabled: true

        """
    }

    static let exitB = """
        name: b
        server:
          listen: 0.0.0.0:5565
          password: node-b-password

        """
}
