import AdminAPI
import Foundation
import HTTPTypes
import Hummingbird
import TestSupport
import Testing

/// Operations of the document the router does not serve yet, each with the reason.
/// Keep this as short as the truth allows: the test fails when one of them appears on the router.
private let pendingOperations: [String: String] = [:]

/// One operation: upper-case method and path template from `/api/`, e.g. `PUT /api/users/{id}`.
struct APIOperation: Hashable, Sendable, CustomStringConvertible {
    var method: String
    var path: String

    /// The template with parameter names dropped, so `{id}` and `{key}` in the same place match.
    var shape: String { path.replacingOccurrences(of: #"\{[^}/]*\}"#, with: "{}", options: .regularExpression) }
    var key: String { "\(method) \(shape)" }
    var description: String { "\(method) \(path)" }
}

/// The OpenAPI document, read as plain JSON.
struct ContractDocument {
    let root: [String: Any]

    init() throws {
        root = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    var paths: [String: [String: Any]] { root["paths"] as? [String: [String: Any]] ?? [:] }

    /// Every operation, in document order (JSONSerialization loses it, so sorted by path then method).
    var operations: [APIOperation] {
        paths.keys.sorted().flatMap { path in
            Self.methods.filter { paths[path]?[$0] != nil }.map { APIOperation(method: $0.uppercased(), path: path) }
        }
    }

    func operation(_ op: APIOperation) -> [String: Any] {
        paths[op.path]?[op.method.lowercased()] as? [String: Any] ?? [:]
    }

    /// Follows a local `$ref`.
    func resolve(_ value: Any?) -> [String: Any] {
        guard var object = value as? [String: Any] else { return [:] }
        var hops = 0
        while let ref = object["$ref"] as? String, ref.hasPrefix("#/"), hops < 16 {
            var node: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
            object = node as? [String: Any] ?? [:]
            hops += 1
        }
        return object
    }

    /// The documented response codes ("200", "4XX", "default").
    func responseCodes(_ op: APIOperation) -> [String] {
        Array((operation(op)["responses"] as? [String: Any] ?? [:]).keys)
    }

    func documents(_ status: Int, for op: APIOperation) -> Bool {
        responseCodes(op).contains { code in
            code == String(status) || code == "default" || code.uppercased() == "\(status / 100)XX"
        }
    }

    /// The media types a 2xx response of `op` may have.
    func successMediaTypes(_ op: APIOperation) -> [String] {
        let responses = operation(op)["responses"] as? [String: Any] ?? [:]
        return responses.filter { $0.key.hasPrefix("2") }.flatMap { resolve($0.value)["content"].map { content in
            Array((content as? [String: Any] ?? [:]).keys)
        } ?? [] }
    }

    /// Path-item and operation parameters, resolved.
    func parameters(_ op: APIOperation) -> [[String: Any]] {
        let shared = paths[op.path]?["parameters"] as? [Any] ?? []
        let own = operation(op)["parameters"] as? [Any] ?? []
        return (shared + own).map(resolve)
    }

    /// A minimal JSON body valid for the operation's `application/json` request schema, if it has one.
    func minimalBody(_ op: APIOperation) -> String? {
        let body = resolve(operation(op)["requestBody"])
        guard let media = (body["content"] as? [String: Any])?["application/json"] as? [String: Any] else { return nil }
        let value = sample(media["schema"])
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The simplest value of a schema: its first example, its default, its first enum value, or
    /// the required properties only.
    func sample(_ schemaValue: Any?, depth: Int = 0) -> Any {
        let schema = resolve(schemaValue)
        if let example = (schema["examples"] as? [Any])?.first { return example }
        if let example = schema["example"] { return example }
        if let value = schema["default"] { return value }
        if let value = (schema["enum"] as? [Any])?.first { return value }
        if let value = schema["const"] { return value }
        if let all = schema["allOf"] as? [Any] {
            return all.reduce(into: [String: Any]()) { merged, part in
                merged.merge(sample(part, depth: depth + 1) as? [String: Any] ?? [:]) { $1 }
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let first = (schema[key] as? [Any])?.first { return sample(first, depth: depth + 1) }
        }
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        switch types.first(where: { $0 != "null" }) ?? (schema["properties"] != nil ? "object" : "null") {
        case "object":
            guard depth < 8 else { return [String: Any]() }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let required = schema["required"] as? [String] ?? []
            return required.reduce(into: [String: Any]()) { object, name in
                object[name] = sample(properties[name], depth: depth + 1)
            }
        case "array":
            let count = schema["minItems"] as? Int ?? 0
            return (0..<count).map { _ in sample(schema["items"], depth: depth + 1) }
        case "string":
            return String(repeating: "x", count: max(1, schema["minLength"] as? Int ?? 1))
        case "integer", "number":
            return schema["minimum"] as? Int ?? 0
        case "boolean":
            return false
        default:
            return NSNull()
        }
    }
}

/// The routes the server registers, as operations under `/api/`.
func registeredOperations() throws -> [APIOperation] {
    let node = try APITestNode(config: APIFixture.config)
    defer { node.dir.remove() }
    return node.server.router(basePath: "/scale").routes.map { route in
        var path = route.path.description
        if path.hasPrefix("/scale") { path.removeFirst("/scale".count) }
        return APIOperation(method: route.method.rawValue.uppercased(), path: path)
    }
}

/// One request of the walk over every implemented operation.
struct PlannedCall: Sendable, CustomStringConvertible {
    var operation: APIOperation
    var uri: String  // relative to /scale/api/
    var body: String?
    var documented: [String]
    var isPublic: Bool
    var usesFixtureID: Bool
    var streams: Bool
    var description: String { "\(operation) as \(operation.method) \(uri)\(body.map { " " + $0 } ?? "")" }
}

@Suite("The OpenAPI document and the router agree")
struct OpenAPIRoutesTests {
    @Test("every route is documented and every documented operation is routed (or listed as pending)")
    func routesMatchDocument() throws {
        let document = try ContractDocument()
        let routed = try registeredOperations()
        let documented = document.operations
        let routedKeys = Set(routed.map(\.key)), documentedKeys = Set(documented.map(\.key))
        let pendingKeys = Set(pendingOperations.keys.map { APIOperation(method: String($0.split(separator: " ")[0]),
                                                                         path: String($0.split(separator: " ")[1])).key })

        let undocumented = routed.filter { !documentedKeys.contains($0.key) }.map(\.description).sorted()
        let unrouted = documented.filter { !routedKeys.contains($0.key) && !pendingKeys.contains($0.key) }
            .map(\.description).sorted()
        let stalePending = pendingOperations.keys.filter { key in
            routed.contains { $0.key == APIOperation(method: String(key.split(separator: " ")[0]),
                                                     path: String(key.split(separator: " ")[1])).key }
        }.sorted()
        let unknownPending = pendingOperations.keys.filter { key in
            !documented.contains { $0.description == key }
        }.sorted()

        #expect(!routed.isEmpty)
        #expect(undocumented.isEmpty, "routes missing from openapi.json: \(undocumented)")
        #expect(unrouted.isEmpty, "operations of openapi.json with no route: \(unrouted)")
        #expect(stalePending.isEmpty, "now routed, remove from pendingOperations: \(stalePending)")
        #expect(unknownPending.isEmpty, "pendingOperations names operations the document lacks: \(unknownPending)")
        #expect(Set(routed.map(\.key)).count == routed.count, "a route is registered twice: \(routed)")
    }

    /// Every implemented operation once, in an order where the fixture's items exist until the
    /// deletes run and the password change and logout (which end sessions) come last.
    func plan(_ document: ContractDocument) throws -> [PlannedCall] {
        let routedKeys = Set(try registeredOperations().map(\.key))
        let implemented = document.operations.filter { routedKeys.contains($0.key) }
        func rank(_ op: APIOperation) -> Int {
            if op.path == "/api/logout" { return 4 }
            if op.path == "/api/settings/password" { return 3 }
            if op.path == "/api/login" { return 0 }
            return op.method == "DELETE" ? 2 : 1
        }
        return implemented.sorted { (rank($0), $0.path, $0.method) < (rank($1), $1.path, $1.method) }.map { op in
            let segments = op.path.split(separator: "/").map(String.init)
            let collection = segments.count > 1 ? segments[1] : ""
            var usesFixtureID = false
            let filled = segments.map { segment -> String in
                guard segment.hasPrefix("{") else { return segment }
                if let id = APIFixture.ids[collection] { usesFixtureID = true; return id }
                return "nope"
            }
            var uri = filled.dropFirst().joined(separator: "/")
            let query = document.parameters(op).filter { $0["in"] as? String == "query" && $0["required"] as? Bool == true }
                .map { "\($0["name"] as? String ?? "")=\(document.sample($0["schema"]))" }
            if !query.isEmpty { uri += "?" + query.joined(separator: "&") }
            let isPublic = (document.operation(op)["security"] as? [Any])?.isEmpty == true
            return PlannedCall(operation: op, uri: uri, body: document.minimalBody(op),
                               documented: document.responseCodes(op), isPublic: isPublic,
                               usesFixtureID: usesFixtureID,
                               streams: document.successMediaTypes(op).contains("text/event-stream"))
        }
    }

    @Test("each implemented operation answers a documented status, JSON that parses, and JSON errors")
    func exerciseEveryOperation() async throws {
        let document = try ContractDocument()
        let calls = try plan(document)
        #expect(calls.count > 40, "\(calls)")
        let node = try APITestNode(config: APIFixture.config)
        try await node.test { api in
            let token = try await api.login()
            try #require(!token.isEmpty)
            for call in calls {
                if call.streams {
                    try await checkStream(call, port: api.port, token: token)
                    continue
                }
                let answer = try await api.call(HTTPRequest.Method(call.operation.method)!, call.uri,
                                                token: token, body: call.body)
                let status = Int(answer.status.code)
                let documented = call.documented.contains { code in
                    code == String(status) || code == "default" || code.uppercased() == "\(status / 100)XX"
                }
                #expect(documented, "\(call): \(status) is not documented (\(call.documented.sorted())): \(answer.body)")
                let isJSON = answer.headers[.contentType]?.contains("json") == true
                if isJSON {
                    #expect(answer.json != nil, "\(call): the JSON response does not parse: \(answer.body)")
                }
                if status >= 400 {
                    #expect(isJSON, "\(call): error \(status) is not JSON (DECISIONS #5): \(answer.body)")
                    #expect(answer.object["error"] is String, "\(call): error \(status) without a string `error`: \(answer.body)")
                }
                // A configured peer that is not connected cannot be asked for its peers: 400 says so.
                if call.usesFixtureID, ["GET", "PUT"].contains(call.operation.method),
                   call.operation.path != "/api/peers/{name}/peers" {
                    #expect(status != 404, "\(call): the fixture's item was not found: \(answer.body)")
                }
            }
        }
    }

    /// An event stream never ends, so only its status line is read (with curl, when there is one).
    /// curl stops at its time limit, which leaves a machine loaded by the whole suite room to answer.
    func checkStream(_ call: PlannedCall, port: Int, token: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "8",
                             "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/scale/api/\(call.uri)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = Int(String(decoding: output, as: UTF8.self)) ?? 0
        #expect(call.documented.contains(String(status)), "\(call): stream answered \(status)")
    }

    @Test("an unknown path under /scale/api/ answers 404 with a JSON error")
    func unknownPath() async throws {
        try await APITestNode(config: APIFixture.config).test { api in
            let token = try await api.login()
            for (method, path) in [(HTTPRequest.Method.get, "no-such-route"), (.get, "users/alice/no-such-thing"),
                                   (.post, "no/such/route")] {
                let answer = try await api.call(method, path, token: token)
                #expect(answer.status == .notFound, "\(method) \(path): \(answer.status) \(answer.body)")
                #expect(answer.object["error"] is String, "\(method) \(path): 404 without a JSON error (DECISIONS #5): '\(answer.body)'")
            }
        }
    }
}

@Suite("Control characters in edited strings")
struct ControlCharacterTests {
    /// Found by schemathesis: C1 control characters other than U+0085 reached the YAML edit and
    /// answered 500 instead of a client error.
    @Test("a string with a control character is refused with a 4xx JSON error, never 500",
          arguments: ["\u{01}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}"])
    func refused(_ character: String) async throws {
        let node = try APITestNode(config: APIFixture.config)
        try await node.test { api in
            let token = try await api.login()
            let before = node.text
            for (method, path, body) in [
                (HTTPRequest.Method.put, "node", api.json(["name": "a\(character)b"])),
                (.post, "users", api.json(["username": "a\(character)b", "password": "long-enough-password"])),
            ] {
                let answer = try await api.call(method, path, token: token, body: body)
                let code = Int(answer.status.code)
                #expect((400..<500).contains(code), "\(method) \(path) \(body): \(code) \(answer.body)")
                #expect(answer.object["error"] is String, "\(answer.body)")
            }
            #expect(node.text == before)
        }
    }
}
