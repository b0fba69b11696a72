import RuleEngine
import Inbounds
import NIOCore

/// `HostSniffer`: the TLS `server_name` or HTTP `Host` read from a captured connection's first
/// bytes.
///
/// Input: a mode byte; mode 0 is raw bytes with a cut point, mode 1 builds a ClientHello and
/// mode 2 an HTTP request around a name the input chooses.
enum HostSnifferHarness: FuzzHarness {
    static let name = "host-sniffer"
    static let summary = "HostSniffer: names follow the documented rules; an answer stays once given; built hellos and requests name their host"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 3 {
        case 0:
            let cut = input.int(in: 0...255)
            let stream = input.rest()
            let verdict = sniff(stream)
            if cut < stream.count {
                let early = sniff(Array(stream[..<cut]))
                require(early == .needMoreBytes || early == verdict,
                        "the first \(cut) bytes said \(early), all \(stream.count) say \(verdict)")
            }
        case 1:
            let name = input.bool() ? input.text(upTo: 70) : String(repeating: "a.", count: input.int(in: 0...130))
            var hello = clientHello(serverName: Array(name.utf8), input: &input)
            let verdict = sniff(hello)
            require(verdict == expected(name), "ClientHello for \(clip(name)) sniffed as \(verdict)")
            if hello.count > 5 {
                hello.removeLast()
                require(sniff(hello) == .needMoreBytes, "a ClientHello cut short did not wait")
            }
        default:
            let name = input.text(upTo: 70)
            let port = input.bool() ? ":\(input.integer(UInt16.self))" : ""
            let method = input.pick(["GET", "POST", "CONNECT", "OPTIONS"])
            let request = "\(method) / HTTP/1.1\r\nUser-Agent: x\r\n\(input.pick(["Host", "host", "HOST"])):  \(name)\(port) \r\n\r\n"
            let verdict = sniff(Array(request.utf8))
            // Printable ASCII without a colon: no port or IPv6 form, nothing trimming would touch.
            if name.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != ":" }), !name.hasPrefix("[") {
                require(verdict == expected(name), "request with Host \(clip(name)) sniffed as \(verdict)")
            }
        }
    }

    private static func sniff(_ bytes: [UInt8]) -> HostSniffer.Verdict {
        let verdict = HostSniffer.sniff(ByteBuffer(bytes: bytes))
        if bytes.count >= HostSniffer.limit { require(verdict != .needMoreBytes, "waiting past the limit") }
        if case .host(let name) = verdict { require(expected(name) == verdict, "sniffed name \(clip(name)) breaks the rules") }
        return verdict
    }

    /// The documented rules for a name: lower-cased, without a trailing dot, 1 to 253 bytes of
    /// letters, digits, `-`, `_` and dots, not an IPv4 address, no empty or over-long label.
    private static func expected(_ name: String) -> HostSniffer.Verdict {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
        }
        let numeric = bytes.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2E }
        let labels = bytes.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard (1...253).contains(bytes.count), allowed, !numeric, labels.allSatisfy({ (1...63).contains($0.count) }) else {
            return .noHost
        }
        return .host(name)
    }

    /// A TLS record holding a ClientHello with `serverName` in its SNI extension, among other
    /// extensions the input chooses.
    private static func clientHello(serverName: [UInt8], input: inout FuzzInput) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
        var extensions: [UInt8] = []
        for _ in 0..<input.int(in: 0...2) {
            let data = input.bytes(upTo: 16)
            extensions += u16(Int(input.integer(UInt16.self) | 1)) + u16(data.count) + data  // odd types: never SNI
        }
        let entry = [UInt8(0)] + u16(serverName.count) + serverName
        let list = u16(entry.count) + entry
        extensions += u16(0) + u16(list.count) + list
        var body: [UInt8] = [3, 3] + Array(repeating: 0x11, count: 32)
        body += [32] + Array(repeating: 0x22, count: 32)  // session id
        body += u16(4) + [0x13, 0x01, 0x13, 0x02] + [1, 0]  // cipher suites, compression
        body += u16(extensions.count) + extensions
        let handshake = [UInt8(1), UInt8(truncatingIfNeeded: body.count >> 16)] + u16(body.count) + body
        return [0x16, 3, 1] + u16(handshake.count) + handshake
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("http", [0, 20] + Array("GET /index.html HTTP/1.1\r\nHost: Example.COM:8080\r\nAccept: */*\r\n\r\n".utf8)),
            ("hello", [1, 1, 15] + Array("www.example.org".utf8) + [1, 3, 0x12, 0x34, 1, 2, 3]),
            ("request", [2, 12] + Array("api.test.lan".utf8) + [1, 0x1F, 0x90, 0, 1]),
        ]
    }
}
