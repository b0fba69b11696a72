import Foundation
import Hysteria
import Logging
import NIOCore
import QUIC
import Synchronization
import Testing
import TestSupport

/// Relay protocol bytes written by hand from the reference layouts (§0), so the tests check the
/// node against the document rather than against our own encoders.
enum RelayBytes {
    /// Big-endian `u16`.
    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    /// `str16(x)`: `u16` length and the UTF-8 bytes.
    static func str16(_ text: String) -> [UInt8] { u16(text.utf8.count) + Array(text.utf8) }

    /// `meta16(j)`: `u16` length and the JSON text.
    static func meta16(_ json: String) -> [UInt8] { str16(json) }

    /// v1.3.4's metadata for node id `id`, keys in its order, no `tun`.
    static func metadata(id: String) -> String { #"{"v":"1.3.4","pv":3,"id":"\#(id)"}"# }
}

/// One relay stream seen from the opener: what the node sends is collected as it arrives, and
/// whether it ended with FIN or abruptly (reset, connection closed). Reads poll with deadlines,
/// since a QUIC read cannot be abandoned.
final class RelayStream: Sendable {
    enum End: Equatable, Sendable {
        /// The node sent FIN.
        case finished
        /// The node reset the stream, or the connection closed.
        case aborted
    }

    let stream: QUICStream
    private let inbox: Mutex<(bytes: [UInt8], end: End?)>

    init(_ opened: HysteriaTCPStream) {
        stream = opened.stream
        inbox = Mutex((Array(opened.leftover.readableBytesView), nil))
        Task { await self.pump() }
    }

    private func pump() async {
        do {
            while let chunk = try await stream.read() {
                inbox.withLock { $0.bytes += Array(chunk.readableBytesView) }
            }
            inbox.withLock { $0.end = .finished }
        } catch {
            inbox.withLock { $0.end = .aborted }
        }
    }

    /// Bytes received and not read yet.
    var buffered: Int { inbox.withLock { $0.bytes.count } }

    /// How the stream ended, if it did.
    var end: End? { inbox.withLock { $0.end } }

    func write(_ bytes: [UInt8], finish: Bool = false) async throws {
        try await stream.write(ByteBuffer(bytes: bytes), finish: finish)
    }

    /// The next `count` bytes; fewer when the stream ended first or `limit` passed.
    func read(_ count: Int, within limit: Duration = .seconds(20)) async -> [UInt8] {
        var out: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        while true {
            let (taken, ended) = inbox.withLock { inbox -> ([UInt8], Bool) in
                let taken = Array(inbox.bytes.prefix(count - out.count))
                inbox.bytes.removeFirst(taken.count)
                return (taken, inbox.end != nil && inbox.bytes.isEmpty)
            }
            out += taken
            if out.count == count || ended || ContinuousClock.now >= deadline { return out }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// The next `str16`, or nil when the stream ended or `limit` passed before a whole one.
    func readString16(within limit: Duration = .seconds(20)) async -> String? {
        let length = await read(2, within: limit)
        guard length.count == 2 else { return nil }
        let body = await read(Int(length[0]) << 8 | Int(length[1]), within: limit)
        guard body.count == Int(length[0]) << 8 | Int(length[1]) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// Waits for the end: the bytes still unread and how it ended; nil when it did not end in time.
    func rest(within limit: Duration = .seconds(20)) async -> (bytes: [UInt8], end: End)? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, end == nil { try? await Task.sleep(for: .milliseconds(2)) }
        return inbox.withLock { inbox in
            guard let end = inbox.end else { return nil }
            defer { inbox.bytes.removeAll() }
            return (inbox.bytes, end)
        }
    }
}

/// A dial request read from a control stream (§3.2).
struct DialRequestSeen: Equatable {
    var id: String
    var address: String

    /// Reads `str16(id) str16(addr)`; nil when the stream ended or `limit` passed first.
    static func read(from control: RelayStream, within limit: Duration = .seconds(20)) async -> DialRequestSeen? {
        guard let id = await control.readString16(within: limit), let address = await control.readString16(within: limit) else { return nil }
        return DialRequestSeen(id: id, address: address)
    }
}

/// The test's side of the mesh: a Hysteria 2 connection to a node, logged in with the node
/// password (so its sentinel streams reach the mesh), that speaks the relay protocol byte by byte.
struct RelayPeer {
    static let logger = Logger(label: "relay-peer")

    let client: HysteriaClient

    /// - Parameter auth: the node password makes a peer; `user:password` a user.
    static func connect(port: Int, auth: String = "node-secret-1") async throws -> RelayPeer {
        var options = HysteriaClientOptions(server: try SocketAddress(ipAddress: "127.0.0.1", port: port), auth: auth, serverName: "hy2scale")
        options.insecure = true
        options.connectTimeout = .seconds(15)
        return RelayPeer(client: try await HysteriaClient.connect(options, logger: logger))
    }

    /// Opens a stream requesting `address`; throws what the node answered or how it refused.
    func open(_ address: String) async throws -> RelayStream {
        RelayStream(try await client.openTCP(address: address))
    }

    /// The §3.1 handshake as C: flags and name, then the node's name and meta, then our meta.
    /// Returns the register stream, which is the session, and what the node sent.
    func register(_ name: String, id: String, flags: UInt8 = 0x03) async throws -> (stream: RelayStream, nodeName: String?, nodeMeta: String?) {
        let register = try await open("_relay_register_:0")
        try await register.write([flags] + RelayBytes.str16(name))
        let nodeName = await register.readString16()
        let nodeMeta = await register.readString16()
        try await register.write(RelayBytes.meta16(RelayBytes.metadata(id: id)))
        return (register, nodeName, nodeMeta)
    }

    /// Opens `_relay_s2c_ctrl_:0` and names itself (§3.2).
    func openControl(as name: String) async throws -> RelayStream {
        let control = try await open("_relay_s2c_ctrl_:0")
        try await control.write(RelayBytes.str16(name))
        return control
    }

    /// Waits until the node sends its dial requests for `name` on `control`: asks the node for a
    /// ping through `name` (`_relay_via_<name>__relay_ping_:0:0`, §3.7) until the request shows
    /// up there instead of being refused for want of a control stream, and answers it as C does
    /// for a sentinel (§3 intro): a data stream carrying the ping reply.
    /// - Returns: the request's id.
    func awaitControl(_ control: RelayStream, of name: String, through asker: RelayPeer? = nil) async throws -> String {
        let asker = asker ?? self
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let answered = Flag()
            let via = Task {
                defer { answered.set() }
                return try await asker.open("_relay_via_\(name)__relay_ping_:0:0")
            }
            _ = await eventually(within: .seconds(20)) { control.buffered > 0 || answered.isSet }
            if control.buffered > 0 {
                let request = try #require(await DialRequestSeen.read(from: control))
                #expect(request.address == "_relay_ping_:0")
                let data = try await open("_relay_data_\(request.id):0")
                try await data.write([0x01], finish: true)
                let ping = try await via.value
                let reply = await ping.rest()
                #expect(reply?.bytes == [0x01], "the ping reply crosses the via stream")
                return request.id
            }
            do {
                _ = try await via.value
                throw RelayPeerError.answeredWithoutRequest(name)
            } catch HysteriaClientError.connectFailed(let reason) where reason.contains("control stream") {
                guard ContinuousClock.now < deadline else { throw HysteriaClientError.connectFailed(reason) }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    func close() async { await client.close() }
}

enum RelayPeerError: Error {
    /// A stream through an inbound peer opened without the node asking that peer for it.
    case answeredWithoutRequest(String)
}

/// A flag one task sets and another polls.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
