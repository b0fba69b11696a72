public import Access
public import Addressing
public import LinuxNet
public import Logging
import NIOCore
public import Reconciler
import Routing
import Synchronization

/// Converges the DNS forwarders of domain rules: one listens at `dns_resolver.listen` while a
/// captured domain rule is enabled (and the resolver is on), and one on each VPN gateway's own
/// tunnel address, for its clients; each answer they learn goes into the rule's timeout sets and
/// the capture table before the client sees it.
public struct ResolverDriver: Driver {
    /// The forwarders the config asks for, by listen address.
    public typealias Config = [ResolverResource]
    public let kind = "dns"
    private let gate: InboundGate
    private let capture: CaptureTable
    private let netfilter: NetlinkSocket
    private let logger: Logger
    private let running = RunningForwarders()

    public init(gate: InboundGate, capture: CaptureTable, netfilter: NetlinkSocket, logger: Logger) {
        self.gate = gate
        self.capture = capture
        self.netfilter = netfilter
        self.logger = logger
    }

    public func desired(for resources: [ResolverResource]) -> [ResolverResource] { resources }

    public func observe() async throws -> [ResolverResource] { running.resources }

    public func apply(_ plan: Plan<ResolverResource>) async -> [Outcome<ResolverResource>] {
        await plan.applyEach { change in
            switch change {
            case .create(let resource):
                try await start(resource)
            case .update(_, let new):  // the key is the listen address: the socket stays
                running.update(new)
            case .delete(let old):
                await running.stop(old.listen)
                gate.forgetListening(old.listenerKey)
            }
        }
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
        gate.recordListening(key: resource.listenerKey, listen: resource.listen, at: forwarder.localAddress)
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

/// A forwarder in domain rules' service.
public struct ResolverResource: Resource {
    public var listen: String
    public var upstreams: [DNSServer]
    public var queryTimeoutMilliseconds: Int
    public var rules: [CaptureRule]
    /// What its bound socket is recorded under (`GET /api/status`): `dns`, or `dns/<gateway>`.
    public var listenerKey: String

    public init(listen: String, upstreams: [DNSServer], queryTimeoutMilliseconds: Int, rules: [CaptureRule],
                listenerKey: String = "dns") {
        self.listen = listen
        self.upstreams = upstreams
        self.queryTimeoutMilliseconds = queryTimeoutMilliseconds
        self.rules = rules
        self.listenerKey = listenerKey
    }

    /// One forwarder per address: moving one is a new forwarder and the old one's end.
    public var key: String { listen }

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

/// The forwarders that run, by listen address: each with what it was started with and the task
/// serving it.
private final class RunningForwarders: Sendable {
    private typealias Running = (forwarder: DNSForwarder, resource: ResolverResource, serving: Task<Void, Never>)
    private let state = Mutex<[String: Running]>([:])

    var resources: [ResolverResource] { state.withLock { $0.values.map(\.resource) } }

    func install(_ forwarder: DNSForwarder, _ resource: ResolverResource, serving: Task<Void, Never>) {
        state.withLock { $0[resource.listen] = (forwarder, resource, serving) }
    }

    func update(_ resource: ResolverResource) {
        state.withLock { running in
            guard let forwarder = running[resource.listen]?.forwarder else { return }
            forwarder.update(rules: resource.rules, upstreams: resource.upstreams,
                             queryTimeout: .milliseconds(resource.queryTimeoutMilliseconds))
            running[resource.listen]?.resource = resource
        }
    }

    /// Closes the socket at `listen` and returns once the queries under way have finished.
    func stop(_ listen: String) async {
        let stopped = state.withLock { $0.removeValue(forKey: listen) }
        stopped?.forwarder.stop()
        stopped?.serving.cancel()
        await stopped?.serving.value
    }
}

enum ResolverError: Error, CustomStringConvertible {
    case badListen(String)

    var description: String {
        switch self {
        case .badListen(let text): "the DNS forwarder's listen address \"\(text)\" is not HOST:PORT"
        }
    }
}
