public import Addressing
import Egress
import Logging
public import NIOCore
public import Routing

/// The node's router (DESIGN invariant 7): a flow with no exit path leaves from this host; one
/// with paths goes through the mesh, and fails closed when no path can be reached unless it
/// asked for `fallback: direct` (DECISIONS #14).
public struct MeshRouter: FlowRouter {
    let node: MeshNode

    public init(node: MeshNode) {
        self.node = node
    }

    public func openStream(to target: Target, for flow: Flow, on eventLoop: any EventLoop) async throws -> any Channel {
        if flow.exit.isDirect { return try await node.direct.openStream(to: target, for: flow, on: eventLoop) }
        do {
            return try await node.openExitStream(to: target, along: flow.exit, on: eventLoop)
        } catch let error as RouteError {
            throw error
        } catch {
            guard flow.exit.fallback == .direct else { throw RouteError.exitUnreachable(flow.exit, reason: "\(error)") }
            node.logger.info("exit unreachable; leaving directly as configured", metadata: ["flow": "\(flow)", "reason": "\(error)"])
            return try await node.direct.openStream(to: target, for: Flow(identity: flow.identity, exit: .direct), on: eventLoop)
        }
    }

    public func openDatagrams(for flow: Flow, on eventLoop: any EventLoop,
                              onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> any DatagramPath {
        if flow.exit.isDirect { return try await node.direct.openDatagrams(for: flow, on: eventLoop, onReply: onReply) }
        do {
            return try await node.openExitDatagrams(along: flow.exit, on: eventLoop, onReply: onReply)
        } catch {
            guard flow.exit.fallback == .direct else { throw RouteError.exitUnreachable(flow.exit, reason: "\(error)") }
            node.logger.info("exit unreachable; leaving directly as configured", metadata: ["flow": "\(flow)", "reason": "\(error)"])
            return try await node.direct.openDatagrams(for: Flow(identity: flow.identity, exit: .direct), on: eventLoop, onReply: onReply)
        }
    }
}
