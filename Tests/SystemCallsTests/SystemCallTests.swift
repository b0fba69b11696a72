import Glibc
@testable import SystemCalls
import Testing

@Suite("system calls")
struct SystemCallTests {
    @Test("a failed call throws an error naming the call and errno, with strerror's text")
    func failureNamesTheCall() {
        #expect(throws: SystemCallError(call: "open", errno: ENOENT)) {
            try Posix.open("/nonexistent-\(getpid())/file", O_RDONLY)
        }
        #expect(SystemCallError(call: "open", errno: ENOENT).description == "open: No such file or directory")
    }

    @Test("EINTR is retried until the call gives a result; another errno is thrown at once")
    func interruptedCallsAreRetried() throws {
        var results: [Int32] = [-1, -1, 7]
        var calls = 0
        let value = try syscall("read") { () -> Int32 in
            defer { calls += 1 }
            if results[calls] == -1 { errno = EINTR }
            return results[calls]
        }
        #expect(value == 7 && calls == 3)

        results = [-1, 3]
        calls = 0
        #expect(throws: SystemCallError(call: "write", errno: EPIPE)) {
            try syscall("write") { () -> Int32 in
                defer { calls += 1 }
                errno = EPIPE
                return results[calls]
            }
        }
        #expect(calls == 1)
    }

    @Test("a file written, synced and read back through the wrappers")
    func fileRoundTrip() throws {
        let path = "/tmp/hy2scale-systemcalls-\(getpid())"
        defer { try? Posix.unlink(path) }
        let written = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600)
        try Posix.writeAll(written, Array("hello, kernel".utf8))
        try Posix.fsync(written)
        #expect(try Posix.fstat(written).st_mode & 0o777 == 0o600)
        try Posix.close(written)

        let read = try Posix.open(path, O_RDONLY | O_CLOEXEC)
        defer { try? Posix.close(read) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = try Posix.read(read, into: &buffer)
        #expect(String(decoding: buffer[..<count], as: UTF8.self) == "hello, kernel")
        #expect(try Posix.read(read, into: &buffer) == 0)
    }
}
