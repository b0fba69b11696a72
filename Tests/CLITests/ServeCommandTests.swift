import Foundation
import Glibc
import NodeState
import TestSupport
import Testing
import YAMLDocument

@Suite("hy2scale serve and plan", .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"))
struct ServeCommandTests {
    func serve(_ dir: TemporaryDirectory) throws -> NodeProcess {
        try NodeProcess(["serve", "--config", dir.child("etc/config.yaml").path,
                         "--state-dir", dir.child("state").path, "--log-level", "debug", "--api", "127.0.0.1:0"])
    }

    func secrets(_ dir: TemporaryDirectory) throws -> (String?, String?) {
        let text = try String(contentsOf: dir.child("etc/config.yaml"), encoding: .utf8)
        let value = try YAMLDocument(parsing: text).value
        guard case .string(let password)? = value["server"]?["password"],
              case .string(let key)? = value["wireguard"]?["private_key"] else { return (nil, nil) }
        return (password, key)
    }

    @Test("first start writes a commented default with generated secrets, which survive a restart")
    func firstStart() async throws {
        try await withTemporaryDirectory { dir in
            let node = try serve(dir)
            #expect(await eventually { node.stderr.contains("config accepted") }, "\(node.stderr)")
            node.signal(SIGTERM)
            #expect(await node.finish() == 0, "\(node.stderr)")
            #expect(node.stderr.contains("node stopped"))

            let text = try String(contentsOf: dir.child("etc/config.yaml"), encoding: .utf8)
            #expect(text.hasPrefix("# hy2scale node configuration."))
            let (password, key) = try secrets(dir)
            #expect(password?.count == 24)
            #expect(key?.count == 44)
            let nodeID = try String(contentsOf: dir.child("state/node-id"), encoding: .utf8)
            #expect(nodeID.count == 8)
            #expect(FileManager.default.fileExists(atPath: dir.child("state/tls/default.crt").path))

            let again = try serve(dir)
            #expect(await eventually { again.stderr.contains("config accepted") })
            again.signal(SIGINT)
            #expect(await again.finish() == 0)
            #expect(try secrets(dir) == (password, key))
            #expect(try String(contentsOf: dir.child("state/node-id"), encoding: .utf8) == nodeID)
        }
    }

    @Test("a change written by rename is applied; an invalid file is refused and the old config stays")
    func watchesTheFile() async throws {
        try await withTemporaryDirectory { dir in
            let node = try serve(dir)
            #expect(await eventually { node.stderr.contains("config accepted") })
            let file = dir.child("etc/config.yaml")
            let original = try String(contentsOf: file, encoding: .utf8)

            var editor = try YAMLEditor(original)
            try editor.set(["name"], to: .string("renamed"))
            let revision = try writeByRename(editor.text, to: file)
            #expect(await eventually { node.stderr.contains("config.revision=\(revision)") }, "\(node.stderr)")

            _ = try writeByRename(editor.text + "server_typo: 1\n", to: file)
            #expect(await eventually { node.stderr.contains("config refused") }, "\(node.stderr)")
            #expect(node.stderr.contains("unknown key"))
            #expect(node.isRunning)

            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }

    @Test("SIGHUP asks for a reconcile and does not stop the node")
    func sighup() async throws {
        try await withTemporaryDirectory { dir in
            let node = try serve(dir)
            #expect(await eventually { node.stderr.contains("reconcile finished") }, "\(node.stderr)")
            node.signal(SIGHUP)
            // A run after the request, told apart from the drift timer's runs by the order of lines.
            let answered = {
                node.stderr.components(separatedBy: "SIGHUP: reconcile requested").dropFirst().first?.contains("reconcile finished") == true
            }
            #expect(await eventually { answered() }, "\(node.stderr)")
            #expect(node.isRunning)
            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }

    @Test("runtime fields of a v1.3 file move to the state directory and leave the file")
    func v13RuntimeFields() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("etc/config.yaml")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("""
            name: old
            server:
              listen: 0.0.0.0:5565
              password: v13-node-password
            users:
              - id: a1
                username: alice
                password: alice-password
                traffic_used: 123456   # counted by v1.3
                enabled: true
            graph_layout:
              old: {x: 1.5, y: -2}
            """.utf8).write(to: file)
            let node = try serve(dir)
            #expect(await eventually { node.stderr.contains("config accepted") }, "\(node.stderr)")
            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("traffic_used") && !text.contains("graph_layout"), "\(text)")
            #expect(text.contains("    username: alice\n    password: alice-password\n    enabled: true\n"))
            let store = try StateStore(url: dir.child("state/state.db"))
            #expect(try store.traffic(for: "a1").total == 123_456)
            #expect(try store.graphLayout() == ["old": LayoutPosition(x: 1.5, y: -2)])
        }
    }

    @Test("plan prints the changes and exits 0; an invalid file exits 1")
    func plan() async throws {
        try await withTemporaryDirectory { dir in
            let config = repositoryRoot.appendingPathComponent("examples/single-node.yaml").path
            let good = try await NodeProcess.run(["plan", "--config", config, "--state-dir", dir.url.path])
            #expect(good.status == 0, "\(good.stderr)")
            // Listeners and the access policy live in the serving process: plan shows them wanted.
            #expect(good.stdout.contains("access: + access policy: 1 users (1 enabled)"), "\(good.stdout)")
            let broken = dir.child("broken.yaml")
            try Data("name: [\n".utf8).write(to: broken)
            let bad = try await NodeProcess.run(["plan", "--config", broken.path, "--state-dir", dir.url.path])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("broken.yaml:2:1"))
        }
    }

    /// Writes like git does (new file renamed over the old); returns the content's revision.
    func writeByRename(_ text: String, to url: URL) throws -> String {
        let temp = url.deletingLastPathComponent().appendingPathComponent(".config.yaml.tmp")
        try Data(text.utf8).write(to: temp)
        guard rename(temp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return ScaleConfigRevision.of(text)
    }
}

import ScaleConfig

enum ScaleConfigRevision {
    static func of(_ text: String) -> String { ConfigFile.revision(of: Data(text.utf8)) }
}
