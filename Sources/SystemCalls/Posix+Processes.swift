public import CSystemShim  // pid_t comes through it
import Glibc

/// How a child process ended, as `waitpid(2)` reports it.
public enum ChildExit: Hashable, Sendable, CustomStringConvertible {
    case exited(status: Int32)
    case signalled(Int32)

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }
}

extension Posix {
    /// Starts `path` with `arguments` (not counting `argv[0]`, which is `path`) and exactly the
    /// environment `environment`, in a session of its own, standard input from `/dev/null`,
    /// output shared with this process and no other descriptor of it. Returns the child's pid.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws(SystemCallError) -> pid_t {
        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvPointer in
            (envp + [nil]).withUnsafeBufferPointer { envpPointer in
                CSystemShim_spawn(&pid, path, argvPointer.baseAddress, envpPointer.baseAddress)
            }
        }
        guard result == 0 else { throw SystemCallError(call: "posix_spawn", errno: result) }
        return pid
    }

    /// `kill(2)`.
    public static func kill(_ pid: pid_t, _ signal: Int32) throws(SystemCallError) {
        try syscall("kill") { Glibc.kill(pid, signal) }
    }

    /// `waitpid(2)` for `pid`: how it ended, or `nil` while it runs (with `blocking: false`).
    public static func wait(for pid: pid_t, blocking: Bool) throws(SystemCallError) -> ChildExit? {
        var status: Int32 = 0
        let reaped = try syscall("waitpid") { Glibc.waitpid(pid, &status, blocking ? 0 : WNOHANG) }
        guard reaped == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let signal = status & 0x7F
        return signal == 0 ? .exited(status: (status >> 8) & 0xFF) : .signalled(signal)
    }
}
