@testable import Inbounds
import Addressing
import NIOCore
import NIOHTTP1
import Routing
import Testing
import TestSupport

@Suite("SOCKS5 and HTTP proxy parsers")
struct ProxyParserTests {
    @Test("every SOCKS5 reader consumes nothing until its message is whole, and survives random bytes")
    func socksReaders() {
        let messages: [[UInt8]] = [[5, 2, 0, 2], [1, 1, 0x61, 2, 0x62, 0x63], [5, 1, 0, 3, 3, 0x61, 0x2e, 0x62, 0, 80]]
        for (index, message) in messages.enumerated() {
            for cut in 0..<message.count {
                var partial = ByteBuffer(bytes: message.prefix(cut))
                let before = partial.readableBytes
                switch index {
                case 0: #expect(SOCKS5Message.readGreeting(&partial) == .needMoreBytes)
                case 1: #expect(SOCKS5Message.readCredentials(&partial) == .needMoreBytes)
                default: #expect(SOCKS5Message.readRequest(&partial) == .needMoreBytes)
                }
                #expect(partial.readableBytes == before)
            }
        }
        var greeting = ByteBuffer(bytes: messages[0])
        #expect(SOCKS5Message.readGreeting(&greeting) == .message([0, 2]))
        var credentials = ByteBuffer(bytes: messages[1])
        #expect(SOCKS5Message.readCredentials(&credentials) == .message(.init(username: "a", password: "bc")))
        var request = ByteBuffer(bytes: messages[2])
        #expect(SOCKS5Message.readRequest(&request) == .message(.success(.init(command: 1, target: Target("a.b:80")!))))

        var random = SplitMix64(seed: 99)
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var a = ByteBuffer(bytes: bytes), b = a, c = a, d = a
            _ = SOCKS5Message.readGreeting(&a)
            _ = SOCKS5Message.readCredentials(&b)
            _ = SOCKS5Message.readRequest(&c)
            _ = SOCKS5Message.readDatagramHeader(&d)
        }
    }

    @Test("wrong versions and empty method lists are invalid")
    func socksInvalid() {
        var v4 = ByteBuffer(bytes: [4, 1, 0])
        guard case .invalid = SOCKS5Message.readGreeting(&v4) else { Issue.record("SOCKS4 accepted"); return }
        var none = ByteBuffer(bytes: [5, 0])
        guard case .invalid = SOCKS5Message.readGreeting(&none) else { Issue.record("no methods accepted"); return }
        var credentials = ByteBuffer(bytes: [2, 0, 0])
        guard case .invalid = SOCKS5Message.readCredentials(&credentials) else { Issue.record("version 2 accepted"); return }
    }

    @Test("Proxy-Authorization: Basic with and without a colon, other schemes, broken base64")
    func basicCredentials() {
        #expect(ProxyCredentials.parse("Basic YWxpY2U6c2VjcmV0OjE=") == .credentials(username: "alice", password: "secret:1"))
        #expect(ProxyCredentials.parse("basic  YWxpY2U6") == .credentials(username: "alice", password: ""))
        #expect(ProxyCredentials.parse(nil) == .missing)
        #expect(ProxyCredentials.parse("Bearer abc") == .missing)
        #expect(ProxyCredentials.parse("Basic") == .missing)
        #expect(ProxyCredentials.parse("Basic YWxpY2U=") == .malformed)
        #expect(ProxyCredentials.parse("Basic ***") == .malformed)
    }

    @Test("forwarded requests: absolute URI, Host header, default port, credentials in the authority")
    func destinations() {
        func destination(_ uri: String, host: String? = nil) -> String? {
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri)
            if let host { head.headers.add(name: "Host", value: host) }
            return HTTPProxyHandler.destination(of: head).map { "\($0.0) \($0.1)" }
        }
        #expect(destination("http://example.com/a?b") == "example.com:80 /a?b")
        #expect(destination("http://example.com:8080") == "example.com:8080 /")
        #expect(destination("HTTP://u:p@[2001:db8::1]:81?q") == "[2001:db8::1]:81 /?q")
        #expect(destination("/x", host: "h.test:90") == "h.test:90 /x")
        #expect(destination("/x") == nil)
        #expect(destination("ftp://example.com/") == nil)
        #expect(destination("http://:80/") == nil)
    }
}
