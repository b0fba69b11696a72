import Crypto
import Foundation

/// The benchmark's config files: `users` accounts and `rules` IP rules of ten targets each,
/// written the way an operator's file looks (a header comment, block style, one entry after
/// another). The same every run.
enum Workload {
    static let adminPassword = "control-plane-bench"
    static let targetsPerRule = 10

    /// The lower-case hex SHA-256 a client sends at login, which a v1.3-style `web_password`
    /// also stores.
    static var adminDigest: String { hex(SHA256.hash(data: Data(adminPassword.utf8))) }

    static func config(users: Int, rules: Int, uiPort: Int) -> String {
        var text = """
        # hy2scale control-plane benchmark: \(users) users, \(rules) rules.
        name: bench
        ui_listen: 127.0.0.1:\(uiPort)
        server: null
        web_password: \(adminDigest)
        # The rules' exit: a peer that is never dialled.
        clients:
          - name: hk
            addr: 127.0.0.1:9
            password: bench-peer-password
            disabled: true
        users:

        """
        text.reserveCapacity(users * 110 + rules * 260)
        for i in 0..<users { text += user(i) }
        if rules > 0 {
            text += "rules:\n"
            for r in 0..<rules {
                let targets = (0..<targetsPerRule).map { address(r * targetsPerRule + $0) }.joined(separator: ", ")
                text += "  - id: r\(r)\n    name: rule \(r)\n    type: ip\n    targets: [\(targets)]\n    exit_via: hk\n    enabled: true\n"
            }
        }
        return text
    }

    /// One user's entry in the file, as `POST /api/users` would also add it.
    static func user(_ i: Int) -> String {
        "  - id: u\(i)\n    username: user\(i)\n    password: \(password(i))\n    traffic_limit_gb: \(i % 50)\n    enabled: true\n"
    }

    /// The JSON of one new user for the API.
    static func userJSON(_ i: Int) -> String {
        #"{"id":"u\#(i)","username":"user\#(i)","password":"\#(password(i))","traffic_limit_gb":\#(i % 50),"enabled":true}"#
    }

    static func password(_ i: Int) -> String { "pw-\(String(i, radix: 16))-\(String(i &* 2_654_435_761 % 1_000_003, radix: 36))" }

    /// Distinct addresses from 10.0.0.0 up.
    static func address(_ n: Int) -> String { "10.\(n >> 16 & 255).\(n >> 8 & 255).\(n & 255)" }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
