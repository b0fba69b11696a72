public import Logging
public import NIOCore
public import NIOPosix

/// A QUIC server: one UDP socket, many connections told apart by connection ID.
///
/// Connections appear in ``connections`` once their TLS handshake is complete. Every connection
/// of a server runs on the socket's event loop.
public final class QUICServer: Sendable {
    /// The address the socket is bound to (with the port the system chose for port 0).
    public let localAddress: SocketAddress
    /// Connections whose handshake completed, in that order; ends when the server closes.
    /// One consumer.
    public let connections: AsyncStream<QUICConnection>
    /// Datagrams one `recvmmsg` reads.
    private static let packetsPerRead = 32
    /// Room for one datagram: a 1500-byte MTU's payload and more (Salamander keeps QUIC under 2048).
    private static let datagramSlot = 2048
    private let channel: any Channel
    private let endpoint: NIOLoopBound<ServerEndpoint>

    private init(channel: any Channel, endpoint: NIOLoopBound<ServerEndpoint>, connections: AsyncStream<QUICConnection>) throws {
        guard let localAddress = channel.localAddress else { throw QUICError(.engine, "the UDP socket has no local address") }
        self.localAddress = localAddress
        self.channel = channel
        self.endpoint = endpoint
        self.connections = connections
    }

    /// Binds a UDP socket at `address` and starts accepting connections.
    ///
    /// - Parameters:
    ///   - identity: the certificate chain and key presented to clients.
    ///   - alpn: protocols accepted; a client offering none of them fails the handshake.
    /// - Throws: ``QUICError`` `engine` when the certificate or key is unusable; socket errors
    ///   (address in use, permission) from NIO.
    public static func bind(
        to address: SocketAddress,
        identity: QUICServerIdentity,
        alpn: [String] = ["h3"],
        configuration: QUICConfiguration = QUICConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> QUICServer {
        let credentials = try GnuTLSCredentials.server(identity)
        let (connections, continuation) = AsyncStream<QUICConnection>.makeStream()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)  // bursts from many clients at full window
            .channelOption(.maxMessagesPerRead, value: 4)
            .channelOption(.datagramVectorReadMessageCount, value: Self.packetsPerRead)
            // recvmmsg splits one buffer among the packets: each slot must hold a whole datagram.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.packetsPerRead * Self.datagramSlot))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configuration.addObfuscation(to: channel)
                    let endpoint = ServerEndpoint(credentials: credentials, alpn: alpn, configuration: configuration,
                                                  logger: logger, established: continuation)
                    try channel.pipeline.syncOperations.addHandler(endpoint)
                }
            }
            .bind(to: address)
            .get()
        do {
            let endpoint = try await channel.pipeline.handler(type: ServerEndpoint.self)
                .map { NIOLoopBound($0, eventLoop: channel.eventLoop) }.get()
            return try QUICServer(channel: channel, endpoint: endpoint, connections: connections)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Presents `identity` in every handshake from now on; live connections keep theirs.
    /// - Throws: ``QUICError`` `engine` when the certificate or key is unusable (nothing changes).
    public func replaceIdentity(_ identity: QUICServerIdentity) async throws {
        let credentials = try GnuTLSCredentials.server(identity)
        try await channel.eventLoop.submit { [endpoint] in endpoint.value.credentials = credentials }.get()
    }

    /// Connections currently open (handshaking or established).
    public func connectionCount() async throws -> Int {
        try await channel.eventLoop.submit { [endpoint] in endpoint.value.connectionCount }.get()
    }

    /// Closes every connection with application error `errorCode`, then the socket; idempotent.
    public func close(errorCode: UInt64 = 0) async {
        _ = try? await channel.eventLoop.submit { [endpoint] in endpoint.value.closeConnections(errorCode: errorCode) }.get()
        try? await channel.close()  // already closed is the only failure
    }
}
