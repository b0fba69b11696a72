import CYAML
import Foundation
import Glibc
import Hummingbird
import SystemCalls

/// Host facts: free ports and what this build is made of (reference §5.12, §5.18; DECISIONS #20).
struct SystemController {
    let deps: AdminDependencies
    /// Ports checked in one call.
    static let maximumPorts = 64

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.post("check-ports", use: checkPorts)
        group.get("build-info", use: buildInfo)
    }

    struct PortQuery: Decodable { var ports: [Int] }
    struct PortAnswer: ResponseEncodable { var results: [String: Bool] }

    /// `true` when both TCP and UDP can bind the port on every interface right now.
    @Sendable func checkPorts(_ request: Request, context: AdminRequestContext) async throws -> PortAnswer {
        let query = try await request.decodeJSON(as: PortQuery.self, context: context)
        guard query.ports.count <= Self.maximumPorts else {
            throw APIError.badRequest("at most \(Self.maximumPorts) ports per call", field: "ports")
        }
        if let bad = query.ports.firstIndex(where: { !(1...65535).contains($0) }) {
            throw APIError.badRequest("\(query.ports[bad]) is not a port; use 1 to 65535", field: "ports[\(bad)]")
        }
        var results: [String: Bool] = [:]
        for port in query.ports { results[String(port)] = Self.canBind(port, SOCK_STREAM) && Self.canBind(port, SOCK_DGRAM) }
        return PortAnswer(results: results)
    }

    /// Tries to bind `0.0.0.0:port` (and `[::]:port` where IPv6 exists); closes at once.
    static func canBind(_ port: Int, _ type: __socket_type) -> Bool {
        // Any failure, of the socket or of the bind, means the port cannot be had.
        guard let fd = try? Posix.socket(AF_INET, Int32(type.rawValue)) else { return false }
        defer { _ = try? Posix.close(fd) }  // never listened on: nothing to lose
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        return (try? Posix.bind(fd, to: address)) != nil
    }

    struct Component: Encodable, Sendable {
        var name: String
        var version: String
        var license: String
    }

    struct Info: ResponseEncodable {
        var version: String
        var license: String
        var repository: String
        var natives: [Component]
    }

    @Sendable func buildInfo(_ request: Request, context: AdminRequestContext) async throws -> Info {
        Info(version: BuildInfo.version, license: "MIT", repository: "hy2scale",
             natives: [
                 Component(name: "libyaml", version: String(cString: yaml_get_version_string()), license: "MIT"),
                 Component(name: "sqlite3", version: BuildInfo.sqliteVersion, license: "Public Domain"),
             ])
    }
}
