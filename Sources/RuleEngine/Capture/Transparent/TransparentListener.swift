public import Access
import Addressing
import Foundation
import LinuxNet
import Logging
public import NIOCore
import NIOPosix
import Routing

/// A TCP listener for connections the kernel captured with TPROXY: each connection arrives with
/// its original destination as the local address, and leaves through the exit of the rule that
/// captured it (DECISIONS #15). No handshake: the client believes it talks to the target.
public final class TransparentListener: Sendable {
    /// The listener key flows are admitted under: they end when the listener goes.
    public static let listenerKey = "rules"

    private let channel: any Channel
    private let gate: InboundGate

    private init(channel: any Channel, gate: InboundGate) {
        self.channel = channel
        self.gate = gate
    }

    /// Binds `address` with `IP_TRANSPARENT` (or its IPv6 twin), which needs `CAP_NET_ADMIN`.
    public static func bind(_ address: SocketAddress, gate: InboundGate, routing: any CaptureRouting,
                            group: any EventLoopGroup) async throws -> TransparentListener {
        let option = (address.protocol == .inet6 ? IPFamily.ipv6 : .ipv4).transparentOption
        let transparent = ChannelOptions.Types.SocketOption(level: .init(rawValue: option.level), name: .init(rawValue: option.name))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(transparent, value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CapturedConnection(gate: gate, routing: routing))
                }
            }
            .bind(to: address).get()
        return TransparentListener(channel: channel, gate: gate)
    }

    public var localAddress: SocketAddress? { channel.localAddress }

    /// Stops accepting and ends the flows this listener admitted.
    public func close() async {
        try? await channel.close()
        gate.endFlows(ofListener: Self.listenerKey)
    }
}

/// One captured connection: reads the name the client asks for from its first bytes (TLS SNI
/// or HTTP Host, for at most ``sniffWindow``), finds its rule, admits the flow and splices it to
/// the exit with those bytes first.
private final class CapturedConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// How long a client may take to send its first bytes before the flow goes by address
    /// alone; protocols where the server speaks first (SSH, SMTP) pay this once.
    static let sniffWindow = TimeAmount.milliseconds(300)

    private let gate: InboundGate
    private let routing: any CaptureRouting
    private var received = ByteBuffer()
    private var isDecided = false
    private var deadline: Scheduled<Void>?

    init(gate: InboundGate, routing: any CaptureRouting) {
        self.gate = gate
        self.routing = routing
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: Self.sniffWindow) {
            let (handler, context) = loopBound.value
            handler.decide(context, host: nil)
        }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        received.writeBuffer(&chunk)
        guard !isDecided else { return }
        switch HostSniffer.sniff(received) {
        case .host(let host): decide(context, host: host)
        case .noHost: decide(context, host: nil)
        case .needMoreBytes: context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        isDecided = true
        context.fireChannelInactive()
    }

    private func decide(_ context: ChannelHandlerContext, host: String?) {
        guard !isDecided else { return }
        isDecided = true
        deadline?.cancel()
        let channel = context.channel
        guard let local = channel.localAddress, let original = Target(local), case .ip(let destination) = original.host,
              let remote = channel.remoteAddress.flatMap(Target.init), case .ip(let source) = remote.host,
              let route = routing.route(from: source, to: destination, host: host)
        else {
            // The rule went away between the kernel's capture and now: refuse rather than leak
            // the flow out directly.
            gate.logger.info("captured connection matches no rule and no gateway client; closed",
                             metadata: ["destination": "\(channel.localAddress?.description ?? "?")"])
            context.close(promise: nil)
            return
        }
        let target = route.dialsHost ? host.flatMap { Target(hostText: $0, port: original.port) } ?? original : original
        let ticket: FlowTicket
        let identity: Identity
        let exit: ExitRoute
        do {
            guard let (who, account) = route.admission(from: source, gate: gate) else { throw AuthRefusal.disabled }
            identity = who
            exit = route.exit(for: account)
            ticket = try gate.admit(identity, account: account, listenerKey: TransparentListener.listenerKey)
        } catch {
            context.close(promise: nil)
            return
        }
        let flow = Flow(identity: identity, exit: exit)
        let loop = context.eventLoop
        let router = gate.router
        let logger = gate.logger
        loop.makeFutureWithTask { try await router.openStream(to: target, for: flow, on: loop) }
            .hop(to: loop).assumeIsolated().whenComplete { result in
                switch result {
                case .success(let outbound):
                    guard channel.isActive else {
                        outbound.close(promise: nil)
                        ticket.finish()
                        return
                    }
                    let leftover = self.received
                    self.received = ByteBuffer()
                    // Out of the way of the splice: what the client sends from now on is the target's.
                    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                    do {
                        try Splice.join(client: channel, target: outbound, leftover: leftover, ticket: ticket)
                    } catch {
                        ticket.end()
                    }
                case .failure(let error):
                    logger.info("captured flow could not leave", metadata: [
                        "route": "\(route.label)", "target": "\(target)", "error": "\(error)",
                    ])
                    ticket.finish()
                    channel.close(promise: nil)
                }
            }
    }
}
