public import Access
public import Addressing
public import NIOCore
public import Reconciler

/// Converges the user-space side of capture: the rules the transparent listeners consult, and
/// the listeners themselves. It runs before the kernel drivers, so by the time a chain sends a
/// flow here a listener is bound and knows the flow's rule.
public struct CaptureDriver: Driver {
    public typealias Config = RulePlan
    public let kind = "capture"
    private let table: CaptureTable
    private let gate: InboundGate
    private let group: any EventLoopGroup
    private let listeners: TransparentListeners

    public init(table: CaptureTable, gate: InboundGate, group: any EventLoopGroup) {
        self.table = table
        self.gate = gate
        self.group = group
        listeners = TransparentListeners(gate: gate)
    }

    public func desired(for plan: RulePlan) -> [CaptureResource] {
        guard plan.capturesAnything else { return [] }
        return [.rules(plan.captured, clients: plan.gateways.flatMap(\.clients))] + plan.captureEndpoints.map(CaptureResource.listener)
    }

    public func observe() async throws -> [CaptureResource] {
        (table.installedRules.map { [.rules($0, clients: table.installedClients)] } ?? [])
            + (await listeners.bound()).map(CaptureResource.listener)
    }

    public func apply(_ plan: Plan<CaptureResource>) async -> [Outcome<CaptureResource>] {
        await plan.applyEach { change in
            switch change {
            case .create(.rules(let rules, let clients)), .update(_, .rules(let rules, let clients)):
                table.install(rules, clients: clients)
            case .delete(.rules): table.uninstall()
            case .create(.listener(let endpoint)), .update(_, .listener(let endpoint)):
                try await listeners.bind(endpoint, routing: table, group: group)
            case .delete(.listener(let endpoint)): await listeners.close(endpoint)
            }
        }
    }
}

/// What the capture driver converges.
public enum CaptureResource: Resource {
    /// The rules, and the VPN gateways' clients, the listeners route by.
    case rules([CaptureRule], clients: [GatewayClient])
    case listener(CaptureEndpoint)

    public var key: String {
        switch self {
        case .rules: "0 rules"
        case .listener(let endpoint): "1 \(endpoint)"
        }
    }

    public var description: String {
        switch self {
        case .rules(let rules, let clients):
            "capture rules: " + rules.map(\.id).joined(separator: ", ")
                + (clients.isEmpty ? "" : "; gateway clients: " + clients.map(\.name).joined(separator: ", "))
        case .listener(let endpoint): "transparent listener \(endpoint)"
        }
    }
}

/// The bound transparent listeners by endpoint.
actor TransparentListeners {
    private enum Running {
        case tcp(TransparentListener)
        case udp(TransparentDatagramListener)
    }

    private var running: [CaptureEndpoint: Running] = [:]
    /// Admits the captured flows; each bound socket is recorded in its listeners.
    private let gate: InboundGate

    init(gate: InboundGate) { self.gate = gate }

    func bound() -> [CaptureEndpoint] { Array(running.keys) }

    func bind(_ endpoint: CaptureEndpoint, routing: any CaptureRouting, group: any EventLoopGroup) async throws {
        guard running[endpoint] == nil else { return }
        let listen = ListenAddress(host: endpoint.host, port: Int(endpoint.port)).description
        switch endpoint.transport {
        case .tcp:
            let address = try SocketAddress(ipAddress: endpoint.host, port: Int(endpoint.port))
            let listener = try await TransparentListener.bind(address, gate: gate, routing: routing, group: group)
            running[endpoint] = .tcp(listener)
            gate.recordListening(key: Self.key(of: endpoint), listen: listen, at: listener.localAddress)
        case .udp:
            guard let address = IPAddress(endpoint.host) else { throw CaptureError.badEndpoint(endpoint) }
            running[endpoint] = .udp(try TransparentDatagramListener.start(
                address: address, port: endpoint.port, gate: gate, routing: routing, group: group))
            // The datagram socket binds exactly the endpoint: its port is fixed, never 0.
            gate.recordListening(key: Self.key(of: endpoint), listen: listen, at: nil)
        }
    }

    /// The key a transparent listener is recorded under: `capture/<transport>/<host>`.
    private static func key(of endpoint: CaptureEndpoint) -> String { "capture/\(endpoint.transport)/\(endpoint.host)" }

    func close(_ endpoint: CaptureEndpoint) async {
        if running[endpoint] != nil { gate.forgetListening(Self.key(of: endpoint)) }
        switch running.removeValue(forKey: endpoint) {
        case .tcp(let listener): await listener.close()
        case .udp(let listener): await listener.close()
        case nil: break
        }
    }
}

enum CaptureError: Error, CustomStringConvertible {
    case badEndpoint(CaptureEndpoint)

    var description: String {
        switch self {
        case .badEndpoint(let endpoint): "\(endpoint) is not an address to listen on"
        }
    }
}
