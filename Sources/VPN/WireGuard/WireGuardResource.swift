public import Reconciler
import Addressing

/// What the WireGuard driver converges: the device, and each peer on it.
public enum WireGuardResource: Resource {
    case device(WireGuardSpec.DeviceSpec)
    case peer(WireGuardSpec.PeerSpec)

    /// The device sorts first, so it exists before its peers are added.
    public var key: String {
        switch self {
        case .device: "0 device"
        case .peer(let peer): "1 peer \(peer.publicKey.base64)"
        }
    }

    /// Never the private key: the device is named by its public key.
    public var description: String {
        switch self {
        case .device(let device):
            "wireguard device \(WireGuardGateway.deviceName) key \(device.privateKey.publicKey?.base64 ?? "?") port \(device.listenPort) "
                + "address \(device.addresses.map(\.description).joined(separator: ",")) mtu \(device.mtu)" + (device.isUp ? "" : " down")
        case .peer(let peer):
            "wireguard peer \(peer.publicKey.base64) allowed \(peer.allowedIPs.map(\.description).joined(separator: ","))"
                + (peer.keepalive > 0 ? " keepalive \(peer.keepalive)" : "")
        }
    }
}
