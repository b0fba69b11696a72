import Foundation
import Glibc
import SystemCalls

/// What the host lets the node do; advisory (GET only). Only read, never probed by use: a probe
/// (opening a PPP or ESP socket) would make a modular kernel load modules a node may not need. The
/// VPN services report what the kernel lacks when they start (their status' reason).
enum HostCapability {
    /// One thing the node needs from the host, for the web UI's banner (`GET /api/status`).
    struct Fact: Encodable, Sendable, Equatable {
        var name: String
        var available: Bool
        var reason: String
    }

    /// What a VPN service's GET shows about the host.
    struct Report: Encodable, Sendable {
        var capable: Bool
        var host_network: Bool
        var reason: String
    }

    /// L2TP needs administrator rights, xl2tpd and pppd; what the kernel lacks (PPP over L2TP,
    /// ESP) the running server's `reason` says, as the node finds out when it starts xl2tpd.
    static func l2tp() -> Report {
        var reason = adminReason()
        if reason.isEmpty, !["/usr/sbin/xl2tpd", "/usr/sbin/pppd"].allSatisfy(exists) {
            reason = "xl2tpd or pppd is not installed (Debian packages xl2tpd and ppp)"
        }
        return Report(capable: reason.isEmpty, host_network: hostNetwork, reason: reason)
    }

    /// IKEv2 needs administrator rights and strongSwan's charon with its userspace ESP plugin
    /// (used where the kernel has no ESP of its own).
    static func ikev2() -> Report {
        var reason = adminReason()
        if reason.isEmpty, !["/usr/lib/ipsec/charon", "/usr/libexec/ipsec/charon"].contains(where: exists) {
            reason = "strongSwan's charon is not installed (Debian package strongswan-charon)"
        }
        if reason.isEmpty, !exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so") {
            reason = "strongSwan's kernel-libipsec plugin is not installed (Debian package libcharon-extra-plugins)"
        }
        return Report(capable: reason.isEmpty, host_network: hostNetwork, reason: reason)
    }

    private static func adminReason() -> String {
        geteuid() == 0 ? "" : "not running as root (NET_ADMIN is needed)"
    }

    /// Whether host interfaces such as `docker0` or `br-*` are visible (host networking).
    static var hostNetwork: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        return names.contains { $0 == "docker0" || $0.hasPrefix("br-") }
    }

    private static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func current(processStatus: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                        tunPath: String = "/dev/net/tun") -> [Fact] {
        [netAdmin(processStatus: processStatus), tun(path: tunPath)]
    }

    /// CAP_NET_ADMIN (bit 12) in the effective set of `/proc/self/status`: nftables, routes,
    /// TUN and VPN devices need it.
    static func netAdmin(processStatus: String?) -> Fact {
        let name = "CAP_NET_ADMIN"
        guard let line = processStatus?.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) else {
            return Fact(name: name, available: false, reason: "cannot read the capabilities of this process")
        }
        return mask & (1 << 12) != 0
            ? Fact(name: name, available: true, reason: "")
            : Fact(name: name, available: false, reason:
                "the node runs without CAP_NET_ADMIN: rules, TUN mode and the VPN services cannot change the network")
    }

    static func tun(path: String) -> Fact {
        do throws(SystemCallError) {
            try Posix.access(path, R_OK | W_OK)
            return Fact(name: "TUN", available: true, reason: "")
        } catch {
            return Fact(name: "TUN", available: false, reason: "\(path): \(error.reason); TUN mode and TUN rules cannot run")
        }
    }
}
