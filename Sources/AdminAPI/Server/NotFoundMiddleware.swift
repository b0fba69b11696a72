import Hummingbird

/// Answers requests that match no route with the same JSON error every handler uses.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw APIError.notFound("no such route: \(request.method) \(request.uri.path)")
        }
    }
}
