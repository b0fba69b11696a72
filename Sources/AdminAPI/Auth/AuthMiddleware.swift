import Hummingbird
import ScaleConfig
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import Reconciler

/// Requires a live admin session on every route behind it (reference §4.3).
///
/// The token comes from `Authorization: Bearer <token>`; `?token=` is accepted only on event
/// streams, which browsers cannot give headers (tokens in URLs end up in logs elsewhere). A
/// session whose password has changed since its login is over, however the change was made.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let sessions: SessionStore
    let configStore: ConfigStore

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var token: String?
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        } else if request.uri.path.hasSuffix("/stream") {
            token = request.uri.queryParameters.get("token")
        }
        guard let token, !token.isEmpty else { throw APIError.unauthorized }
        let config = try? await configStore.snapshot().config  // unreadable file: default timeout, no stamp check
        guard let session = await sessions.resume(token: token, timeout: (config ?? Config()).sessionTimeout) else {
            throw APIError.unauthorized
        }
        if let config, config.webPassword != session.passwordStamp {
            await sessions.remove(session)
            throw APIError.unauthorized
        }
        var context = context
        context.session = session
        return try await next(request, context)
    }
}
