import Access
import WireFormat
import Addressing
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Routing

/// The UDP side of a SOCKS5 UDP ASSOCIATE (RFC 1928 §7): a socket next to the TCP listener that
/// takes datagrams only from the associated client's address, strips their header and sends the
/// payload through the router; replies come back with the header of their source. The
/// association lives as long as its TCP connection.
enum SOCKS5UDPRelay {
    /// Binds the relay socket and starts relaying; returns the address the client must send to.
    static func start(control: any Channel, flow: Flow, ticket: FlowTicket, router: any FlowRouter,
                      on loop: any EventLoop) async throws -> Target {
        guard let local = control.localAddress, let localIP = local.ipAddress,
              let clientIP = control.remoteAddress?.ipAddress else { throw ChannelError.ioOnClosedChannel }
        let client = NIOLockedValueBox<SocketAddress?>(nil)
        let socket = NIOLockedValueBox<(any Channel)?>(nil)
        let path = try await router.openDatagrams(for: flow, on: loop) { source, payload in
            guard let destination = client.withLockedValue({ $0 }), let udp = socket.withLockedValue({ $0 }) else { return }
            var datagram = ByteBuffer()
            datagram.reserveCapacity(payload.readableBytes + 22)
            datagram.writeBytes([0, 0, 0])
            SOCKSAddress.write(source, to: &datagram)
            var payload = payload
            datagram.writeBuffer(&payload)
            ticket.count(down: UInt64(payload.readerIndex))
            udp.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: datagram), promise: nil)
        }
        let udp: any Channel
        do {
            udp = try await DatagramBootstrap(group: loop)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator.wholeDatagrams)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ClientDatagramHandler(clientIP: clientIP, client: client, path: path, ticket: ticket))
                    }
                }
                .bind(host: localIP, port: 0).get()
        } catch {
            path.close()
            throw error
        }
        socket.withLockedValue { $0 = udp }
        ticket.attach { control.close(promise: nil) }
        control.closeFuture.whenComplete { _ in
            udp.close(promise: nil)
            path.close()
            ticket.finish()
        }
        guard let port = udp.localAddress?.port, let bound = Target(hostText: localIP, port: UInt16(port)) else {
            throw ChannelError.ioOnClosedChannel
        }
        return bound
    }

    /// Reads the client's datagrams and hands their payload to the path.
    private final class ClientDatagramHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        let clientIP: String
        let client: NIOLockedValueBox<SocketAddress?>
        let path: any DatagramPath
        let ticket: FlowTicket

        init(clientIP: String, client: NIOLockedValueBox<SocketAddress?>, path: any DatagramPath, ticket: FlowTicket) {
            self.clientIP = clientIP
            self.client = client
            self.path = path
            self.ticket = ticket
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var envelope = unwrapInboundIn(data)
            // Only the associated client may use the relay (RFC 1928 §7).
            guard envelope.remoteAddress.ipAddress == clientIP else { return }
            client.withLockedValue { $0 = envelope.remoteAddress }
            guard case .message(let header) = SOCKS5Message.readDatagramHeader(&envelope.data),
                  header.fragment == 0 else { return }  // fragments are not supported: dropped
            ticket.count(up: UInt64(envelope.data.readableBytes))
            path.send(envelope.data, to: header.target)
        }
    }
}
