import NIOCore
import NIOSSL

/// The first handler of every admin connection: looks at the first byte and sets the connection
/// up as TLS (a handshake record) or plain HTTP, per the ``AdminTransport`` settings of the
/// moment, then leaves the pipeline. TLS and plain HTTP share one port.
final class TransportSelector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// RFC 8446 §5.1: a TLS record of content type handshake (22) opens every TLS connection.
    static let handshakeRecordType: UInt8 = 22

    private let transport: AdminTransport

    init(transport: AdminTransport) {
        self.transport = transport
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }  // empty read: wait
        let settings = transport.settings
        do {
            if first == Self.handshakeRecordType {
                guard let tls = settings.tls else {
                    context.close(promise: nil)  // no certificate: a handshake cannot succeed
                    return
                }
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .after(self))
            } else if settings.isForced {
                let answer: PlainHTTPAnswer.Kind = settings.tls == nil ? .httpsUnavailable : .redirectToHTTPS
                try context.pipeline.syncOperations.addHandler(PlainHTTPAnswer(answer), position: .after(self))
            }
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }
}

@available(*, unavailable)
extension TransportSelector: Sendable {}
