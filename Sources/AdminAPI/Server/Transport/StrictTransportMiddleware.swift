import HTTPTypes
import Hummingbird

/// Adds `Strict-Transport-Security` while `force_https` holds (RFC 6797), so a browser that has
/// seen the node once never tries plain HTTP again. Every answer then goes out over TLS, since
/// plain requests never reach the router.
struct StrictTransportMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One year, as browsers' preload lists ask.
    static var headerValue: String { "max-age=31536000" }

    let transport: AdminTransport

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard transport.settings.isForced else { return try await next(request, context) }
        do {
            var response = try await next(request, context)
            response.headers[.strictTransportSecurity] = Self.headerValue
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.strictTransportSecurity] = Self.headerValue
            return response
        }
    }
}
