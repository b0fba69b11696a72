import Hummingbird

/// Refuses every call of a session that logged in with the initial or the default password
/// (DECISIONS #23): such a session may only change the password or log out, which are routed
/// outside this gate. The server enforces it; a UI only follows.
struct InitialPasswordGate: RouterMiddleware {
    typealias Context = AdminRequestContext

    static let refusal = APIError(.forbidden, "change the initial admin password first")

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.session?.mustChangePassword == true { throw Self.refusal }
        return try await next(request, context)
    }
}
