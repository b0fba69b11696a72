import Foundation
import Glibc
import TestSupport
import Testing

/// Three real nodes, each in its own network namespace, joined A–B and B–C only.
@Suite("A three-node mesh across network namespaces",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: NetworkNamespaces.areAvailable, "needs root and iproute2 to create network namespaces"),
       .enabled(if: ExternalTool.path("curl") != nil && ExternalTool.path("python3") != nil, "needs curl and python3"))
struct MeshNamespaceTests {
    static let adminLogin = TestAdmin.loginBody

    @Test("a SOCKS5 user on A exits at C through B, UDP leaves at B, B's second address carries an extra connection, paths fail over when B–C is cut, and A's file edits converge",
          .timeLimit(.minutes(5)))
    func chain() async throws {
        try await NetworkNamespaces.with(hosts: ["a", "b", "c"]) { try await run(in: $0) }
    }

    private func run(in net: NetworkNamespaces) async throws {
        try await net.link("a", "10.77.1.1/24", "b", "10.77.1.2/24")
        try await net.link("a", "10.77.3.1/24", "b", "10.77.3.2/24", number: 2)  // B's second address
        try await net.link("b", "10.77.2.2/24", "c", "10.77.2.3/24")
        try await withTemporaryDirectory { dir in
            // Each of B and C has a web server on its own loopback: only that host can reach it,
            // and each says who it is.
            var processes: [ChildProcess] = []
            defer { for process in processes where process.isRunning { process.signal(SIGKILL) } }
            for host in ["b", "c"] {
                let site = dir.child("site-\(host)")
                try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
                try Data("from-\(host)".utf8).write(to: site.appendingPathComponent("who"))
                processes.append(try net.spawn(in: host, ExternalTool.path("python3")!,
                                               ["-m", "http.server", "8080", "--bind", "127.0.0.1", "--directory", site.path]))
            }
            let udpEcho = dir.child("udp-echo.py"), udpClient = dir.child("socks5-udp.py")
            try Data(Self.udpEchoScript.utf8).write(to: udpEcho)
            try Data(Self.socksUDPScript.utf8).write(to: udpClient)
            processes.append(try net.spawn(in: "b", ExternalTool.path("python3")!, [udpEcho.path]))
            let configA = dir.child("a.yaml")
            try Data(Self.nodeA(exit: "exit_via: b/c").utf8).write(to: configA)
            try Data(Self.nodeB.utf8).write(to: dir.child("b.yaml"))
            try Data(Self.nodeC.utf8).write(to: dir.child("c.yaml"))
            var nodes: [String: ChildProcess] = [:]
            for host in ["a", "b", "c"] {
                let node = try net.spawn(in: host, nodeBinary!.path, [
                    "serve", "--config", dir.child("\(host).yaml").path, "--state-dir", dir.child("state-\(host)").path,
                    "--api", "127.0.0.1:8081", "--log-level", "debug",
                ])
                nodes[host] = node
                processes.append(node)
            }
            let logs = { ["a", "b", "c"].map { "--- \($0):\n\(nodes[$0]!.stderr.suffix(3000))" }.joined(separator: "\n") }

            // Nested discovery: A sees C behind B.
            let token = try #require(await eventually(within: .seconds(30)) { await login(net) != nil } ? await login(net) : nil,
                                     "A's API never answered: \(logs())")
            var peers: [[String: Any]] = []
            let discovered = await eventually(within: .seconds(60)) {
                peers = await api(net, "peers", token: token) as? [[String: Any]] ?? []
                let b = peers.first { $0["name"] as? String == "b" }
                return (b?["children"] as? [[String: Any]])?.contains { $0["name"] as? String == "c" && $0["via"] as? String == "b" } ?? false
            }
            #expect(discovered, "A's /api/peers: \(peers)\n\(logs())")
            #expect(peers.first?["is_self"] as? Bool == true && peers.first?["name"] as? String == "a")

            let clients = await api(net, "clients", token: token) as? [[String: Any]] ?? []
            #expect(clients.first?["connected"] as? Bool == true, "GET /api/clients: \(clients)")

            // B's second address carries an extra connection.
            var topology: [[String: Any]] = []
            #expect(await eventually(within: .seconds(30)) {
                topology = await api(net, "topology", token: token) as? [[String: Any]] ?? []
                let statuses = topology.first { $0["name"] as? String == "b" }?["ip_statuses"] as? [[String: Any]] ?? []
                return statuses.count == 2 && statuses.allSatisfy { $0["status"] as? String == "online" }
            }, "A's /api/topology: \(topology)")

            // UDP crosses one hop: bob's datagrams leave at B and B's echo answers.
            var echoed = ""
            #expect(await eventually(within: .seconds(30)) {
                echoed = (try? await net.exec(in: "a", "python3", [udpClient.path])) ?? ""
                return echoed.contains("from-b:ping")
            }, "UDP through b: \(echoed)\n\(logs())")

            // exit_via b/c: the answer comes from C's loopback, which only C can reach.
            var answer = ""
            #expect(await eventually(within: .seconds(30)) {
                answer = await fetchThroughA(net)
                return answer == "from-c"
            }, "through b/c: \(answer)\n\(logs())")

            // Editing A's file converges: a disabled client is dropped and flows fail closed...
            try Data(Self.nodeA(exit: "exit_via: b/c", clientExtra: "    disabled: true").utf8).write(to: configA)
            #expect(await eventually(within: .seconds(30)) {
                let live = await api(net, "peers", token: token) as? [[String: Any]] ?? []
                return live.count == 1
            }, "b is still connected after being disabled\n\(logs())")
            answer = await fetchThroughA(net)
            #expect(answer != "from-c" && answer != "from-b", "a flow through a disabled peer must fail: \(answer)")

            // ...and with two exit paths, the first wins while it works.
            try Data(Self.nodeA(exit: "exit_paths: [b/c, b]").utf8).write(to: configA)
            #expect(await eventually(within: .seconds(60)) {
                answer = await fetchThroughA(net)
                return answer == "from-c"
            }, "through [b/c, b]: \(answer)\n\(logs())")

            // Cut B–C: the flow fails over to the second path and leaves at B.
            try await net.cut("b", from: "c")
            #expect(await eventually(within: .seconds(60)) {
                answer = await fetchThroughA(net)
                return answer == "from-b"
            }, "after cutting B–C: \(answer)\n\(logs())")
            let node = await api(net, "node", token: token) as? [String: Any]
            #expect((node?["active_paths"] as? [String: String])?["b/c"] == "b", "active_paths: \(String(describing: node))")

            for node in nodes.values { node.signal(SIGTERM) }
            for (host, node) in nodes { #expect(await node.finish() == 0, "\(host) did not stop cleanly\n\(logs())") }
        }
    }

    // MARK: helpers

    /// `who` from 127.0.0.1:8080 through A's SOCKS5 listener as alice; empty on failure.
    private func fetchThroughA(_ net: NetworkNamespaces) async -> String {
        (try? await net.exec(in: "a", "curl", [
            "-s", "--max-time", "20", "--socks5-hostname", "alice:alice-long-password@127.0.0.1:1080", "http://127.0.0.1:8080/who",
        ])) ?? ""
    }

    private func login(_ net: NetworkNamespaces) async -> String? {
        guard let body = try? await net.exec(in: "a", "curl", [
            "-s", "--max-time", "5", "-H", "Content-Type: application/json", "-d", Self.adminLogin, "http://127.0.0.1:8081/scale/api/login",
        ]), let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        return object["token"] as? String
    }

    private func api(_ net: NetworkNamespaces, _ path: String, token: String) async -> Any? {
        guard let body = try? await net.exec(in: "a", "curl", [
            "-s", "--max-time", "5", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:8081/scale/api/\(path)",
        ]) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8))
    }

    // MARK: the nodes' files

    static func nodeA(exit: String, clientExtra: String = "") -> String {
        """
        name: a
        \(TestAdmin.configLine)server:
          listen: 127.0.0.1:5565
          password: node-a-password
        clients:
          - name: b
            addr: 10.77.1.2:5565
            addrs: [10.77.1.2:5565, 10.77.3.2:5565]
            password: node-b-password
            insecure: true
        \(clientExtra)
        peers:
          b:
            nested: true
        users:
          - id: alice
            username: alice
            password: alice-long-password
            \(exit)
            enabled: true
          - id: bob
            username: bob
            password: bob-long-password
            exit_via: b
            enabled: true
        proxies:
          - id: socks
            protocol: socks5
            listen: 127.0.0.1:1080
            enabled: true

        """
    }

    /// A UDP echo on B's loopback that says who answered.
    static let udpEchoScript = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 9999))
        while True:
            data, source = s.recvfrom(65535)
            s.sendto(b"from-b:" + data, source)

        """

    /// SOCKS5 UDP ASSOCIATE as bob through A's listener; prints the echo of "ping".
    static let socksUDPScript = """
        import socket, struct
        control = socket.create_connection(("127.0.0.1", 1080), timeout=10)
        control.sendall(b"\\x05\\x01\\x02")
        assert control.recv(2) == b"\\x05\\x02"
        user, password = b"bob", b"bob-long-password"
        control.sendall(b"\\x01" + bytes([len(user)]) + user + bytes([len(password)]) + password)
        assert control.recv(2)[1] == 0
        control.sendall(b"\\x05\\x03\\x00\\x01" + bytes(4) + bytes(2))
        reply = control.recv(10)
        assert reply[1] == 0, reply
        relay = (socket.inet_ntoa(reply[4:8]), struct.unpack(">H", reply[8:10])[0])
        if relay[0] == "0.0.0.0":
            relay = ("127.0.0.1", relay[1])
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.settimeout(2)
        datagram = b"\\x00\\x00\\x00\\x01" + socket.inet_aton("127.0.0.1") + struct.pack(">H", 9999) + b"ping"
        for _ in range(5):
            udp.sendto(datagram, relay)
            try:
                print(udp.recv(65535)[10:].decode())
                break
            except socket.timeout:
                pass

        """

    static let nodeB = """
        name: b
        server:
          listen: 0.0.0.0:5565
          password: node-b-password
        clients:
          - name: c
            addr: 10.77.2.3:5565
            password: node-c-password
            insecure: true
        peers:
          c:
            nested: true

        """

    static let nodeC = """
        name: c
        exit_node: true
        server:
          listen: 0.0.0.0:5565
          password: node-c-password

        """
}
