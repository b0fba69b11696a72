import CNgtcp2
import Logging
import NIOCore

/// The server side of one UDP socket: routes each packet to its connection by destination
/// connection ID, accepts new connections from Initial packets, and answers the rest with
/// version negotiation or a stateless reset. Confined to the channel's event loop, like the
/// connections it creates.
final class ServerEndpoint: ChannelInboundHandler, ConnectionOwner {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// The smallest client Initial we answer; smaller ones would let a spoofed source amplify.
    private static let minimumInitialSize = 1200

    private let configuration: QUICConfiguration
    private let alpn: [String]
    private let logger: Logger
    /// New connections go out here once their handshake completes.
    private let established: AsyncStream<QUICConnection>.Continuation
    /// The key stateless reset tokens are derived from; random per endpoint (spec §1.1).
    private let resetSecret: [UInt8]
    /// The certificate new handshakes present; replaceable while connections run.
    var credentials: GnuTLSCredentials
    private var channel: (any Channel)?
    private var routes: [ConnectionID: NgtcpConnection] = [:]
    private var connections: [ObjectIdentifier: NgtcpConnection] = [:]
    /// Connections that read packets in the current burst; they write once it ends.
    private var touched: [NgtcpConnection] = []
    private var isClosing = false

    init(credentials: GnuTLSCredentials, alpn: [String], configuration: QUICConfiguration, logger: Logger,
         established: AsyncStream<QUICConnection>.Continuation) {
        self.credentials = credentials
        self.alpn = alpn
        self.configuration = configuration
        self.logger = logger
        self.established = established
        var secret = [UInt8](repeating: 0, count: 32)
        secret.withUnsafeMutableBufferPointer { NgtcpCallbacks.fillRandom($0) }
        resetSecret = secret
    }

    var connectionCount: Int { connections.count }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.data.readableBytes > 0 else { return }  // ngtcp2 asserts on empty input
        var packet = ngtcp2_version_cid()
        let decoded = envelope.data.withUnsafeReadableBytes { bytes in
            ngtcp2_pkt_decode_version_cid(&packet, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                                          ConnectionID.serverLength)
        }
        if decoded == NGTCP2_ERR_VERSION_NEGOTIATION {
            negotiateVersion(packet, envelope, context: context)
            return
        }
        guard decoded == 0, let dcid = packet.dcid else { return }  // not QUIC: noise
        let id = ConnectionID(UnsafeBufferPointer(start: dcid, count: packet.dcidlen))
        if let connection = routes[id] {
            guard connection.remote == envelope.remoteAddress else { return }  // no migration (spec §1.1)
            deliver(envelope.data, to: connection)
        } else if packet.version != 0 {
            accept(envelope, context: context)
        } else {
            sendStatelessReset(for: id, answering: envelope, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        let ready = touched
        touched.removeAll(keepingCapacity: true)
        for connection in ready { connection.afterIO() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAll(QUICError(.connectionClosed, "the UDP socket closed"))
        established.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("quic.socket.error", metadata: ["quic.error": "\(error)"])
    }

    /// Sends CONNECTION_CLOSE on every connection and accepts no more; the socket stays open.
    func closeConnections(errorCode: UInt64) {
        isClosing = true
        established.finish()
        for connection in Array(connections.values) { _ = connection.close(errorCode: errorCode) }
    }

    private func closeAll(_ error: QUICError) {
        for connection in connections.values { connection.terminate(error) }
    }

    private func deliver(_ datagram: ByteBuffer, to connection: NgtcpConnection) {
        connection.receive(datagram)
        if !touched.contains(where: { $0 === connection }) { touched.append(connection) }
    }

    private func accept(_ envelope: AddressedEnvelope<ByteBuffer>, context: ChannelHandlerContext) {
        guard !isClosing, envelope.data.readableBytes >= Self.minimumInitialSize else { return }
        var header = ngtcp2_pkt_hd()
        let acceptable = envelope.data.withUnsafeReadableBytes { bytes in
            ngtcp2_accept(&header, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        guard acceptable == 0 else { return }  // not a client's first Initial: drop
        guard connections.count < configuration.maximumConnections else {
            logger.warning("quic.accept.refused", metadata: [
                "quic.peer": "\(envelope.remoteAddress)", "quic.reason": "connection limit \(configuration.maximumConnections) reached",
            ])
            return
        }
        let accepted = NgtcpConnection.Accepted(
            header: header, localID: .random(length: ConnectionID.serverLength), credentials: credentials, alpn: alpn, owner: self)
        do {
            let connection = try NgtcpConnection(channel: context.channel, remote: envelope.remoteAddress, accepted: accepted,
                                                 configuration: configuration, logger: logger)
            connections[ObjectIdentifier(connection)] = connection
            deliver(envelope.data, to: connection)
        } catch {
            logger.warning("quic.accept.failed", metadata: ["quic.peer": "\(envelope.remoteAddress)", "quic.error": "\(error)"])
        }
    }

    /// Tells a client offering only other QUIC versions that we speak v1 (RFC 9000 §6).
    private func negotiateVersion(_ packet: ngtcp2_version_cid, _ envelope: AddressedEnvelope<ByteBuffer>,
                                  context: ChannelHandlerContext) {
        guard !isClosing, envelope.data.readableBytes >= Self.minimumInitialSize else { return }
        var reply = context.channel.allocator.buffer(capacity: 256)
        var versions: [UInt32] = [NGTCP2_PROTO_VER_V1]
        let written = reply.withUnsafeMutableWritableBytes { space in
            ngtcp2_pkt_write_version_negotiation(space.baseAddress?.assumingMemoryBound(to: UInt8.self), space.count,
                                                 UInt8.random(in: 0...255), packet.scid, packet.scidlen,
                                                 packet.dcid, packet.dcidlen, &versions, versions.count)
        }
        guard written > 0 else { return }
        reply.moveWriterIndex(forwardBy: written)
        context.writeAndFlush(Self.addressed(reply, to: envelope.remoteAddress), promise: nil)
    }

    /// Lets a peer that lost its connection's state (we restarted, or closed it) know at once
    /// (RFC 9000 §10.3); the reset is shorter than the packet that caused it, so it cannot loop.
    private func sendStatelessReset(for id: ConnectionID, answering envelope: AddressedEnvelope<ByteBuffer>,
                                    context: ChannelHandlerContext) {
        let length = min(envelope.data.readableBytes - 1, 43)
        let randomLength = length - Int(NGTCP2_STATELESS_RESET_TOKENLEN)
        guard randomLength >= Int(NGTCP2_MIN_STATELESS_RESET_RANDLEN) else { return }
        let token = statelessResetToken(for: id)
        var random = [UInt8](repeating: 0, count: randomLength)
        random.withUnsafeMutableBufferPointer { NgtcpCallbacks.fillRandom($0) }
        var reply = context.channel.allocator.buffer(capacity: length)
        let written = reply.withUnsafeMutableWritableBytes { space in
            ngtcp2_pkt_write_stateless_reset(space.baseAddress?.assumingMemoryBound(to: UInt8.self), space.count,
                                             token, random, random.count)
        }
        guard written > 0 else { return }
        reply.moveWriterIndex(forwardBy: written)
        context.writeAndFlush(Self.addressed(reply, to: envelope.remoteAddress), promise: nil)
    }

    private static func addressed(_ data: ByteBuffer, to remote: SocketAddress) -> NIOAny {
        NIOAny(AddressedEnvelope(remoteAddress: remote, data: data))
    }

    // MARK: ConnectionOwner

    func route(_ id: ConnectionID, to connection: NgtcpConnection) {
        routes[id] = connection
    }

    func unroute(_ id: ConnectionID) {
        routes[id] = nil
    }

    func statelessResetToken(for id: ConnectionID) -> [UInt8] {
        var token = [UInt8](repeating: 0, count: Int(NGTCP2_STATELESS_RESET_TOKENLEN))
        var cid = id.cid
        _ = ngtcp2_crypto_generate_stateless_reset_token(&token, resetSecret, resetSecret.count, &cid)  // HKDF; cannot fail for these sizes
        return token
    }

    func established(_ connection: NgtcpConnection) {
        established.yield(QUICConnection(engine: NIOLoopBound(connection, eventLoop: connection.eventLoop),
                                         remoteAddress: connection.remote))
    }

    func ended(_ connection: NgtcpConnection) {
        for id in connection.routedIDs where routes[id] === connection { routes[id] = nil }
        connections[ObjectIdentifier(connection)] = nil
    }
}

@available(*, unavailable)
extension ServerEndpoint: Sendable {}
