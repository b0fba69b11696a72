import Glibc
import SystemCalls
import Testing

@Suite("wakeup")
struct WakeupTests {
    @Test("a signalled wakeup ends the wait at once, and stays signalled")
    func signalled() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { try? Posix.close(ends[0]); try? Posix.close(ends[1]) }
        let wakeup = try Wakeup()
        wakeup.signal()
        #expect(try wakeup.waitUntilReadable(ends[0]) == false)
        #expect(try wakeup.waitUntilReadable(ends[0]) == false)
    }

    @Test("data on the watched descriptor ends the wait with true")
    func readable() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { try? Posix.close(ends[0]); try? Posix.close(ends[1]) }
        let wakeup = try Wakeup()
        try Posix.writeAll(ends[1], [1])
        #expect(try wakeup.waitUntilReadable(ends[0]) == true)
    }

    @Test("a descriptor that is not open is an error, not a hang")
    func descriptorNotOpen() throws {
        let wakeup = try Wakeup()
        // Far above any descriptor this process opens, so no other test can have it.
        #expect(throws: SystemCallError(call: "poll", errno: EBADF)) { try wakeup.waitUntilReadable(900_000) }
    }
}
