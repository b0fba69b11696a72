import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Serves the web UI under the base path, next to the API at `<base>/api`: `<base>` redirects to
/// `<base>/`, which is `index.html`; every other name is a file of ``WebUIAssets``. The UI routes
/// inside the page (`#/users`), so no UI path can clash with an API path.
///
/// Every answer carries an ETag (a reload costs a 304) and `Cache-Control: no-cache`, so a browser
/// revalidates and never runs an old script against a new API; and a Content-Security-Policy that
/// allows only the node's own scripts, styles and connections, with no inline code.
struct WebUIMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let basePath: String
    let source: WebUIAssets.Source

    static let contentSecurityPolicy = """
        default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
        connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
        frame-ancestors 'none'
        """

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, let name = uiName(request.uri.path) else {
            return try await next(request, context)
        }
        if name.isEmpty {
            return Response(status: .movedPermanently, headers: [.location: basePath + "/"])
        }
        guard let file = WebUIAssets.file(at: name, from: source) else { return try await next(request, context) }
        return Self.response(file, for: request)
    }

    /// The file name `path` asks for: `""` for the bare base path (a redirect), `index.html` for
    /// `<base>/`; `nil` for API paths and paths outside the base.
    func uiName(_ path: String) -> String? {
        if !basePath.isEmpty, path == basePath { return "" }
        guard path.hasPrefix(basePath + "/") else { return nil }
        let name = String(path.dropFirst(basePath.count + 1))
        if name == "api" || name.hasPrefix("api/") { return nil }
        return name.isEmpty ? "index.html" : name
    }

    static func response(_ file: WebUIAssets.File, for request: Request) -> Response {
        let acceptsGzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") == true
        let (body, etag) = acceptsGzip ? file.gzip ?? (file.body, file.etag) : (file.body, file.etag)
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .eTag: etag,
            .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
            .vary: "Accept-Encoding",
        ]
        if file.gzip != nil, etag != file.etag { headers[.contentEncoding] = "gzip" }
        let matches = request.headers[.ifNoneMatch]?.split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag
        } == true
        if matches { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = "\(body.readableBytes)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: request.method == .head ? ByteBuffer() : body))
    }
}

extension HTTPField.Name {
    /// Not among HTTPTypes' names: pages send no `Referer`, so a token in a URL never leaks.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
