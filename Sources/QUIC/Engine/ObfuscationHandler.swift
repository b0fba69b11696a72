import NIOCore

/// Applies a ``QUICPacketObfuscation`` to every datagram between the socket and the QUIC engine.
final class ObfuscationHandler: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let obfuscation: any QUICPacketObfuscation

    init(_ obfuscation: any QUICPacketObfuscation) {
        self.obfuscation = obfuscation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        var packet = context.channel.allocator.buffer(capacity: envelope.data.readableBytes)
        guard obfuscation.deobfuscate(envelope.data, into: &packet) else { return }
        context.fireChannelRead(Self.wrapInboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: packet)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = Self.unwrapOutboundIn(data)
        var datagram = context.channel.allocator.buffer(capacity: envelope.data.readableBytes + obfuscation.overhead)
        obfuscation.obfuscate(envelope.data, into: &datagram)
        context.write(Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: datagram)), promise: promise)
    }
}

@available(*, unavailable)
extension ObfuscationHandler: Sendable {}
