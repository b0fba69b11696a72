public import NIOCore
import NIOPosix
public import Routing
public import Addressing

/// The router of a node without the mesh: every flow leaves from this host.
///
/// A flow whose exit names peers fails closed (DECISIONS #14) unless it falls back to direct:
/// no path can be reached while the relay is not running.
public struct DirectRouter: FlowRouter {
    /// How long a TCP connect may take (reference §0.3).
    public static let connectTimeout = TimeAmount.seconds(10)

    /// The packet mark of this node's own outbound sockets, so its host routing rules never
    /// capture them (a captured flow that falls back to direct would otherwise loop back into
    /// capture); `nil` leaves sockets unmarked, as setting a mark needs `CAP_NET_ADMIN`.
    let socketMark: UInt32?

    public init(socketMark: UInt32? = nil) {
        self.socketMark = socketMark
    }

    /// `SO_MARK`, for the bootstraps of this target.
    static let markOption = ChannelOptions.Types.SocketOption(level: .init(rawValue: SOL_SOCKET), name: .init(rawValue: SO_MARK))

    public func openStream(to target: Target, for flow: Flow, on eventLoop: any EventLoop) async throws -> any Channel {
        try admit(flow)
        var bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let socketMark { bootstrap = bootstrap.channelOption(Self.markOption, value: Int(socketMark)) }
        do {
            // An address needs no resolver round trip; a name goes through happy eyeballs.
            if let address = target.socketAddress {
                return try await bootstrap.connect(to: address).get()
            }
            return try await bootstrap.connect(host: target.hostText, port: Int(target.port)).get()
        } catch {
            throw RouteError.targetUnreachable(target, reason: "\(error)")
        }
    }

    public func openDatagrams(for flow: Flow, on eventLoop: any EventLoop,
                              onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> any DatagramPath {
        try admit(flow)
        return try await DirectDatagramPath.open(on: eventLoop, socketMark: socketMark, onReply: onReply)
    }

    private func admit(_ flow: Flow) throws {
        guard flow.exit.isDirect || flow.exit.fallback == .direct else {
            throw RouteError.exitUnreachable(flow.exit, reason: "no peer connection on this node")
        }
    }
}
