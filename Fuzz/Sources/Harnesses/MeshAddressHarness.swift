import MeshWire
import Mesh

/// The stream addresses a hy2scale node dispatches on (spec §1.3, §3): sentinels, via routes
/// with bridge tags, bond paths and plain targets, and the dial targets of control requests.
enum MeshAddressHarness: FuzzHarness {
    static let name = "mesh-address"
    static let summary = "StreamAddress/ViaRoute/DialTarget: formatted and parsing are inverse; routes hold only writable hops"

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let address = try? StreamAddress(parsing: text) {
            let formatted = address.formatted
            require((try? StreamAddress(parsing: formatted)) == address,
                    "\(clip(text)) parsed as \(clip(address)), whose text \(clip(formatted)) parses otherwise")
            if case .via(let route) = address {
                require(!route.hops.isEmpty && route.hops.allSatisfy(ViaRoute.isWritableHop), "via route with unwritable hops \(route.hops)")
                if case .bridged = route.target { require(false, "via route to a bridged target") }
            }
        }
        if let target = try? DialTarget(parsing: text) {
            require((try? DialTarget(parsing: target.formatted)) == target, "dial target \(clip(target)) does not re-parse")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            "_relay_register_:0", "_relay_s2c_ctrl_:0", "_relay_data_123:0", "_relay_ping_:0", "_relay_latency_:0",
            "_relay_list_peers_:0", "_relay_api_:0", "_relay_iptun_node-a", "_relay_rebind_sb_3f2a_17:0",
            "_relay_via_kr/kr-r1_1.2.3.4:443#bridge=sb_3f2a_17:0", "_relay_via_a_relay_ping_:0",
            "_bond_42_[2001:db8::1]:443", "example.com:80#bridge=x-1", "10.0.0.1:22", "udp:8.8.8.8:53",
        ].enumerated().map { ("address-\($0.offset)", Array($0.element.utf8)) }
    }
}
