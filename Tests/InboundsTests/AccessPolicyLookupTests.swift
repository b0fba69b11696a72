import Assembly
import Routing
import ScaleConfig
import TestSupport
import Testing

/// Logins look users up by key, not by a scan, and still decide as the config order says.
@Suite struct AccessPolicyLookupTests {
    static func policy(users count: Int) -> AccessPolicy {
        var users = (0..<count).map { User(id: "u\($0)", username: "user\($0)", password: "password-\($0)", isEnabled: true) }
        users.append(User(id: "off", username: "off", password: "off-password", isEnabled: false))
        users.append(User(id: "twin", username: "twin", password: "password-7", isEnabled: true))
        return AccessPolicy(accounts: users.map(Account.init), usersMayUseHy2: true)
    }

    @Test("a Hysteria 2 password alone finds its user among 100,000; the first in config order wins a shared one")
    func passwordOnly() {
        let policy = Self.policy(users: 100_000)
        #expect(policy.authenticate(hysteriaCredential: "password-99999", at: 0).map(\.id) == .success("u99999"))
        #expect(policy.authenticate(hysteriaCredential: "user5:password-5", at: 0).map(\.id) == .success("u5"))
        #expect(policy.authenticate(hysteriaCredential: "password-100000", at: 0).map(\.id) == .failure(.wrongPassword))
        #expect(policy.authenticate(hysteriaCredential: "off-password", at: 0).map(\.id) == .failure(.disabled))
        // u7 and twin share a password: neither may use it alone on hy2, as before.
        #expect(policy.authenticate(hysteriaCredential: "password-7", at: 0).map(\.id) == .failure(.passwordShared))
        #expect(policy.authenticate(hysteriaCredential: "", at: 0).map(\.id) == .failure(.wrongPassword))
    }
}

/// The policy a reconcile makes from the last one is the policy made from scratch.
@Suite struct AccessPoliciesTests {
    @Test("random user edits: the reused policy decides every login as a fresh one does")
    func randomEdits() {
        var rng = SplitMix64(seed: 0xACC0_0018)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let policies = AccessPolicies()
        var config = Config()
        config.users = (0..<40).map { User(id: "u\($0)", username: "user\($0)", password: "pw-\($0 % 37)", isEnabled: true) }
        for step in 0..<200 {
            let i = below(config.users.count)
            switch below(6) {
            case 0: config.users[i].isEnabled.toggle()
            case 1: config.users[i].password = "pw-\(below(45))"
            case 2:
                let user = User(id: "n\(step)", username: "new\(step)", password: "pw-\(below(45))", isEnabled: true)
                config.users.insert(user, at: i)
            case 3: if config.users.count > 1 { config.users.remove(at: i) }
            case 4: config.users[i].username = "user\(below(50))"  // sometimes another's: the first wins
            default: config.users[i].disabledProtocols = below(2) == 0 ? [] : ["ss"]
            }
            let reused = policies.policy(for: config), fresh = AccessPolicy(config: config)
            #expect(reused == fresh, "step \(step)")
            #expect(reused.conflicted == fresh.conflicted, "step \(step)")
            for n in 0..<50 {
                #expect(reused.account(username: "user\(n)")?.id == fresh.account(username: "user\(n)")?.id, "step \(step)")
                #expect(reused.account(id: "u\(n)") == fresh.account(id: "u\(n)"), "step \(step)")
            }
            for password in (0..<45).map({ "pw-\($0)" }) {
                #expect(reused.authenticate(hysteriaCredential: password, at: 0).map(\.id)
                    == fresh.authenticate(hysteriaCredential: password, at: 0).map(\.id), "step \(step)")
            }
        }
    }
}
