package import WireFormat
package import Crypto
import Foundation
package import NIOCore
package import Addressing

/// Sealing and opening the SIP022 UDP body (§3.2.3): type, timestamp, the client session id
/// (server packets only), padding length and padding, SOCKS address, payload.
package enum Shadowsocks2022UDPBody {
    /// Appends a whole packet: encrypted separate header, then the sealed body.
    package static func seal(
        _ payload: ByteBuffer, address: Target, type: UInt8, clientSessionID: UInt64?, timestamp: UInt64,
        header: Shadowsocks2022SeparateHeader, subkey: SymmetricKey, key: ShadowsocksKey, into output: inout ByteBuffer
    ) throws(ShadowsocksError) {
        var body = ByteBuffer()
        body.reserveCapacity(1 + 8 + 8 + 2 + SOCKSAddress.length(of: address) + payload.readableBytes)
        body.writeInteger(type)
        body.writeInteger(timestamp)
        if let clientSessionID { body.writeInteger(clientSessionID) }
        body.writeInteger(UInt16(0))  // no padding
        SOCKSAddress.write(address, to: &body)
        body.writeImmutableBuffer(payload)

        output.reserveCapacity(minimumWritableBytes: ShadowsocksWire.separateHeaderLength + body.readableBytes + ShadowsocksWire.tagLength)
        try header.write(encryptedWith: key.material, to: &output)
        try body.withUnsafeReadableBytes { (plaintext) throws(ShadowsocksError) in
            try header.withNonce { (nonce) throws(ShadowsocksError) in
                try key.aead.seal(plaintext, key: subkey, nonce: nonce, into: &output)
            }
        }
    }

    /// Opens the sealed body after the separate header, or `nil` when the tag does not match.
    package static func open(
        _ packet: UnsafeRawBufferPointer, header: Shadowsocks2022SeparateHeader, subkey: SymmetricKey, key: ShadowsocksKey
    ) -> ByteBuffer? {
        let sealed = UnsafeRawBufferPointer(rebasing: packet[ShadowsocksWire.separateHeaderLength...])
        var body = ByteBuffer()
        guard (try? header.withNonce({ (nonce) throws(ShadowsocksError) in
            try key.aead.open(sealed, key: subkey, nonce: nonce, into: &body)
        })) != nil else { return nil }
        return body
    }

    /// Checks an opened body of `type` (and for server packets, `clientSessionID`) and reads
    /// its address; what is left of `body` is the payload.
    package static func read(
        _ body: inout ByteBuffer, type expected: UInt8, clientSessionID: UInt64?, clock: ShadowsocksClock
    ) throws(ShadowsocksError) -> Target {
        guard let type = body.readInteger(as: UInt8.self), let timestamp = body.readInteger(as: UInt64.self) else { throw .truncated }
        guard type == expected else { throw .wrongHeaderType(type) }
        try clock.check(timestamp)
        if let clientSessionID {
            guard let echoed = body.readInteger(as: UInt64.self) else { throw .truncated }
            guard echoed == clientSessionID else { throw .wrongSession }
        }
        guard let padding = body.readInteger(as: UInt16.self) else { throw .truncated }
        guard body.readableBytes >= Int(padding) else { throw .badHeader(reason: "padding runs past the packet") }
        body.moveReaderIndex(forwardBy: Int(padding))
        guard let target = try SOCKSAddress.read(from: &body).target(headerIsComplete: true) else {
            throw .badAddress(reason: "packet ends inside the address")
        }
        return target
    }

    /// The smallest possible packet: header, type, timestamp, padding length, tag.
    package static let minimumLength = ShadowsocksWire.separateHeaderLength + 1 + 8 + 2 + ShadowsocksWire.tagLength
}
