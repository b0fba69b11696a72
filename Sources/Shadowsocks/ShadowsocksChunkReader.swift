package import NIOCore

/// The body of every Shadowsocks TCP stream: a sealed big-endian length, then a sealed
/// payload of that length, repeated (SIP004; SIP022 §3.1.2).
package struct ShadowsocksChunkReader: ShadowsocksUnitDecoder {
    private var cipher: ShadowsocksSessionCipher
    private let maximumPayload: Int
    /// The length of the payload chunk to read next, or `nil` when a length chunk is next.
    private var payloadLength: Int?

    package init(cipher: ShadowsocksSessionCipher, maximumPayload: Int, payloadLength: Int? = nil) {
        self.cipher = cipher
        self.maximumPayload = maximumPayload
        self.payloadLength = payloadLength
    }

    package var unitLength: Int { (payloadLength ?? ShadowsocksWire.lengthFieldLength) + ShadowsocksWire.tagLength }

    package mutating func step(_ unit: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        if payloadLength != nil {
            try cipher.open(from: &unit, length: unitLength, into: &output)
            payloadLength = nil
        } else {
            var field = try cipher.open(from: &unit, length: unitLength)
            guard let length = field.readInteger(as: UInt16.self).map(Int.init) else { throw .truncated }
            guard length <= maximumPayload else { throw .oversizeLength(length) }
            payloadLength = length
        }
    }
}
