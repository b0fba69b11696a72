public import Reconciler

/// Converges the IKEv2 server: charon, its pool, its connection and each secret.
///
/// A user added, re-passworded or removed changes that user's secret only; a pool or
/// authentication change reloads that part; charon is restarted only when the kernel's ESP
/// support calls for other plugins, or when it died.
public struct IKEv2Driver: Driver {
    public typealias Config = IKEv2Spec?
    public let kind = "ikev2"
    private let gateway: IKEv2Gateway
    private let admits: @Sendable (String) -> Bool

    /// - Parameter admits: whether a user may have flows now; the secret of a user who may not
    ///   is unloaded, so the user cannot authenticate (and is loaded again when the user may).
    public init(gateway: IKEv2Gateway, admits: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.gateway = gateway
        self.admits = admits
    }

    public func desired(for spec: IKEv2Spec?) -> [IKEv2Resource] {
        guard let spec else { return [] }
        let secrets = spec.secrets.filter { $0.kind != .eap || $0.owner.map(admits) ?? true }
        return [.daemon(gateway.settings()), .pool(spec.pool), .connection(spec.connection)] + secrets.map(IKEv2Resource.secret)
    }

    public func observe() async throws -> [IKEv2Resource] { gateway.observe() }

    public func apply(_ plan: Plan<IKEv2Resource>) async -> [Outcome<IKEv2Resource>] {
        let outcomes = await plan.applyEach { change in
            switch change {
            case .create(.daemon(let settings)), .update(_, .daemon(let settings)): try await gateway.start(settings)
            case .delete(.daemon): await gateway.stop()
            case .create(let resource), .update(_, let resource): try gateway.load(resource)
            case .delete(let resource): try gateway.unload(resource)
            }
        }
        gateway.record(failure: outcomes.lazy.compactMap(\.failureReason).first)
        return outcomes
    }
}
