import AdminAPI
import Foundation
import Glibc
import Hummingbird
import NodeState
import ScaleConfig
import ServiceLifecycle
import TestSupport

/// The node's real admin application (its own server builder, TLS included) on a real port, for
/// what the test client cannot show: HTTPS, and clients that are not on loopback.
enum LiveAdminServer {
    /// Runs `node`'s application on `listen` and any free port while `body` runs with the port
    /// it got.
    static func run(_ node: APITestNode, listen host: String = "127.0.0.1",
                    _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        var config = Config()
        config.uiListen = "\(host):0"
        let app = node.server.application(config: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            // The server records its socket once it is bound and accepting; the bound only stops a hang.
            _ = await eventually { node.listeners.listener(AdminServer.listenerKey) != nil }
            guard let port = node.listeners.listener(AdminServer.listenerKey)?.port else {
                group.cancelAll()
                throw LiveServerError.notListening(0)
            }
            do {
                try await body(port)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
        node.dir.remove()
    }

    /// An answer as curl saw it.
    struct Answer {
        var status: Int
        /// Header lines as sent, lower-cased names.
        var headers: [String: String]
        var body: String
    }

    /// Runs curl with `arguments` (a URL among them): the answer, or curl's complaint when
    /// nothing was answered.
    static func attempt(_ arguments: [String]) async throws -> Result<Answer, LiveServerError> {
        let run = try await ChildProcess.run(ExternalTool.path("curl") ?? "/usr/bin/curl",
                                             ["-sS", "-i", "--max-time", "10", "-H", "Content-Type: application/json"] + arguments)
        let text = run.stdout
        guard run.status == 0, let end = text.range(of: "\r\n\r\n") else {
            return .failure(.noAnswer("curl exit \(run.status): \(run.stderr)"))
        }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return .success(Answer(status: status, headers: headers, body: String(text[end.upperBound...])))
    }

    /// The curl answer, failing the test when there was none.
    static func curl(_ arguments: [String]) async throws -> Answer {
        try await attempt(arguments).get()
    }

    /// A non-loopback IPv4 address of this host, if it has one.
    static let externalAddress: String? = {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return nil }
        defer { freeifaddrs(list) }
        var entry = list
        while let current = entry {
            defer { entry = current.pointee.ifa_next }
            guard let address = current.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard UInt32(bigEndian: ipv4.s_addr) >> 24 != 127 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var copy = ipv4
            guard inet_ntop(AF_INET, &copy, &text, socklen_t(INET_ADDRSTRLEN)) != nil else { continue }
            return String(cString: text)
        }
        return nil
    }()
}

enum LiveServerError: Error {
    case notListening(Int)
    case noAnswer(String)
}
