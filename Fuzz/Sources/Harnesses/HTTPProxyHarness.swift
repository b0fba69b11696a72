import Addressing
import Foundation
import Inbounds
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Routing

/// The HTTP proxy's request reading: NIO's HTTP/1 parser as the proxy pipeline configures it,
/// then what `HTTPProxyHandler` takes from each head (CONNECT target, forward destination and
/// origin form, `Proxy-Authorization`).
///
/// Input: one byte of piece lengths per piece, up to a NUL, then the bytes the client sent.
enum HTTPProxyHarness: FuzzHarness {
    static let name = "http-proxy"
    static let summary = "HTTP proxy heads: same parts however the bytes are cut; targets and credentials re-parse to themselves"

    static func run(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? -1
        var script = FuzzInput(split >= 0 ? Array(bytes[..<split]) : [])
        let request = Array(bytes[(split + 1)...])
        let whole = parts(of: request, pieces: [request.count])
        let pieces = parts(of: request, pieces: script.pieceLengths(total: request.count))
        // A parse error swallows what the parser read earlier in the same read (NIO's decoder
        // throws before handing it over), so with an error only the heads before it must agree.
        if whole.failed || pieces.failed {
            let (short, long) = whole.heads.count <= pieces.heads.count ? (whole.heads, pieces.heads) : (pieces.heads, whole.heads)
            require(long.starts(with: short), "cutting the request changed the heads before an error: \(clip(whole.heads)) vs \(clip(pieces.heads))")
        } else {
            require(whole.heads == pieces.heads && whole.bodyBytes == pieces.bodyBytes,
                    "cutting the request changed what the parser read: \(clip(whole.heads)) vs \(clip(pieces.heads))")
        }
        for head in whole.heads { check(head) }
    }

    /// What the proxy pipeline's decoder yields for `bytes` fed in pieces of `pieces` lengths,
    /// until it stops on an error.
    private static func parts(of bytes: [UInt8], pieces: [Int]) -> (heads: [HTTPRequestHead], bodyBytes: Int, failed: Bool) {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
        } catch {
            require(false, "cannot set up the decoder: \(error)")
        }
        var heads: [HTTPRequestHead] = []
        var bodyBytes = 0
        var offset = 0
        for length in pieces {
            do {
                try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<offset + length]))
            } catch {
                while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
                    if case .head(let head) = part { heads.append(head) }
                }
                return (heads, bodyBytes, true)
            }
            offset += length
            while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
                switch part {
                case .head(let head): heads.append(head)
                case .body(let body): bodyBytes += body.readableBytes
                case .end: break
                }
            }
        }
        return (heads, bodyBytes, false)
    }

    private static func check(_ head: HTTPRequestHead) {
        if head.method == .CONNECT, let target = HTTPProxyRequestHead.connectTarget(head) {
            var again = head
            again.uri = target.description
            require(HTTPProxyRequestHead.connectTarget(again) == target, "CONNECT \(target) does not re-parse")
        } else if let (target, originForm) = HTTPProxyRequestHead.forwardDestination(head) {
            require(originForm.hasPrefix("/"), "origin form \(clip(originForm)) of \(clip(head.uri)) is not a path")
            require(Target(target.description) == target, "forward target \(target) does not re-parse")
        }
        if case .credentials(let username, let password) = HTTPProxyRequestHead.credentials(head) {
            require(!username.contains(":"), "a user name with a colon: \(clip(username))")
            var again = head
            again.headers.replaceOrAdd(name: "Proxy-Authorization",
                                       value: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
            require(HTTPProxyRequestHead.credentials(again) == .credentials(username: username, password: password),
                    "credentials do not survive being sent again")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("connect", [5, 9, 0] + Array("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n".utf8)),
            ("get-absolute", [0] + Array("GET http://user:pw@example.com:8080/a?b=c HTTP/1.1\r\nHost: example.com\r\nProxy-Connection: keep-alive\r\n\r\n".utf8)),
            ("post-chunked", [3, 30, 2, 0] + Array("POST /upload HTTP/1.1\r\nHost: [2001:db8::1]:81\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET http://b.test/ HTTP/1.1\r\n\r\n".utf8)),
            ("connect-bare-host", [0] + Array("CONNECT 10.0.0.1 HTTP/1.0\r\n\r\n".utf8)),
        ]
    }
}
