import TestSupport
import Foundation
import NodeState
import Synchronization
import Testing

/// Where the `StateBurst` fixture was built, if it can be found: next to the test bundle
/// (`.build/<config>/`), found through the running executable, or under the package's `.build`.
enum StateBurstBinary {
    static let url: URL? = {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL {
            directories.append(executable.deletingLastPathComponent())
        }
        directories.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        // <package>/Tests/NodeStateTests/KillTests.swift -> <package>/.build/debug
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directories.append(package.appendingPathComponent(".build/debug"))
        for directory in directories {
            // The test bundle may sit in a `.xctest` folder on some platforms; look beside it too.
            for candidate in [directory, directory.deletingLastPathComponent()] {
                let binary = candidate.appendingPathComponent("StateBurst")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            }
        }
        return nil
    }()
}

/// Splits a byte stream into lines.
private struct LineSplitter {
    private var buffer: [UInt8] = []

    mutating func feed(_ bytes: Data) -> [String] {
        buffer.append(contentsOf: bytes)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
            buffer.removeSubrange(...newline)
        }
        return lines
    }
}

@Suite("Crash safety")
struct KillTests {
    @Test("kill -9 loses nothing a flush committed: the store holds at least the last total printed",
          .enabled(if: StateBurstBinary.url != nil, "the StateBurst fixture was not found next to the test bundle; run `swift build --product StateBurst`"),
          .timeLimit(.minutes(2)))
    func killNine() async throws {
        let binary = try #require(StateBurstBinary.url)
        try await withTemporaryDirectory { tmp in
            let stateDirectory = tmp.child("state")
            let process = Process()
            process.executableURL = binary
            process.arguments = [stateDirectory.path, "100"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError

            let (lines, lineSink) = AsyncStream.makeStream(of: String.self)
            let splitter = LockedSplitter()
            try process.run()
            PipeReader.start(output, chunk: { for line in splitter.feed($0) { lineSink.yield(line) } }, ended: { lineSink.finish() })
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            // Wait for five flushes; the deadline only stops a hang, it asserts nothing about speed.
            let lastFlushed: UInt64? = try await withThrowingTaskGroup { group in
                group.addTask {
                    var seen: [UInt64] = []
                    for await line in lines {
                        let parts = line.split(separator: " ")
                        guard parts.count == 2, parts[0] == "flushed", let value = UInt64(parts[1]) else {
                            Issue.record("unexpected output line \(line.debugDescription)")
                            continue
                        }
                        seen.append(value)
                        if seen.count >= 5 { break }
                    }
                    #expect(seen == seen.sorted(), "committed totals only grow")
                    return seen.count >= 5 ? seen.last : nil
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            let last = try #require(lastFlushed, "StateBurst printed fewer than 5 flushes before the deadline")

            #expect(kill(process.processIdentifier, SIGKILL) == 0)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == SIGKILL)

            let store = try StateStore(url: try StateDirectory(path: stateDirectory.path).databaseURL)
            let stored = try store.traffic(for: "burst").total
            #expect(stored >= last, "store holds \(stored) bytes, but \(last) were reported committed before kill -9")
            #expect(stored % 1000 == 0)
        }
    }
}

/// A ``LineSplitter`` shared with the pipe's reading thread.
private final class LockedSplitter: Sendable {
    private let splitter = Mutex(LineSplitter())

    func feed(_ data: Data) -> [String] {
        splitter.withLock { $0.feed(data) }
    }
}
