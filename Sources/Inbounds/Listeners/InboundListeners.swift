public import Access
import Addressing
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
import NIOSSL
import Routing

/// The proxy and Shadowsocks listeners bound right now, by key. Starting one binds it, replacing
/// one swaps its settings in place (its connections live on) or, at a new address, binds the new
/// socket before closing the old one, and stopping one closes it and ends its flows. The node's
/// listener driver converges the config onto these operations.
public actor InboundListeners {
    private struct Running {
        var spec: ListenerSpec
        let settings: NIOLockedValueBox<ListenerSettings>
        let sockets: [any Channel]
    }

    private let group: any EventLoopGroup
    private let handshakeTimeout: TimeAmount
    /// Where flows are admitted, and each bound socket is recorded (by spec key) and logged.
    private let gate: InboundGate
    private let certificates: (any CertificateFiles)?
    private let shadowsocks = ShadowsocksListenerState()
    private var running: [String: Running] = [:]

    /// - Parameters:
    ///   - certificates: the TLS store a listener with `tls` reads its certificate from.
    ///   - handshakeTimeout: how long a client may take from connecting to its first byte of
    ///     payload (TLS, authentication and request included).
    public init(gate: InboundGate, certificates: (any CertificateFiles)?, group: any EventLoopGroup,
                handshakeTimeout: TimeAmount = .seconds(10)) {
        self.group = group
        self.handshakeTimeout = handshakeTimeout
        self.gate = gate
        self.certificates = certificates
    }

    /// The specs of the bound listeners.
    public func specs() -> [ListenerSpec] { running.values.map(\.spec) }

    public func start(_ spec: ListenerSpec) async throws {
        let fresh = try await bind(spec, settings: try settings(for: spec))
        running[spec.key] = fresh
        record(fresh)
    }

    /// Same address: new connections get the new settings, live ones keep going. New address:
    /// the new socket is bound before the old one closes.
    public func replace(_ old: ListenerSpec, with new: ListenerSpec) async throws {
        let settings = try settings(for: new)
        guard let current = running[old.key] else { return try await start(new) }
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

    /// Closes the listener under `key` and ends its flows.
    public func stop(_ key: String) async {
        if let current = running.removeValue(forKey: key) {
            gate.forgetListening(key)
            for socket in current.sockets { try? await socket.close() }
        }
        gate.endFlows(ofListener: key)
    }

    private func settings(for spec: ListenerSpec) throws -> ListenerSettings {
        try ListenerSettings(spec: spec, gate: gate, certificates: certificates, shadowsocks: shadowsocks)
    }

    /// Records the listening socket (the TCP one; Shadowsocks UDP shares its port).
    private func record(_ listener: Running) {
        guard let address = listener.sockets.first?.localAddress else { return }
        gate.recordListening(key: listener.spec.key, listen: listener.spec.listen, at: address)
    }

    private func bind(_ spec: ListenerSpec, settings: ListenerSettings) async throws -> Running {
        guard case .success(let address) = ListenAddress.parse(spec.listen, allowsAnyPort: true) else { throw ListenerError.badAddress(spec.listen) }
        let host = address.host.isEmpty ? "0.0.0.0" : address.host
        let box = NIOLockedValueBox(settings)
        // At port 0 the kernel picks the TCP port and Shadowsocks' UDP relay must take the same
        // number, which another UDP socket may already hold: then the pair is bound afresh.
        var retriesLeft = spec.inbound == .ss && address.port == 0 ? 8 : 0
        while true {
            var sockets: [any Channel] = []
            do {
                let tcp = try await bindTCP(host: host, port: address.port, settings: box)
                sockets.append(tcp)
                if spec.inbound == .ss {
                    let port = tcp.localAddress?.port ?? address.port
                    do {
                        sockets.append(try await ShadowsocksUDPServer.bind(host: host, port: port, group: group, settings: box))
                    } catch where retriesLeft > 0 {
                        retriesLeft -= 1
                        try? await tcp.close()
                        continue
                    }
                }
                return Running(spec: spec, settings: box, sockets: sockets)
            } catch {
                for socket in sockets { try? await socket.close() }
                throw ListenerError.bind(spec.listen, reason: "\(error)")
            }
        }
    }

    private func bindTCP(host: String, port: Int, settings box: NIOLockedValueBox<ListenerSettings>) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [handshakeTimeout] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HandshakeDeadline(limit: handshakeTimeout))
                    try InboundPipeline.configure(channel, with: box.withLockedValue { $0 })
                }
            }
            .bind(host: host, port: port).get()
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
