import Foundation
import Synchronization
import TestSupport

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `hy2scale` binary built next to the tests.
let nodeBinary: URL? = {
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hy2scale"),
        Bundle.main.bundleURL.appendingPathComponent("hy2scale"),
        repositoryRoot.appendingPathComponent(".build/debug/hy2scale"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// A run of `hy2scale` with its output collected as it arrives.
final class NodeProcess: Sendable {
    private let child: ChildProcess

    /// - Parameter namespace: a network namespace to run in (`ip netns exec`); the test's own
    ///   when `nil`.
    init(_ arguments: [String], namespace: String? = nil) throws {
        guard let binary = nodeBinary else { throw CLIError.binaryMissing }
        child = try ChildProcess(command: [binary.path] + arguments, namespace: namespace)
    }

    var stdout: String { child.stdout }
    var stderr: String { child.stderr }
    var isRunning: Bool { child.isRunning }

    func signal(_ signal: Int32) { child.signal(signal) }

    /// The port the listener under `key` (`ui`, `hy2`, `proxy/<id>`, `ss`) got, read from the
    /// node's `listening` log line (`bound=HOST:PORT … listener.key=KEY`); `nil` when no such
    /// line appears before the wait ends, which only stops a hang.
    func boundPort(_ key: String) async -> Int? {
        var port: Int?
        _ = await eventually {
            port = Self.boundPort(key, in: stderr)
            return port != nil
        }
        return port
    }

    static func boundPort(_ key: String, in log: String) -> Int? {
        for line in log.split(separator: "\n") where line.hasSuffix(" listening") {
            let fields = line.split(separator: " ")
            guard fields.contains(Substring("listener.key=\(key)")),
                  let bound = fields.first(where: { $0.hasPrefix("bound=") }),
                  let colon = bound.lastIndex(of: ":")
            else { continue }
            return Int(bound[bound.index(after: colon)...])
        }
        return nil
    }

    /// Waits for the process to end and for its output to drain; returns the exit status.
    func finish() async -> Int32 { await child.finish() }

    /// Runs `hy2scale arguments` to completion.
    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let node = try NodeProcess(arguments)
        let status = await node.finish()
        return (status, node.stdout, node.stderr)
    }
}

enum CLIError: Error { case binaryMissing }
