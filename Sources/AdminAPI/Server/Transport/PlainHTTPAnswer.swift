import Foundation
import NIOCore

/// Answers a plain HTTP request on a server that serves HTTPS only (`force_https`), then closes:
/// a permanent redirect to the same URL over HTTPS (308 keeps the method and body), or a refusal
/// when there is no usable certificate. Nothing reaches the API over plain HTTP.
final class PlainHTTPAnswer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Kind {
        case redirectToHTTPS
        case httpsUnavailable
    }

    /// Enough for a request line and a Host header; a longer head is refused.
    static let maximumHeadBytes = 8192

    private let kind: Kind
    private var head = ByteBuffer()
    private var isAnswered = false

    init(_ kind: Kind) {
        self.kind = kind
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isAnswered else { return }
        var bytes = unwrapInboundIn(data)
        head.writeBuffer(&bytes)
        let text = String(buffer: head)
        guard let end = text.range(of: "\r\n\r\n") ?? text.range(of: "\n\n") else {
            if head.readableBytes > Self.maximumHeadBytes { answer(context, Self.response(status: "400 Bad Request", location: nil)) }
            return
        }
        let response = switch kind {
        case .httpsUnavailable:
            Self.response(status: "503 Service Unavailable", location: nil,
                          text: "this node serves HTTPS only, and its certificate cannot be used now; the node's log says why\n")
        case .redirectToHTTPS:
            Self.redirectLocation(head: text[..<end.lowerBound]).map { Self.response(status: "308 Permanent Redirect", location: $0) }
                ?? Self.response(status: "400 Bad Request", location: nil)
        }
        answer(context, response)
    }

    private func answer(_ context: ChannelHandlerContext, _ response: String) {
        isAnswered = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in context.close(promise: nil) }
    }

    /// `https://` + the Host header + the request target, when both are well formed: a host
    /// name, IPv4 or bracketed IPv6 address with an optional port, and an origin-form target of
    /// visible ASCII (so nothing a client sends can add a header line).
    static func redirectLocation(head: Substring) -> String? {
        let lines = head.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3, let target = requestLine.dropFirst().first, target.hasPrefix("/"),
              target.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) else { return nil }
        var host: Substring?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "host" else { continue }
            host = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        }
        while let last = host?.last, last == " " || last == "\t" { host = host?.dropLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]".unicodeScalars)
        // 261: a 253-character name, a colon and a five-digit port, or a bracketed IPv6 address.
        guard let host, !host.isEmpty, host.count <= 261, host.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return nil }
        return "https://\(host)\(target)"
    }

    static func response(status: String, location: String?, text: String = "") -> String {
        var lines = ["HTTP/1.1 \(status)"]
        if let location { lines.append("Location: \(location)") }
        lines += ["Content-Type: text/plain; charset=utf-8", "Content-Length: \(text.utf8.count)", "Connection: close", "", ""]
        return lines.joined(separator: "\r\n") + text
    }
}

@available(*, unavailable)
extension PlainHTTPAnswer: Sendable {}
