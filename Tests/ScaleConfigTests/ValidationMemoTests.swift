import ScaleConfig
import TestSupport
import Testing

/// Entries a validation found clean are skipped by the next one: it may skip work, never an issue.
@Suite struct ValidationMemoTests {
    static func config(users: [User], rules: [RoutingRule], serverPassword: String = "node-password",
                       name: String = "edge") -> Config {
        var config = Config()
        config.name = name
        config.server = ServerConfig(listen: "127.0.0.1:5565", password: serverPassword)
        config.users = users
        config.rules = rules
        return config
    }

    static func user(_ i: Int, password: String? = nil) -> User {
        User(id: "u\(i)", username: "user\(i)", password: password ?? "pw-\(i)", isEnabled: true)
    }

    static func rule(_ i: Int, target: String? = nil) -> RoutingRule {
        RoutingRule(id: "r\(i)", type: "ip", targets: [target ?? "10.0.\(i / 256).\(i % 256)"], exitVia: "hk", isEnabled: true)
    }

    private func issues(_ config: Config, memo: ValidationMemo?) -> [String] {
        var context = ValidationContext()
        context.memo = memo
        return validate(config, context: context).map { "\($0.path): \($0.message)" }
    }

    @Test("a clean entry that becomes wrong for what it reads (the server password) is reported")
    func serverPasswordChange() {
        let memo = ValidationMemo()
        let users = (0..<20).map { Self.user($0) }
        #expect(issues(Self.config(users: users, rules: []), memo: memo).isEmpty)
        let clash = Self.config(users: users, rules: [], serverPassword: "pw-7")
        #expect(issues(clash, memo: memo) == issues(clash, memo: nil))
        #expect(issues(clash, memo: memo).contains { $0.hasPrefix("users[7].password") })
    }

    @Test("entries with problems, and notices, are reported on every validation; duplicates across entries too")
    func problemsEveryTime() {
        let memo = ValidationMemo()
        var users = (0..<20).map { Self.user($0) }
        users[3].exitVia = "a//b"
        users[4].quotaSpelling = .bytes
        users[9].id = "u8"
        var rules = (0..<20).map { Self.rule($0) }
        rules[5].targets = ["10.0.0.300"]
        let config = Self.config(users: users, rules: rules)
        let expected = issues(config, memo: nil)
        #expect(expected.count >= 4)
        for _ in 0..<3 { #expect(issues(config, memo: memo) == expected) }
    }

    @Test("random edits, insertions and removals: validating with the memo always reports what validating from scratch does")
    func randomEdits() {
        var rng = SplitMix64(seed: 0x7A11_D8)
        let memo = ValidationMemo()
        var users = (0..<30).map { Self.user($0) }
        var rules = (0..<30).map { Self.rule($0) }
        var serverPassword = "node-password"
        for step in 0..<300 {
            let i = Int(rng.next() % 30)
            let u = Int(rng.next() % UInt64(users.count))
            switch rng.next() % 10 {
            case 7: users.insert(Self.user(Int(rng.next() % 40)), at: u)  // sometimes another's id and name
            case 8 where users.count > 1: users.remove(at: u)
            case 9 where users.count > 3: users.removeSubrange(u..<max(u, min(users.count - 1, u + Int(rng.next() % 12))))
            case 0: users[u].password = ["", "pw-\(i)", "node-password", "x"][Int(rng.next() % 4)]
            case 1: users[u].id = ["", "u\(rng.next() % 30)", "a/b"][Int(rng.next() % 3)]
            case 2: users[u].exitVia = ["", "hk", "edge/hk", "//"][Int(rng.next() % 4)]
            case 3: rules[i].targets = [["10.0.0.1"], ["nope"], [], ["10.0.0.1-10.0.0.9"]][Int(rng.next() % 4)]
            case 4: rules[i].id = ["r\(rng.next() % 30)", ""][Int(rng.next() % 2)]
            case 5: serverPassword = ["node-password", "pw-\(i)", "x"][Int(rng.next() % 3)]
            case 6: users[u].exitMode = ["", "aggregate", "bogus"][Int(rng.next() % 3)]
            default: break
            }
            let config = Self.config(users: users, rules: rules, serverPassword: serverPassword,
                                     name: step % 50 < 25 ? "edge" : "hk")
            #expect(issues(config, memo: memo) == issues(config, memo: nil), "step \(step)")
        }
    }
}
