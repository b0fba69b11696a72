import Addressing
import Foundation

/// The files the node writes for xl2tpd and pppd, as text. pppd reads its secrets and options
/// only under `/etc/ppp`, so they go in a directory of the node's that xl2tpd sees mounted there
/// (``L2TPGateway``); the host's `/etc/ppp` is never written.
enum L2TPFiles {
    /// The PPP name both sides' secrets name the server by.
    static let serverName = "hy2scale"

    /// `xl2tpd.conf`: one LNS for every caller, handing out the pool after the gateway address.
    /// CHAP is not required of xl2tpd: with it, pppd offers CHAP-MD5 first and clients that
    /// speak only MSCHAPv2 (Windows, iOS, Android) are locked out; pppd's own options require
    /// MSCHAPv2 instead.
    static func xl2tpdConf(_ server: L2TPSpec.Server, pppOptions: String) -> String {
        let range = IPsecRequests.addresses(after: server.gateway).replacingOccurrences(of: "-", with: " - ")
        return """
            ; Written by hy2scale for its own xl2tpd; edits are overwritten.
            [global]
            port = \(server.port)
            access control = no

            [lns default]
            ip range = \(range)
            local ip = \(server.gateway.address)
            require chap = no
            refuse pap = yes
            require authentication = yes
            name = \(serverName)
            pppoptfile = \(pppOptions)
            length bit = yes

            """
    }

    /// pppd's options for each call: MSCHAPv2 only, the pool's DNS pushed, and the hooks that
    /// record who holds each address.
    static func pppOptions(_ server: L2TPSpec.Server, ipUp: String, ipDown: String) -> String {
        let lines = [
            "# Written by hy2scale for the pppd of its xl2tpd; edits are overwritten.",
            "name \(serverName)", "auth", "require-mschap-v2", "refuse-pap", "refuse-chap", "refuse-mschap", "refuse-eap",
            "ipcp-accept-local", "ipcp-accept-remote", "noccp", "nodefaultroute",
            "mtu \(server.mtu)", "mru \(server.mtu)", "lcp-echo-interval 30", "lcp-echo-failure 4",
        ] + server.dns.map { "ms-dns \($0)" } + ["ip-up-script \(ipUp)", "ip-down-script \(ipDown)"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `chap-secrets`: one line per user, any server name, any address.
    static func chapSecrets(_ secrets: [L2TPSpec.ChapSecret]) -> String {
        "# Written by hy2scale: its users' L2TP passwords. Edits are overwritten.\n"
            + secrets.map { "\(quoted($0.username)) * \(quoted($0.password)) *\n" }.joined()
    }

    /// A word as pppd reads it from its secrets files: in double quotes, with `\` and `"`
    /// escaped, and every control byte written in octal.
    static func quoted(_ text: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), byte]
            case 0..<0x20, 0x7F: out += Array(("\\" + String(byte, radix: 8).leftPadded(to: 3)).utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out + [UInt8(ascii: "\"")], as: UTF8.self)
    }

    /// The `ip-up` hook: records the call's pppd, interface and user under the client's address
    /// in `sessions`, written whole and renamed, so the node never reads half a record.
    /// pppd gives it: interface, tty, speed, local address, remote address, ipparam.
    static func ipUp(sessions: String) -> String {
        """
        #!/bin/sh
        # Written by hy2scale: records who holds a PPP address (pppd's ip-up-script).
        dir=\(shellQuoted(sessions))
        case "$5" in ''|*[!0-9.]*) exit 0 ;; esac
        printf '%s\\n%s\\n%s\\n' "$PPPD_PID" "$1" "$PEERNAME" >"$dir/.$5" && mv -f "$dir/.$5" "$dir/$5"

        """
    }

    /// The `ip-down` hook: forgets the address, unless another call holds it by now.
    static func ipDown(sessions: String) -> String {
        """
        #!/bin/sh
        # Written by hy2scale: forgets who held a PPP address (pppd's ip-down-script).
        dir=\(shellQuoted(sessions))
        case "$5" in ''|*[!0-9.]*) exit 0 ;; esac
        read -r pid <"$dir/$5" 2>/dev/null && [ "$pid" = "$PPPD_PID" ] && rm -f "$dir/$5"
        exit 0

        """
    }

    /// One call as the `ip-up` hook recorded it.
    struct Session: Hashable {
        var pid: Int32
        var interface: String
        var username: String

        init(pid: Int32, interface: String, username: String) {
            self.pid = pid
            self.interface = interface
            self.username = username
        }

        /// The hook's three lines; `nil` when they do not read.
        init?(record: String) {
            let lines = record.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count >= 3, let pid = Int32(lines[0]), pid > 0, !lines[2].isEmpty else { return nil }
            self.pid = pid
            interface = String(lines[1])
            username = String(lines[2])
        }
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
