public import NIOCore
public import QUIC

/// A proxied TCP connection through a Hysteria 2 server: the stream after the server's answer.
public struct HysteriaTCPStream: Sendable {
    /// The QUIC stream; its first bytes may already sit in `leftover`.
    public let stream: QUICStream
    /// Target bytes that arrived with the server's answer; read them before the stream.
    public let leftover: ByteBuffer

    /// Everything the target sends until it closes, leftover first.
    public func readAll(upTo limit: Int = .max) async throws -> ByteBuffer {
        var all = leftover
        while all.readableBytes < limit, let chunk = try await stream.read() { all.writeImmutableBuffer(chunk) }
        return all
    }
}
