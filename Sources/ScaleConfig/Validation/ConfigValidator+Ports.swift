import Addressing
import YAMLDocument

extension ConfigValidator {
    /// A socket an enabled service would bind.
    private struct Bind {
        enum Transport: String { case tcp, udp }

        var service: String
        var path: YAMLPath
        var transport: Transport
        var address: ListenAddress
        /// Binds in the same group share one daemon (strongSwan serves L2TP/IPsec and IKEv2).
        var sharedGroup: String?
    }

    /// UDP ports of IKE and NAT-T, bound by strongSwan for L2TP/IPsec and IKEv2.
    private static let ipsecPorts = [500, 4500]

    /// Reports two enabled services binding the same port and transport on overlapping hosts.
    mutating func checkPortClashes() {
        var binds: [Bind] = []
        let ui = config.effectiveUIListen
        if case .success(let address) = ListenAddress.parse(ui, allowsAnyPort: true) {
            binds.append(Bind(service: "the web UI", path: ["ui_listen"], transport: .tcp, address: address))
        }
        if let server = config.server, !server.listen.isEmpty,
           case .success(let address) = ListenAddress.parse(server.listen, allowsPortHopping: true, allowsAnyPort: true) {
            binds.append(Bind(service: "the hy2 server", path: ["server", "listen"], transport: .udp, address: address))
        }
        for (i, proxy) in config.proxies.enumerated() where proxy.isEnabled {
            if case .success(let address) = ListenAddress.parse(proxy.listen, allowsAnyPort: true) {
                binds.append(Bind(service: "proxy \(Self.quote(proxy.id))", path: ["proxies", .index(i), "listen"], transport: .tcp, address: address))
            }
        }
        if let ss = config.shadowsocks, ss.isEnabled, case .success(let address) = ListenAddress.parse(ss.listen, allowsAnyPort: true) {
            binds.append(Bind(service: "Shadowsocks", path: ["ss", "listen"], transport: .tcp, address: address))
            binds.append(Bind(service: "Shadowsocks", path: ["ss", "listen"], transport: .udp, address: address))
        }
        if let l2tp = config.l2tp, l2tp.isEnabled {
            if let port = l2tp.effectivePort {
                let path: YAMLPath = l2tp.listen.isEmpty ? ["l2tp", "enabled"] : ["l2tp", "listen"]
                binds.append(Bind(service: "L2TP", path: path, transport: .udp, address: ListenAddress(host: "", port: port)))
            }
            for port in Self.ipsecPorts {
                binds.append(Bind(service: "L2TP's IPsec", path: ["l2tp", "enabled"], transport: .udp,
                                  address: ListenAddress(host: "", port: port), sharedGroup: "strongswan"))
            }
        }
        if let ikev2 = config.ikev2, ikev2.isEnabled {
            for port in Self.ipsecPorts {
                binds.append(Bind(service: "IKEv2", path: ["ikev2", "enabled"], transport: .udp,
                                  address: ListenAddress(host: "", port: port), sharedGroup: "strongswan"))
            }
        }
        if let wg = config.wireGuard, wg.isEnabled, PortNumber.validRange.contains(wg.effectiveListenPort) {
            let path: YAMLPath = wg.listenPort == 0 ? ["wireguard", "enabled"] : ["wireguard", "listen_port"]
            binds.append(Bind(service: "WireGuard", path: path, transport: .udp,
                              address: ListenAddress(host: "", port: wg.effectiveListenPort)))
        }

        // Port 0 is any free port: the kernel never gives two sockets the same one.
        binds.removeAll { $0.address.port == 0 }
        for (j, later) in binds.enumerated() {
            for earlier in binds[..<j] {
                guard earlier.transport == later.transport, earlier.address.port == later.address.port,
                      earlier.address.hostOverlaps(later.address)
                else { continue }
                if let group = earlier.sharedGroup, group == later.sharedGroup { continue }
                if earlier.service == later.service { continue }
                error(later.path, "\(later.transport.rawValue.uppercased()) port \(later.address.port) of \(later.service) "
                    + "clashes with \(earlier.service) at \(earlier.path); use a different port")
                break
            }
        }
    }
}
