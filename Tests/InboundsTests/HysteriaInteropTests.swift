import Access
import Foundation
import Inbounds
import NIOCore
import NodeState
import Testing
import TestSupport

/// Real Hysteria 2 clients, nobody here wrote, through our server: the official client and
/// sing-box, TCP and UDP, with and without Salamander, as a peer and as a user.
@Suite("Hysteria 2 server with real clients", .serialized, .timeLimit(.minutes(2)))
struct HysteriaInteropTests {
    enum Client: String, CustomStringConvertible, CaseIterable {
        case official, singBox
        var description: String { rawValue }
    }

    struct Case: CustomStringConvertible, Sendable {
        var client: Client
        var auth: String
        var obfuscation: String?
        var user: String?
        var description: String { "\(client) as \(user ?? "peer")\(obfuscation == nil ? "" : " with salamander")" }
    }

    static let cases: [Case] = [
        Case(client: .official, auth: "node-secret-1"),
        Case(client: .official, auth: "alice:alice-pass-1", user: "u-alice"),
        Case(client: .official, auth: "node-secret-1", obfuscation: "obfs-secret"),
        Case(client: .singBox, auth: "alice-pass-1", user: "u-alice"),
        Case(client: .singBox, auth: "node-secret-1", obfuscation: "obfs-secret"),
    ]

    @Test("the official client relays TCP and UDP",
          .enabled(if: ExternalTool.hysteriaPython != nil && ExternalTool.path("curl") != nil, "needs the official client (PyPI hysteria2) and curl"),
          arguments: cases.filter { $0.client == .official })
    func official(_ testCase: Case) async throws {
        try await relays(testCase)
    }

    @Test("sing-box's client relays TCP and UDP",
          .enabled(if: ExternalTool.singBox != nil && ExternalTool.path("curl") != nil, "needs sing-box and curl"),
          arguments: cases.filter { $0.client == .singBox })
    func singBox(_ testCase: Case) async throws {
        try await relays(testCase)
    }

    private func relays(_ testCase: Case) async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0, obfuscation: testCase.obfuscation))
        let port = try node.port("hy2")
        let target = try await ByteServer.start()
        let echo = try await UDPEchoServer.start()
        let directory = try TemporaryDirectory()
        let start = testCase.client == .official ? officialHysteriaClient : singBoxHysteriaClient
        let (client, tcpEntry, udpEntry) = try await start(port, testCase.auth, testCase.obfuscation, target.port, echo.port, directory)
        let udp = try await UDPClient.open()
        defer { Task { await udp.close(); await client.stop(); await echo.stop(); await target.stop(); await node.stop(); directory.remove() } }

        var download: (status: Int32, stdout: String, stderr: String) = (1, "", "")
        _ = await eventually(within: .seconds(20)) {
            download = (try? await ChildProcess.run(ExternalTool.path("curl")!, [
                "-sS", "--max-time", "30", "-o", "/dev/null", "-w", "%{size_download}",
                "http://127.0.0.1:\(tcpEntry)/bytes/3000000",
            ])) ?? (1, "", "")
            return download.stdout == "3000000"
        }
        #expect(download.stdout == "3000000", "curl: \(download.stderr) client: \(client.stderr.suffix(2000))")

        let delivered = await eventually(within: .seconds(10)) {
            try? await udp.send(Array("hy2-udp".utf8), to: udpEntry)
            return await eventually(within: .milliseconds(300)) { !udp.received.isEmpty }
        }
        #expect(delivered, "no UDP echo through hy2; client: \(client.stderr.suffix(2000))")
        #expect(udp.received.first == Array("hy2-udp".utf8))
        if let user = testCase.user {
            #expect(await eventually { node.counters.total(for: user).down >= 3_000_000 })
            #expect(node.gate.sessions().contains { $0.key == "alice|127.0.0.1|hy2" })
        }
    }

    @Test("the official client with a wrong password is told 404 and gives up",
          .enabled(if: ExternalTool.hysteriaPython != nil, "needs the official client (PyPI hysteria2)"))
    func wrongPassword() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0, usersMayLogIn: false))
        let port = try node.port("hy2")
        let directory = try TemporaryDirectory()
        defer { Task { await node.stop(); directory.remove() } }
        // With users barred from hy2 (hy2_user_auth: false), even alice's right password is refused.
        for auth in ["wrong-password", "alice:alice-pass-1"] {
            let client = try refusedOfficialHysteriaClient(server: port, auth: auth, in: directory)
            let status = await client.finish(within: .seconds(30))
            #expect(status != 0)
            #expect(client.stderr.contains("authentication error, HTTP status code: 404"), "client: \(client.stderr.suffix(2000))")
        }
    }
}
