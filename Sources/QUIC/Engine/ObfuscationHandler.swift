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

    /// Obfuscates each packet; a GSO batch is split at its segment size and rebuilt with segments
    /// grown by the overhead.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var envelope = Self.unwrapOutboundIn(data)
        let segmentSize = envelope.metadata?.segmentSize ?? envelope.data.readableBytes
        let count = max(1, (envelope.data.readableBytes + segmentSize - 1) / max(segmentSize, 1))
        var datagram = context.channel.allocator.buffer(capacity: envelope.data.readableBytes + count * obfuscation.overhead)
        while let packet = envelope.data.readSlice(length: min(segmentSize, envelope.data.readableBytes)), packet.readableBytes > 0 {
            obfuscation.obfuscate(packet, into: &datagram)
        }
        if let segments = envelope.metadata?.segmentSize { envelope.metadata?.segmentSize = segments + obfuscation.overhead }
        envelope.data = datagram
        context.write(Self.wrapOutboundOut(envelope), promise: promise)
    }
}

@available(*, unavailable)
extension ObfuscationHandler: Sendable {}
