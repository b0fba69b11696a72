import Addressing
import Testing
@testable import VPN

@Suite("The files the L2TP server writes for xl2tpd and pppd")
struct L2TPFilesTests {
    let server = L2TPSpec.Server(port: 1701, gateway: IPNetwork("10.66.0.1/24")!, mtu: 1280,
                                 dns: [IPAddress("10.88.3.3")!, IPAddress("2001:db8::53")!])

    @Test("xl2tpd hands out the pool after the gateway and leaves authentication to pppd (require chap = no)")
    func xl2tpdConf() {
        let text = L2TPFiles.xl2tpdConf(server, pppOptions: "/state/l2tp/ppp/options.xl2tpd")
        for line in ["port = 1701", "ip range = 10.66.0.2 - 10.66.0.254", "local ip = 10.66.0.1", "require chap = no",
                     "refuse pap = yes", "require authentication = yes", "pppoptfile = /state/l2tp/ppp/options.xl2tpd"] {
            #expect(text.contains("\n\(line)\n"), "missing \(line):\n\(text)")
        }
    }

    @Test("pppd requires MSCHAPv2 and nothing weaker, pushes IPv4 DNS only, and runs the node's hooks")
    func pppOptions() {
        let lines = Set(L2TPFiles.pppOptions(server, ipUp: "/up", ipDown: "/down").split(separator: "\n").map(String.init))
        for line in ["auth", "require-mschap-v2", "refuse-pap", "refuse-chap", "refuse-mschap", "refuse-eap", "mtu 1280", "mru 1280",
                     "ms-dns 10.88.3.3", "ip-up-script /up", "ip-down-script /down"] {
            #expect(lines.contains(line), "missing \(line): \(lines.sorted())")
        }
        #expect(!lines.contains { $0.contains("2001:db8") }, "IPCP cannot push an IPv6 server")
    }

    @Test("chap-secrets quotes every word so no password can add a field or a line", arguments: [
        ("plain", #""plain""#),
        (#"with "quote" and \ back"#, #""with \"quote\" and \\ back""#),
        ("two\nlines\ttab", #""two\012lines\011tab""#),
        ("pässwörd", "\"pässwörd\""),
    ])
    func quoting(raw: String, quoted: String) {
        #expect(L2TPFiles.quoted(raw) == quoted)
    }

    @Test("chap-secrets: one line per user, any server, any address")
    func chapSecrets() {
        let text = L2TPFiles.chapSecrets([L2TPSpec.ChapSecret(username: "alice", password: "a b")])
        #expect(text.hasSuffix("\n\"alice\" * \"a b\" *\n"), "\(text)")
        #expect(!L2TPSpec.ChapSecret(username: "alice", password: "p4ss-w0rd").description.contains("p4ss-w0rd"))
    }

    @Test("a call's record reads back as its pppd, device and user; a broken one does not", arguments: [
        ("541\nppp0\nalice\n", L2TPFiles.Session(pid: 541, interface: "ppp0", username: "alice")),
        ("541\nppp0\n", nil),
        ("x\nppp0\nalice\n", nil),
        ("-3\nppp0\nalice\n", nil),
        ("", nil),
    ])
    func sessionRecords(record: String, expected: L2TPFiles.Session?) {
        #expect(L2TPFiles.Session(record: record) == expected)
    }

    @Test("the hooks take only an IPv4 address as a file name")
    func hooksGuardTheirFileName() {
        let up = L2TPFiles.ipUp(sessions: "/state/l2tp/sessions")
        #expect(up.contains(#"case "$5" in ''|*[!0-9.]*) exit 0 ;; esac"#))
        #expect(up.contains("dir='/state/l2tp/sessions'"))
        let down = L2TPFiles.ipDown(sessions: "/it's/here")
        #expect(down.contains(#"dir='/it'\''s/here'"#))
        #expect(down.contains(#"[ "$pid" = "$PPPD_PID" ]"#), "ip-down must not forget another call's address")
    }
}
