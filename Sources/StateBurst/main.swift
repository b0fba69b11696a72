// StateBurst <state-dir> <flush-interval-ms>
//
// Test fixture for NodeStateTests: counts 1000 bytes at a time for user `burst` as fast as it can
// while a TrafficFlusher commits every <flush-interval-ms>, and prints `flushed <N>` after each
// flush, N being the bytes the store then holds for `burst`. It runs until killed; the test kills
// it with SIGKILL and checks that the store still holds at least the last N printed.
import Foundation
import Logging
import NodeState

/// The user whose counter the fixture bumps.
let user = "burst"

let arguments = CommandLine.arguments
guard arguments.count == 3, let milliseconds = Int(arguments[2]), milliseconds > 0 else {
    FileHandle.standardError.write(Data("usage: StateBurst <state-dir> <flush-interval-ms>\n".utf8))
    exit(2)
}

do {
    let directory = try StateDirectory(path: arguments[1])
    let counters = try TrafficCounters(store: try directory.openStore())
    var logger = Logger(label: "StateBurst")
    logger.logLevel = .warning
    let flusher = TrafficFlusher(
        counters: counters,
        interval: .milliseconds(milliseconds),
        logger: logger,
        didFlush: { _ in
            // Unbuffered write(2) to fd 1: the line is out before the next flush can start.
            let line = "flushed \(counters.committedTotal(for: user).total)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    )
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await flusher.run() }
        while !Task.isCancelled {
            counters.add(user: user, up: 1000)
            await Task.yield()
        }
    }
} catch {
    FileHandle.standardError.write(Data("StateBurst: \(error)\n".utf8))
    exit(1)
}
