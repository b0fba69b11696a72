public import Reconciler

/// Converges the node's charon: the IKEv2 server's pool and connection, L2TP's IPsec transport
/// connection and each secret.
///
/// A user added, re-passworded or removed changes that user's secret only; a pool or
/// authentication change reloads that part; charon is restarted only when the kernel's ESP
/// support calls for other plugins, or when it died.
public struct IPsecDriver: Driver {
    public typealias Config = IPsecSpec?
    public let kind = "ipsec"
    private let gateway: IPsecGateway
    private let admits: @Sendable (String) -> Bool

    /// - Parameter admits: whether a user may have flows now; the secret of a user who may not
    ///   is unloaded, so the user cannot authenticate (and is loaded again when the user may).
    public init(gateway: IPsecGateway, admits: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.gateway = gateway
        self.admits = admits
    }

    public func desired(for spec: IPsecSpec?) -> [IPsecResource] {
        guard let spec else { return [] }
        let secrets = spec.secrets.filter { $0.kind != .eap || $0.owner.map(admits) ?? true }
        return [.daemon(gateway.settings())] + [spec.pool.map(IPsecResource.pool), spec.connection.map(IPsecResource.connection),
                                                spec.transport.map(IPsecResource.transport)].compactMap { $0 }
            + secrets.map(IPsecResource.secret)
    }

    public func observe() async throws -> [IPsecResource] { gateway.observe() }

    public func apply(_ plan: Plan<IPsecResource>) async -> [Outcome<IPsecResource>] {
        let outcomes = await plan.applyEach { change in
            switch change {
            case .create(.daemon(let settings)), .update(_, .daemon(let settings)): try await gateway.start(settings)
            case .delete(.daemon): await gateway.stop()
            case .create(let resource), .update(_, let resource): try gateway.load(resource)
            case .delete(let resource): try gateway.unload(resource)
            }
        }
        gateway.record(failures: outcomes.compactMap { outcome in
            guard case .failed(let change, let reason) = outcome else { return nil }
            return (change.resource, reason)
        })
        return outcomes
    }
}
