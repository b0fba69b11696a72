import Foundation
import Logging
public import NIOCore
import NIOPosix
public import Routing
import ScaleConfig

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
        let isIPv6 = address.protocol == .inet6
        let transparent = isIPv6
            ? ChannelOptions.Types.SocketOption(level: .init(rawValue: CInt(IPPROTO_IPV6)), name: .init(rawValue: IPV6_TRANSPARENT))
            : ChannelOptions.Types.SocketOption(level: .init(rawValue: CInt(IPPROTO_IP)), name: .init(rawValue: IP_TRANSPARENT))
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

/// One captured connection: finds its rule, admits the flow and splices it to the exit.
private final class CapturedConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let gate: InboundGate
    private let routing: any CaptureRouting

    init(gate: InboundGate, routing: any CaptureRouting) {
        self.gate = gate
        self.routing = routing
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        guard let local = channel.localAddress, let target = Target(local), case .ip(let destination) = target.host,
              let route = routing.route(to: destination)
        else {
            // The rule went away between the kernel's capture and now: refuse rather than leak
            // the flow out directly.
            gate.logger.info("captured connection matches no rule; closed",
                             metadata: ["destination": "\(channel.localAddress?.description ?? "?")"])
            context.close(promise: nil)
            return
        }
        let identity = Identity(userID: nil, username: "", inbound: .rule,
                                clientAddress: channel.remoteAddress?.ipAddress ?? "")
        let ticket: FlowTicket
        do {
            ticket = try gate.admit(identity, account: nil, listenerKey: TransparentListener.listenerKey)
        } catch {
            context.close(promise: nil)
            return
        }
        let flow = Flow(identity: identity, exit: route.exit)
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
                    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                    do {
                        try Splice.join(client: channel, target: outbound, leftover: nil, ticket: ticket)
                    } catch {
                        ticket.end()
                    }
                case .failure(let error):
                    logger.info("captured flow could not leave", metadata: [
                        "rule": "\(route.ruleID)", "target": "\(target)", "error": "\(error)",
                    ])
                    ticket.finish()
                    channel.close(promise: nil)
                }
            }
    }
}
