import Foundation
import Glibc
import TestSupport
import Testing

/// The L2TP/IPsec server on a real gateway, against a real client (charon-systemd for IKEv1 and
/// transport-mode ESP, xl2tpd as the LAC, pppd with MSCHAPv2), each host in its own network
/// namespace:
///
///     alice 10.88.1.10 — 10.88.1.1 gw 10.88.3.1 — 10.88.3.3 web
///
/// alice has no route to web but her PPP link; gw does not forward, so only the node's capture
/// carries her flows. The pool is 10.66.0.1/24 (clients from 10.66.0.2). It needs the kernel's
/// PPP over L2TP and ESP, which scripts/vm's guest has; on a kernel without them the server
/// reports itself not running, with the reason, and that is what is checked.
@Suite("L2TP/IPsec clients reach the node's side through the gateway",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: NetworkNamespaces.areAvailable, "needs root and iproute2 to create network namespaces"),
       .enabled(if: ["curl", "python3", "swanctl", "nft"].allSatisfy { ExternalTool.path($0) != nil }
                && [strongSwanClientDaemon, "/usr/lib/ipsec/charon", "/usr/sbin/xl2tpd", "/usr/sbin/pppd"].allSatisfy {
                    FileManager.default.isExecutableFile(atPath: $0)
                },
                "needs curl, python3, nft, strongSwan (strongswan-charon, strongswan-swanctl, charon-systemd), xl2tpd and ppp"))
struct L2TPNamespaceTests {
    @Test("a client calls with MSCHAPv2 over IPsec and leaves through the node; a wrong password is refused; a kick hangs up; a kernel without PPP or ESP is reported",
          .timeLimit(.minutes(5)))
    func gateway() async throws {
        try await CharonTurns.take {
            try await NetworkNamespaces.with(hosts: ["alice", "gw", "web"]) { try await run(in: $0) }
        }
    }

    private func run(in net: NetworkNamespaces) async throws {
        let hostSecrets = try? String(contentsOfFile: "/etc/ppp/chap-secrets", encoding: .utf8)
        try await withTemporaryDirectory { dir in
            var processes: [ChildProcess] = []
            defer { for process in processes where process.isRunning { process.signal(SIGKILL) } }
            let gateway = try await GatewayNode.start(net, in: dir, config: IKEv2NamespaceTests.config, processes: &processes)
            let node = gateway.process, api = gateway.api
            let log = { gateway.log }

            // Applied wholly where the kernel can carry it; else the failures say why.
            let enabled = try await api.send("PUT", "/scale/api/l2tp", body: Self.section, seconds: 90)
            #expect(enabled.contains(#""status":"ok""#), "\(enabled)\n\(log())")
            var status: [String: Any] = [:]
            let running = await eventually(within: .seconds(30)) {
                status = await api.json("/scale/api/l2tp")
                return status["running"] as? Bool == true || (status["reason"] as? String ?? "").contains("kernel")
            }
            #expect(running, "neither running nor a reason: \(status)\n\(log())")
            guard status["running"] as? Bool == true else {
                #expect(enabled.contains("PPP over L2TP") || enabled.contains("ESP"), "\(enabled)")
                // A kernel without PPP over L2TP or without ESP (this host's): said, never a crash loop.
                #expect(ProcessInfo.processInfo.environment["HY2SCALE_VM"] == nil, "the virtual machine cannot run L2TP: \(status)")
                let reason = status["reason"] as? String ?? ""
                #expect(reason.contains("PPP over L2TP") || reason.contains("ESP"), "\(status)")
                #expect(node.isRunning, "the node ended\n\(log())")
                node.signal(SIGTERM)
                #expect(await node.finish() == 0, "did not stop cleanly\n\(log())")
                return
            }
            #expect(enabled.contains(#""applied":true"#), "\(enabled)\n\(log())")
            // L2TP only inside IPsec: without it a call, and the password's challenge, would cross in the clear.
            let table = try await net.exec(in: "gw", "nft", ["list", "table", "inet", "hy2scale"])
            #expect(table.contains("udp dport 1701 meta ipsec missing drop"), "\(table)")
            // pppd's secrets are the node's, seen only by its xl2tpd: the host's file is as it was.
            #expect((try? String(contentsOfFile: "/etc/ppp/chap-secrets", encoding: .utf8)) == hostSecrets,
                    "the host's /etc/ppp/chap-secrets changed")

            let client = try await Self.startClient(net, in: dir)
            processes.append(client.ipsec.daemon)
            #expect(await client.ipsec.initiate("l2tp") != nil, "IPsec did not come up\n\(client.ipsec.log())\n\(log())")
            processes.append(client.lac)
            // bob's password is wrong: pppd refuses him, and no link comes up.
            #expect(await !client.call("bob", device: "ppp6", within: .seconds(10)), "bob's wrong password was accepted\n\(log())")
            // One client host has one tunnel: bob's goes before alice's comes (the kernel's L2TP
            // tells a host's tunnels apart by address and port only).
            client.send("d bob")
            #expect(await eventually(within: .seconds(15)) {
                ((try? await net.exec(in: "gw", "ip", ["l2tp", "show", "tunnel"])) ?? "x").isEmpty
            }, "bob's tunnel stays\n\(log())")
            #expect(await client.call("alice", device: "ppp5"), "no PPP link\n\(client.lac.stderr.suffix(3000))\n\(log())")
            var seen = ""
            #expect(await eventually(within: .seconds(20)) {
                seen = await Self.fetch(net)
                return seen == "10.88.3.1"
            }, "alice through the gateway: \(seen)\n\(log())")

            // A held flow makes her a session: the user pppd authenticated for her address.
            processes.append(try net.spawn(in: "alice", ExternalTool.path("python3")!, ["-c", WireGuardNamespaceTests.holdConnection]))
            var sessions: [[String: Any]] = []
            #expect(await eventually(within: .seconds(20)) {
                sessions = await api.sessions()
                return sessions.contains { $0["protocol"] as? String == "l2tp" && $0["username"] as? String == "alice" }
            }, "sessions: \(sessions)")

            // A kick ends her flows and hangs up her call.
            let kicked = try await api.send("DELETE", "/scale/api/sessions/alice%7C10.66.0.2%7Cl2tp", body: "")
            #expect(kicked.contains("ok"), "\(kicked)")
            #expect(await eventually(within: .seconds(15)) { await !client.isLinked("ppp5") }, "the kicked call stays\n\(log())")

            // The node's xl2tpd goes with it.
            let daemon = (try? String(contentsOfFile: dir.child("state/l2tp/xl2tpd.pid").path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            #expect(!daemon.isEmpty, "xl2tpd wrote no pid file")
            node.signal(SIGTERM)
            #expect(await node.finish() == 0, "did not stop cleanly\n\(log())")
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(daemon)"), "xl2tpd \(daemon) outlived the node")
        }
    }

    static let section = #"{"enabled":true,"listen":"1701","pool":"10.66.0.1/24","psk":"l2tp-psk-secret"}"#

    private static func fetch(_ net: NetworkNamespaces) async -> String {
        (try? await net.exec(in: "alice", "curl", ["-s", "--max-time", "5", "http://10.88.3.3:8080/"])) ?? ""
    }

    /// alice's side: charon with kernel ESP in transport mode for L2TP's port, and xl2tpd with a
    /// pppd per call that authenticates with MSCHAPv2 only: as alice, or as bob with a wrong
    /// password.
    private static func startClient(_ net: NetworkNamespaces, in dir: TemporaryDirectory) async throws -> Client {
        let ipsec = try await StrongSwanClient.start(net, in: dir, userspaceESP: false, swanctl: """
            connections {
                l2tp {
                    version = 1
                    remote_addrs = 10.88.1.1
                    encap = yes
                    local {
                        auth = psk
                    }
                    remote {
                        auth = psk
                    }
                    children {
                        l2tp {
                            mode = transport
                            local_ts = dynamic[udp/1701]
                            remote_ts = dynamic[udp/1701]
                        }
                    }
                }
            }
            secrets {
                ike-l2tp {
                    secret = "l2tp-psk-secret"
                }
            }

            """)
        for (user, password, unit) in [("alice", "alice-password", 5), ("bob", "not-bobs-password", 6)] {
            try Data("""
            name \(user)
            password \(password)
            noauth
            refuse-pap
            refuse-chap
            refuse-mschap
            refuse-eap
            noccp
            defaultroute
            ipcp-accept-local
            ipcp-accept-remote
            mtu 1280
            mru 1280
            unit \(unit)

            """.utf8).write(to: dir.child("client-\(user).options"))
        }
        let conf = dir.child("client-xl2tpd.conf")
        try Data("""
            [global]
            port = 1701
            access control = no

            \(["alice", "bob"].map { user in
                """
                [lac \(user)]
                lns = 10.88.1.1
                require authentication = no
                refuse pap = yes
                name = \(user)
                pppoptfile = \(dir.child("client-\(user).options").path)
                length bit = yes

                """
            }.joined())

            """.utf8).write(to: conf)
        try Data().write(to: dir.child("client-l2tp-secrets"))
        let control = dir.child("client-control").path
        let lac = try net.spawn(in: "alice", "/usr/sbin/xl2tpd", [
            "-D", "-c", conf.path, "-s", dir.child("client-l2tp-secrets").path, "-p", dir.child("client-xl2tpd.pid").path, "-C", control,
        ])
        return Client(net: net, ipsec: ipsec, lac: lac, control: control)
    }

    /// alice's IPsec and her L2TP access concentrator.
    private struct Client {
        let net: NetworkNamespaces
        let ipsec: StrongSwanClient
        let lac: ChildProcess
        let control: String

        /// Asks xl2tpd to call the node as `user`; true once the call's PPP link has an address.
        func call(_ user: String, device: String, within limit: Duration = .seconds(30)) async -> Bool {
            guard await eventually(within: .seconds(10), { FileManager.default.fileExists(atPath: control) }) else { return false }
            send("c \(user)")
            return await eventually(within: limit) { await isLinked(device) }
        }

        /// A command to xl2tpd's control pipe: `c LAC` calls, `d LAC` ends the tunnel.
        func send(_ command: String) {
            guard let pipe = FileHandle(forWritingAtPath: control) else { return }
            pipe.write(Data((command + "\n").utf8))
            try? pipe.close()
        }

        func isLinked(_ device: String) async -> Bool {
            ((try? await net.exec(in: "alice", "ip", ["-4", "-o", "address", "show", "dev", device])) ?? "").contains("10.66.0.")
        }
    }
}
