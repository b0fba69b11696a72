/// `set=1` requests of the userspace API: `key=value` lines and an empty line.
enum UAPIRequest {
    static let get = "get=1\n\n"

    /// Sets the device's key and port; its peers are left alone.
    static func configure(_ device: WireGuardSpec.DeviceSpec) -> String {
        "set=1\nprivate_key=\(device.privateKey.hex)\nlisten_port=\(device.listenPort)\n\n"
    }

    /// Adds `peer`, or replaces its allowed IPs and keepalive when it exists.
    static func set(_ peer: WireGuardSpec.PeerSpec) -> String {
        var lines = ["set=1", "public_key=\(peer.publicKey.hex)", "replace_allowed_ips=true"]
        lines += peer.allowedIPs.map { "allowed_ip=\($0)" }
        lines.append("persistent_keepalive_interval=\(peer.keepalive)")
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// Removes the peer with `key`; its sessions end at once.
    static func remove(_ key: WireGuardKey) -> String {
        "set=1\npublic_key=\(key.hex)\nremove=true\n\n"
    }
}
