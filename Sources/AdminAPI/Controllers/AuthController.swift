import Hummingbird
import ScaleConfig
import Foundation
import HTTPTypes
import Logging
import NodeState
import YAMLDocument

/// `POST /api/login`, `POST /api/logout` and `PUT /api/settings/password` (reference §4.2, §4.4;
/// DECISIONS #4, #23).
///
/// A login with the initial password (made on first start) or the default admin/admin gets a
/// session that can do nothing but change the password or log out. admin/admin is accepted only
/// from this machine.
struct AuthController {
    let deps: AdminDependencies
    let limiter: LoginLimiter<ContinuousClock>

    func addPublicRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.post("login", use: login)
    }

    /// The routes a session must reach even before the initial password is changed.
    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.put("settings/password", use: changePassword)
        group.post("logout", use: logout)
    }

    struct Credentials: Decodable {
        var username: String
        /// Lower-case hex SHA-256 of the password, computed by the client.
        var password: String
    }

    struct LoginAnswer: ResponseEncodable {
        var token: String
        var force_password_change: Bool
    }

    @Sendable func login(_ request: Request, context: AdminRequestContext) async throws -> LoginAnswer {
        if let wait = await limiter.retryAfter(for: context.clientAddress) {
            throw APIError(.tooManyRequests, "too many failed logins from this address; retry in \(wait) s", retryAfter: wait)
        }
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context)
        let config = try await deps.configStore.snapshot().config
        let nameMatches = AdminPassword.constantTimeEqual(Array(credentials.username.utf8),
                                                          Array(config.effectiveWebUsername.utf8))
        let passwordMatches = AdminPassword.matches(credentials.password, stored: config.webPassword)
        guard nameMatches, passwordMatches else {
            await limiter.recordFailure(for: context.clientAddress)
            deps.logger.notice("admin login refused", metadata: ["client.address": "\(context.clientAddress)"])
            throw APIError(.unauthorized, "invalid credentials")
        }
        let isDefault = AdminPassword.isDefault(credentials.password)
        if isDefault, !context.isFromLoopback {
            deps.logger.notice("admin login with the default password refused from a remote address",
                               metadata: ["client.address": "\(context.clientAddress)"])
            throw APIError(.forbidden, """
                the default password admin is accepted only from this machine (127.0.0.1 or ::1) until it is changed; \
                log in there, or set a password on the node with `hy2scale passwd`
                """)
        }
        await limiter.recordSuccess(for: context.clientAddress)
        var stored = config.webPassword
        if !stored.isEmpty, !isDefault, AdminPassword.needsUpgrade(stored) {
            // A v1.3 digest in the file: store it salted from now on (DECISIONS #4). The default
            // one stays as it is until it is changed, which it must be, so the node can still
            // tell at start-up that it is admin without deriving a key.
            let salted = AdminPassword.hash(credentials.password)
            // Best effort: the login succeeds either way; the stamp is whatever the file now holds.
            _ = try? await deps.configStore.edit(expectedRevision: nil) { edit in
                try edit.set(["web_password"], to: salted)
            }
            stored = try await deps.configStore.snapshot().config.webPassword
        }
        let mustChange = isDefault || deps.initialPassword?.isInForce(storedHash: stored) == true
        let token = await deps.sessions.create(username: config.effectiveWebUsername, mustChangePassword: mustChange,
                                               passwordStamp: stored,
                                               timeout: config.sessionTimeout)
        return LoginAnswer(token: token, force_password_change: mustChange)
    }

    @Sendable func logout(_ request: Request, context: AdminRequestContext) async throws -> StatusOK {
        if let session = context.session { await deps.sessions.remove(session) }
        return StatusOK()
    }

    struct PasswordChange: Decodable {
        var current_password: String
        var new_username: String?
        var new_password: String?
    }

    @Sendable func changePassword(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let change = try await request.decodeJSON(as: PasswordChange.self, context: context)
        let newPassword = change.new_password.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let newPassword {
            guard AdminPassword.isClientDigest(newPassword) else {
                throw APIError.badRequest("new_password must be the hex SHA-256 of the password (64 characters)",
                                          field: "new_password")
            }
            guard !AdminPassword.isDefault(newPassword) else {
                throw APIError.badRequest("choose a password other than admin", field: "new_password")
            }
            guard newPassword != change.current_password.lowercased() else {
                throw APIError.badRequest("the new password must differ from the current one", field: "new_password")
            }
        } else if context.session?.mustChangePassword == true {
            throw APIError.badRequest("set new_password: the initial password must be changed", field: "new_password")
        }
        try await Reauthentication(deps: deps, limiter: limiter).check(change.current_password, context: context,
                                                                        field: "current_password")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            // Checked again on the text being edited, in case the file changed since.
            guard AdminPassword.matches(change.current_password, stored: edit.config.webPassword) else {
                throw APIError(.forbidden, "current password incorrect", field: "current_password")
            }
            if let name = change.new_username, !name.isEmpty { try edit.set(["web_username"], to: name) }
            if let newPassword { try edit.set(["web_password"], to: AdminPassword.hash(newPassword)) }
        }
        if newPassword != nil { deps.forgetInitialPassword() }
        await deps.sessions.removeAll()  // every session ends, the caller's included (reference §4.4)
        deps.logger.notice("admin credentials changed", metadata: ["client.address": "\(context.clientAddress)"])
        return result
    }
}
