public import QUIC

/// Salamander sits under QUIC: the QUIC module applies it to every datagram of a connection.
extension Salamander: QUICPacketObfuscation {
    public var overhead: Int { Self.saltLength }
}
