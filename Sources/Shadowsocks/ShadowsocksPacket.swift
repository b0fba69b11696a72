public import NIOCore
public import Addressing

/// A decrypted Shadowsocks UDP packet.
public struct ShadowsocksPacket: Sendable {
    /// The user whose key opened it (server side; 0 on the client side).
    public let userIndex: Int
    /// Client to server: the destination. Server to client: the source.
    public let address: Target
    public let payload: ByteBuffer
    /// SIP022: the sender's session id and packet id; `nil` for classic AEAD.
    public let sessionID: UInt64?
    public let packetID: UInt64?

    public init(userIndex: Int, address: Target, payload: ByteBuffer, sessionID: UInt64? = nil, packetID: UInt64? = nil) {
        self.userIndex = userIndex
        self.address = address
        self.payload = payload
        self.sessionID = sessionID
        self.packetID = packetID
    }
}
