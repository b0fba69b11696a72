package import Shadowsocks
package import Crypto
import Foundation
package import NIOCore
package import Addressing

/// Client side of one SIP022 UDP session: seals packets under a random session id with an
/// increasing packet id, and opens the server's replies, checking they answer this session
/// and are not replayed. Remembers the current and the previous server session (§3.2.4: a
/// server restart starts a new one).
package struct Shadowsocks2022UDPClient: Sendable {
    private struct ServerSession {
        let id: UInt64
        let subkey: SymmetricKey
        var window = ShadowsocksPacketWindow()
    }

    package let key: ShadowsocksKey
    package let sessionID: UInt64
    private let clock: ShadowsocksClock
    private let subkey: SymmetricKey
    private var nextPacketID: UInt64 = 0
    private var current: ServerSession?
    private var previous: ServerSession?

    package init(key: ShadowsocksKey, clock: ShadowsocksClock = .system, sessionID: UInt64? = nil) throws(ShadowsocksError) {
        guard key.method.is2022 else { throw .unsupportedMethod(key.method) }
        self.key = key
        self.clock = clock
        let sessionID = sessionID ?? ShadowsocksRandom.uint64()
        self.sessionID = sessionID
        subkey = Shadowsocks2022SeparateHeader(sessionID: sessionID, packetID: 0).sessionKey(key)
    }

    /// Appends a packet carrying `payload` for `target`.
    package mutating func seal(_ payload: ByteBuffer, target: Target, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let header = Shadowsocks2022SeparateHeader(sessionID: sessionID, packetID: nextPacketID)
        nextPacketID += 1
        try Shadowsocks2022UDPBody.seal(
            payload, address: target, type: ShadowsocksWire.clientType, clientSessionID: nil,
            timestamp: clock.now, header: header, subkey: subkey, key: key, into: &output
        )
    }

    /// Opens a server reply: its source address and payload.
    package mutating func open(_ packet: ByteBuffer) throws(ShadowsocksError) -> ShadowsocksPacket {
        guard packet.readableBytes >= Shadowsocks2022UDPBody.minimumLength + 8 else { throw .truncated }
        let (header, plaintext, session) = try packet.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in
            let header = try Shadowsocks2022SeparateHeader(decrypting: bytes, psk: key.material)
            let session = self.session(header.sessionID)
            guard session.window.allows(header.packetID) else { throw .replayed }
            guard let plaintext = Shadowsocks2022UDPBody.open(bytes, header: header, subkey: session.subkey, key: key) else {
                throw .authenticationFailed
            }
            return (header, plaintext, session)
        }
        var body = plaintext
        let source = try Shadowsocks2022UDPBody.read(&body, type: ShadowsocksWire.serverType, clientSessionID: sessionID, clock: clock)
        // Only a packet that passed every check moves the window.
        var updated = session
        guard updated.window.accept(header.packetID) else { throw .replayed }
        remember(updated)
        return ShadowsocksPacket(userIndex: 0, address: source, payload: body, sessionID: header.sessionID, packetID: header.packetID)
    }

    /// The state kept for server session `id`, or a fresh one.
    private func session(_ id: UInt64) -> ServerSession {
        if let current, current.id == id { return current }
        if let previous, previous.id == id { return previous }
        return ServerSession(id: id, subkey: Shadowsocks2022SeparateHeader(sessionID: id, packetID: 0).sessionKey(key))
    }

    private mutating func remember(_ session: ServerSession) {
        if current?.id == session.id {
            current = session
        } else if previous?.id == session.id {
            previous = session
        } else {
            previous = current
            current = session
        }
    }
}
