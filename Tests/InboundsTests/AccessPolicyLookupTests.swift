import Assembly
import Routing
import ScaleConfig
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
