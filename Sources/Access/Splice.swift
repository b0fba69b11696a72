package import NIOCore

/// The end of every inbound's handshake: joins the client channel (already speaking plaintext)
/// to the target channel and lets bytes flow both ways, counted on `ticket`.
package enum Splice {
    /// Idle flows end after this (reference §0.6).
    package static let idleTimeout = TimeAmount.minutes(10)

    /// - Parameters:
    ///   - leftover: bytes the client sent after its request; written to the target first.
    /// - Precondition: both channels are on the same event loop, and this runs on it.
    package static func join(client: any Channel, target: any Channel, leftover: ByteBuffer?, ticket: FlowTicket) throws {
        client.eventLoop.preconditionInEventLoop()
        precondition(client.eventLoop === target.eventLoop, "a relay needs both channels on one event loop")
        HandshakeDeadline.finish(on: client)
        let (clientSide, targetSide) = RelayHandler.pair(ticket: ticket)
        try target.pipeline.syncOperations.addHandlers([IdleStateHandler(allTimeout: idleTimeout), targetSide])
        try client.pipeline.syncOperations.addHandler(clientSide)
        if let leftover, leftover.readableBytes > 0 {
            ticket.count(up: UInt64(leftover.readableBytes))
            target.writeAndFlush(leftover, promise: nil)
        }
        ticket.attach { [client, target] in
            client.close(promise: nil)
            target.close(promise: nil)
        }
        target.setOption(.autoRead, value: true).whenFailure { _ in target.close(promise: nil) }
        client.setOption(.autoRead, value: true).whenFailure { _ in client.close(promise: nil) }
        target.closeFuture.whenComplete { _ in client.close(promise: nil) }
    }
}
