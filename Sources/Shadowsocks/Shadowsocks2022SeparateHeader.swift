package import Crypto
package import _CryptoExtras
package import NIOCore

/// The SIP022 UDP separate header (§3.2.1-2): session id and big-endian packet id, sent as one
/// AES block encrypted with the PSK (ECB, a single block: `AES.permute` from swift-crypto).
/// The session id is also the salt of the body's subkey, and bytes 4..<16 are its nonce.
package struct Shadowsocks2022SeparateHeader {
    package var sessionID: UInt64
    package var packetID: UInt64

    package init(sessionID: UInt64, packetID: UInt64) {
        self.sessionID = sessionID
        self.packetID = packetID
    }

    /// Decrypts the first 16 bytes of `packet` with `psk`. Any bytes decrypt to something;
    /// only the body's tag tells whether the key was right.
    package init(decrypting packet: UnsafeRawBufferPointer, psk: SymmetricKey) throws(ShadowsocksError) {
        var block = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &block) { (raw) throws(ShadowsocksError) in
            raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: packet.prefix(ShadowsocksWire.separateHeaderLength)))
            var bytes = raw
            do { try AES.inversePermute(&bytes, key: psk) } catch { throw .authenticationFailed }
        }
        sessionID = UInt64(bigEndian: block.0)
        packetID = UInt64(bigEndian: block.1)
    }

    /// Calls `body` with the plaintext header bytes.
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ShadowsocksError) -> R) throws(ShadowsocksError) -> R {
        var block = (sessionID.bigEndian, packetID.bigEndian)
        return try withUnsafeBytes(of: &block) { (raw) throws(ShadowsocksError) in try body(raw) }
    }

    /// The AEAD nonce: header bytes 4..<16.
    package func withNonce<R>(_ body: (UnsafeRawBufferPointer) throws(ShadowsocksError) -> R) throws(ShadowsocksError) -> R {
        try withBytes { (raw) throws(ShadowsocksError) in try body(UnsafeRawBufferPointer(rebasing: raw[4...])) }
    }

    /// The session subkey: BLAKE3 derive_key over PSK + session id.
    package func sessionKey(_ key: ShadowsocksKey) -> SymmetricKey {
        var id = sessionID.bigEndian
        return withUnsafeBytes(of: &id) { key.sessionKey(salt: $0) }
    }

    /// Appends the header encrypted with `psk`.
    package func write(encryptedWith psk: SymmetricKey, to output: inout ByteBuffer) throws(ShadowsocksError) {
        var block = (sessionID.bigEndian, packetID.bigEndian)
        try withUnsafeMutableBytes(of: &block) { (raw) throws(ShadowsocksError) in
            var bytes = raw
            do { try AES.permute(&bytes, key: psk) } catch { throw .sealFailed }
            output.writeBytes(UnsafeRawBufferPointer(raw))
        }
    }
}
