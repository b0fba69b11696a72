public import Access
public import Addressing
import NodeState
public import LinuxNet
public import Logging
import NIOCore
public import Reconciler
import Routing
import Synchronization

/// Converges the DNS forwarder of domain rules: it listens at `dns_resolver.listen` while a
/// captured domain rule is enabled (and the resolver is on), and each answer it learns goes into
/// the rule's timeout sets and the capture table before the client sees it.
public struct ResolverDriver: Driver {
    /// The forwarder the config asks for, if any.
    public typealias Config = ResolverResource?
    public let kind = "dns"
    private let gate: InboundGate
    private let capture: CaptureTable
    private let netfilter: NetlinkSocket
    private let logger: Logger
    private let running = RunningForwarder()

    public init(gate: InboundGate, capture: CaptureTable, netfilter: NetlinkSocket, logger: Logger) {
        self.gate = gate
        self.capture = capture
        self.netfilter = netfilter
        self.logger = logger
    }

    public func desired(for resource: ResolverResource?) -> [ResolverResource] { resource.map { [$0] } ?? [] }

    public func observe() async throws -> [ResolverResource] {
        running.resource.map { [$0] } ?? []
    }

    public func apply(_ plan: Plan<ResolverResource>) async -> [Outcome<ResolverResource>] {
        var outcomes: [Outcome<ResolverResource>] = []
        for change in plan.changes {
            do {
                switch change {
                case .create(let resource):
                    try await start(resource)
                case .update(let old, let new) where old.listen == new.listen:
                    running.update(new)
                case .update(_, let new):
                    await running.stop()
                    gate.listeners.forget("dns")
                    try await start(new)
                case .delete:
                    await running.stop()
                    gate.listeners.forget("dns")
                }
                outcomes.append(.applied(change))
            } catch {
                outcomes.append(.failed(change, reason: "\(error)"))
            }
        }
        return outcomes
    }

    private func start(_ resource: ResolverResource) async throws {
        guard case .success(let listen) = ListenAddress.parse(resource.listen, allowsAnyPort: true) else {
            throw ResolverError.badListen(resource.listen)
        }
        let address = try SocketAddress(ipAddress: listen.host.isEmpty ? "0.0.0.0" : listen.host, port: listen.port)
        let learn = Learning(capture: capture, netfilter: netfilter, logger: logger)
        let forwarder = DNSForwarder(
            listenAddress: address, router: gate.router,
            identity: Identity(userID: nil, username: "", inbound: .rule, clientAddress: "resolver"),
            rules: resource.rules, upstreams: resource.upstreams,
            queryTimeout: .milliseconds(resource.queryTimeoutMilliseconds), logger: logger,
            onLearned: { learned in learn.record(learned) })
        try await forwarder.start()
        let bound = forwarder.localAddress
        gate.listeners.record(BoundListener(key: "dns", listen: resource.listen, host: bound?.ipAddress ?? listen.host,
                                            port: bound?.port ?? listen.port), logger: logger)
        // Bridge: a driver has no run() to own children; RunningForwarder keeps the task, and
        // stop() cancels it and waits for it.
        let serving = Task { [logger] in
            do {
                try await forwarder.run()
            } catch {
                logger.error("DNS forwarder not serving", metadata: ["dns.listen": "\(resource.listen)", "error": "\(error)"])
            }
        }
        running.install(forwarder, resource, serving: serving)
    }
}

/// The forwarder in a domain rule's service.
public struct ResolverResource: Resource {
    public var listen: String
    public var upstreams: [DNSServer]
    public var queryTimeoutMilliseconds: Int
    public var rules: [CaptureRule]

    public init(listen: String, upstreams: [DNSServer], queryTimeoutMilliseconds: Int, rules: [CaptureRule]) {
        self.listen = listen
        self.upstreams = upstreams
        self.queryTimeoutMilliseconds = queryTimeoutMilliseconds
        self.rules = rules
    }

    public var key: String { "forwarder" }

    public var description: String {
        "DNS forwarder \(listen) (upstreams \(upstreams.map(\.description).joined(separator: ", "))) for rules "
            + rules.map(\.id).joined(separator: ", ")
    }
}

/// Puts what the forwarder learned where capture looks: the kernel's timeout sets, which decide
/// what is captured, and the capture table, which says which rule a captured flow belongs to.
private struct Learning: Sendable {
    let capture: CaptureTable
    let netfilter: NetlinkSocket
    let logger: Logger

    func record(_ learned: LearnedAddresses) {
        capture.learn(ruleID: learned.ruleID, addresses: learned.addresses, ttl: learned.ttl)
        for family in IPFamily.allCases {
            let addresses = learned.addresses.filter { ($0.isIPv4 ? IPFamily.ipv4 : .ipv6) == family }.map(\.bytes)
            guard !addresses.isEmpty else { continue }
            do {
                try NftRuntimeSet(name: RulePlan.setName(ofRule: learned.ruleID, family), socket: netfilter)
                    .add(addresses, timeout: .seconds(learned.ttl))
            } catch {
                logger.warning("learned addresses not captured", metadata: [
                    "rule": "\(learned.ruleID)", "name": "\(learned.name)", "error": "\(error)",
                ])
            }
        }
    }
}

/// The forwarder that runs, what it was started with, and the task serving it.
private final class RunningForwarder: Sendable {
    private typealias Running = (forwarder: DNSForwarder, resource: ResolverResource, serving: Task<Void, Never>)
    private let state = Mutex<Running?>(nil)

    var resource: ResolverResource? { state.withLock { $0?.resource } }

    func install(_ forwarder: DNSForwarder, _ resource: ResolverResource, serving: Task<Void, Never>) {
        state.withLock { $0 = (forwarder, resource, serving) }
    }

    func update(_ resource: ResolverResource) {
        state.withLock { current in
            guard let forwarder = current?.forwarder else { return }
            forwarder.update(rules: resource.rules, upstreams: resource.upstreams,
                             queryTimeout: .milliseconds(resource.queryTimeoutMilliseconds))
            current?.resource = resource
        }
    }

    /// Closes the socket and returns once the queries under way have finished.
    func stop() async {
        let running = state.withLock { current in
            defer { current = nil }
            return current
        }
        running?.forwarder.stop()
        running?.serving.cancel()
        await running?.serving.value
    }
}

enum ResolverError: Error, CustomStringConvertible {
    case badListen(String)

    var description: String {
        switch self {
        case .badListen(let text): "dns_resolver.listen \"\(text)\" is not HOST:PORT"
        }
    }
}
