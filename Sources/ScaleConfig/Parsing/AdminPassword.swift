import Crypto
import Foundation

/// The admin password as stored in `web_password` (DECISIONS #4).
///
/// The client sends the lower-case hex SHA-256 of what the user typed (seed contract). The file
/// stores a salted, slow hash of *that* value, `pbkdf2-sha256$<rounds>$<salt>$<hash>` (base64),
/// so a leaked config or git repository does not grant a login. A v1.3 file stores the hex
/// digest itself; it is still accepted and replaced by the salted form at the next login.
public enum AdminPassword {
    /// SHA-256 of "admin": the client-side hash of the default password.
    public static let defaultDigest = "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"
    /// PBKDF2 rounds: slow enough to make guessing offline costly, fast enough for a login.
    static let rounds = 100_000
    private static let prefix = "pbkdf2-sha256$"

    /// The accepted forms, for messages.
    public static let acceptedForm = "set it with `hy2scale passwd`, or leave it empty for a generated one"

    /// Whether `text` is a form `web_password` may hold: empty, a v1.3 hex digest, or the salted form.
    public static func isStoredForm(_ text: String) -> Bool {
        if case .invalid = Stored(text) { return false }
        return true
    }

    /// How `web_password` is stored.
    enum Stored {
        /// Empty: admin/admin, as in v1.3 (`serve` replaces it with a generated password at start).
        case defaultPassword
        /// A v1.3 hex digest kept verbatim.
        case legacyDigest(String)
        case salted(rounds: Int, salt: [UInt8], hash: [UInt8])
        /// Unreadable: no password matches.
        case invalid

        init(_ text: String) {
            if text.isEmpty {
                self = .defaultPassword
            } else if text.hasPrefix(AdminPassword.prefix) {
                let parts = text.dropFirst(AdminPassword.prefix.count).split(separator: "$")
                guard parts.count == 3, let rounds = Int(parts[0]), (1...10_000_000).contains(rounds),
                      let salt = Data(base64Encoded: String(parts[1])), let hash = Data(base64Encoded: String(parts[2])),
                      hash.count == 32 else { self = .invalid; return }
                self = .salted(rounds: rounds, salt: Array(salt), hash: Array(hash))
            } else if AdminPassword.isClientDigest(text) {
                self = .legacyDigest(text.lowercased())
            } else {
                self = .invalid
            }
        }
    }

    /// Whether the client digest `candidate` is the stored password. Constant time in the digest.
    public static func matches(_ candidate: String, stored: String) -> Bool {
        let given = Array(candidate.lowercased().utf8)
        switch Stored(stored) {
        case .defaultPassword: return constantTimeEqual(given, Array(defaultDigest.utf8))
        case .legacyDigest(let digest): return constantTimeEqual(given, Array(digest.utf8))
        case .salted(let rounds, let salt, let hash): return constantTimeEqual(derive(given, salt: salt, rounds: rounds), hash)
        case .invalid: return false
        }
    }

    /// Whether `stored` is the default password `admin` as v1.3 keeps it (empty, or its hex
    /// digest). Cheap: no key derivation, so it can run at every start.
    public static func isStoredDefault(_ stored: String) -> Bool {
        switch Stored(stored) {
        case .defaultPassword: return true
        case .legacyDigest(let digest): return isDefault(digest)
        case .salted, .invalid: return false
        }
    }

    /// Whether `stored` is not yet in the salted form (and should be upgraded after a login).
    public static func needsUpgrade(_ stored: String) -> Bool {
        if case .salted = Stored(stored) { return false }
        return true
    }

    /// Whether the client digest `digest` is that of the default password `admin`.
    public static func isDefault(_ digest: String) -> Bool {
        constantTimeEqual(Array(digest.lowercased().utf8), Array(defaultDigest.utf8))
    }

    /// What a client sends for `password`: the lower-case hex SHA-256 of its UTF-8 bytes.
    public static func clientDigest(of password: String) -> String {
        SHA256.hash(data: Data(password.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` has the form of a client digest: 64 hex characters.
    public static func isClientDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.allSatisfy(\.isHexDigit)
    }

    /// The salted form of a client digest, with a fresh random salt: what `web_password` holds.
    public static func hash(_ digest: String) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
        let derived = derive(Array(digest.lowercased().utf8), salt: salt, rounds: rounds)
        return prefix + "\(rounds)$" + Data(salt).base64EncodedString() + "$" + Data(derived).base64EncodedString()
    }

    /// PBKDF2-HMAC-SHA256 with a 32-byte output (RFC 8018 §5.2: one block).
    static func derive(_ password: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var block = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = block
        for _ in 1..<max(rounds, 1) {
            block = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for i in result.indices { result[i] ^= block[i] }
        }
        return result
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
