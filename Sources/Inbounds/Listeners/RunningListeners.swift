import Access
import Addressing
import NodeState
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
    /// Where each bound socket is recorded (by spec key) and logged.
    private let gate: InboundGate
    private var running: [String: Running] = [:]

    init(group: any EventLoopGroup, handshakeTimeout: TimeAmount, gate: InboundGate) {
        self.group = group
        self.handshakeTimeout = handshakeTimeout
        self.gate = gate
    }

    func specs() -> [ListenerSpec] { running.values.map(\.spec) }

    func start(_ spec: ListenerSpec, settings: ListenerSettings) async throws {
        let fresh = try await bind(spec, settings: settings)
        running[spec.key] = fresh
        record(fresh)
    }

    /// Same address: new connections get the new settings, live ones keep going. New address:
    /// the new socket is bound before the old one closes.
    func replace(_ old: ListenerSpec, with new: ListenerSpec, settings: ListenerSettings) async throws {
        guard let current = running[old.key] else { return try await start(new, settings: settings) }
        if new.needsRebind(from: old) {
            let fresh = try await bind(new, settings: settings)
            running[new.key] = fresh
            record(fresh)
            for socket in current.sockets { try? await socket.close() }
        } else {
            current.settings.withLockedValue { $0 = settings }
            running[new.key]?.spec = new
        }
    }

    func stop(_ key: String) async {
        guard let current = running.removeValue(forKey: key) else { return }
        gate.listeners.forget(key)
        for socket in current.sockets { try? await socket.close() }
    }

    /// Records the listening socket (the TCP one; Shadowsocks UDP shares its port).
    private func record(_ listener: Running) {
        guard let address = listener.sockets.first?.localAddress else { return }
        gate.listeners.record(BoundListener(key: listener.spec.key, listen: listener.spec.listen,
                                            host: address.ipAddress ?? "", port: address.port ?? 0), logger: gate.logger)
    }

    private func bind(_ spec: ListenerSpec, settings: ListenerSettings) async throws -> Running {
        guard case .success(let address) = ListenAddress.parse(spec.listen, allowsAnyPort: true) else { throw ListenerError.badAddress(spec.listen) }
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
                // Port 0 lets the kernel pick the TCP port; the UDP relay takes the same number.
                let port = tcp.localAddress?.port ?? address.port
                sockets.append(try await ShadowsocksUDPServer.bind(host: host, port: port, group: group, settings: box))
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
