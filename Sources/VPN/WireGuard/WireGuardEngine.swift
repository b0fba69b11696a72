/// What runs the WireGuard device: the kernel (``KernelWireGuard``), or a supervised
/// `wireguard-go` (``WireGuardGo``). The gateway holds one and changes the device through it.
protocol WireGuardEngine: Sendable {
    /// `kernel` or `wireguard-go`: the backend the API and the plan name.
    var name: String { get }
    /// Whether the device exists and answers.
    var isRunning: Bool { get }
    /// Why the device went away on its own, when the engine knows (an exit).
    var stoppedReason: String? { get }
    /// Makes the device (down, no key, no peers) and returns once it answers.
    func start() async throws(WireGuardError)
    /// Removes the device with its peers.
    func stop() async
    func report() throws(WireGuardError) -> WireGuardReport
    /// Sets the device's key and port; its peers are left alone.
    func configure(_ device: WireGuardSpec.DeviceSpec) throws(WireGuardError)
    /// Adds `peer`, or replaces its allowed IPs and keepalive when it exists.
    func set(_ peer: WireGuardSpec.PeerSpec) throws(WireGuardError)
    /// Removes the peer with `key`; its sessions end at once.
    func remove(_ key: WireGuardKey) throws(WireGuardError)
}
