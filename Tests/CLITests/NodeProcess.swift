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
    private let process: Process
    private let out = TextBuffer()
    private let err = TextBuffer()

    init(_ arguments: [String]) throws {
        guard let binary = nodeBinary else { throw CLIError.binaryMissing }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        for (pipe, buffer) in [(out, self.out), (err, self.err)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                buffer.append(String(decoding: handle.availableData, as: UTF8.self))
            }
        }
        self.process = process
        try process.run()
    }

    var stdout: String { out.value }
    var stderr: String { err.value }
    var isRunning: Bool { process.isRunning }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end and for its output to drain; returns the exit status.
    func finish() async -> Int32 {
        _ = await eventually(within: .seconds(60)) { !process.isRunning }
        _ = await eventually(within: .seconds(2)) { false }  // let the pipes drain; not a measurement
        return process.terminationStatus
    }

    /// Runs `hy2scale arguments` to completion.
    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let node = try NodeProcess(arguments)
        let status = await node.finish()
        return (status, node.stdout, node.stderr)
    }
}

enum CLIError: Error { case binaryMissing }
