public import NIOCore

/// Transport settings of a connection; the defaults follow the official Hysteria 2 ones
/// (spec/hysteria2-and-quic.md §1.1) where hy2scale does not say otherwise.
public struct QUICConfiguration: Sendable {
    /// Bytes the peer may send on one stream before we read them (8 MiB, as Hysteria).
    public var streamReceiveWindow: UInt64 = 8 << 20
    /// Bytes the peer may send on all streams together before we read them (hy2scale: 16 MiB).
    public var connectionReceiveWindow: UInt64 = 16 << 20
    /// Bytes a stream's writer may have queued beyond what ngtcp2 has sent before a write waits:
    /// enough to keep the congestion window full between two writes of a relay.
    public var streamSendBuffer: UInt64 = 1 << 20
    /// Silence after which the connection is closed (Hysteria: 30 s).
    public var idleTimeout: Duration = .seconds(30)
    /// Silence after which we send a PING so the idle timeout never closes a quiet connection
    /// (Hysteria clients: 10 s); `nil` sends none.
    public var keepAliveInterval: Duration?
    /// Time the handshake may take before the connection attempt fails.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Largest DATAGRAM frame we accept; 0 disables datagrams (Hysteria servers advertise 1200).
    public var maxDatagramFrameSize: UInt64 = 1200
    /// Bidirectional streams the peer may open at once.
    public var maxIncomingBidirectionalStreams: UInt64 = 100
    /// Unidirectional streams the peer may open at once (HTTP/3 needs at least 3).
    public var maxIncomingUnidirectionalStreams: UInt64 = 100
    /// Received datagrams kept until the application takes them; more are dropped and counted.
    public var datagramQueueLimit = 1024
    /// Connections a server keeps at once (handshaking or established); more Initials are dropped.
    public var maximumConnections = 4096
    /// A transformation of every datagram on the wire (Salamander); `nil` for plain QUIC.
    public var obfuscation: (any QUICPacketObfuscation)?

    /// The defaults above.
    public init() {}

    /// Bytes the obfuscation adds to each datagram, which QUIC leaves free.
    var packetOverhead: Int { obfuscation?.overhead ?? 0 }

    /// Puts the obfuscation, if any, between the socket and the engine.
    func addObfuscation(to channel: any Channel) throws {
        guard let obfuscation else { return }
        try channel.pipeline.syncOperations.addHandler(ObfuscationHandler(obfuscation))
    }
}
