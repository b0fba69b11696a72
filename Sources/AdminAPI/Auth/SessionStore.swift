import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler

/// A logged-in admin.
public struct AdminSession: Sendable, Equatable {
    /// The admin name at login.
    public var username: String
    /// SHA-256 of the token: the store never keeps tokens themselves.
    var tokenDigest: String
    /// Logged in with the initial or the default password: only the password change and logout
    /// are open to it (DECISIONS #23).
    public var mustChangePassword: Bool
    /// `web_password` as it was at login. A session outlives no password change, wherever it was
    /// made (the API, `hy2scale passwd`, a hand edit of the file).
    var passwordStamp: String
}

/// Admin login sessions: random tokens with a sliding timeout (reference §4.3).
///
/// Runtime state, kept in memory: a restart logs everyone out. Bounded: past
/// ``maximumSessions`` the least recently used session is dropped.
public actor SessionStore {
    /// Upper bound on concurrent sessions (v1.3 kept them without limit, §9 item 20).
    public static let maximumSessions = 256

    private struct Entry {
        var session: AdminSession
        var expiresAt: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
    }

    private var entries: [String: Entry] = [:]
    private let clock = ContinuousClock()

    public init() {}

    /// Starts a session; returns its token (32 lower-case hex characters from 16 random bytes).
    /// - Parameters:
    ///   - mustChangePassword: the login used the initial or the default password.
    ///   - passwordStamp: the config's `web_password` at login.
    public func create(username: String, mustChangePassword: Bool, passwordStamp: String, timeout: Duration) -> String {
        var rng = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let digest = Self.digest(token)
        let now = clock.now
        if entries.count >= Self.maximumSessions,
           let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            entries[oldest] = nil
        }
        let session = AdminSession(username: username, tokenDigest: digest, mustChangePassword: mustChangePassword,
                                   passwordStamp: passwordStamp)
        entries[digest] = Entry(session: session,
                                expiresAt: now.advanced(by: timeout), lastUsed: now)
        return token
    }

    /// The session of `token` if it is live; extends it by `timeout` (sliding window).
    public func resume(token: String, timeout: Duration) -> AdminSession? {
        let digest = Self.digest(token)
        let now = clock.now
        guard var entry = entries[digest] else { return nil }
        guard entry.expiresAt > now else {
            entries[digest] = nil
            return nil
        }
        entry.expiresAt = now.advanced(by: timeout)
        entry.lastUsed = now
        entries[digest] = entry
        return entry.session
    }

    /// Ends every session (after a password change).
    public func removeAll() { entries.removeAll() }

    /// Ends one session (logout). Idempotent.
    public func remove(_ session: AdminSession) { entries[session.tokenDigest] = nil }

    private static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
