public import MeshWire
public import Logging
public import NIOCore
public import ServiceLifecycle
import Synchronization
import Egress

/// This node's part of the mesh: the peers it holds, the sessions it dials, the relay streams it
/// serves, and nested discovery. One per process; the reconciler feeds it ``MeshSettings`` and
/// the Hysteria 2 server hands it the relay streams of peers.
///
/// The node is a `Service`: its sessions, discovery and datagram pumps run as children of
/// ``run()``, so nothing it dials or refreshes happens until a service group runs it.
public final class MeshNode: Service, Sendable {
    let logger: Logger
    let group: any EventLoopGroup
    let peers = PeerTable()
    let discovery: NestedDiscovery
    /// Where this node dials targets itself.
    let direct: DirectRouter
    private let current: Mutex<MeshSettings>
    private let applied = Atomic<Bool>(false)
    /// Dial request ids, unique on this node (§3.2).
    private let nextRequestID = Atomic<UInt64>(1)
    /// Running sessions to configured peers.
    private let sessions = OutboundSessions()
    /// Every long-lived task of the node, as children of ``run()``; also holds the clock.
    let work: NodeWork
    let rateMeter: RateMeter
    /// The path that last won a race, by the route's first path (`active_paths`).
    private let wonRaces = Mutex<[String: String]>([:])
    /// Where tunnelled IP packets go; `nil` when this node cannot exit raw IP tunnels.
    private let tunnelExitSlot = Mutex<(any PacketTunnelExit)?>(nil)

    /// - Parameter socketMark: the mark of the sockets this node dials targets with itself (see
    ///   ``DirectRouter/socketMark``).
    /// - Parameter clock: what timeouts, keepalives, backoff and latency are measured on.
    public init(settings: MeshSettings, group: any EventLoopGroup, logger: Logger, socketMark: UInt32? = nil,
                clock: some Clock<Duration> = ContinuousClock()) {
        let clock = MeshClock(clock)
        work = NodeWork(clock: clock)
        rateMeter = RateMeter(clock: clock)
        direct = DirectRouter(socketMark: socketMark)
        current = Mutex(settings)
        self.group = group
        self.logger = logger
        discovery = NestedDiscovery()
    }

    /// Runs the node's sessions, discovery and pumps until the task is cancelled or a graceful
    /// shutdown begins, then cancels them and returns once they have ended. Run it once, before
    /// or alongside the first reconcile (work handed over earlier waits for it).
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.work.run() }
    }

    /// What the node measures time on.
    var clock: MeshClock { work.clock }

    /// The settings in force.
    public var settings: MeshSettings { current.withLock { $0 } }

    /// Whether a reconcile put settings in force (and ``shutdown()`` did not end them since).
    var isApplied: Bool { applied.load(ordering: .acquiring) }

    var metadata: NodeMetadata { .current(nodeID: settings.nodeID, isTUNCapable: isTUNCapable) }

    /// Whether this node exits raw IP tunnels (advertised as `tun`, §9): it has a tunnel exit
    /// and is an exit at all.
    var isTUNCapable: Bool { tunnelExit != nil && settings.isExitNode }

    /// Where packets tunnelled to this node go; set once at start-up by a node that may create
    /// TUN devices, before peers connect (they learn `tun` when they register).
    public var tunnelExit: (any PacketTunnelExit)? {
        get { tunnelExitSlot.withLock { $0 } }
        set { tunnelExitSlot.withLock { $0 = newValue } }
    }

    func nextDialRequestID() -> DialRequestID {
        DialRequestID(nextRequestID.add(1, ordering: .relaxed).oldValue)
    }

    // MARK: reconciling

    /// Puts `new` in force: sessions of removed, disabled or edited clients stop, new ones start,
    /// and other sessions carry on. A new name or id reconnects every session.
    public func apply(_ new: MeshSettings) async {
        applied.store(true, ordering: .releasing)
        let old = current.withLock { current in
            defer { current = new }
            return current
        }
        let identityChanged = old.name != new.name || old.nodeID != new.nodeID || old.isExitNode != new.isExitNode
        let wanted = Dictionary(new.clients.filter { !$0.isDisabled }.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        await sessions.converge(to: wanted, restartingAll: identityChanged, node: self)
        // A client disabled in the file may not stay connected inbound either (reference-api §5.5).
        for peer in peers.all() where new.isClientDisabled(peer.name) { peer.end() }
        if identityChanged {
            for peer in peers.all() where peer.direction == .inbound { peer.end() }
        }
        discovery.start(node: self)
        // A path just marked nested shows its peers now rather than at the next refresh.
        if old.flags != new.flags { work.submit { await self.discovery.refresh(self) } }
    }

    /// Stops every session and discovery; inbound peers end with the server.
    public func shutdown() async {
        applied.store(false, ordering: .releasing)
        await sessions.stopAll()
        for peer in peers.all() { peer.end() }
        await discovery.stop()
    }

    /// The path that last won a race of several exit paths, by the route's first path.
    public var activePaths: [String: String] { wonRaces.withLock { $0 } }

    func recordActivePath(_ path: String, for route: String) {
        wonRaces.withLock { $0[route] = path }
    }
}
