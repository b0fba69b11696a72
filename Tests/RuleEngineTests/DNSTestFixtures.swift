import Addressing
import Egress
import Foundation
import Logging
import NIOCore
import NIOPosix
import RuleEngine
import Routing
import ScaleConfig
import Synchronization
import TestSupport
import Testing

/// A dnsmasq on 127.0.0.1 answering a few fixed names over UDP and TCP on one port.
final class Dnsmasq: Sendable {
    let port: Int
    private let process: ChildProcess

    /// The names it answers: `example.test` and below (10.9.0.5), `other.test` and below
    /// (10.9.0.6), `v6.example.test` (2001:db8::5), `short.ttl.test` (10.9.0.7, TTL 5);
    /// everything else is refused. Local TTL 120 s.
    static let arguments = [
        "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts", "--keep-in-foreground",
        "--listen-address=127.0.0.1", "--bind-interfaces", "--local-ttl=120",
        "--address=/example.test/10.9.0.5", "--address=/other.test/10.9.0.6",
        "--host-record=v6.example.test,2001:db8::5", "--host-record=short.ttl.test,10.9.0.7,5",
    ]

    private init(port: Int, process: ChildProcess) {
        self.port = port
        self.process = process
    }

    /// Runs `body` with a dnsmasq that answers, and stops it afterwards, whatever happens.
    static func with(_ body: (Dnsmasq) async throws -> Void) async throws {
        let dnsmasq = try await start()
        do {
            try await body(dnsmasq)
        } catch {
            await dnsmasq.stop()
            throw error
        }
        await dnsmasq.stop()
    }

    /// Starts dnsmasq and waits until it answers. dnsmasq cannot be given port 0 (`--port=0` turns
    /// DNS off) nor a socket, so the port comes from `withRetriedPort`: it logs `started` once its
    /// sockets are bound, and a start that finds the port taken is made again on another.
    private static func start() async throws -> Dnsmasq {
        let path = try #require(ExternalTool.path("dnsmasq"),
                                "dnsmasq is not installed: run scripts/install-deps --with-test-tools (package dnsmasq-base)")
        let dnsmasq = try await withRetriedPort { port in
            // --log-facility=-: log to standard error, where the `started` line is looked for.
            let (executable, arguments) = try DaemonParent.wrapping(path, arguments + ["--port=\(port)", "--log-facility=-"])
            let process = try ChildProcess(executable, arguments)
            try await process.awaitBound(port: port, announcedBy: ["started, version"])
            return Dnsmasq(port: port, process: process)
        }
        // Probed with raw datagrams rather than dig, to spawn no process per try.
        let probe = try await RawDNSClient()
        let query = try DNSMessage.query(id: 1, name: "example.test", type: .a)
        let ready = await eventually {
            try? await probe.send(query, to: dnsmasq.port)
            return !probe.replies.isEmpty
        }
        await probe.close()
        if ready { return dnsmasq }
        await dnsmasq.stop()
        Issue.record("dnsmasq did not answer on port \(dnsmasq.port): \(dnsmasq.process.stderr)")
        throw CancellationError()
    }

    var server: DNSServer {
        get throws { try #require(DNSServer("127.0.0.1:\(port)")) }
    }

    func stop() async { await process.stop() }
}

/// A DNS client over a UDP socket of its own, asking once and reading the answer with this
/// package's codec, so a query spawns no process.
enum Lookup {
    struct Answer {
        /// `NOERROR`, `SERVFAIL`, …
        var status: String
        /// The answer records, without their owner names.
        var records: [(ttl: Int, type: DNSRecordType, value: String)]

        var values: [String] { records.map(\.value) }
    }

    /// Asks `127.0.0.1:port` for `name` once and waits (at most 20 s, only to stop a hang).
    static func query(port: Int, name: String, type: DNSRecordType) async throws -> Answer {
        let client = try await RawDNSClient()
        let id = UInt16.random(in: 1...UInt16.max)
        try await client.send(try DNSMessage.query(id: id, name: name, type: type), to: port)
        let replies = try await client.waitForReplies(1)
        await client.close()
        let message = try DNSMessage(parsing: try #require(replies.first))
        #expect(message.header.id == id)
        return Answer(status: "\(message.header.responseCode)", records: message.answers.map { record in
            let value: String = switch record.data {
            case .address(let address): "\(address)"
            case .alias(let target): target
            case .other: ""
            }
            return (record.effectiveTTL, record.type, value)
        })
    }
}

/// A router that opens real direct streams and remembers what it was asked for.
final class RecordingRouter: FlowRouter {
    private let direct = DirectRouter()
    private let opened = Mutex<[(Target, Flow)]>([])

    var streams: [(target: Target, flow: Flow)] { opened.withLock { $0 } }

    func openStream(to target: Target, for flow: Flow, on eventLoop: any EventLoop) async throws -> any Channel {
        opened.withLock { $0.append((target, flow)) }
        return try await direct.openStream(to: target, for: flow, on: eventLoop)
    }

    func openDatagrams(for flow: Flow, on eventLoop: any EventLoop,
                       onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> any DatagramPath {
        try await direct.openDatagrams(for: flow, on: eventLoop, onReply: onReply)
    }
}

/// Everything the forwarder reported learning.
final class LearnedLog: Sendable {
    private let entries = Mutex<[LearnedAddresses]>([])
    var all: [LearnedAddresses] { entries.withLock { $0 } }
    func record(_ learned: LearnedAddresses) { entries.withLock { $0.append(learned) } }
}

/// A UDP socket that reads datagrams and never answers: an upstream that has gone silent.
final class SilentUpstream: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }
    var server: DNSServer {
        get throws { try #require(DNSServer("127.0.0.1:\(port)")) }
    }

    init() async throws {
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async { try? await channel.close() }
}

/// A UDP client for raw datagrams, keeping every reply.
final class RawDNSClient: Sendable {
    private let channel: any Channel
    private let box: ReceivedBox

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let onReply: @Sendable (ByteBuffer) -> Void
        init(onReply: @escaping @Sendable (ByteBuffer) -> Void) { self.onReply = onReply }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { onReply(unwrapInboundIn(data).data) }
    }

    init() async throws {
        let box = ReceivedBox()
        self.box = box
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector { box.append($0) })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Sends `bytes` to `127.0.0.1:port`.
    func send(_ bytes: ByteBuffer, to port: Int) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: port), data: bytes))
    }

    var replies: [ByteBuffer] { box.received.withLock { $0 } }

    /// Waits for at least `count` replies (the deadline only stops a hang).
    func waitForReplies(_ count: Int) async throws -> [ByteBuffer] {
        let arrived = await eventually { self.replies.count >= count }
        try #require(arrived, "expected \(count) replies, got \(replies.count)")
        return replies
    }

    func close() async { try? await channel.close() }
}

/// Lets the reply handler and the client share one list.
private final class ReceivedBox: Sendable {
    let received = Mutex<[ByteBuffer]>([])
    func append(_ reply: ByteBuffer) { received.withLock { $0.append(reply) } }
}
