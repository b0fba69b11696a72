import Access
import Addressing
import Shadowsocks
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Routing

/// The UDP side of the Shadowsocks listener, on the same address as its TCP side.
enum ShadowsocksUDPServer {
    static func bind(host: String, port: Int, group: any EventLoopGroup,
                     settings: NIOLockedValueBox<ListenerSettings>) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator.wholeDatagrams)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ShadowsocksUDPHandler(settings: settings))
                }
            }
            .bind(host: host, port: port).get()
    }
}

/// Opens client packets, keeps one association (an admitted flow with its datagram path) per
/// client session, and seals replies back. Associations idle for a minute are closed.
///
/// Classic AEAD packets carry no session, so a client is its address and user; 2022 packets
/// carry a session id, checked against a sliding window of packet ids.
final class ShadowsocksUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// At most this many live associations per listener; packets of new ones are dropped.
    static let maximumAssociations = 4096
    static let idleTimeout: Int64 = 60
    /// Packets kept while an association's path is being opened.
    static let maximumQueuedPackets = 16

    private enum AssociationKey: Hashable {
        case classic(SocketAddress, user: Int)
        case session(UInt64)
    }

    private let settings: NIOLockedValueBox<ListenerSettings>
    private var associations: [AssociationKey: ShadowsocksUDPAssociation] = [:]
    /// The user of the last packet from each address: tried first next time.
    private var hints: [SocketAddress: Int] = [:]
    private var reaper: RepeatedTask?

    init(settings: NIOLockedValueBox<ListenerSettings>) { self.settings = settings }

    func handlerAdded(context: ChannelHandlerContext) {
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        reaper = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(15), delay: .seconds(15)) { _ in
            loop.value.reapIdle()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        reaper?.cancel()
        for association in associations.values { association.ticket.end() }
        associations = [:]
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let current = settings.withLockedValue { $0 }
        guard let state = current.shadowsocks, let method = current.spec.method else { return }
        let ring = state.users.ring(gate: current.context.gate, method: method)
        guard let keyring = ring.keyring else { return }
        let client = envelope.remoteAddress
        let packet: ShadowsocksPacket
        let key: AssociationKey
        do {
            if keyring.is2022 {
                packet = try Shadowsocks2022UDPServer(keyring: keyring).open(envelope.data, hint: hints[client])
                key = .session(packet.sessionID ?? 0)
            } else {
                packet = try ShadowsocksClassicUDP.open(envelope.data, keyring: keyring, hint: hints[client])
                key = .classic(client, user: packet.userIndex)
            }
        } catch {
            return  // unauthenticated or malformed: dropped without an answer
        }
        guard ring.accounts.indices.contains(packet.userIndex), packet.address.port != 0 else { return }
        if hints.count >= Self.maximumAssociations { hints.removeAll(keepingCapacity: true) }
        hints[client] = packet.userIndex
        let now = Self.monotonicSeconds()

        if let association = associations[key], association.userIndex == packet.userIndex {
            association.receive(packet, from: client, now: now)
            return
        }
        guard associations.count < Self.maximumAssociations else { return }
        let account = ring.accounts[packet.userIndex]
        let listener = current.context
        guard case .success = listener.gate.check(account, for: .ss),
              let (ticket, flow) = try? listener.admit(account, from: client.ipAddress ?? "") else { return }
        let association = ShadowsocksUDPAssociation(
            userIndex: packet.userIndex, key: keyring.keys[packet.userIndex], sessionID: packet.sessionID,
            client: client, socket: context.channel, ticket: ticket, now: now)
        associations[key] = association
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        ticket.attach { [eventLoop = context.eventLoop] in
            eventLoop.execute {
                association.close()
                if loop.value.associations[key] === association { loop.value.associations[key] = nil }
            }
        }
        association.receive(packet, from: client, now: now)
        association.open(router: listener.gate.router, flow: flow, on: context.eventLoop, logger: listener.gate.logger)
    }

    private static func monotonicSeconds() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000_000) }

    private func reapIdle() {
        let now = Self.monotonicSeconds()
        for (key, association) in associations where now - association.lastActive >= Self.idleTimeout {
            associations[key] = nil
            association.ticket.end()
        }
    }
}

