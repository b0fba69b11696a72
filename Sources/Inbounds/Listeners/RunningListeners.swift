import Access
import Addressing
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Routing

/// The listeners bound right now, by resource key: the observed state of ``ListenerDriver``.
actor RunningListeners {
    private struct Running {
        var spec: ListenerSpec
        let settings: NIOLockedValueBox<ListenerSettings>
        let sockets: [any Channel]
    }

    private let group: any EventLoopGroup
    private let handshakeTimeout: TimeAmount
    private var running: [String: Running] = [:]

    init(group: any EventLoopGroup, handshakeTimeout: TimeAmount) {
        self.group = group
        self.handshakeTimeout = handshakeTimeout
    }

    func specs() -> [ListenerSpec] { running.values.map(\.spec) }

    func start(_ spec: ListenerSpec, settings: ListenerSettings) async throws {
        running[spec.key] = try await bind(spec, settings: settings)
    }

    /// Same address: new connections get the new settings, live ones keep going. New address:
    /// the new socket is bound before the old one closes.
    func replace(_ old: ListenerSpec, with new: ListenerSpec, settings: ListenerSettings) async throws {
        guard let current = running[old.key] else { return try await start(new, settings: settings) }
        if new.needsRebind(from: old) {
            let fresh = try await bind(new, settings: settings)
            running[new.key] = fresh
            for socket in current.sockets { try? await socket.close() }
        } else {
            current.settings.withLockedValue { $0 = settings }
            running[new.key]?.spec = new
        }
    }

    func stop(_ key: String) async {
        guard let current = running.removeValue(forKey: key) else { return }
        for socket in current.sockets { try? await socket.close() }
    }

    private func bind(_ spec: ListenerSpec, settings: ListenerSettings) async throws -> Running {
        guard case .success(let address) = ListenAddress.parse(spec.listen) else { throw ListenerError.badAddress(spec.listen) }
        let host = address.host.isEmpty ? "0.0.0.0" : address.host
        let box = NIOLockedValueBox(settings)
        var sockets: [any Channel] = []
        do {
            let tcp = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { [handshakeTimeout] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HandshakeDeadline(limit: handshakeTimeout))
                        try InboundPipeline.configure(channel, with: box.withLockedValue { $0 })
                    }
                }
                .bind(host: host, port: address.port).get()
            sockets.append(tcp)
            if spec.inbound == .ss {
                sockets.append(try await ShadowsocksUDPServer.bind(host: host, port: address.port, group: group, settings: box))
            }
        } catch {
            for socket in sockets { try? await socket.close() }
            throw ListenerError.bind(spec.listen, reason: "\(error)")
        }
        return Running(spec: spec, settings: box, sockets: sockets)
    }
}

/// The handlers of a new client connection, by inbound.
enum InboundPipeline {
    static func configure(_ channel: any Channel, with settings: ListenerSettings) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls = settings.tls {
            try pipeline.addHandler(NIOSSLServerHandler(context: tls))
        }
        switch settings.context.inbound {
        case .http:
            try HTTPProxyPipeline.configure(pipeline, listener: settings.context)
        case .ss:
            try ShadowsocksTCPServer.configure(pipeline, settings: settings)
        default:
            try pipeline.addHandler(SOCKS5ServerHandler(listener: settings.context))
        }
    }
}
