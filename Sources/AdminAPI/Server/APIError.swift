public import Hummingbird
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler

/// An error answered as JSON (DECISIONS #5): `{"error": "...", "field": "...", "problems": [...]}`.
///
/// Handlers throw these (or domain errors mapped to them); no handler builds an error response.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// What is wrong and what would be accepted.
    public let message: String
    /// The JSON field or config path it is about, when known.
    public let field: String?
    /// For 422: every problem of the edited config, `FILE:LINE:COLUMN: path: message`.
    public let problems: [String]
    /// For 429: seconds until a retry may succeed.
    public let retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, problems: [String] = [],
                retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.problems = problems
        self.retryAfter = retryAfter
    }

    static func badRequest(_ message: String, field: String? = nil) -> APIError { APIError(.badRequest, message, field: field) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    static func conflict(_ message: String, field: String? = nil) -> APIError { APIError(.conflict, message, field: field) }
    static let unauthorized = APIError(.unauthorized, "unauthorized: log in and send the token as `Authorization: Bearer <token>`")

    private struct Body: Encodable {
        var error: String
        var field: String?
        var problems: [String]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: message, field: field, problems: problems.isEmpty ? nil : problems)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = try encoder.encode(body) + Data("\n".utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
