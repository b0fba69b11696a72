import Foundation
import Glibc
import Logging
import NodeState
import SystemCalls

/// strongSwan's IKE daemon as the node's supervised child, with a `strongswan.conf` of its own
/// in ``directory`` (its VICI socket there too), so the host's strongSwan configuration is
/// neither read nor touched. The node configures it only over VICI.
final class Charon: Sendable {
    /// Where Debian's `strongswan-charon` puts it.
    static let searchPath = ["/usr/lib/ipsec/charon", "/usr/libexec/ipsec/charon"]
    /// How long a start may take before VICI answers.
    static let startLimit: Duration = .seconds(10)

    let directory: String
    let vici: VICIClient
    private let process: SupervisedProcess
    let settings: CharonSettings

    init(executable: String, directory: String, settings: CharonSettings, logger: Logger, exited: @escaping @Sendable () -> Void) {
        self.directory = directory
        self.settings = settings
        vici = VICIClient(socketPath: directory + "/charon.vici")
        process = SupervisedProcess(name: "charon", executable: executable, arguments: [],
                                    environment: ["STRONGSWAN_CONF": directory + "/strongswan.conf"], logger: logger, exited: exited)
    }

    var isRunning: Bool { process.isRunning }

    var stoppedReason: String? { process.stoppedReason }

    /// Writes the configuration, starts charon and waits until VICI answers.
    func start() async throws(IPsecError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try FileIO.replace(URL(fileURLWithPath: directory + "/strongswan.conf"),
                               with: Data(settings.strongswanConf(viciSocket: vici.socketPath).utf8), mode: 0o600)
        } catch {
            throw .daemon("cannot write charon's configuration in \(directory): \(error)")
        }
        await stopLeftover()
        do {
            try await process.start(within: Self.startLimit) { [vici] in (try? vici.call("version")) != nil }
        } catch {
            throw .daemon(error.reason)
        }
    }

    func stop() async { await process.stop() }

    /// A charon that an earlier run of this node left behind (one killed outright, which could
    /// not stop its children) still holds charon's pid file, and a new charon refuses to start
    /// while it lives: it is stopped, when its environment names this node's configuration.
    private func stopLeftover() async {
        guard let text = try? String(contentsOfFile: "/run/charon.pid", encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return }
        let mine = "STRONGSWAN_CONF=\(directory)/strongswan.conf"
        guard environment.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == mine }) else { return }
        try? Posix.kill(pid, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        while FileManager.default.fileExists(atPath: "/proc/\(pid)/environ"), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// What charon's own `strongswan.conf` says: the plugins it loads (kernel ESP or its userspace
/// `kernel-libipsec`) and where it logs.
public struct CharonSettings: Hashable, Sendable {
    /// ESP in userspace, through a TUN device (`ipsec0`), for kernels without ESP.
    public var userspaceESP: Bool

    /// Only the plugins the node's IKEv2 and L2TP/IPsec need; nothing from the host's
    /// `/etc/strongswan.d` is read.
    func strongswanConf(viciSocket: String) -> String {
        // The first IPsec backend loaded is the one charon uses: kernel-libipsec must come before
        // kernel-netlink, which it needs for addresses and routes.
        let plugins = ["random", "nonce", "openssl", "pem", "pkcs1", "pkcs8", "x509", "pubkey", "revocation", "constraints",
                       "aes", "sha1", "sha2", "hmac", "kdf", "gcm"] + (userspaceESP ? ["kernel-libipsec"] : [])
            + ["kernel-netlink", "socket-default", "vici", "eap-identity", "eap-mschapv2"]
        return """
            # Written by hy2scale for its own charon; edits are overwritten.
            charon {
                load_modular = no
                load = \(plugins.joined(separator: " "))
                install_virtual_ip = no
                # kernel-libipsec routes the pool into its TUN; the kernel's SAs are reached
                # through the node's xfrm interface, which holds the pool's route.
                install_routes = \(userspaceESP ? "yes" : "no")
                retransmit_tries = 3
                plugins {
                    vici {
                        socket = unix://\(viciSocket)
                    }
                }
                filelog {
                    stderr {
                        default = 0
                        ike = 1
                        knl = 1
                        flush_line = yes
                    }
                }
            }

            """
    }
}
