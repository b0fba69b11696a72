package import WireFormat
package import Crypto
import Foundation
public import NIOCore
public import Addressing

/// Classic AEAD UDP (SIP004): `[salt][seal(SOCKS address + payload)]` with a fresh salt per
/// packet and an all-zero nonce; the same shape in both directions.
public enum ShadowsocksClassicUDP {
    /// Calls `body` with the all-zero nonce, from the stack.
    private static func withZeroNonce<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var zero = (UInt64(0), UInt32(0))
        return try withUnsafeBytes(of: &zero) { (raw) throws(E) in
            try body(UnsafeRawBufferPointer(rebasing: raw.prefix(ShadowsocksWire.nonceLength)))
        }
    }

    /// Appends one packet carrying `payload` for `address` (the destination from a client, the
    /// source from a server).
    public static func seal(
        _ payload: ByteBuffer, address: Target, key: ShadowsocksKey, into output: inout ByteBuffer, salt: [UInt8]? = nil
    ) throws(ShadowsocksError) {
        guard !key.method.is2022 else { throw .unsupportedMethod(key.method) }
        let salt = salt ?? ShadowsocksRandom.bytes(key.keyLength)
        var plaintext = ByteBuffer()
        plaintext.reserveCapacity(SOCKSAddress.length(of: address) + payload.readableBytes)
        SOCKSAddress.write(address, to: &plaintext)
        plaintext.writeImmutableBuffer(payload)
        let subkey = salt.withUnsafeBytes { key.sessionKey(salt: $0) }
        output.reserveCapacity(minimumWritableBytes: salt.count + plaintext.readableBytes + ShadowsocksWire.tagLength)
        output.writeBytes(salt)
        try plaintext.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in
            try withZeroNonce { (nonce) throws(ShadowsocksError) in
                try key.aead.seal(bytes, key: subkey, nonce: nonce, into: &output)
            }
        }
    }

    /// Opens a packet with the first key in `keyring` that authenticates it, trying `hint`
    /// (the user of this peer's last packet) first.
    public static func open(_ packet: ByteBuffer, keyring: ShadowsocksKeyring, hint: Int? = nil) throws(ShadowsocksError) -> ShadowsocksPacket {
        guard !keyring.method.is2022 else { throw .unsupportedMethod(keyring.method) }
        let saltLength = keyring.keyLength
        guard packet.readableBytes >= saltLength + ShadowsocksWire.tagLength else { throw .truncated }
        let opened = packet.withUnsafeReadableBytes { bytes in
            let salt = UnsafeRawBufferPointer(rebasing: bytes[..<saltLength])
            let sealed = UnsafeRawBufferPointer(rebasing: bytes[saltLength...])
            return withZeroNonce { nonce in
                keyring.firstMatch(hint: hint) { index -> (Int, ByteBuffer)? in
                    let key = keyring.keys[index]
                    var plaintext = ByteBuffer()
                    guard (try? key.aead.open(sealed, key: key.sessionKey(salt: salt), nonce: nonce, into: &plaintext)) != nil
                    else { return nil }
                    return (index, plaintext)
                }
            }
        }
        guard let (index, plaintext) = opened else { throw .authenticationFailed }
        var body = plaintext
        guard let address = try SOCKSAddress.read(from: &body).target(headerIsComplete: true) else {
            throw .badAddress(reason: "packet ends inside the address")
        }
        return ShadowsocksPacket(userIndex: index, address: address, payload: body)
    }

    /// Opens a packet with one key (a client reading its server's replies).
    public static func open(_ packet: ByteBuffer, key: ShadowsocksKey) throws(ShadowsocksError) -> ShadowsocksPacket {
        try open(packet, keyring: ShadowsocksKeyring(key))
    }
}
