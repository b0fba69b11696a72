import Foundation
import Glibc

/// Throwaway network namespaces joined by veth links: separate hosts on one machine, for tests
/// that need real routing (who can reach what). Names carry a random tag so parallel runs and
/// leftovers of a crashed run never collide; ``remove()`` deletes everything it made.
public final class NetworkNamespaces: Sendable {
    /// Whether this machine lets the tests create namespaces: root, `ip`, and a probe namespace
    /// that can really be made (a container without the capability cannot).
    public static let areAvailable: Bool = {
        guard getuid() == 0, let ip = ExternalTool.path("ip") else { return false }
        let probe = "hy2t-probe-\(getpid())"
        func run(_ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ip)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        defer { _ = run(["netns", "delete", probe]) }
        return run(["netns", "add", probe])
    }()

    public let tag: String
    public let hosts: [String]

    /// Creates one namespace per host (loopback up).
    public init(hosts: [String]) async throws {
        tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        self.hosts = hosts
        for host in hosts {
            try await Self.ip(["netns", "add", namespace(host)])
            try await exec(in: host, "ip", ["link", "set", "lo", "up"])
        }
    }

    /// Runs `body` with fresh namespaces for `hosts`, and removes them afterwards, failed or not.
    public static func with<T: Sendable>(hosts: [String], _ body: (NetworkNamespaces) async throws -> T) async throws -> T {
        let namespaces = try await NetworkNamespaces(hosts: hosts)
        do {
            let result = try await body(namespaces)
            await namespaces.remove()
            return result
        } catch {
            await namespaces.remove()
            throw error
        }
    }

    /// The namespace name of `host`.
    public func namespace(_ host: String) -> String { "hy2t-\(tag)-\(host)" }

    /// The path of `host`'s namespace, for code that opens its sockets inside it.
    public func path(_ host: String) -> String { "/run/netns/\(namespace(host))" }

    /// Joins `a` and `b` with a veth pair: `a` gets `addressA`, `b` gets `addressB` (CIDR text,
    /// e.g. `10.77.1.1/24`). The interfaces are named after the peer host, plus `number` for a
    /// second link between the same two.
    public func link(_ a: String, _ addressA: String, _ b: String, _ addressB: String, number: Int = 0) async throws {
        let ifA = interface(towards: b, number: number), ifB = interface(towards: a, number: number)
        try await Self.ip(["link", "add", ifA, "netns", namespace(a), "type", "veth", "peer", "name", ifB, "netns", namespace(b)])
        try await exec(in: a, "ip", ["addr", "add", addressA, "dev", ifA])
        try await exec(in: b, "ip", ["addr", "add", addressB, "dev", ifB])
        try await exec(in: a, "ip", ["link", "set", ifA, "up"])
        try await exec(in: b, "ip", ["link", "set", ifB, "up"])
    }

    /// Takes `host`'s side of its link towards `peer` down: the hosts can no longer reach each other.
    public func cut(_ host: String, from peer: String) async throws {
        try await exec(in: host, "ip", ["link", "set", interface(towards: peer), "down"])
    }

    /// The interface in one host that leads to `peer` (at most 15 characters).
    private func interface(towards peer: String, number: Int = 0) -> String {
        (number == 0 ? "v-\(peer)" : "v\(number)-\(peer)").prefix(15).description
    }

    /// Runs a command inside `host`'s namespace to completion; throws on a non-zero exit.
    @discardableResult
    public func exec(in host: String, _ program: String, _ arguments: [String]) async throws -> String {
        guard let path = program.hasPrefix("/") ? program : ExternalTool.path(program) else { throw NamespaceError.missing(program) }
        return try await Self.run(["netns", "exec", namespace(host), path] + arguments)
    }

    /// Starts a long-running program inside `host`'s namespace.
    public func spawn(in host: String, _ executable: String, _ arguments: [String]) throws -> ChildProcess {
        guard let ip = ExternalTool.path("ip") else { throw NamespaceError.missing("ip") }
        // `ip netns exec` enters the namespace and execs the program, so signals reach it directly.
        return try ChildProcess(ip, ["netns", "exec", namespace(host), executable] + arguments)
    }

    /// Deletes the namespaces (and with them their veth ends).
    public func remove() async {
        for host in hosts { _ = try? await Self.ip(["netns", "delete", namespace(host)]) }
    }

    private static func ip(_ arguments: [String]) async throws {
        try await run(arguments)
    }

    @discardableResult
    private static func run(_ arguments: [String]) async throws -> String {
        guard let ip = ExternalTool.path("ip") else { throw NamespaceError.missing("ip") }
        let result = try await ChildProcess.run(ip, arguments)
        guard result.status == 0 else { throw NamespaceError.failed("ip " + arguments.joined(separator: " "), result.stderr) }
        return result.stdout
    }
}

public enum NamespaceError: Error, CustomStringConvertible {
    case missing(String)
    case failed(String, String)

    public var description: String {
        switch self {
        case .missing(let program): "\(program) is not installed"
        case .failed(let command, let stderr): "\(command) failed: \(stderr)"
        }
    }
}
