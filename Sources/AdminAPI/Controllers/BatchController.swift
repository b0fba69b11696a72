import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScaleConfig

/// `POST /api/batch`: several user and rule calls applied as one edit of the file, all or
/// nothing: one validation, one write, one reconcile. A thousand new users cost about what one
/// does (appends in a row are written together).
///
/// Body: `{"operations": [{"method": "POST", "path": "/api/users", "body": {...}}, ...]}`, each
/// operation what its own call would take. The first that fails fails the batch with its own
/// status and message, prefixed with `operations[i]`, and nothing is saved.
struct BatchController {
    let deps: AdminDependencies
    /// Operations in one batch, at most.
    static let maximumOperations = 10_000

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.post("batch", use: run)
    }

    /// What each operation answered, in order: `id` for a creation.
    struct Results: Encodable, Sendable {
        var results: [OperationResult]
    }

    struct OperationResult: Encodable, Sendable {
        var id: String?
    }

    @Sendable func run(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Results> {
        let operations = try await Self.operations(of: request, context: context)
        let (answers, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            var answers: [OperationResult] = []
            answers.reserveCapacity(operations.count)
            for (index, operation) in operations.enumerated() {
                do {
                    answers.append(OperationResult(id: try operation.apply(&edit)))
                } catch let error as APIError {
                    throw error.in(operation: index, operation.title)
                }
            }
            return answers
        }
        return MutationAnswer(result: result, extra: Results(results: answers))
    }

    struct Operation: Sendable {
        var title: String
        var apply: BatchOperation
    }

    /// The body's operations, each checked as its own call would check its body.
    static func operations(of request: Request, context: AdminRequestContext) async throws -> [Operation] {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, "the batch is larger than \(context.maxUploadSize) bytes")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(Array(buffer: body))) as? [String: Any],
              let list = object["operations"] as? [Any] else {
            throw APIError.badRequest(#"the body must be {"operations": [{"method": ..., "path": ..., "body": ...}, ...]}"#,
                                      field: "operations")
        }
        guard list.count <= maximumOperations else {
            throw APIError.badRequest("a batch holds at most \(maximumOperations) operations, not \(list.count)", field: "operations")
        }
        return try list.enumerated().map { index, item in
            let field = "operations[\(index)]"
            guard let entry = item as? [String: Any], let methodName = entry["method"] as? String,
                  let pathText = entry["path"] as? String else {
                throw APIError.badRequest("\(field) needs a method and a path", field: field)
            }
            let method = HTTPRequest.Method(methodName.uppercased())
            let path = apiPath(pathText)
            let title = "\(methodName.uppercased()) \(pathText)"
            let body = try BatchBody(entry["body"], field: "\(field).body")
            guard let method,
                  let apply = try UsersController.batchCalls.operation(method, path, body: body)
                    ?? RulesController.batchCalls.operation(method, path, body: body) else {
                throw APIError.badRequest("""
                    \(field): \(title) cannot be batched; a batch holds POST, PUT and DELETE of /api/users and /api/rules \
                    entries and their toggles
                    """, field: "\(field).path")
            }
            return Operation(title: title, apply: apply)
        }
    }

    /// `/scale/api/users/u1` → `["users", "u1"]`: what follows `api/`, percent-decoded.
    static func apiPath(_ text: String) -> [String] {
        var parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if let api = parts.firstIndex(of: "api") { parts.removeFirst(api + 1) }
        return parts.map { $0.removingPercentEncoding ?? $0 }
    }
}

/// One edit of a batch; returns the id of the entry it created, if it created one.
typealias BatchOperation = @Sendable (inout ConfigEdit) throws -> String?

/// The calls on the entries of one list (`/api/users`, `/api/rules`) that a batch may hold:
/// `POST <list>`, `PUT <list>/{id}`, `DELETE <list>/{id}` and `PUT <list>/{id}/toggle`. Each
/// makes its operation from the call's body, checked as the call itself checks it.
struct EntryBatchCalls: Sendable {
    /// The list's path segment.
    var list: String
    /// Names after `<list>/` that are other calls, not ids (`rules/tun-mode`).
    var reserved: Set<String> = []
    var create: @Sendable (BatchBody) throws -> BatchOperation
    var update: @Sendable (_ id: String, BatchBody) throws -> BatchOperation
    var delete: @Sendable (_ id: String) -> BatchOperation
    /// `enabled` `nil` flips.
    var toggle: @Sendable (_ id: String, _ enabled: Bool?) -> BatchOperation

    /// The operation `method` on `path` (after `api/`) names, or `nil` when it is not one of these calls.
    func operation(_ method: HTTPRequest.Method, _ path: [String], body: BatchBody) throws -> BatchOperation? {
        guard path.first == list, path.count < 2 || !reserved.contains(path[1]) else { return nil }
        switch (method, path.count) {
        case (.post, 1): return try create(body)
        case (.put, 2): return try update(path[1], body)
        case (.delete, 2): return delete(path[1])
        case (.put, 3) where path[2] == "toggle": return toggle(path[1], try body.decodeIfPresent(ToggleBody.self)?.enabled)
        default: return nil
        }
    }
}

/// The `body` of one batch operation, decoded as its own call decodes a request body.
struct BatchBody: Sendable {
    private let data: Data?
    private let field: String

    init(_ json: Any?, field: String) throws {
        self.field = field
        guard let json, !(json is NSNull) else {
            data = nil
            return
        }
        guard JSONSerialization.isValidJSONObject(json) else {
            throw APIError.badRequest("\(field) must be a JSON object", field: field)
        }
        data = try JSONSerialization.data(withJSONObject: json)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let value = try decodeIfPresent(type) else {
            throw APIError.badRequest("\(field) is required for this operation", field: field)
        }
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        guard let data else { return nil }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest("\(field) is not valid JSON for this operation: \(error.summary)",
                                      field: error.field.map { "\(field).\($0)" } ?? field)
        }
    }
}

extension APIError {
    /// This error as the failure of a batch's operation `index`.
    func `in`(operation index: Int, _ title: String) -> APIError {
        APIError(status, "operations[\(index)] (\(title)): \(message); nothing was saved",
                 field: field.map { "operations[\(index)].\($0)" } ?? "operations[\(index)]", problems: problems, retryAfter: retryAfter)
    }
}
