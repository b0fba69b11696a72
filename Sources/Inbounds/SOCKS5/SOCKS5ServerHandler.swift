import Access
import Addressing
import Logging
import NIOCore
import Routing

/// Serves one SOCKS5 client: method negotiation, username/password (RFC 1929) against the users
/// list unless the listener says `auth: none` (DECISIONS #12), then CONNECT or UDP ASSOCIATE.
final class SOCKS5ServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A handshake larger than this is not SOCKS5 (the largest legal message is 513 bytes).
    static let maximumHandshakeBytes = 1024

    private enum Stage { case greeting, credentials, request, opening, associated, refused }

    private let listener: ListenerContext
    private var stage = Stage.greeting
    private var buffered = ByteBuffer()
    private var account: Account?
    private var username: String { account?.username ?? "" }

    init(listener: ListenerContext) { self.listener = listener }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        switch stage {
        case .opening:
            buffered.writeBuffer(&incoming)  // early payload; sent once the target is open
            return
        case .associated, .refused:
            return  // the TCP side of a UDP association carries nothing; a refused client is closing
        default:
            buffered.writeBuffer(&incoming)
        }
        guard buffered.readableBytes <= Self.maximumHandshakeBytes else { return refuse(context, "handshake too long") }
        advance(context)
    }

    private func advance(_ context: ChannelHandlerContext) {
        while true {
            switch stage {
            case .greeting:
                switch SOCKS5Message.readGreeting(&buffered) {
                case .needMoreBytes: return
                case .invalid(let reason): return refuse(context, reason)
                case .message(let offered):
                    let wanted: SOCKS5Message.Method = listener.authMode == .none ? .noAuthentication : .usernamePassword
                    guard offered.contains(wanted.rawValue) else {
                        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [5, SOCKS5Message.Method.noAcceptable.rawValue])), promise: nil)
                        return refuse(context, "client offered no acceptable method")
                    }
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [5, wanted.rawValue])), promise: nil)
                    stage = wanted == .noAuthentication ? .request : .credentials
                }
            case .credentials:
                switch SOCKS5Message.readCredentials(&buffered) {
                case .needMoreBytes: return
                case .invalid(let reason): return refuse(context, reason)
                case .message(let credentials):
                    switch listener.gate.authenticate(username: credentials.username, password: credentials.password,
                                                      for: listener.inbound) {
                    case .success(let account):
                        self.account = account
                        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [1, 0])), promise: nil)
                        stage = .request
                    case .failure(let refusal):
                        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [1, 1])), promise: nil)
                        return refuse(context, "login refused: \(refusal)", user: credentials.username)
                    }
                }
            case .request:
                switch SOCKS5Message.readRequest(&buffered) {
                case .needMoreBytes: return
                case .invalid(let reason): return refuse(context, reason)
                case .message(.failure(let unsupported)):
                    return fail(context, .addressTypeNotSupported, "address type \(unsupported.type)")
                case .message(.success(let request)):
                    switch SOCKS5Message.Command(rawValue: request.command) {
                    case .connect:
                        guard request.target.port != 0 else { return fail(context, .hostUnreachable, "CONNECT to port 0") }
                        return connect(context, to: request.target)
                    case .udpAssociate: return associate(context)
                    case .bind, nil: return fail(context, .commandNotSupported, "command \(request.command)")
                    }
                }
            case .opening, .associated, .refused:
                return
            }
        }
    }

    private func connect(_ context: ChannelHandlerContext, to target: Target) {
        stage = .opening
        guard let (ticket, flow) = admit(context) else { return }
        _ = context.channel.setOption(.autoRead, value: false)
        listener.openStream(to: target, for: flow, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let outbound):
                self.spliced(context, outbound: outbound, ticket: ticket)
            case .failure(let error):
                ticket.finish()
                self.fail(context, Self.reply(for: error), "\(flow) to \(target): \(error)")
            }
        }
    }

    private func admit(_ context: ChannelHandlerContext) -> (FlowTicket, Flow)? {
        do {
            return try listener.admit(account, on: context.channel)
        } catch {
            fail(context, .notAllowed, "\(error)")
            return nil
        }
    }

    private func spliced(_ context: ChannelHandlerContext, outbound: any Channel, ticket: FlowTicket) {
        guard context.channel.isActive else {
            outbound.close(promise: nil)
            ticket.finish()
            return
        }
        var reply = ByteBuffer()
        SOCKS5Message.writeReply(.succeeded, bound: outbound.localAddress.flatMap(Target.init), to: &reply)
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        let leftover = buffered
        buffered = ByteBuffer()
        let channel = context.channel
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        do {
            try Splice.join(client: channel, target: outbound, leftover: leftover, ticket: ticket)
        } catch {
            ticket.end()
        }
    }

    private func associate(_ context: ChannelHandlerContext) {
        stage = .associated
        guard let (ticket, flow) = admit(context) else { return }
        let loop = context.eventLoop
        let control = context.channel
        let router = listener.gate.router
        loop.makeFutureWithTask {
            try await SOCKS5UDPRelay.start(control: control, flow: flow, ticket: ticket, router: router, on: loop)
        }.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let relay):
                HandshakeDeadline.finish(on: context.channel)
                var reply = ByteBuffer()
                SOCKS5Message.writeReply(.succeeded, bound: relay, to: &reply)
                context.writeAndFlush(self.wrapOutboundOut(reply), promise: nil)
            case .failure(let error):
                ticket.finish()
                self.fail(context, .generalFailure, "UDP associate: \(error)")
            }
        }
    }

    private static func reply(for error: any Error) -> SOCKS5Message.Reply {
        switch error {
        case RouteError.exitUnreachable: .networkUnreachable
        case RouteError.targetUnreachable: .hostUnreachable
        default: .generalFailure
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ reply: SOCKS5Message.Reply, _ reason: String) {
        var buffer = ByteBuffer()
        SOCKS5Message.writeReply(reply, bound: nil, to: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        refuse(context, reason, user: username)
    }

    private func refuse(_ context: ChannelHandlerContext, _ reason: String, user: String? = nil) {
        listener.logRefusal(of: context.channel, user: user ?? username, reason: reason)
        stage = .refused
        buffered = ByteBuffer()
        context.close(promise: nil)
    }

    /// A client that ends its side during the handshake or a UDP association is done.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, stage != .opening {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
