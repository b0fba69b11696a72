public import Reconciler

/// Converges the WireGuard server: the device (its key, port, addresses, MTU) and each peer.
///
/// A peer's change touches only that peer, so other tunnels keep their sessions; a device
/// change is made in place; a device that is missing, was changed by hand or stopped answering
/// is put back at the next reconcile (drift checks included). A peer linked to a user follows
/// the user: off the device while the user may not have flows.
public struct WireGuardDriver: Driver {
    public typealias Config = WireGuardSpec?
    public let kind = "wireguard"
    private let gateway: WireGuardGateway
    private let admits: @Sendable (String) -> Bool

    /// - Parameter admits: whether a user may have flows now; a peer linked to a user who may
    ///   not is taken off the device (and put back when the user may again).
    public init(gateway: WireGuardGateway, admits: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.gateway = gateway
        self.admits = admits
    }

    public func desired(for spec: WireGuardSpec?) -> [WireGuardResource] {
        guard let spec else { return [] }
        let admitted = spec.peers.filter { peer in spec.users[peer.publicKey].map(admits) ?? true }
        return [.device(spec.device)] + admitted.map(WireGuardResource.peer)
    }

    public func observe() async throws -> [WireGuardResource] { try gateway.observe() }

    public func apply(_ plan: Plan<WireGuardResource>) async -> [Outcome<WireGuardResource>] {
        let outcomes = await plan.applyEach { change in
            switch change {
            case .create(.device(let device)): try await gateway.create(device)
            case .update(.device(let old), .device(let new)): try await gateway.update(from: old, to: new)
            case .delete(.device): await gateway.delete()
            case .create(.peer(let peer)), .update(_, .peer(let peer)): try gateway.set(peer)
            case .delete(.peer(let peer)): try gateway.remove(peer.publicKey)
            case .update(.peer, .device):
                throw WireGuardError.device("a key names either the device or a peer, never both")
            }
        }
        gateway.record(failure: outcomes.lazy.compactMap(\.failureReason).first)
        return outcomes
    }
}
