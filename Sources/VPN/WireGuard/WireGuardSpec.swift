public import Addressing

/// What the config wants of the WireGuard server: the device, and one entry per peer.
public struct WireGuardSpec: Hashable, Sendable {
    public var device: DeviceSpec
    public var peers: [PeerSpec]
    /// The user each linked peer belongs to, by its public key: a peer whose user may not have
    /// flows now is kept off the device.
    public var users: [WireGuardKey: String]

    public init(device: DeviceSpec, peers: [PeerSpec], users: [WireGuardKey: String] = [:]) {
        self.device = device
        self.peers = peers
        self.users = users
    }

    /// The device's own settings; a change reconfigures the device in place.
    public struct DeviceSpec: Hashable, Sendable {
        /// Clamped, as the device reports it back.
        public var privateKey: WireGuardKey
        public var listenPort: UInt16
        /// This node's tunnel addresses, each with the prefix of its client pool; sorted.
        public var addresses: [IPNetwork]
        public var mtu: UInt32
        /// Whether the device is up; always wanted.
        public var isUp = true

        public init(privateKey: WireGuardKey, listenPort: UInt16, addresses: [IPNetwork], mtu: UInt32) {
            self.privateKey = privateKey.clamped
            self.listenPort = listenPort
            self.addresses = addresses.sorted { $0.description < $1.description }
            self.mtu = mtu
        }
    }

    /// One peer as the device holds it; a change touches only that peer.
    public struct PeerSpec: Hashable, Sendable {
        public var publicKey: WireGuardKey
        /// Host bits cleared, as the device reports them back; sorted.
        public var allowedIPs: [IPNetwork]
        /// Seconds; 0 is off.
        public var keepalive: Int

        public init(publicKey: WireGuardKey, allowedIPs: [IPNetwork], keepalive: Int) {
            self.publicKey = publicKey
            self.allowedIPs = allowedIPs.map(\.masked).sorted { $0.description < $1.description }
            self.keepalive = max(0, keepalive)
        }
    }
}
