import HTTPTypes
import Hummingbird
import Logging
import ScaleConfig

/// The admin password asked again by the calls that can take a node over: a password change,
/// an upgrade, a restore (DECISIONS #24). A stolen session token alone is not enough for them,
/// and wrong answers count against the client's login attempts.
struct Reauthentication {
    let deps: AdminDependencies
    let limiter: LoginLimiter<ContinuousClock>

    /// Where upload calls (whose body is the file) take the current password.
    static let header = HTTPField.Name("X-Current-Password")!

    /// Checks `digest`, the client-side SHA-256 of the current password.
    /// - Parameter field: where the caller sent it, for the error.
    /// - Throws: ``APIError`` 400 when it is missing, 403 when it is wrong, 429 while the
    ///   client's address is rate limited.
    func check(_ digest: String?, context: AdminRequestContext, field: String) async throws {
        if let wait = await limiter.retryAfter(for: context.clientAddress) {
            throw APIError(.tooManyRequests, "too many failed password checks from this address; retry in \(wait) s",
                           retryAfter: wait)
        }
        guard let digest, !digest.isEmpty else {
            throw APIError.badRequest("this call needs the current admin password (its hex SHA-256) in \(field)", field: field)
        }
        let stored = try await deps.configStore.snapshot().config.webPassword
        guard AdminPassword.matches(digest, stored: stored) else {
            await limiter.recordFailure(for: context.clientAddress)
            deps.logger.notice("admin password check failed", metadata: ["client.address": "\(context.clientAddress)"])
            throw APIError(.forbidden, "current password incorrect", field: field)
        }
    }
}
