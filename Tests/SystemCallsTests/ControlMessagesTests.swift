import Glibc
import SystemCalls
import Testing

@Suite("control messages")
struct ControlMessagesTests {
    /// A UDP socket on 127.0.0.1 that asks for each datagram's TTL (`IP_RECVTTL`).
    private func loopbackSocket() throws -> (descriptor: Int32, address: sockaddr_in) {
        let descriptor = try Posix.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        try Posix.setsockopt(descriptor, Int32(IPPROTO_IP), IP_RECVTTL, Int32(1))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        try Posix.bind(descriptor, to: address)
        let bound = try Posix.getsockname(descriptor)
        withUnsafeBytes(of: bound) { raw in address.sin_port = raw.load(as: sockaddr_in.self).sin_port }
        return (descriptor, address)
    }

    @Test("a datagram's TTL is read from its control message through the C library's CMSG macros")
    func readsTheTTL() throws {
        let (descriptor, address) = try loopbackSocket()
        defer { try? Posix.close(descriptor) }
        #expect(address.sin_port != 0)
        #expect(try Posix.sendto(descriptor, Array("ping".utf8), to: address) == 4)

        var payload = [UInt8](repeating: 0, count: 16)
        var control = [UInt8](repeating: 0, count: ControlMessages.space(forDataLength: MemoryLayout<Int32>.size))
        let received = try Posix.recvmsg(descriptor, payload: &payload, control: &control)
        #expect(received.count == 4 && !received.isTruncated)
        #expect(String(decoding: payload[..<received.count], as: UTF8.self) == "ping")

        let messages = Array(ControlMessages(control, count: received.controlCount))
        #expect(messages.count == 1)
        let ttl = try #require(messages.first { $0.level == Int32(IPPROTO_IP) && $0.type == IP_TTL })
        #expect(ttl.data.count == MemoryLayout<Int32>.size)
        let value = ttl.data.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        #expect((1...255).contains(value))
    }

    @Test("an empty or truncated control buffer yields no messages")
    func emptyControl() {
        #expect(Array(ControlMessages([], count: 0)).isEmpty)
        #expect(Array(ControlMessages([UInt8](repeating: 0, count: 64), count: 4)).isEmpty)
    }

    @Test("a payload longer than the buffer is reported truncated")
    func truncation() throws {
        let (descriptor, address) = try loopbackSocket()
        defer { try? Posix.close(descriptor) }
        _ = try Posix.sendto(descriptor, [UInt8](repeating: 7, count: 100), to: address)
        var payload = [UInt8](repeating: 0, count: 10)
        var control = [UInt8](repeating: 0, count: 64)
        let received = try Posix.recvmsg(descriptor, payload: &payload, control: &control)
        #expect(received.isTruncated && received.count == 10)
    }
}
