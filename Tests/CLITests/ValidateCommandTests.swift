import Foundation
import ScaleConfig
import TestSupport
import Testing

@Suite("hy2scale validate", .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"))
struct ValidateCommandTests {
    static let examples: [String] = {
        let root = repositoryRoot.appendingPathComponent("examples")
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "examples/\($0)" } + ["etc/hy2scale/config.yaml"]
    }()

    @Test("every example and the shipped default are valid", arguments: examples)
    func examplesAreValid(_ file: String) async throws {
        try await withTemporaryDirectory { dir in
            let path = repositoryRoot.appendingPathComponent(file).path
            let result = try await NodeProcess.run(["validate", path, "--state-dir", dir.url.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "\(path): valid\n")
        }
    }

    @Test("there are examples for a single node, a three-node mesh and users with proxies and rules")
    func examplesExist() {
        #expect(Self.examples.contains("examples/single-node.yaml"))
        #expect(Self.examples.filter { $0.hasPrefix("examples/three-node-mesh/") }.count == 3)
        #expect(Self.examples.contains("examples/users-proxies-rules.yaml"))
    }

    @Test("the shipped default is exactly the one serve writes")
    func shippedDefault() throws {
        let shipped = try String(contentsOf: repositoryRoot.appendingPathComponent("etc/hy2scale/config.yaml"),
                                 encoding: .utf8)
        #expect(shipped == DefaultConfig.text)
    }

    @Test("a broken file: every problem as FILE:LINE:COLUMN, exit status 1")
    func broken() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("config.yaml")
            try Data("""
            name: bad
            server:
              listen: 0.0.0.0:99999
              password: abc
            users:
              - id: u1
                username: alice
                password: pw1
                expiry: 2025-13-01
                enabled: yes
              - id: u1
                username: alice
                password: pw2
                exit_via: a//b
            proxies:
              - id: p
                listen: 0.0.0.0:1080
                protocol: sock5
                enabled: true
              - id: q
                listen: 0.0.0.0:1080
                enabled: true
            lisen: typo
            """.utf8).write(to: file)
            let result = try await NodeProcess.run(["validate", file.path, "--state-dir", dir.url.path])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            let places = lines.map { line in line.dropFirst(file.path.count + 1).prefix { $0 != " " } }
            #expect(places == ["3:11:", "4:13:", "9:13:", "10:14:", "11:9:", "12:15:", "14:15:", "18:15:", "21:13:", "23:1:"],
                    "\(result.stderr)")
            #expect(lines.allSatisfy { $0.hasPrefix(file.path + ":") })
            #expect(lines[2].contains("use RFC 3339 or YYYY-MM-DD"))
        }
    }

    @Test("a file that is not YAML, or missing, is refused with a position")
    func unreadable() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("config.yaml")
            try Data("name: [unclosed\n".utf8).write(to: file)
            let bad = try await NodeProcess.run(["validate", file.path, "--state-dir", dir.url.path])
            #expect(bad.status == 1)
            #expect(bad.stderr.hasPrefix("\(file.path):2:1: invalid YAML"), "\(bad.stderr)")
            let missing = try await NodeProcess.run(["validate", dir.child("nope.yaml").path])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("nope.yaml:1:1: cannot read the file"), "\(missing.stderr)")
        }
    }

    @Test("usage errors exit 64 and help lists every command")
    func usage() async throws {
        let help = try await NodeProcess.run(["--help"])
        #expect(help.status == 0)
        for command in ["serve", "validate", "plan", "version"] { #expect(help.stdout.contains(command)) }
        let wrong = try await NodeProcess.run(["validate", "--no-such-flag"])
        #expect(wrong.status == 64)
        let version = try await NodeProcess.run(["version"])
        #expect(version.stdout.hasPrefix("hy2scale "))
    }
}
