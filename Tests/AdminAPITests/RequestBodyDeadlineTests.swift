@testable import AdminAPI
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

/// The body limit of the admin API on an embedded loop, whose clock only the test moves: a body
/// that keeps up its rate is never cut, one dripped a byte at a time is cut at the limit.
@Suite struct RequestBodyDeadlineTests {
    private func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestBodyDeadline(limit: .seconds(2), bytesPerSecond: 1024))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private let head = HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "localhost", path: "/scale/api/login"))

    @Test("a body that keeps a KiB a second is never cut, however long it takes")
    func steadyBody() throws {
        let channel = try connectedChannel()
        try channel.writeInbound(head)
        for _ in 0..<10 {  // 2 KiB every 1.5 s: each piece earns 2 s, so 15 s pass and it lives
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(1500))
            try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 0x20, count: 2048)))
        }
        #expect(channel.isActive)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive, "the deadline outlived its body")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test("a body dripped a byte at a time is cut once its time is up")
    func drippedBody() throws {
        let channel = try connectedChannel()
        try channel.writeInbound(head)
        for _ in 0..<3 {  // 1.5 s: within the limit
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
            try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(bytes: [0x20])))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(600))  // 2.1 s, and three bytes earned 3 ms
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test("each request gets its own deadline; the time between requests is not counted")
    func nextRequest() throws {
        let channel = try connectedChannel()
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeInbound(head)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
