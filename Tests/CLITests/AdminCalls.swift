import Foundation
import TestSupport
import Testing

/// Calls to a node's admin API from inside its namespace, with curl.
struct AdminCalls {
    let net: NetworkNamespaces
    let host: String
    let token: String

    static func login(_ net: NetworkNamespaces, in host: String) async throws -> AdminCalls {
        var token: String?
        _ = await eventually(within: .seconds(30)) {
            guard let body = try? await net.exec(in: host, "curl", [
                "-s", "--max-time", "5", "-H", "Content-Type: application/json", "-d", TestAdmin.loginBody,
                "http://127.0.0.1:8081/scale/api/login",
            ]), let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return false }
            token = object["token"] as? String
            return token != nil
        }
        return AdminCalls(net: net, host: host, token: try #require(token, "no login"))
    }

    func text(_ path: String) async throws -> String {
        try await net.exec(in: host, "curl", ["-s", "--max-time", "10", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:8081\(path)"])
    }

    /// - Parameter seconds: how long the call may take; an edit returns after its reconcile,
    ///   which starting a daemon under emulation (scripts/vm) makes long.
    func send(_ method: String, _ path: String, body: String, seconds: Int = 10) async throws -> String {
        try await net.exec(in: host, "curl", [
            "-s", "--max-time", "\(seconds)", "-X", method, "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
            "-d", body, "http://127.0.0.1:8081\(path)",
        ])
    }

    func sessions() async -> [[String: Any]] {
        guard let body = try? await text("/scale/api/sessions"),
              let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [] }
        return object["devices"] as? [[String: Any]] ?? []
    }

    func wireGuard() async -> [String: Any] { await json("/scale/api/wireguard") }

    func json(_ path: String) async -> [String: Any] {
        guard let body = try? await text(path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }
}
