import Access
import Addressing
import Shadowsocks
import Logging
import NIOCore
import Routing

/// Serves one Shadowsocks TCP client: identifies the user by the key that opens the request,
/// opens the target through the router, then stays in the pipeline as the cipher between the
/// client's bytes and the plaintext relay.
///
/// A request no key opens, a replayed salt or a stale 2022 timestamp is not answered: the
/// connection is drained until the client gives up or the handshake deadline closes it, so a
/// prober learns nothing from when the server hangs up (SIP022 §3.1.4).
final class ShadowsocksTCPHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Stage { case handshake, opening, relaying, refused }

    private let listener: ListenerContext
    private let ring: ShadowsocksUsers.Ring
    private let state: ShadowsocksListenerState
    private var stage = Stage.handshake
    private var decoder: ShadowsocksRequestDecoder?
    private var encoder: ShadowsocksResponseEncoder?
    /// Decoded payload not yet handed to the relay.
    private var plaintext = ByteBuffer()
    private var username = ""

    init(listener: ListenerContext, ring: ShadowsocksUsers.Ring, state: ShadowsocksListenerState) {
        self.listener = listener
        self.ring = ring
        self.state = state
        decoder = ring.keyring.map { ShadowsocksRequestDecoder(keyring: $0, replayFilter: state.replayFilter) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard stage != .refused else { return }
        guard var current = decoder else { return refuse(context, "no user may use Shadowsocks") }
        decoder = nil  // decoded in place, without a copy of its buffers
        let input = unwrapInboundIn(data)
        // Plaintext is never longer than the ciphertext it came from: one allocation of the right
        // size per read, never a regrowth.
        plaintext.reserveCapacity(minimumWritableBytes: input.readableBytes)
        do {
            let request = try current.decode(input, into: &plaintext)
            decoder = current
            if let request { start(context, request) }
        } catch {
            return refuse(context, "\(error)")
        }
        if stage == .relaying, plaintext.readableBytes > 0 {
            let payload = plaintext
            plaintext = ByteBuffer()
            context.fireChannelRead(wrapInboundOut(payload))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard var current = encoder else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        encoder = nil
        let payload = unwrapOutboundIn(data)
        // Room for every chunk's sealed length and tags and the first write's header, so the
        // buffer is allocated once at its final size.
        let chunks = payload.readableBytes / ShadowsocksWire.classicMaximumPayload + 1
        var output = context.channel.allocator.buffer(
            capacity: payload.readableBytes + chunks * ShadowsocksWire.chunkOverhead + ShadowsocksWire.maximumHeaderOverhead)
        do {
            try current.encode(payload, into: &output)
            encoder = current
            context.write(wrapOutboundOut(output), promise: promise)
        } catch {
            promise?.fail(error)
            context.close(promise: nil)
        }
    }

    private func start(_ context: ChannelHandlerContext, _ request: ShadowsocksRequest) {
        guard let keyring = ring.keyring, ring.accounts.indices.contains(request.userIndex) else {
            return refuse(context, "unknown user index")
        }
        let account = ring.accounts[request.userIndex]
        username = account.username
        if case .failure(let refusal) = listener.gate.check(account, for: .ss) {
            return refuse(context, "login refused: \(refusal)")
        }
        guard request.target.port != 0 else { return refuse(context, "target port 0") }
        let admitted: (FlowTicket, Flow)
        do {
            admitted = try listener.admit(account, on: context.channel)
        } catch {
            return refuse(context, "\(error)")
        }
        let (ticket, flow) = admitted
        let key = keyring.keys[request.userIndex]
        do {
            encoder = try ShadowsocksResponseEncoder(key: key, requestSalt: request.salt,
                                                     replayFilter: key.is2022 ? nil : state.replayFilter)
        } catch {
            ticket.finish()
            return refuse(context, "\(error)")
        }
        stage = .opening
        _ = context.channel.setOption(.autoRead, value: false)
        listener.openStream(to: request.target, for: flow, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let outbound):
                guard context.channel.isActive else {
                    outbound.close(promise: nil)
                    return ticket.finish()
                }
                self.stage = .relaying
                let leftover = self.plaintext
                self.plaintext = ByteBuffer()
                do {
                    try Splice.join(client: context.channel, target: outbound, leftover: leftover, ticket: ticket)
                } catch {
                    ticket.end()
                }
            case .failure(let error):
                ticket.finish()
                self.log(context, "\(flow) to \(request.target): \(error)")
                context.close(promise: nil)
            }
        }
    }

    private func refuse(_ context: ChannelHandlerContext, _ reason: String) {
        log(context, reason)
        stage = .refused
        decoder = nil
        plaintext = ByteBuffer()
    }

    private func log(_ context: ChannelHandlerContext, _ reason: String) {
        listener.logRefusal(of: context.channel, user: username, reason: reason)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // A client that ends its side before its flow is relayed is done.
        if case ChannelEvent.inputClosed = event, stage == .handshake || stage == .refused {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The handler of a new Shadowsocks TCP connection.
enum ShadowsocksTCPServer {
    static func configure(_ pipeline: ChannelPipeline.SynchronousOperations, settings: ListenerSettings) throws {
        guard let state = settings.shadowsocks, let method = settings.spec.method else { throw ListenerError.notShadowsocks }
        let ring = state.users.ring(gate: settings.context.gate, method: method)
        try pipeline.addHandler(ShadowsocksTCPHandler(listener: settings.context, ring: ring, state: state))
    }
}
