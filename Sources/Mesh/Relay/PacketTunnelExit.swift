/// Where a node sends IP packets that peers tunnel to it (§9): a kernel device that forwards them
/// and masquerades, provided by the layer that owns the kernel objects.
public protocol PacketTunnelExit: Sendable {
    /// Carries `tunnel`'s packets into the host's network, and replies back, until either side
    /// ends it.
    /// - Parameter origin: the name the entry node gave; for logs only.
    func serve(_ tunnel: PacketTunnel, origin: String) async
}
