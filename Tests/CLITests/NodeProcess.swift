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

    init(_ arguments: [String]) throws {
        guard let binary = nodeBinary else { throw CLIError.binaryMissing }
        child = try ChildProcess(binary.path, arguments)
    }

    var stdout: String { child.stdout }
    var stderr: String { child.stderr }
    var isRunning: Bool { child.isRunning }

    func signal(_ signal: Int32) { child.signal(signal) }

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
