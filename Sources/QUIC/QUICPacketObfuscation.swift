public import NIOCore

/// A transformation of every UDP datagram a connection sends and receives, under QUIC (such as
/// Hysteria 2's Salamander). It adds `overhead` bytes to each datagram, so QUIC keeps its packets
/// that much smaller.
public protocol QUICPacketObfuscation: Sendable {
    /// Bytes each datagram grows by.
    var overhead: Int { get }
    /// Appends the datagram that carries `packet`'s readable bytes.
    func obfuscate(_ packet: ByteBuffer, into datagram: inout ByteBuffer)
    /// Appends the packet hidden in `datagram`; `false` when it carries none and must be dropped.
    func deobfuscate(_ datagram: ByteBuffer, into packet: inout ByteBuffer) -> Bool
}
