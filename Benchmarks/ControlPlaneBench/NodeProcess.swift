import Foundation
import Glibc

/// One `hy2scale serve` with its own directory, config and state, stopped with SIGTERM.
final class NodeProcess {
    let binary: String
    let directory: URL
    let port: Int
    private let process = Process()
    /// From spawning to the admin API's first answer.
    private(set) var startMilliseconds = 0.0

    var configPath: String { directory.appendingPathComponent("config.yaml").path }

    init(binary: String, config: String, port: Int, directory: URL) throws {
        self.binary = binary
        self.directory = directory
        self.port = port
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try config.write(toFile: directory.appendingPathComponent("config.yaml").path, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", configPath,
                             "--state-dir", directory.appendingPathComponent("state").path, "--log-level", "error"]
        let logPath = directory.appendingPathComponent("node.log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil),
              let log = FileHandle(forWritingAtPath: logPath) else { throw BenchFailure("cannot write \(logPath)") }
        process.standardOutput = log
        process.standardError = log
        let started = ContinuousClock.now
        try process.run()
        let probe = HTTPConnection(port: port)
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BenchFailure("\(binary) exited; see \(directory.path)/node.log") }
            if let answer = try? probe.send("GET", "/scale/api/build-id"), answer.status == 200 {
                startMilliseconds = (ContinuousClock.now - started).milliseconds
                return
            }
            usleep(5_000)
        }
        throw BenchFailure("\(binary) did not answer within 600 s")
    }

    /// Resident memory now, in MiB.
    var residentMiB: Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// Runs `body` and returns how long it took, in milliseconds.
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let started = ContinuousClock.now
    try body()
    return (ContinuousClock.now - started).milliseconds
}

/// A free TCP port on 127.0.0.1.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
