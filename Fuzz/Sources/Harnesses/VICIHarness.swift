import VPN

/// strongSwan's VICI packets as the node reads them from charon's socket: reading never traps,
/// and a packet that reads writes back to bytes that read as the same packet.
enum VICIHarness: FuzzHarness {
    static let name = "vici"
    static let summary = "VICIPacket(payload:): no trap; a packet read writes back to itself"

    static func run(_ bytes: [UInt8]) {
        guard let packet = try? VICIPacket(payload: ArraySlice(bytes)) else { return }
        guard let framed = try? packet.framed() else {
            require(false, "\(clip(packet)) read from \(clip(bytes)) cannot be written")
            return
        }
        let again = try? VICIPacket(payload: framed[4...])
        require(again == packet, "\(clip(bytes)) reads as \(clip(packet)) but its bytes as \(clip(again as Any))")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let packets: [(String, VICIPacket)] = [
            ("load-conn", .request(command: "load-conn", ["rw": .section([
                "version": "2", "local_addrs": ["0.0.0.0/0", "::/0"], "pools": ["hy2ikev2"],
                "local": .section(["auth": "pubkey", "certs": ["server.pem"]]),
                "remote": .section(["auth": "eap-mschapv2", "eap_id": "%any"]),
                "children": .section(["rw": .section(["local_ts": ["0.0.0.0/0"], "esp_proposals": ["default"]])]),
            ])])),
            ("response", .response(["success": "no", "errmsg": "parsing 'pools' failed"])),
            ("ike-updown", .event(name: "ike-updown", ["up": "yes", "rw": .section([
                "uniqueid": "3", "remote-host": "10.88.1.10", "remote-eap-id": "alice", "remote-vips": ["10.77.0.2"],
            ])])),
            ("register", .register(event: "list-sa")),
            ("unknown", .unknownCommand),
        ]
        return packets.compactMap { label, packet in (try? packet.framed()).map { (label, Array($0.dropFirst(4))) } }
    }
}
