public import Addressing
public import Logging
public import NIOCore
import NIOPosix
public import Routing
import Synchronization

/// The local DNS server that sees every answer for a domain rule's names, so the rule can
/// capture exactly the addresses its clients are about to use.
///
/// Host and LAN clients use this as their resolver. A query whose name falls under a domain
/// rule (see ``DomainMatcher``) is sent to the upstreams as DNS over TCP through the rule's
/// exit, so it is resolved where the traffic will leave and cannot be read or altered on the
/// local network; the answer's A and AAAA addresses are handed to `onLearned` with their TTL
/// before the client sees the answer. Any other query goes to the upstreams over UDP from
/// this host. Answers are relayed byte for byte; when no upstream answers in time the client
/// gets SERVFAIL.
///
/// Upstreams are tried in order. Each gets an equal share of the query timeout, so a dead
/// first upstream costs only its share and the whole query ends within the timeout; an answer
/// that comes late from an earlier upstream is still used. An upstream answering SERVFAIL or
/// REFUSED counts as failed.
///
/// Lifecycle: ``start()`` binds, ``run()`` serves until ``stop()`` or cancellation, and
/// ``update(rules:upstreams:queryTimeout:)`` may be called at any time. At most
/// ``maximumInFlight`` queries are worked on at once; more are dropped and counted, and the
/// socket is read no faster than queries are taken, so a flood costs bounded memory.
public final class DNSForwarder: Sendable {
    /// What a query is handled with; replaced whole by ``update(rules:upstreams:queryTimeout:)``.
    struct Settings: Sendable {
        var matcher: DomainMatcher
        var upstreams: [DNSServer]
        var queryTimeout: Duration
    }

    private enum Listener: Sendable {
        case idle
        case bound(NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>)
        case serving(any Channel)
    }

    /// The most queries worked on at once, by default.
    public static let defaultMaximumInFlight = 256
    /// Datagrams the socket's reader may hold before it stops reading and lets the kernel
    /// buffer, then drop, the rest.
    static let inboundHighWatermark = 64

    /// Where the forwarder listens.
    public let listenAddress: SocketAddress
    /// The most queries worked on at once; a query beyond it is dropped, as a busy server would.
    public let maximumInFlight: Int
    let router: any FlowRouter
    let identity: Identity
    let group: any EventLoopGroup
    let clock: any Clock<Duration>
    let logger: Logger
    let onLearned: @Sendable (LearnedAddresses) async -> Void
    let settings: Mutex<Settings>
    private let listener = Mutex(Listener.idle)
    /// Queries taken and not yet finished (answered, and every upstream attempt ended).
    let inFlight = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    /// A forwarder that will listen on `listenAddress` once started.
    ///
    /// - Parameters:
    ///   - router: opens the TCP streams through a matched rule's exit.
    ///   - identity: who the router is told a rule's queries belong to; the resolver has no
    ///     client of its own to name.
    ///   - rules: the enabled rules; only domain rules are used.
    ///   - upstreams: tried in order; none means every query gets SERVFAIL.
    ///   - queryTimeout: how long a client waits at most before SERVFAIL.
    ///   - group: where sockets live; NIO's shared group when `nil`.
    ///   - clock: measures the timeout; tests pass a manual one.
    ///   - onLearned: called with the addresses of each answer to a matched query, before the
    ///     client is answered, so a client cannot connect before the capture is in place. The
    ///     answer waits for it to return, so it should be quick.
    public init(listenAddress: SocketAddress, router: any FlowRouter, identity: Identity,
                rules: [CaptureRule], upstreams: [DNSServer], queryTimeout: Duration,
                maximumInFlight: Int = DNSForwarder.defaultMaximumInFlight,
                group: (any EventLoopGroup)? = nil,
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger,
                onLearned: @escaping @Sendable (LearnedAddresses) async -> Void) {
        self.listenAddress = listenAddress
        self.maximumInFlight = max(1, maximumInFlight)
        self.router = router
        self.identity = identity
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
        self.clock = clock
        self.logger = logger
        self.onLearned = onLearned
        settings = Mutex(Settings(matcher: DomainMatcher(rules: rules), upstreams: upstreams, queryTimeout: queryTimeout))
    }

    /// Replaces the rules, upstreams and timeout. Queries already under way finish with what
    /// they started with; the next query uses the new ones.
    public func update(rules: [CaptureRule], upstreams: [DNSServer], queryTimeout: Duration) {
        let next = Settings(matcher: DomainMatcher(rules: rules), upstreams: upstreams, queryTimeout: queryTimeout)
        settings.withLock { $0 = next }
    }

    /// The address the socket is bound to (with the port the system chose, if ``listenAddress``
    /// asked for port 0); `nil` when not listening.
    public var localAddress: SocketAddress? {
        listener.withLock { state -> SocketAddress? in
            switch state {
            case .idle: nil
            case .bound(let channel): channel.channel.localAddress
            case .serving(let channel): channel.localAddress
            }
        }
    }

    /// Queries dropped because ``maximumInFlight`` were under way.
    public var droppedQueryCount: Int { dropped.load(ordering: .relaxed) }

    /// Binds the UDP socket; queries wait in the socket until ``run()`` reads them.
    ///
    /// - Throws: ``DNSForwarderError/bindFailed(address:reason:)`` naming the address, or
    ///   ``DNSForwarderError/alreadyStarted(address:)``.
    public func start() async throws {
        guard case .idle = listener.withLock({ $0 }) else {
            throw DNSForwarderError.alreadyStarted(address: "\(listenAddress)")
        }
        let channel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator.wholeDatagrams)
                .bind(to: listenAddress) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(
                            backPressureStrategy: .init(lowWatermark: Self.inboundHighWatermark / 2,
                                                        highWatermark: Self.inboundHighWatermark)))
                    }
                }
        } catch {
            throw DNSForwarderError.bindFailed(address: "\(listenAddress)", reason: "\(error)")
        }
        let isKept = listener.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .bound(channel)
            return true
        }
        guard isKept else {
            try? await channel.channel.close()  // a concurrent start won; this socket was never used
            throw DNSForwarderError.alreadyStarted(address: "\(listenAddress)")
        }
        logger.debug("DNS forwarder bound", metadata: ["dns.listen": "\(channel.channel.localAddress.map { "\($0)" } ?? "\(listenAddress)")"])
    }

    /// Serves queries until ``stop()`` closes the socket or the task is cancelled, then waits
    /// for the queries under way to finish and returns.
    ///
    /// - Throws: ``DNSForwarderError/notStarted(address:)`` without a bound socket.
    public func run() async throws {
        let channel = try listener.withLock { state throws -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> in
            guard case .bound(let channel) = state else {
                throw DNSForwarderError.notStarted(address: "\(listenAddress)")
            }
            state = .serving(channel.channel)
            return channel
        }
        defer { listener.withLock { $0 = .idle } }
        try await channel.executeThenClose { inbound, outbound in
            await withDiscardingTaskGroup { group in
                do {
                    for try await envelope in inbound {
                        guard take() else {
                            dropped.add(1, ordering: .relaxed)
                            continue
                        }
                        group.addTask {
                            await self.answer(envelope, replyingThrough: outbound, on: channel.channel.eventLoop)
                            self.inFlight.subtract(1, ordering: .relaxed)
                        }
                    }
                } catch {
                    logger.warning("DNS forwarder socket failed", metadata: ["dns.listen": "\(listenAddress)", "error": "\(error)"])
                }
            }
        }
        logger.info("DNS forwarder stopped", metadata: ["dns.listen": "\(listenAddress)"])
    }

    /// Closes the socket; ``run()`` then returns once the queries under way have finished.
    /// Does nothing when not listening. The forwarder may be started again afterwards.
    public func stop() {
        let channel = listener.withLock { state -> (any Channel)? in
            switch state {
            case .idle:
                return nil
            case .bound(let channel):
                state = .idle
                return channel.channel
            case .serving(let channel):
                return channel
            }
        }
        channel?.close(promise: nil)
    }

    /// Counts a query in if there is room. Only ``run()``'s loop adds, so a load then an add
    /// cannot pass the cap; finishing queries only lower the count meanwhile.
    private func take() -> Bool {
        guard inFlight.load(ordering: .relaxed) < maximumInFlight else { return false }
        inFlight.add(1, ordering: .relaxed)
        return true
    }
}
