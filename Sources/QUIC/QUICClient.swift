public import Logging
public import NIOCore
public import NIOPosix

/// Opens client connections: one UDP socket per connection, owned by the connection.
public enum QUICClient {
    /// Connects to `remote` and completes the QUIC and TLS 1.3 handshakes.
    ///
    /// - Parameters:
    ///   - serverName: the SNI name, and the name the certificate must carry unless `insecure`.
    ///   - alpn: protocols to offer; the server must pick one (Hysteria 2 uses `h3`).
    ///   - insecure: skip certificate verification (self-signed servers, tests).
    ///   - trustedAuthoritiesPEM: PEM certificates to verify the server against instead of the
    ///     system store.
    /// - Throws: ``QUICError`` `handshakeFailed` when the handshake does not complete within
    ///   ``QUICConfiguration/handshakeTimeout``; socket errors from NIO.
    public static func connect(
        to remote: SocketAddress,
        serverName: String,
        alpn: [String] = ["h3"],
        insecure: Bool = false,
        trustedAuthoritiesPEM: String? = nil,
        configuration: QUICConfiguration = QUICConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> QUICConnection {
        let bindHost = remote.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)  // a burst at full window must not overflow the kernel queue
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try configuration.addObfuscation(to: channel) }
            }
            .bind(host: bindHost, port: 0)
            .get()
        let tls = TLSClientOptions(serverName: serverName, alpn: alpn, verifiesCertificate: !insecure,
                                   trustedAuthoritiesPEM: trustedAuthoritiesPEM)
        do {
            return try await channel.eventLoop.flatSubmit {
                do {
                    let engine = try NgtcpConnection(
                        channel: channel, remote: remote, tls: tls, configuration: configuration, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler(engine: engine))
                    let connection = QUICConnection(engine: NIOLoopBound(engine, eventLoop: channel.eventLoop),
                                                    remoteAddress: remote)
                    return engine.start().map { connection }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }.get()
        } catch {
            try? await channel.close()  // the handshake error is the one worth reporting
            throw error
        }
    }
}
