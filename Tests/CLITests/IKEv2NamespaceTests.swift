import Foundation
import Glibc
import TestSupport
import Testing

/// The IKEv2 server on a real gateway, against a real strongSwan client (charon-systemd and
/// swanctl with a configuration and VICI socket of their own), each host in its own network
/// namespace:
///
///     alice 10.88.1.10 — 10.88.1.1 gw 10.88.3.1 — 10.88.3.3 web
///
/// alice has no route to web but her tunnel; gw does not forward, so only the node's capture
/// carries her flows. The pool is 10.77.0.1/24 (clients from 10.77.0.2). On a kernel without ESP
/// the node's charon carries ESP in userspace (kernel-libipsec); on one with ESP (scripts/vm's
/// guest) the kernel does, through the node's xfrm interface. The client always uses libipsec.

@Suite("IKEv2 clients reach the node's side through the gateway",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: NetworkNamespaces.areAvailable, "needs root and iproute2 to create network namespaces"),
       .enabled(if: ["curl", "python3", "swanctl", "nft"].allSatisfy { ExternalTool.path($0) != nil }
                && FileManager.default.isExecutableFile(atPath: strongSwanClientDaemon)
                && FileManager.default.isExecutableFile(atPath: "/usr/lib/ipsec/charon"),
                "needs curl, python3, nft and strongSwan (strongswan-charon, strongswan-swanctl, charon-systemd, libcharon-extauth-plugins, libcharon-extra-plugins)"))
struct IKEv2NamespaceTests {
    @Test("EAP-MSCHAPv2 with a certificate from the node's CA and PSK connect and leave through the node; a wrong password is refused; a kick ends the tunnel",
          .timeLimit(.minutes(5)))
    func gateway() async throws {
        try await CharonTurns.take {
            try await NetworkNamespaces.with(hosts: ["alice", "gw", "web"]) { try await run(in: $0) }
        }
    }

    private func run(in net: NetworkNamespaces) async throws {
        try await withTemporaryDirectory { dir in
            var processes: [ChildProcess] = []
            defer { for process in processes where process.isRunning { process.signal(SIGKILL) } }
            let gateway = try await GatewayNode.start(net, in: dir, config: Self.config, processes: &processes)
            let node = gateway.process, api = gateway.api
            let log = { gateway.log }

            // With no cert_id, the node issues the server's certificate from a CA of its own, which
            // clients get from the API, alone or in a profile.
            let issued = try await api.send("PUT", "/scale/api/ikev2", body: Self.section(mode: "mschapv2", certificate: ""), seconds: 90)
            #expect(issued.contains(#""applied":true"#), "\(issued)\n\(log())")
            let nodeCA = try await api.text("/scale/api/ikev2/ca")
            #expect(nodeCA.contains("BEGIN CERTIFICATE"), "\(nodeCA)")
            try Data(nodeCA.utf8).write(to: dir.child("node-ca.pem"))
            try await Self.checkProfiles(api, authority: nodeCA)

            // The server's certificate, issued by a CA in the node's own TLS store.
            _ = try await api.send("POST", "/scale/api/tls/generate", body: #"{"id":"vpnca","domains":["vpn.test"],"is_ca":true}"#)
            _ = try await api.send("POST", "/scale/api/tls/sign", body: #"{"ca_id":"vpnca","id":"vpn","cn":"vpn.test","domains":["vpn.test"]}"#)
            let caPEM = try await api.text("/scale/api/tls/vpnca/pem")
            #expect(caPEM.contains("BEGIN CERTIFICATE"), "\(caPEM)")
            try Data(caPEM.utf8).write(to: dir.child("ca.pem"))
            var status: [String: Any] = [:]
            #expect(await eventually(within: .seconds(30)) {
                status = await api.json("/scale/api/ikev2")
                return status["running"] as? Bool == true
            }, "not running: \(status)\n\(log())")

            let client = try await Self.startClient(net, in: dir)
            processes.append(client.daemon)
            #expect(await client.initiate("auto") != nil, "the node's own CA was not trusted\n\(client.log())\n\(log())")
            #expect(await eventually(within: .seconds(20)) { await Self.fetch(net) == "10.88.3.1" }, "carol: \(log())")
            _ = try? await net.exec(in: "alice", "swanctl", ["--terminate", "--ike", "auto", "--uri", "unix://\(client.socket)"])

            let enabled = try await api.send("PUT", "/scale/api/ikev2", body: Self.section(mode: "mschapv2"), seconds: 90)
            #expect(enabled.contains(#""applied":true"#), "\(enabled)\n\(log())")
            #expect(await client.initiate("bad") == nil, "bob's wrong password was accepted\n\(log())")
            #expect(await client.initiate("eap") != nil, "EAP-MSCHAPv2 did not connect\n\(client.log())\n\(log())")
            var seen = ""
            #expect(await eventually(within: .seconds(20)) {
                seen = await Self.fetch(net)
                return seen == "10.88.3.1"
            }, "alice through the gateway: \(seen)\n\(log())")
            // ESP in the kernel where it has it (scripts/vm's guest): SAs bound to the node's xfrm
            // interface; else charon's userspace ESP and its TUN device.
            let device = (try? await net.exec(in: "gw", "ip", ["-d", "link", "show", "ipsec0"])) ?? ""
            let kernelESP = await Self.kernelHasESP(net)
            #expect(kernelESP || ProcessInfo.processInfo.environment["HY2SCALE_VM"] == nil, "the virtual machine's kernel has no ESP")
            #expect(device.contains(kernelESP ? "xfrm" : "tun"), "ipsec0: \(device)")
            // A held flow makes her a session: the user behind the virtual IP, as charon says.
            processes.append(try net.spawn(in: "alice", ExternalTool.path("python3")!, ["-c", WireGuardNamespaceTests.holdConnection]))
            var sessions: [[String: Any]] = []
            #expect(await eventually(within: .seconds(20)) {
                sessions = await api.sessions()
                return sessions.contains { $0["protocol"] as? String == "ikev2" && $0["username"] as? String == "alice" }
            }, "sessions: \(sessions)")

            // A kick ends her flows, her tunnel, and keeps her out for a minute.
            // Her address is the pool's next free one (carol's lease stays hers while she is offline).
            let key = sessions.first { $0["protocol"] as? String == "ikev2" && $0["username"] as? String == "alice" }?["key"] as? String ?? ""
            let kicked = try await api.send("DELETE", "/scale/api/sessions/\(key.replacingOccurrences(of: "|", with: "%7C"))", body: "")
            #expect(kicked.contains("ok"), "\(kicked)")
            #expect(await eventually(within: .seconds(10)) { await !client.isUp("eap") }, "the kicked tunnel stays\n\(log())")
            #expect(await client.initiate("eap") == nil, "a kicked user connected again at once")

            // The pre-shared key mode: anonymous clients that leave by the default exit.
            _ = try await api.send("PUT", "/scale/api/ikev2", body: Self.section(mode: "psk"), seconds: 90)
            #expect(await client.initiate("psk") != nil, "PSK did not connect\n\(client.log())\n\(log())")
            #expect(await eventually(within: .seconds(20)) { await Self.fetch(net) == "10.88.3.1" }, "PSK client: \(log())")
            // Back to EAP: the key's tunnel ends rather than pass for a user named by its identity.
            _ = try await api.send("PUT", "/scale/api/ikev2", body: Self.section(mode: "mschapv2"), seconds: 90)
            #expect(await eventually(within: .seconds(10)) { await !client.isUp("psk") }, "the PSK tunnel outlived the switch to EAP\n\(log())")

            node.signal(SIGTERM)
            #expect(await node.finish() == 0, "did not stop cleanly\n\(log())")
            let links = try await net.exec(in: "gw", "ip", ["-o", "link", "show"])
            #expect(!links.contains("ipsec0"), "charon's device after stop: \(links)")
        }
    }

    static let config = """
        name: gw
        dns: 10.88.3.3
        \(TestAdmin.configLine)users:
          - id: u1
            username: alice
            password: alice-password
            enabled: true
          - id: u2
            username: bob
            password: bob-password
            enabled: true
          - id: u3
            username: carol
            password: carol-password
            enabled: true

        """

    static func section(mode: String, certificate: String = "vpn") -> String {
        #"{"enabled":true,"mode":"\#(mode)","cert_id":"\#(certificate)","local_id":"vpn.test","pool":"10.77.0.1/24","psk":"ike-psk-secret"}"#
    }

    /// carol's profiles carry the node's CA and her identity: Apple's as a property list, strongSwan's as JSON.
    private static func checkProfiles(_ api: AdminCalls, authority: String) async throws {
        let der = try #require(Self.der(authority))
        let apple = try await api.text("/scale/api/ikev2/profiles/carol?server=vpn.test")
        let plist = try PropertyListSerialization.propertyList(from: Data(apple.utf8), format: nil) as? [String: Any]
        let payloads = plist?["PayloadContent"] as? [[String: Any]] ?? []
        #expect(payloads.first?["PayloadType"] as? String == "com.apple.security.root")
        #expect(payloads.first?["PayloadContent"] as? Data == der, "the profile's CA is not the node's")
        let ikev2 = payloads.last?["IKEv2"] as? [String: Any] ?? [:]
        #expect(ikev2["RemoteAddress"] as? String == "vpn.test" && ikev2["RemoteIdentifier"] as? String == "vpn.test")
        #expect(ikev2["AuthName"] as? String == "carol" && ikev2["AuthPassword"] as? String == "carol-password", "\(ikev2)")
        let android = try await api.text("/scale/api/ikev2/profiles/carol?format=sswan&server=vpn.test")
        let profile = try JSONSerialization.jsonObject(with: Data(android.utf8)) as? [String: Any] ?? [:]
        #expect(profile["type"] as? String == "ikev2-eap" && (profile["local"] as? [String: Any])?["eap_id"] as? String == "carol")
        #expect((profile["remote"] as? [String: Any])?["cert"] as? String == der.base64EncodedString(), "\(android)")
    }

    private static func der(_ pem: String) -> Data? {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body)
    }

    /// Whether the kernel carries ESP: iproute2 adds an ESP state in web's namespace.
    private static func kernelHasESP(_ net: NetworkNamespaces) async -> Bool {
        (try? await net.exec(in: "web", "ip", [
            "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x2000",
            "enc", "cbc(aes)", "0x00112233445566778899aabbccddeeff",
        ])) != nil
    }

    private static func fetch(_ net: NetworkNamespaces) async -> String {
        (try? await net.exec(in: "alice", "curl", ["-s", "--max-time", "5", "http://10.88.3.3:8080/"])) ?? ""
    }

    /// alice's strongSwan: ESP in userspace, and three connections to gw.
    private static func startClient(_ net: NetworkNamespaces, in dir: TemporaryDirectory) async throws -> StrongSwanClient {
        func connection(_ name: String, local: String, remote: String) -> String {
            """
                \(name) {
                    version = 2
                    remote_addrs = 10.88.1.1
                    vips = 0.0.0.0
                    encap = yes
                    local {
                        \(local)
                    }
                    remote {
                        \(remote)
                    }
                    children {
                        \(name) {
                            remote_ts = 0.0.0.0/0
                        }
                    }
                }
            """
        }
        let certificate = "auth = pubkey\n            id = vpn.test\n            cacerts = \(dir.child("ca.pem").path)"
        return try await StrongSwanClient.start(net, in: dir, userspaceESP: true, swanctl: """
            connections {
            \(connection("eap", local: "auth = eap-mschapv2\n            eap_id = alice", remote: certificate))
            \(connection("bad", local: "auth = eap-mschapv2\n            eap_id = bob", remote: certificate))
            \(connection("psk", local: "auth = psk\n            id = alice@psk", remote: "auth = psk"))
            \(connection("auto", local: "auth = eap-mschapv2\n            id = carol\n            eap_id = carol",
                         remote: "auth = pubkey\n            id = vpn.test\n            cacerts = \(dir.child("node-ca.pem").path)"))
            }
            secrets {
                eap-alice {
                    id = alice
                    secret = "alice-password"
                }
                eap-bob {
                    id = bob
                    secret = "not-bobs-password"
                }
                eap-carol {
                    id = carol
                    secret = "carol-password"
                }
                ike-psk {
                    secret = "ike-psk-secret"
                }
            }

            """)
    }
}
