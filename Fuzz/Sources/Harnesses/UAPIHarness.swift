import VPN

/// The WireGuard userspace API's `get=1` answer, as a device (wireguard-go) sends it: parsing
/// never traps, and what parses writes back to text that parses to the same report.
enum UAPIHarness: FuzzHarness {
    static let name = "wireguard-uapi"
    static let summary = "WireGuardReport.parse(uapi:): no trap; a parsed report written back parses to itself"

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let report = try? WireGuardReport.parse(uapi: text) else { return }
        let again = try? WireGuardReport.parse(uapi: written(report))
        require(again == report, "\(clip(text)) parses to \(clip(report)) but its text to \(clip(again as Any))")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let key = String(repeating: "a0", count: 32), peer = String(repeating: "5c", count: 32)
        return [
            ("device", "private_key=\(key)\nlisten_port=51820\npublic_key=\(peer)\nendpoint=198.18.0.2:42754\n"
                + "allowed_ip=10.66.0.2/32\nallowed_ip=fd00::2/128\nlast_handshake_time_sec=1700000000\nlast_handshake_time_nsec=5\n"
                + "rx_bytes=564\ntx_bytes=476\npersistent_keepalive_interval=25\nprotocol_version=1\nerrno=0\n\n"),
            ("set-answer", "errno=0\n\n"),
            ("refused", "errno=2\n\n"),
            ("no-peers", "private_key=\(key)\nlisten_port=0\nerrno=0\n\n"),
        ].map { ($0.0, Array($0.1.utf8)) }
    }

    /// The answer a device would give for `report`.
    private static func written(_ report: WireGuardReport) -> String {
        var lines: [String] = []
        if let key = report.privateKey { lines.append("private_key=\(hex(key.bytes))") }
        lines.append("listen_port=\(report.listenPort)")
        for peer in report.peers {
            lines.append("public_key=\(hex(peer.publicKey.bytes))")
            if let endpoint = peer.endpoint { lines.append("endpoint=\(endpoint)") }
            lines += peer.allowedIPs.map { "allowed_ip=\($0)" }
            lines.append("persistent_keepalive_interval=\(peer.keepalive)")
            lines.append("last_handshake_time_sec=\(peer.lastHandshake)")
            lines.append("rx_bytes=\(peer.receivedBytes)")
            lines.append("tx_bytes=\(peer.sentBytes)")
        }
        return (lines + ["errno=0", "", ""]).joined(separator: "\n")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
