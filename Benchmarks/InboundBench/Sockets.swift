import Foundation
import Glibc

/// Blocking sockets: the load side of the benchmark is deliberately plain (a thread per
/// connection), so that what is measured is the proxy in between.
enum Socket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect to \(port): errno \(errno)")
        }
        return fd
    }

    static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                bind(fd, pointer, length)
                Glibc.listen(fd, 1024)
                return getsockname(fd, pointer, &length)
            }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    static func receive(_ fd: Int32, exactly count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            guard n > 0 else { throw Failure(description: "connection closed after \(got) of \(count) bytes") }
            got += n
        }
        return out
    }

    /// Reads until the peer closes; returns the byte count.
    static func drain(_ fd: Int32) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return total }
            total += n
        }
    }

    /// A SOCKS5 CONNECT to 127.0.0.1:`target` through the proxy at `proxy`.
    static func socks5(proxy: Int, target: Int, user: String?, password: String?) throws -> Int32 {
        let fd = try connect(port: proxy)
        do {
            if let user, let password {
                try send(fd, [5, 1, 2])
                guard try receive(fd, exactly: 2) == [5, 2] else { throw Failure(description: "no user/password method") }
                try send(fd, [1, UInt8(user.utf8.count)] + Array(user.utf8) + [UInt8(password.utf8.count)] + Array(password.utf8))
                guard try receive(fd, exactly: 2) == [1, 0] else { throw Failure(description: "login refused") }
            } else {
                try send(fd, [5, 1, 0])
                guard try receive(fd, exactly: 2) == [5, 0] else { throw Failure(description: "no-auth refused") }
            }
            try send(fd, [5, 1, 0, 1, 127, 0, 0, 1, UInt8(target >> 8), UInt8(target & 0xff)])
            let reply = try receive(fd, exactly: 10)
            guard reply[1] == 0 else { throw Failure(description: "CONNECT reply \(reply[1])") }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }
}

/// Local targets: a source that sends a fixed number of bytes to each connection, and an echo.
final class Targets: @unchecked Sendable {
    let sourcePort: Int
    let echoPort: Int
    let bytesPerDownload: Int

    init(bytesPerDownload: Int) throws {
        self.bytesPerDownload = bytesPerDownload
        let source = try Socket.listen()
        let echo = try Socket.listen()
        sourcePort = source.port
        echoPort = echo.port
        Self.serve(source.fd) { fd in
            let chunk = [UInt8](repeating: 0x5a, count: 1 << 16)
            var left = bytesPerDownload
            while left > 0 {
                let n = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, min(chunk.count, left), Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                left -= n
            }
        }
        Self.serve(echo.fd) { fd in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n <= 0 { break }
                _ = buffer.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, n, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    private static func serve(_ listener: Int32, _ body: @escaping @Sendable (Int32) -> Void) {
        Thread.detachNewThread {
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { continue }
                Thread.detachNewThread {
                    body(fd)
                    close(fd)
                }
            }
        }
    }
}
