import Foundation
public import NIOCore

/// Reads the name a client asked for from the first bytes of a captured connection: the
/// `server_name` of a TLS ClientHello (RFC 8446 §4.1.2, RFC 6066 §3), or the `Host` header of a
/// plain HTTP/1 request. Pure and bounded: it never reads past what it was given and never
/// needs more than ``limit`` bytes to decide.
public enum HostSniffer {
    /// What the first bytes say.
    public enum Verdict: Equatable, Sendable {
        /// The client named this host (lower case, no port, no trailing dot).
        case host(String)
        /// Not enough bytes yet to tell.
        case needMoreBytes
        /// Not TLS or HTTP, or no name in it.
        case noHost
    }

    /// Past this many bytes the answer is ``Verdict/noHost``: one TLS record (16 KiB plus its
    /// header) holds any ClientHello worth reading, and an HTTP request head is far smaller.
    public static let limit = 16_384 + 5

    public static func sniff(_ bytes: ByteBuffer) -> Verdict {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return .needMoreBytes }
        let verdict = first == 0x16 ? tls(bytes) : http(bytes)
        if verdict == .needMoreBytes, bytes.readableBytes >= limit { return .noHost }
        return verdict
    }

    // MARK: TLS

    private static func tls(_ bytes: ByteBuffer) -> Verdict {
        var record = bytes
        guard let header = record.readBytes(length: 5) else { return .needMoreBytes }
        guard header[1] == 3 else { return .noHost }  // TLS 1.x record versions are 3.x
        let recordLength = Int(header[3]) << 8 | Int(header[4])
        guard recordLength >= 4 else { return .noHost }
        guard var hello = record.readSlice(length: recordLength) else { return .needMoreBytes }
        guard hello.readInteger(as: UInt8.self) == 1,  // ClientHello
              let length = hello.readInteger(as: UInt8.self).flatMap({ high in
                  hello.readInteger(as: UInt16.self).map { Int(high) << 16 | Int($0) } }),
              // A ClientHello split over several records is rare; its name is then not read.
              var body = hello.readSlice(length: min(length, hello.readableBytes)),
              body.readSlice(length: 2 + 32) != nil,  // legacy_version, random
              skip(&body, lengthBytes: 1),  // legacy_session_id
              skip(&body, lengthBytes: 2),  // cipher_suites
              skip(&body, lengthBytes: 1),  // legacy_compression_methods
              let extensionsLength = body.readInteger(as: UInt16.self),
              var extensions = body.readSlice(length: Int(extensionsLength))
        else { return .noHost }
        while let type = extensions.readInteger(as: UInt16.self), let size = extensions.readInteger(as: UInt16.self) {
            guard var data = extensions.readSlice(length: Int(size)) else { return .noHost }
            guard type == 0 else { continue }  // server_name
            guard let listLength = data.readInteger(as: UInt16.self), var list = data.readSlice(length: Int(listLength))
            else { return .noHost }
            while let nameType = list.readInteger(as: UInt8.self), let nameLength = list.readInteger(as: UInt16.self) {
                guard let name = list.readSlice(length: Int(nameLength)) else { return .noHost }
                if nameType == 0 { return hostName(String(buffer: name)) }  // host_name
            }
            return .noHost
        }
        return .noHost
    }

    /// Skips a vector whose length takes `lengthBytes` bytes; false when it does not fit.
    private static func skip(_ buffer: inout ByteBuffer, lengthBytes: Int) -> Bool {
        let length: Int?
        switch lengthBytes {
        case 1: length = buffer.readInteger(as: UInt8.self).map(Int.init)
        default: length = buffer.readInteger(as: UInt16.self).map(Int.init)
        }
        guard let length else { return false }
        return buffer.readSlice(length: length) != nil
    }

    // MARK: HTTP

    /// Methods a plain HTTP/1 request starts with; anything else is not HTTP.
    private static let methods = ["GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "]

    private static func http(_ bytes: ByteBuffer) -> Verdict {
        let head = String(decoding: bytes.readableBytesView.prefix(limit), as: UTF8.self)
        guard methods.contains(where: { head.hasPrefix($0) || $0.hasPrefix(head) }) else { return .noHost }
        guard let end = head.range(of: "\r\n\r\n") else { return .needMoreBytes }
        for line in head[..<end.lowerBound].split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard line[..<colon].lowercased() == "host" else { continue }
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("[") { return .noHost }  // an IPv6 literal names no host
            if let port = value.lastIndex(of: ":") { value = String(value[..<port]) }
            return hostName(value)
        }
        return .noHost
    }

    // MARK: names

    /// `name` when it is a DNS host name (letters, digits, `-`, `_`, dots; 1 to 253 bytes; not
    /// an IPv4 address), lower-cased and without a trailing dot.
    static func hostName(_ name: String) -> Verdict {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let bytes = Array(name.utf8)
        guard (1...253).contains(bytes.count),
              bytes.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }),
              !bytes.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E }),
              !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0.count > 63 })
        else { return .noHost }
        return .host(name)
    }
}
