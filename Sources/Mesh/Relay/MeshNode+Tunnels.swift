import MeshWire
import NIOCore

extension MeshNode {
    /// Opens a raw IP tunnel to the exit at the end of `path` (`us` or `us/us-east`): a stream
    /// `_relay_iptun_<our name>`, inside a via address when the exit is further than one hop.
    /// - Throws: ``MeshRouteError`` when the path is blocked or its first hop is not connected;
    ///   the stream's errors when the exit refuses.
    public func openTunnel(along path: String) async throws -> PacketTunnel {
        let exitPath = try ExitPath(path, settings: settings)
        guard !exitPath.hops.isEmpty else { throw MeshRouteError.noPathTo(path) }
        let (peer, hops) = try firstHop(of: exitPath)
        let tunnel = StreamAddress.ipTunnel(originName: settings.name)
        let address = hops.count == 1
            ? tunnel.formatted
            : try ViaRoute(hops: Array(hops.dropFirst()), target: tunnel).formatted
        let (stream, leftover) = try await openStream(address, on: peer, answerWithin: Self.pathBudget)
        return PacketTunnel(stream: stream, leftover: leftover) { sent, received in
            peer.count(sent: UInt64(sent), received: UInt64(received))
        }
    }

    /// Whether the first hop of `path` said it can exit raw IP tunnels (its metadata's `tun`).
    public func canTunnel(along path: String) -> Bool {
        guard let exitPath = try? ExitPath(path, settings: settings), !exitPath.hops.isEmpty,
              let (peer, _) = try? firstHop(of: exitPath) else { return false }
        return peer.metadata.isTUNCapable
    }
}
