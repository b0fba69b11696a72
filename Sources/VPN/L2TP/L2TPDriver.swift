public import Reconciler

/// Converges the L2TP server: xl2tpd with its settings, then each user's secret.
///
/// A user added, re-passworded or removed changes that user's line of `chap-secrets` only (pppd
/// reads it at each authentication, so no call ends); a user removed, disabled or kicked also
/// has the user's calls ended. A change of port, pool, MTU or DNS restarts xl2tpd.
public struct L2TPDriver: Driver {
    public typealias Config = L2TPSpec?
    public let kind = "l2tp"
    private let gateway: L2TPGateway
    private let admits: @Sendable (String) -> Bool

    /// - Parameter admits: whether a user may have flows now; a user who may not is left out
    ///   of `chap-secrets` and has the user's calls ended.
    public init(gateway: L2TPGateway, admits: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.gateway = gateway
        self.admits = admits
    }

    public func desired(for spec: L2TPSpec?) -> [L2TPResource] {
        guard let spec else { return [] }
        return [.daemon(spec.server)] + spec.secrets.filter { admits($0.username) }.map(L2TPResource.secret)
    }

    public func observe() async throws -> [L2TPResource] { gateway.observe() }

    public func apply(_ plan: Plan<L2TPResource>) async -> [Outcome<L2TPResource>] {
        let outcomes = await plan.applyEach { change in
            switch change {
            case .create(.daemon(let server)), .update(_, .daemon(let server)): try await gateway.start(server)
            case .delete(.daemon): await gateway.stop()
            case .create(.secret(let secret)), .update(_, .secret(let secret)): try gateway.load(secret)
            case .delete(.secret(let secret)): try gateway.unload(secret)
            }
        }
        gateway.record(failure: outcomes.lazy.compactMap(\.failureReason).first)
        return outcomes
    }
}
