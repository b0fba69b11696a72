import Foundation
import NIOCore
public import Hummingbird
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler

extension Request {
    /// The JSON body as `T`; malformed JSON or a wrong type is a 400 naming the field.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AdminRequestContext) async throws -> T {
        do {
            return try await decode(as: type, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the request body is larger than \(context.maxUploadSize) bytes")
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the request body is larger than \(context.maxUploadSize) bytes")
        } catch let error as DecodingError {
            throw APIError.badRequest("the body is not valid JSON for this call: \(error.summary)", field: error.field)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("the body is not valid JSON for this call")
        }
    }

    /// The revision named by `If-Match`, quotes and weak marker removed; `nil` when absent or `*`.
    var expectedRevision: String? {
        guard var value = headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*", !value.isEmpty else {
            return nil
        }
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension DecodingError {
    /// The JSON path of the problem, `users[0].enabled` style.
    var field: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            path = c.codingPath
        @unknown default:
            return nil
        }
        guard !path.isEmpty else { return nil }
        return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    var summary: String {
        switch self {
        case .typeMismatch(let type, _): return "expected \(type) at \(field ?? "the top level")"
        case .valueNotFound(let type, _): return "missing \(type) at \(field ?? "the top level")"
        case .keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
        case .dataCorrupted(let c): return c.debugDescription
        @unknown default: return "\(self)"
        }
    }
}

/// A JSON answer with an `ETag` of the config revision it was read from.
struct Tagged<Body: Encodable & Sendable>: ResponseGenerator {
    var body: Body
    var revision: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.headers[.eTag] = "\"\(revision)\""
        return response
    }
}

/// `{"status":"ok"}`, for calls that change runtime state only.
struct StatusOK: ResponseEncodable {
    var status = "ok"
}

extension MutationResult: ResponseEncodable {}
extension MutationAnswer: ResponseEncodable {}
