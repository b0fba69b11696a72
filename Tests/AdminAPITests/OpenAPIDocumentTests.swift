import AdminAPI
import Foundation
import Testing

/// The REST routes of the seed (`spec/seed-api-reference-zh.txt`) plus the two this project adds
/// (`/api/status`, `/api/openapi.json`); the contract must describe each one.
private let requiredRoutes: [(method: String, path: String)] = [
    ("post", "/api/login"),
    ("get", "/api/build-id"),
    ("get", "/api/internal/peers"),
    ("get", "/api/openapi.json"),
    ("get", "/api/status"),
    ("get", "/api/node"), ("put", "/api/node"),
    ("get", "/api/stats"),
    ("get", "/api/topology"),
    ("get", "/api/clients"), ("post", "/api/clients"),
    ("put", "/api/clients/{name}"), ("delete", "/api/clients/{name}"),
    ("put", "/api/clients/{name}/disable"),
    ("get", "/api/peers/{name}/peers"),
    ("put", "/api/peers/{name}/nested"),
    ("get", "/api/proxies"), ("post", "/api/proxies"),
    ("put", "/api/proxies/{id}"), ("delete", "/api/proxies/{id}"),
    ("get", "/api/l2tp"), ("put", "/api/l2tp"),
    ("get", "/api/ikev2"), ("put", "/api/ikev2"),
    ("get", "/api/wireguard"), ("put", "/api/wireguard"),
    ("post", "/api/wireguard/peers"),
    ("put", "/api/wireguard/peers/{name}"), ("delete", "/api/wireguard/peers/{name}"),
    ("get", "/api/wireguard/peers/{name}/config"),
    ("get", "/api/wireguard/qr"),
    ("post", "/api/wireguard/generate-key"),
    ("get", "/api/users"), ("post", "/api/users"),
    ("put", "/api/users/{id}"), ("delete", "/api/users/{id}"),
    ("put", "/api/users/{id}/toggle"),
    ("put", "/api/users/{id}/reset-traffic"),
    ("get", "/api/sessions"), ("delete", "/api/sessions/{id}"),
    ("get", "/api/rules"), ("post", "/api/rules"),
    ("put", "/api/rules/{id}"), ("delete", "/api/rules/{id}"),
    ("put", "/api/rules/{id}/toggle"),
    ("get", "/api/rules/tun-mode"), ("put", "/api/rules/tun-mode"),
    ("get", "/api/tls"),
    ("post", "/api/tls/import"), ("post", "/api/tls/import-path"),
    ("post", "/api/tls/generate"), ("post", "/api/tls/sign"),
    ("get", "/api/tls/{id}/pem"), ("delete", "/api/tls/{id}"),
    ("get", "/api/graph-layout"), ("put", "/api/graph-layout"),
    ("get", "/api/graph-layout/stream"),
    ("get", "/api/backup"), ("post", "/api/restore"),
    ("get", "/api/build-info"),
    ("put", "/api/settings/password"),
    ("get", "/api/settings/ui"), ("put", "/api/settings/ui"),
    ("post", "/api/upgrade"),
    ("post", "/api/check-ports"),
]

/// Routes that answer without a token.
private let publicRoutes: Set<String> = [
    "post /api/login", "get /api/build-id", "get /api/internal/peers", "get /api/openapi.json",
]

private let httpMethods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

private let jsonFileURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/AdminAPI/OpenAPI/openapi.json")

private func parsedDocument() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
    return try #require(object as? [String: Any])
}

/// Every operation as (method, path, operation object).
private func operations(_ document: [String: Any]) throws -> [(method: String, path: String, operation: [String: Any])] {
    let paths = try #require(document["paths"] as? [String: Any])
    var out: [(String, String, [String: Any])] = []
    for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
        let item = try #require(item as? [String: Any], "path item \(path)")
        for (method, operation) in item where httpMethods.contains(method) {
            out.append((method, path, try #require(operation as? [String: Any], "\(method) \(path)")))
        }
    }
    return out
}

/// Every `$ref` value anywhere in `value`, with the JSON path where it was found.
private func references(in value: Any, at location: String = "#") -> [(ref: String, location: String)] {
    if let object = value as? [String: Any] {
        return object.sorted(by: { $0.key < $1.key }).flatMap { key, child -> [(ref: String, location: String)] in
            if key == "$ref", let target = child as? String { return [(target, location)] }
            return references(in: child, at: "\(location)/\(key)")
        }
    }
    if let array = value as? [Any] {
        return array.enumerated().flatMap { references(in: $1, at: "\(location)/\($0)") }
    }
    return []
}

/// Follows a local JSON pointer (`#/components/schemas/User`) through the document.
private func resolve(_ pointer: String, in document: [String: Any]) -> Any? {
    guard pointer.hasPrefix("#/") else { return nil }
    var current: Any = document
    for raw in pointer.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
        let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        guard let object = current as? [String: Any], let next = object[token] else { return nil }
        current = next
    }
    return current
}

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("the embedded string is byte for byte the openapi.json file")
    func embeddedCopyMatchesFile() throws {
        let onDisk = try String(contentsOf: jsonFileURL, encoding: .utf8)
        #expect(OpenAPIDocument.json == onDisk, "the EmbedOpenAPI plugin did not embed Sources/AdminAPI/OpenAPI/openapi.json as it is")
    }

    @Test("it is JSON declaring OpenAPI 3.1.0 with the /scale server")
    func versionAndServer() throws {
        let document = try parsedDocument()
        #expect(document["openapi"] as? String == "3.1.0")
        let servers = try #require(document["servers"] as? [[String: Any]])
        #expect(servers.first?["url"] as? String == "/scale")
    }

    @Test("every $ref points at something in the document")
    func referencesResolve() throws {
        let document = try parsedDocument()
        let refs = references(in: document)
        #expect(!refs.isEmpty)
        for (target, location) in refs {
            #expect(resolve(target, in: document) != nil, "\(location): unresolved $ref \(target)")
        }
    }

    @Test("every operation has a unique operationId and at least one response")
    func operationsAreComplete() throws {
        let document = try parsedDocument()
        var seen: [String: String] = [:]
        for (method, path, operation) in try operations(document) {
            let label = "\(method.uppercased()) \(path)"
            let id = operation["operationId"] as? String ?? ""
            #expect(!id.isEmpty, "\(label) has no operationId")
            if let other = seen[id] { Issue.record("operationId \(id) used by \(other) and \(label)") }
            seen[id] = label
            let responses = operation["responses"] as? [String: Any] ?? [:]
            #expect(!responses.isEmpty, "\(label) has no response")
        }
    }

    @Test("every route of the seed is described", arguments: requiredRoutes.map { "\($0.method) \($0.path)" })
    func routeIsPresent(_ route: String) throws {
        let document = try parsedDocument()
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        let paths = try #require(document["paths"] as? [String: Any])
        let item = paths[parts[1]] as? [String: Any]
        #expect(item?[parts[0]] is [String: Any], "missing \(route)")
    }

    @Test("exactly the public routes opt out of authentication")
    func publicRoutesHaveEmptySecurity() throws {
        let document = try parsedDocument()
        for (method, path, operation) in try operations(document) {
            let key = "\(method) \(path)"
            let security = operation["security"] as? [Any]
            if publicRoutes.contains(key) {
                #expect(security?.isEmpty == true, "\(key) must have security: []")
            } else {
                #expect(security?.isEmpty != true, "\(key) must require a token")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(responses["401"] != nil, "\(key) must document 401")
            }
        }
    }
}
