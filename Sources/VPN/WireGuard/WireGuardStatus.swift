/// What the running WireGuard server reports: its engine, and each peer's live figures.
public struct WireGuardStatus: Sendable, Equatable {
    /// `kernel` or `wireguard-go` (userspace); `nil` when no engine can run here.
    public var backend: String?
    public var isRunning: Bool
    /// Why the server is not running, when it is not and should be.
    public var reason: String?
    public var peers: [WireGuardReport.Peer]

    public init(backend: String?, isRunning: Bool, reason: String?, peers: [WireGuardReport.Peer] = []) {
        self.backend = backend
        self.isRunning = isRunning
        self.reason = reason
        self.peers = peers
    }
}
