package import Crypto
public import NIOCore
public import Addressing

/// Server side of one SIP022 UDP session (one client session id): the packet-id window for
/// what arrives, and the server's own session id, counter and subkey for replies (§3.2.2:
/// a server never reuses the client's session id). The relay keeps it at least 60 s.
public struct Shadowsocks2022UDPServerSession: Sendable {
    public let key: ShadowsocksKey
    public let clientSessionID: UInt64
    public let serverSessionID: UInt64
    private let clock: ShadowsocksClock
    private let subkey: SymmetricKey
    private var nextPacketID: UInt64 = 0
    private var window = ShadowsocksPacketWindow()

    /// - Parameters:
    ///   - key: the key of the user ``Shadowsocks2022UDPServer/open(_:hint:)`` found.
    ///   - clientSessionID: ``ShadowsocksPacket/sessionID`` of the first packet.
    public init(key: ShadowsocksKey, clientSessionID: UInt64, clock: ShadowsocksClock = .system, serverSessionID: UInt64? = nil) {
        self.key = key
        self.clientSessionID = clientSessionID
        self.clock = clock
        var serverSessionID = serverSessionID ?? ShadowsocksRandom.uint64()
        if serverSessionID == clientSessionID { serverSessionID &+= 1 }
        self.serverSessionID = serverSessionID
        subkey = Shadowsocks2022SeparateHeader(sessionID: serverSessionID, packetID: 0).sessionKey(key)
    }

    /// Records an opened packet's id; `false` for a duplicate or one too far behind.
    public mutating func accept(packetID: UInt64) -> Bool {
        window.accept(packetID)
    }

    /// Appends a reply packet carrying `payload` from `source`.
    public mutating func seal(_ payload: ByteBuffer, source: Target, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let header = Shadowsocks2022SeparateHeader(sessionID: serverSessionID, packetID: nextPacketID)
        nextPacketID += 1
        try Shadowsocks2022UDPBody.seal(
            payload, address: source, type: ShadowsocksWire.serverType, clientSessionID: clientSessionID,
            timestamp: clock.now, header: header, subkey: subkey, key: key, into: &output
        )
    }
}
