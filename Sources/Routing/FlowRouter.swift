public import Addressing
public import NIOCore

/// A flow about to leave: who it belongs to and which way it goes.
public struct Flow: Hashable, Sendable, CustomStringConvertible {
    public var identity: Identity
    public var exit: ExitRoute

    public init(identity: Identity, exit: ExitRoute) {
        self.identity = identity
        self.exit = exit
    }

    public var description: String { "\(identity) via \(exit)" }
}

/// The one seam every inbound's traffic crosses (DESIGN invariant 7): it opens the outbound side
/// of a flow, directly or along an exit path through the mesh.
public protocol FlowRouter: Sendable {
    /// Opens a byte stream to `target`.
    ///
    /// - Returns: an active channel with `autoRead` off and nothing in its pipeline; the caller
    ///   adds its handlers and turns reading on, so no early byte from the target is lost.
    /// - Throws: ``RouteError`` naming what failed.
    func openStream(to target: Target, for flow: Flow, on eventLoop: any EventLoop) async throws -> any Channel

    /// Opens a datagram path whose replies arrive through `onReply`, with the address they came
    /// from, until ``DatagramPath/close()``.
    func openDatagrams(for flow: Flow, on eventLoop: any EventLoop,
                       onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> any DatagramPath
}

/// The outbound side of a datagram flow.
public protocol DatagramPath: Sendable {
    /// Sends one datagram; a datagram that cannot be sent is dropped, as UDP would.
    func send(_ payload: ByteBuffer, to target: Target)
    /// Releases the path; replies stop.
    func close()
}

/// Why an outbound could not be opened.
public enum RouteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No path of the exit route could be reached and it does not fall back to direct.
    case exitUnreachable(ExitRoute, reason: String)
    /// The target refused, timed out or could not be resolved.
    case targetUnreachable(Target, reason: String)

    public var description: String {
        switch self {
        case .exitUnreachable(let route, let reason): "exit \(route) unreachable: \(reason)"
        case .targetUnreachable(let target, let reason): "\(target) unreachable: \(reason)"
        }
    }
}
