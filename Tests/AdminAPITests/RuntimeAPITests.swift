import Foundation
import HTTPTypes
import Logging
import NodeState
import Synchronization
import TestSupport
import Testing

@Suite("Runtime, layout and host endpoints")
struct RuntimeAPITests {
    static let config = """
    name: gw
    server:
      listen: 127.0.0.1:5565
      password: node-password
    clients:
      - name: jp
        addr: jp.example.com:5565
        password: jp-password
    """

    @Test("status lists each bound listener with the address the config gives and the one it got")
    func statusListsListeners() async throws {
        let node = try APITestNode(config: Self.config)
        node.listeners.record(BoundListener(key: "proxy/s1", listen: "127.0.0.1:0", host: "127.0.0.1", port: 41237),
                              logger: Logger(label: "test"))
        try await node.test { api in
            let token = try await api.login()
            let listeners = try await api.call(.get, "status", token: token).object["listeners"] as? [[String: Any]] ?? []
            #expect(listeners.count == 1)
            #expect(listeners.first?["key"] as? String == "proxy/s1" && listeners.first?["listen"] as? String == "127.0.0.1:0")
            #expect(listeners.first?["bound"] as? String == "127.0.0.1:41237" && listeners.first?["port"] as? Int == 41237)
        }
    }

    @Test("peers list self first; topology adds configured peers, not connected; nothing is invented")
    func peersAndTopology() async throws {
        try await APITestNode(config: Self.config).test { api in
            let token = try await api.login()
            let peers = try await api.call(.get, "peers", token: token).json as? [[String: Any]] ?? []
            #expect(peers.count == 1)
            #expect(peers.first?["name"] as? String == "gw" && peers.first?["is_self"] as? Bool == true)
            #expect(peers.first?["direction"] as? String == "local")
            let topology = try await api.call(.get, "topology", token: token).json as? [[String: Any]] ?? []
            #expect(topology.map { $0["name"] as? String } == ["gw", "jp"])
            #expect(topology[1]["connected"] as? Bool == false && topology[1]["latency_ms"] as? Int == -1)
            #expect(topology[0]["exit_node"] as? Bool == true, "exit_node defaults to true")
            #expect(topology[1]["disabled"] as? Bool == false)
            #expect(try await api.call(.put, "peers/jp/disable", token: token, body: api.json(["disabled": true])).status == .ok)
            let flagged = try await api.call(.get, "topology", token: token).json as? [[String: Any]] ?? []
            #expect(flagged.count == 2 && flagged[1]["disabled"] as? Bool == true, "the peer flag shows too")
            let stats = try await api.call(.get, "stats", token: token).object
            #expect(stats["tx_bytes"] as? Int == 0 && stats["rx_bytes"] as? Int == 0)
            let sessions = try await api.call(.get, "sessions", token: token).object
            #expect(sessions["total"] as? Int == 0)
            #expect(try await api.call(.delete, "sessions/alice%7C1.2.3.4%7Csocks5", token: token).status == .notFound)
            let unreachable = try await api.call(.get, "peers/jp/peers", token: token)
            #expect(unreachable.status == .badRequest && (unreachable.object["error"] as? String ?? "").contains("not connected"))
            #expect(try await api.call(.get, "internal/peers").json as? [Any] != nil, "public, and empty")
        }
    }

    @Test("check-ports says which ports are free on the host")
    func checkPorts() async throws {
        try await APITestNode(config: Self.config).test { api in
            let token = try await api.login()
            let answer = try await api.call(.post, "check-ports", token: token, body: api.json(["ports": [api.port, 1]]))
            #expect(answer.status == .ok, "\(answer.body)")
            let results = answer.object["results"] as? [String: Bool] ?? [:]
            #expect(results[String(api.port)] == false, "the API's own port is taken")
            #expect(try await api.call(.post, "check-ports", token: token, body: api.json(["ports": [70000]])).status == .badRequest)
            #expect(try await api.call(.post, "check-ports", token: token, body: "[5565]").status == .badRequest)
        }
    }

    @Test("build id is public and stable; build info names the native libraries")
    func build() async throws {
        try await APITestNode(config: Self.config).test { api in
            let id = try await api.call(.get, "build-id")
            #expect((id.object["build_id"] as? String)?.count == 16)
            #expect(id.headers[.cacheControl]?.contains("no-store") == true)
            let info = try await api.call(.get, "build-info", token: try await api.login()).object
            let natives = (info["natives"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(natives.contains("libyaml") && natives.contains("sqlite3"))
        }
    }

    @Test("graph layout: PUT replaces, GET returns the bare map, every stream gets the snapshot then each change",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs curl to read the event stream"))
    func layout() async throws {
        try await APITestNode(config: Self.config).test { api in
            let token = try await api.login()
            #expect(try await api.call(.put, "graph-layout", token: token, body: api.json(["gw": ["x": 1, "y": 2]])).status == .ok)
            let map = try await api.call(.get, "graph-layout", token: token).object
            #expect((map["gw"] as? [String: Any])?["x"] as? Double == 1)

            let url = "http://127.0.0.1:\(api.port)/scale/api/graph-layout/stream?token=\(token)"
            let streams = try (0..<2).map { _ in try CurlStream(url: url) }
            defer { streams.forEach { $0.stop() } }
            for stream in streams {
                #expect(await eventually { stream.output.contains("data: {\"gw\":{\"x\":1,\"y\":2}}") }, "\(stream.output)")
            }
            #expect(try await api.call(.put, "graph-layout", token: token, body: api.json(["jp": ["x": -3.5, "y": 0]])).status == .ok)
            for stream in streams {
                #expect(await eventually { stream.output.contains("data: {\"jp\":{\"x\":-3.5,\"y\":0}}") }, "\(stream.output)")
            }
            #expect(try await api.call(.put, "graph-layout", token: token, body: "{\"a\": 5}").status == .badRequest)
        }
    }
}

/// `curl -N` reading an event stream, with its output collected as it arrives.
final class CurlStream: Sendable {
    private let process: Process
    private let text = TextBuffer()

    init(url: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        self.process = process
        try process.run()
        PipeReader.start(pipe, into: text)
    }

    var output: String { text.value }
    func stop() { process.terminate() }
}
