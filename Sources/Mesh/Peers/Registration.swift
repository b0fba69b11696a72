import MeshWire
import Hysteria
import NIOCore
import QUIC
import WireFormat

/// The `_relay_register_:0` handshake (§3.1), from either side.
struct Registration: Sendable {
    /// How long each side waits for the other's metadata. v1.3 waits 2 s, and on a busy host a
    /// peer's metadata can come later; then the late bytes would end the session (§3.1). Every
    /// node that sends metadata sends it at once, so waiting longer delays only nodes too old
    /// to relay with anyway.
    static let metadataTimeout = Duration.seconds(10)
    /// How long a registering client may take to send its flags and name.
    static let requestTimeout = Duration.seconds(10)

    /// The name the other side gave.
    var name: String
    /// Its metadata; empty when it sent none (v1.0-era nodes, or a verification register).
    var metadata: NodeMetadata
    /// Register flags (meaningful when we are the server).
    var flags: RegisterFlags = []

    /// The server answered the register open in a way only a plain Hysteria 2 server does.
    struct NotHy2scale: Error, CustomStringConvertible {
        var description: String
    }

    /// As the dialling side: register under our name and exchange metadata. The register
    /// stream stays open and silent afterwards; the server ends our session when it closes.
    static func dial(_ hysteria: HysteriaClient, as settings: MeshSettings, metadata: NodeMetadata, work: NodeWork) async throws -> Registration {
        let opened: HysteriaTCPStream
        do {
            opened = try await hysteria.openTCP(address: StreamAddress.register.formatted)
        } catch HysteriaClientError.connectFailed(let reason) {
            // A plain server tries to resolve the sentinel as a host name (§3.1).
            throw NotHy2scale(description: "it could not dial the register sentinel: \(reason)")
        }
        var request = ByteBuffer()
        try RegisterRequest(flags: settings.isExitNode ? [.metadata, .exitNode] : [.metadata], name: settings.name)
            .encode(into: &request)
        try await opened.stream.write(request)
        var reader = StreamReader(opened.stream, leftover: opened.leftover)
        let name: String
        do {
            name = try await reader.next("server name") { try NameMessage.decode(from: &$0) }.name
        } catch MeshStreamError.endedEarly {
            throw NotHy2scale(description: "it closed the register stream without a name")
        }
        let remote = try? await work.firstWithin(metadataTimeout, "metadata") { [reader] in  // none in time reads as none (§3.1)
            var reader = reader
            return try await reader.next("metadata", limit: 4098) { try NodeMetadata.decode(from: &$0) }
        }
        var reply = ByteBuffer()
        try metadata.encode(into: &reply)
        try await opened.stream.write(reply)
        return Registration(name: name, metadata: remote ?? NodeMetadata(version: "1.0.0"))
    }

    /// As the server, on a stream whose address was `_relay_register_:0`.
    /// - Returns: the registration, and a wait that returns when the session ends: a byte after
    ///   the handshake, FIN or an error on the register stream (§3.1).
    static func accept(on stream: QUICStream, leftover: ByteBuffer, as name: String, metadata: NodeMetadata, work: NodeWork)
        async throws -> (Registration, untilEnd: @Sendable () async -> Void) {
        var reader = StreamReader(stream, leftover: leftover)
        let request = try await work.firstWithin(requestTimeout, "register request", discard: { _ in stream.resetNow() }) { [reader] in
            var reader = reader
            let request = try await reader.next("register request", limit: 1100) { try RegisterRequest.decode(from: &$0) }
            return (request, reader)
        }
        reader = request.1
        var reply = ByteBuffer()
        try NameMessage(name: name).encode(into: &reply)
        guard request.0.flags.contains(.metadata) else {
            try await stream.write(reply)
            return (Registration(name: request.0.name, metadata: NodeMetadata(), flags: request.0.flags), watch(reader))
        }
        try metadata.encode(into: &reply)
        try await stream.write(reply)
        // A QUIC stream takes one read at a time, so a metadata read that misses the deadline is
        // not abandoned: it becomes the session's watch, and whatever completes it (late bytes,
        // FIN, an error) ends the session, as any byte after the handshake would. It runs as a
        // child of the node's work and ends with the stream.
        let exchange = work.start { [reader] in
            var reader = reader
            let meta = try await reader.next("metadata", limit: 4098) { try NodeMetadata.decode(from: &$0) }
            return (meta, reader)
        }
        let registration = { (metadata: NodeMetadata) in Registration(name: request.0.name, metadata: metadata, flags: request.0.flags) }
        do {
            let (remote, rest) = try await exchange.value(within: metadataTimeout, "metadata", on: work.clock)
            return (registration(remote), watch(rest))
        } catch MeshStreamError.timedOut {
            return (registration(NodeMetadata()), { _ = await exchange.result() })
        } catch {
            return (registration(NodeMetadata()), watch(reader))  // malformed metadata reads as none, as in v1.3
        }
    }

    /// Waits for the first byte, FIN or error after what `reader` has read.
    private static func watch(_ reader: StreamReader) -> @Sendable () async -> Void {
        {
            var reader = reader
            _ = try? await reader.next("end of session", limit: 0) { $0.readableBytes > 0 ? .value(()) : .needMoreBytes }
        }
    }
}
