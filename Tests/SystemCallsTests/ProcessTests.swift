import Glibc
import SystemCalls
import Testing

@Suite("child processes")
struct ProcessTests {
    @Test("a child gets exactly the environment given, and its exit status is reaped")
    func exitStatus() throws {
        let pid = try Posix.spawn("/bin/sh", ["-c", #"[ "$ONLY" = yes ] && [ -z "$HOME" ] && exit 3; exit 4"#], environment: ["ONLY": "yes"])
        #expect(try Posix.wait(for: pid, blocking: true) == .exited(status: 3))
    }

    @Test("a child inherits no descriptor but standard input, output and error")
    func descriptors() throws {
        let leaky = try Posix.socket(AF_INET, Int32(SOCK_STREAM.rawValue))  // no close-on-exec
        defer { try? Posix.close(leaky) }
        let pid = try Posix.spawn("/bin/sh", ["-c", "[ -e /proc/self/fd/\(leaky) ] && exit 1; exit 0"], environment: [:])
        #expect(try Posix.wait(for: pid, blocking: true) == .exited(status: 0))
    }

    @Test("a running child is not reaped by a non-blocking wait; a signal ends it and is reported")
    func signalled() throws {
        let pid = try Posix.spawn("/bin/sleep", ["30"], environment: [:])
        #expect(try Posix.wait(for: pid, blocking: false) == nil)
        try Posix.kill(pid, SIGTERM)
        #expect(try Posix.wait(for: pid, blocking: true) == .signalled(SIGTERM))
    }

    @Test("a program that does not exist is an error naming posix_spawn")
    func missing() {
        #expect(throws: SystemCallError(call: "posix_spawn", errno: ENOENT)) {
            try Posix.spawn("/nonexistent/program", [], environment: [:])
        }
    }

    @Test("a socket path longer than sockaddr_un holds is refused, not cut")
    func longPath() {
        #expect(throws: SystemCallError(call: "sockaddr_un", errno: ENAMETOOLONG)) {
            try Posix.unixAddress("/" + String(repeating: "a", count: 120))
        }
    }
}
