import ScaleConfig
import Testing

@Suite("the stored admin password")
struct AdminPasswordTests {
    static let adminDigest = AdminPassword.clientDigest(of: "admin")

    @Test("the client digest is the hex SHA-256 the web UI sends")
    func clientDigest() {
        #expect(Self.adminDigest == AdminPassword.defaultDigest)
        #expect(AdminPassword.isClientDigest(AdminPassword.clientDigest(of: "x")))
    }

    @Test("a salted hash matches its password and no other; each hash has its own salt")
    func salted() {
        let digest = AdminPassword.clientDigest(of: "a-long-password")
        let stored = AdminPassword.hash(digest)
        #expect(stored.hasPrefix("pbkdf2-sha256$100000$"))
        #expect(AdminPassword.matches(digest, stored: stored))
        #expect(AdminPassword.matches(digest.uppercased(), stored: stored), "hex case does not matter")
        #expect(!AdminPassword.matches(Self.adminDigest, stored: stored))
        #expect(AdminPassword.hash(digest) != stored)
        #expect(!AdminPassword.needsUpgrade(stored))
    }

    @Test("v1.3's forms: empty is admin, a hex digest is kept until a login stores it salted")
    func legacy() {
        #expect(AdminPassword.matches(Self.adminDigest, stored: ""))
        #expect(AdminPassword.matches(Self.adminDigest, stored: Self.adminDigest.uppercased()))
        #expect(AdminPassword.needsUpgrade(Self.adminDigest))
    }

    @Test("the default password is recognised as stored without deriving a key", arguments: [
        ("", true), (AdminPassword.defaultDigest, true), (String(repeating: "ab", count: 32), false),
        (TestHashes.salted, false), ("garbage", false),
    ])
    func storedDefault(stored: String, isDefault: Bool) {
        #expect(AdminPassword.isStoredDefault(stored) == isDefault)
    }

    @Test("admin salted is still admin at login, though not cheaply known as the default")
    func saltedAdmin() {
        #expect(AdminPassword.matches(Self.adminDigest, stored: TestHashes.salted))
    }

    @Test("anything else matches nothing and is no stored form", arguments: [
        "garbage", "pbkdf2-sha256$0$AA==$AA==", "pbkdf2-sha256$100000$c2FsdA==$c2hvcnQ=", String(repeating: "g", count: 64),
    ])
    func invalid(stored: String) {
        #expect(!AdminPassword.isStoredForm(stored))
        #expect(!AdminPassword.matches(Self.adminDigest, stored: stored))
    }
}

enum TestHashes {
    /// A salted hash of the digest of `admin` (1000 rounds).
    static let salted = "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$9T/rkKI2ThDwgU7k33RB0CPXg4HizOE2WcZMJuAfJfk="
}
