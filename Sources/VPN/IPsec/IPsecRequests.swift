import Addressing

/// The VICI requests that load and unload the IKEv2 server's parts, as messages; the gateway
/// sends them.
enum IPsecRequests {
    static let name = IPsecGateway.name

    /// `load-pool`: the addresses after the server's own, up to the network's last but one.
    static func loadPool(_ pool: IPsecSpec.Pool) -> VICIMessage {
        var section: VICIMessage = ["addrs": .string(addresses(after: pool.network))]
        if !pool.dns.isEmpty { section.append("dns", .strings(pool.dns.map(\.description))) }
        return [name: .section(section)]
    }

    /// `load-conn`: IKEv2, virtual IPs from the pool, a full tunnel (a narrower selector makes
    /// route installation fail with TS_UNACCEPTABLE), and UDP encapsulation when ESP runs in
    /// userspace (kernel-libipsec handles only ESP in UDP); with the kernel's ESP, the SAs are
    /// bound to the node's xfrm interface.
    /// - Parameter certificate: the server's certificate in the certificate modes (the store's or
    ///   the one the node issued); `nil` with a pre-shared key.
    static func loadConnection(_ connection: IPsecSpec.Connection, certificate: String?, userspaceESP: Bool) -> VICIMessage {
        var local: VICIMessage = [:], remote: VICIMessage = [:]
        if let certificate {
            local.append("auth", "pubkey")
            local.append("certs", .list([Array(certificate.utf8)]))
            remote.append("auth", "eap-mschapv2")
            remote.append("eap_id", "%any")
        } else {
            local.append("auth", "psk")
            remote.append("auth", "psk")
        }
        if let id = connection.localID { local.append("id", .string(id)) }
        if let id = connection.remoteID { remote.append("id", .string(id)) }
        var child: VICIMessage = ["local_ts": ["0.0.0.0/0", "::/0"]]
        if !userspaceESP {
            // The kernel's SAs are bound to the node's xfrm interface, where capture takes them.
            child.append("if_id_in", .string(String(IPsecGateway.interfaceID)))
            child.append("if_id_out", .string(String(IPsecGateway.interfaceID)))
        }
        return [name: .section([
            "version": "2", "pools": .strings([name]), "encap": userspaceESP ? "yes" : "no", "send_certreq": "no",
            "local": .section(local), "remote": .section(remote), "children": .section([name: .section(child)]),
        ])]
    }

    /// `load-conn` for L2TP/IPsec: IKEv1 with the pre-shared key, ESP in transport mode for the
    /// L2TP port only (any source port: clients pick their own), UDP-encapsulated even without
    /// NAT. The proposals add to charon's defaults the older groups and ciphers that the
    /// built-in L2TP clients of Windows, macOS, iOS and Android still offer.
    static func loadTransport(_ transport: IPsecSpec.Transport) -> VICIMessage {
        let name = IPsecGateway.transportName
        let child: VICIMessage = [
            "mode": "transport", "local_ts": .strings(["dynamic[udp/\(transport.port)]"]), "remote_ts": ["dynamic[udp]"],
            "esp_proposals": ["aes256-sha256", "aes128-sha256", "aes256-sha1", "aes128-sha1", "3des-sha1", "default"],
        ]
        return [name: .section([
            "version": "1", "encap": "yes", "send_certreq": "no", "dpd_delay": "300s",
            "proposals": ["aes256-sha256-modp2048", "aes128-sha256-modp2048", "aes256-sha1-modp2048", "aes256-sha1-modp1024",
                          "aes128-sha1-modp1024", "3des-sha1-modp1024", "default"],
            "local": .section(["auth": "psk"]), "remote": .section(["auth": "psk"]),
            "children": .section([name: .section(child)]),
        ])]
    }

    /// `load-key`: the certificate's private key, for the certificate mode.
    static func loadKey(_ privateKey: String) -> VICIMessage {
        ["type": "any", "data": .value(Array(privateKey.utf8))]
    }

    /// `load-shared`: one secret, named so it can be unloaded alone.
    static func loadSecret(_ secret: IPsecSpec.Secret) -> VICIMessage {
        var message: VICIMessage = ["id": .string(secret.id), "type": .string(secret.kind.rawValue), "data": .value(Array(secret.data.utf8))]
        if let owner = secret.owner { message.append("owners", .strings([owner])) }
        return message
    }

    /// `first-last` for an IPv4 pool; an IPv6 one is given as its network.
    static func addresses(after own: IPNetwork) -> String {
        let bytes = own.address.bytes
        guard own.address.isIPv4, own.prefixLength <= 30 else { return "\(own.masked)" }
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let mask: UInt32 = own.prefixLength == 0 ? 0 : ~UInt32(0) << (32 - own.prefixLength)
        let last = (value & mask | ~mask) - 1
        let first = min(value + 1, last)
        func text(_ value: UInt32) -> String { [24, 16, 8, 0].map { String(value >> $0 & 0xFF) }.joined(separator: ".") }
        return "\(text(first))-\(text(last))"
    }
}
