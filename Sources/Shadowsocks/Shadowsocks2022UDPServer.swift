import Foundation
public import NIOCore

/// Server side of SIP022 UDP, stateless part: opens client packets, finding the user by trying
/// each PSK on the separate header and the body's tag. Replay of packet ids is checked per
/// session by ``Shadowsocks2022UDPServerSession``, which the relay keeps per client session id.
public struct Shadowsocks2022UDPServer: Sendable {
    public let keyring: ShadowsocksKeyring
    private let clock: ShadowsocksClock

    public init(keyring: ShadowsocksKeyring, clock: ShadowsocksClock = .system) throws(ShadowsocksError) {
        guard keyring.method.is2022 else { throw .unsupportedMethod(keyring.method) }
        self.keyring = keyring
        self.clock = clock
    }

    /// Opens a client packet: checks type and timestamp, and returns the destination, the
    /// payload and the client's session and packet ids. `hint` is tried first (the user of
    /// this session's previous packet). The caller must still pass the packet id through the
    /// session's window.
    public func open(_ packet: ByteBuffer, hint: Int? = nil) throws(ShadowsocksError) -> ShadowsocksPacket {
        guard packet.readableBytes >= Shadowsocks2022UDPBody.minimumLength else { throw .truncated }
        let opened = packet.withUnsafeReadableBytes { bytes in
            keyring.firstMatch(hint: hint) { index -> (Int, Shadowsocks2022SeparateHeader, ByteBuffer)? in
                let key = keyring.keys[index]
                guard let header = try? Shadowsocks2022SeparateHeader(decrypting: bytes, psk: key.material),
                      let body = Shadowsocks2022UDPBody.open(bytes, header: header, subkey: header.sessionKey(key), key: key)
                else { return nil }
                return (index, header, body)
            }
        }
        guard let (index, header, plaintext) = opened else { throw .authenticationFailed }
        var body = plaintext
        let target = try Shadowsocks2022UDPBody.read(&body, type: ShadowsocksWire.clientType, clientSessionID: nil, clock: clock)
        return ShadowsocksPacket(userIndex: index, address: target, payload: body, sessionID: header.sessionID, packetID: header.packetID)
    }
}
