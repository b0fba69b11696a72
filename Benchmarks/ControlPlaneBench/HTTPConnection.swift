import Foundation
import Glibc

/// A blocking HTTP/1.1 connection to the node's admin API, kept alive between requests: what is
/// timed is the node's work, not connection set-up or a client library's.
final class HTTPConnection {
    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    var token: String?

    init(port: Int) { self.port = port }

    deinit { if fd >= 0 { close(fd) } }

    /// One request; reconnects once if the node closed the kept-alive connection.
    func send(_ method: String, _ path: String, json: String? = nil) throws -> Response {
        do {
            return try attempt(method, path, json: json)
        } catch {
            disconnect()
            return try attempt(method, path, json: json)
        }
    }

    private func attempt(_ method: String, _ path: String, json: String?) throws -> Response {
        if fd < 0 { try connect() }
        let body = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        try write(Array((head + "\r\n").utf8) + body)
        return try readResponse()
    }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
    }

    private func connect() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socketFD)
            throw BenchFailure("connect to 127.0.0.1:\(port): errno \(errno)")
        }
        fd = socketFD
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchFailure("send: errno \(errno)") }
            sent += n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchFailure("the node closed the connection") }
        buffer += chunk[0..<n]
    }

    private func line() throws -> String {
        while true {
            if let end = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return text
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private func readResponse() throws -> Response {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw BenchFailure("bad status line: \(statusLine)") }
        var length: Int?
        var chunked = false
        var closes = false
        while true {
            let header = try line()
            if header.isEmpty { break }
            let pair = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-length": length = Int(pair[1])
            case "transfer-encoding": chunked = pair[1].lowercased().contains("chunked")
            case "connection": closes = pair[1].lowercased() == "close"
            default: break
            }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let size = Int(try line().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { _ = try line(); break }
                body += try take(size)
                _ = try line()
            }
        } else if let length {
            body = try take(length)
        }
        if closes { disconnect() }
        return Response(status: status, body: body)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
