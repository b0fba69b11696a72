import Foundation
import Inbounds
import NIOCore
import Testing
import TestSupport

@Suite("Exit routes at the seam", .serialized)
struct ExitRouteTests {
    /// alice with `userExit`, and a SOCKS5 listener with `listenerExit`.
    private func config(port: Int, userExit: String, fallback: String = "", listenerExit: String = "") -> String {
        """
        users:
          - id: u-alice
            username: alice
            password: secret1
            exit_via: "\(userExit)"\(fallback.isEmpty ? "" : "\n    fallback: \(fallback)")
            enabled: true
        proxies:
          - id: s1
            protocol: socks5
            listen: 127.0.0.1:\(port)
            enabled: true\(listenerExit.isEmpty ? "" : "\n    exit_via: \(listenerExit)")
        """
    }

    private func connect(port: Int, echo: EchoServer) async throws -> UInt8? {
        let client = try await RawClient.connect(port: port)
        defer { Task { await client.close() } }
        return try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port)
    }

    @Test("a user's exit through a peer that cannot be reached fails closed (DECISIONS #14)")
    func failClosed() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(config(port: 0, userExit: "jp"))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        #expect(try await connect(port: port, echo: echo) == 0x03)  // network unreachable
    }

    @Test("fallback: direct lets the flow leave here when the exit cannot be reached")
    func fallbackDirect() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(config(port: 0, userExit: "jp", fallback: "direct"))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        #expect(try await connect(port: port, echo: echo) == 0)
    }

    @Test("the listener's exit overrides the user's (DECISIONS #9)")
    func listenerOverrides() async throws {
        let echo = try await EchoServer.start()
        // The user would leave directly; the listener sends everything through jp, which is down.
        let node = try await InboundTestNode(config(port: 0, userExit: "", listenerExit: "jp"))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        #expect(try await connect(port: port, echo: echo) == 0x03)
    }
}
