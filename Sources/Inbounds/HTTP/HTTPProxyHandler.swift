import Access
import Addressing
import Logging
import NIOCore
import NIOHTTP1
import Routing

/// Serves one HTTP proxy client: `Proxy-Authorization: Basic` against the users list (407 with
/// `Proxy-Authenticate` when missing) unless the listener says `auth: none`; CONNECT becomes a
/// raw relay; other requests are forwarded one at a time with keep-alive, each to the host it
/// names, bodies (chunked or not) streamed through NIO's HTTP/1 codec.
final class HTTPProxyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let listener: ListenerContext
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder
    private var account: Account?
    private var username: String { account?.username ?? "" }
    private var authenticated = false
    /// The connection's flow, admitted with its first request.
    private var admitted: (ticket: FlowTicket, flow: Flow)?
    /// The upstream of plain forwarding, with the target it is connected to.
    private var upstream: (target: Target, channel: any Channel)?
    /// Request parts that arrived before the upstream was open.
    private var waiting: [HTTPClientRequestPart] = []
    private var opening = false
    private var metered = false

    init(listener: ListenerContext, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder) {
        self.listener = listener
        self.decoder = decoder
        self.encoder = encoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard authenticate(context, head) else { return }
            if head.method == .CONNECT {
                connect(context, head)
            } else {
                forward(context, head)
            }
        case .body(let body):
            send(context, .body(.byteBuffer(body)))
        case .end(let trailers):
            send(context, .end(trailers))
            // One request at a time: the next is read once this response has ended.
            _ = context.channel.setOption(.autoRead, value: false)
        }
    }

    // MARK: authentication

    private func authenticate(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) -> Bool {
        if authenticated || listener.authMode == .none {
            authenticated = true
            return true
        }
        switch ProxyCredentials.parse(head.headers.first(name: "proxy-authorization")) {
        case .missing:
            respond(context, .proxyAuthenticationRequired, "proxy credentials required",
                    headers: [("Proxy-Authenticate", "Basic realm=\"hy2scale\"")])
            return false
        case .malformed:
            respond(context, .badRequest, "malformed Proxy-Authorization")
            return false
        case .credentials(let name, let password):
            switch listener.gate.authenticate(username: name, password: password, for: listener.inbound) {
            case .success(let account):
                self.account = account
                authenticated = true
                return true
            case .failure(let refusal):
                log(context, "login refused: \(refusal)", user: name)
                respond(context, .proxyAuthenticationRequired, "proxy credentials refused",
                        headers: [("Proxy-Authenticate", "Basic realm=\"hy2scale\"")])
                return false
            }
        }
    }

    private func admit(_ context: ChannelHandlerContext) -> (ticket: FlowTicket, flow: Flow)? {
        if let admitted { return admitted }
        do {
            let (ticket, flow) = try listener.admit(account, on: context.channel)
            admitted = (ticket, flow)
            let channel = context.channel
            ticket.attach { channel.close(promise: nil) }
            HandshakeDeadline.finish(on: channel)
            return (ticket, flow)
        } catch {
            log(context, "\(error)", user: username)
            respond(context, .forbidden, "refused: \(error)")
            return nil
        }
    }

    // MARK: CONNECT

    private func connect(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        guard let target = Self.connectTarget(head.uri) else {
            return respond(context, .badRequest, "CONNECT needs host:port")
        }
        guard let (ticket, flow) = admit(context) else { return }
        _ = context.channel.setOption(.autoRead, value: false)
        listener.openStream(to: target, for: flow, on: context.eventLoop).assumeIsolated().whenComplete { result in
                switch result {
                case .success(let outbound):
                    self.tunnel(context, to: outbound, ticket: ticket)
                case .failure(let error):
                    self.log(context, "\(flow) to \(target): \(error)", user: self.username)
                    self.respond(context, .badGateway, "cannot reach \(target)")
                }
            }
    }

    private func tunnel(_ context: ChannelHandlerContext, to outbound: any Channel, ticket: FlowTicket) {
        guard context.channel.isActive else { return outbound.close(promise: nil) }
        let channel = context.channel
        let pipeline = context.pipeline.syncOperations
        pipeline.removeHandler(encoder, promise: nil)
        var established = ByteBuffer()
        established.writeString("HTTP/1.1 200 Connection Established\r\n\r\n")
        context.writeAndFlush(NIOAny(established), promise: nil)
        pipeline.removeHandler(context: context, promise: nil)
        do {
            try Splice.join(client: channel, target: outbound, leftover: nil, ticket: ticket)
            // Bytes the parser read past the request go to the relay that now follows it.
            pipeline.removeHandler(decoder, promise: nil)
        } catch {
            ticket.end()
        }
    }

    // MARK: plain forwarding

    private func forward(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        guard let (target, originForm) = Self.destination(of: head) else {
            return respond(context, .badRequest, "the request names no http:// host")
        }
        guard let (ticket, flow) = admit(context) else { return }
        if !metered {
            metered = true
            try? context.pipeline.syncOperations.addHandler(TicketMeter(ticket: ticket), position: .before(decoder))
        }
        var head = head
        head.uri = originForm
        head.headers.remove(name: "proxy-authorization")
        head.headers.remove(name: "proxy-connection")
        if let current = upstream, current.target == target, current.channel.isActive {
            current.channel.writeAndFlush(HTTPClientRequestPart.head(head), promise: nil)
            return
        }
        upstream?.channel.close(promise: nil)
        upstream = nil
        waiting = [.head(head)]
        opening = true
        let client = context.channel
        listener.openStream(to: target, for: flow, on: context.eventLoop).flatMapThrowing { channel in
            try channel.pipeline.syncOperations.addHandlers([
                HTTPRequestEncoder(),
                ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)),
                UpstreamResponseHandler(client: client),
            ])
            return channel
        }.assumeIsolated().whenComplete { result in
            self.opening = false
            switch result {
            case .success(let channel):
                self.upstream = (target, channel)
                for part in self.waiting { channel.write(part, promise: nil) }
                channel.flush()
                self.waiting = []
                _ = channel.setOption(.autoRead, value: true)
                channel.closeFuture.whenComplete { _ in client.close(mode: .output, promise: nil) }
            case .failure(let error):
                self.waiting = []
                self.log(context, "\(flow) to \(target): \(error)", user: self.username)
                self.respond(context, .badGateway, "cannot reach \(target)")
            }
        }
    }

    private func send(_ context: ChannelHandlerContext, _ part: HTTPClientRequestPart) {
        if opening {
            waiting.append(part)
        } else if let upstream {
            upstream.channel.writeAndFlush(part, promise: nil)
        }
    }

    /// The target of a CONNECT: `host:port`, or a bare host on port 443.
    static func connectTarget(_ uri: String) -> Target? {
        Target(uri) ?? Target(hostText: uri, port: 443)
    }

    /// The target and origin-form URI of a forwarded request: from an absolute `http://` URI,
    /// else from `Host`.
    static func destination(of head: HTTPRequestHead) -> (Target, String)? {
        var authority: Substring
        var path: Substring = "/"
        if head.uri.lowercased().hasPrefix("http://") {
            let rest = head.uri.dropFirst("http://".count)
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            authority = rest[..<slash]
            path = rest[slash...]
            if path.isEmpty { path = "/" } else if path.first == "?" { path = "/" + path }
        } else if head.uri.hasPrefix("/"), let host = head.headers.first(name: "host") {
            authority = Substring(host)
            path = Substring(head.uri)
        } else {
            return nil
        }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard let target = Target(authority) ?? Target(hostText: authority, port: 80) else { return nil }
        return (target, String(path))
    }

    // MARK: answers

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ message: String,
                         headers extra: [(String, String)] = []) {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Connection", "close")] + extra)
        let body = ByteBuffer(string: message + "\n")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func log(_ context: ChannelHandlerContext, _ reason: String, user: String) {
        listener.logRefusal(of: context.channel, user: user, reason: reason)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upstream?.channel.close(promise: nil)
        admitted?.ticket.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            respond(context, .badRequest, "malformed request")
        } else {
            context.close(promise: nil)
        }
    }
}

/// Passes an upstream's response back to the proxy client, then lets the client send its next
/// request.
private final class UpstreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    let client: any Channel
    init(client: any Channel) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            client.write(HTTPServerResponsePart.head(head), promise: nil)
        case .body(let body):
            client.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        case .end(let trailers):
            client.writeAndFlush(HTTPServerResponsePart.end(trailers), promise: nil)
            _ = client.setOption(.autoRead, value: true)
            client.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        client.close(promise: nil)
    }
}
