import Hummingbird
import ScaleConfig
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import Reconciler

/// `POST /api/login` and `PUT /api/settings/password` (reference §4.2, §4.4; DECISIONS #4).
struct AuthController {
    let deps: AdminDependencies
    let limiter: LoginLimiter<ContinuousClock>

    func addPublicRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.post("login", use: login)
    }

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.put("settings/password", use: changePassword)
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
        await limiter.recordSuccess(for: context.clientAddress)
        if !config.webPassword.isEmpty, AdminPassword.needsUpgrade(config.webPassword) {
            // A v1.3 digest in the file: store it salted from now on (DECISIONS #4).
            let salted = AdminPassword.hash(credentials.password)
            _ = try? await deps.configStore.edit(expectedRevision: nil) { edit in  // best effort; login still succeeds
                try edit.set(["web_password"], to: salted)
            }
        }
        let token = await deps.sessions.create(username: config.effectiveWebUsername,
                                               timeout: .seconds(config.effectiveSessionTimeoutHours * 3600))
        let isDefault = AdminPassword.constantTimeEqual(Array(credentials.password.lowercased().utf8),
                                                        Array(AdminPassword.defaultDigest.utf8))
        return LoginAnswer(token: token, force_password_change: isDefault)
    }

    struct PasswordChange: Decodable {
        var current_password: String
        var new_username: String?
        var new_password: String?
    }

    @Sendable func changePassword(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let change = try await request.decodeJSON(as: PasswordChange.self, context: context)
        if let new = change.new_password, !new.isEmpty,
           new.count != 64 || !new.allSatisfy(\.isHexDigit) {
            throw APIError.badRequest("new_password must be the hex SHA-256 of the password (64 characters)",
                                      field: "new_password")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            guard AdminPassword.matches(change.current_password, stored: edit.config.webPassword) else {
                throw APIError(.forbidden, "current password incorrect", field: "current_password")
            }
            if let name = change.new_username, !name.isEmpty { try edit.set(["web_username"], to: name) }
            if let new = change.new_password, !new.isEmpty { try edit.set(["web_password"], to: AdminPassword.hash(new)) }
        }
        await deps.sessions.removeAll()  // every session ends, the caller's included (reference §4.4)
        return result
    }
}
