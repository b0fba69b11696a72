package import Shadowsocks
package import NIOCore

/// The client's view of a response stream: salt and first sealed unit (a length, or the
/// SIP022 header naming our request salt), then plain chunks.
package struct ShadowsocksResponseMachine: ShadowsocksUnitDecoder {
    private let key: ShadowsocksKey
    private let requestSalt: [UInt8]
    private let clock: ShadowsocksClock
    private var reader: ShadowsocksChunkReader?

    package init(key: ShadowsocksKey, requestSalt: [UInt8], clock: ShadowsocksClock) {
        self.key = key
        self.requestSalt = requestSalt
        self.clock = clock
    }

    private var headerLength: Int {
        key.method.is2022 ? 1 + 8 + key.keyLength + 2 : ShadowsocksWire.lengthFieldLength
    }

    package var unitLength: Int { reader?.unitLength ?? key.keyLength + headerLength + ShadowsocksWire.tagLength }

    package mutating func step(_ unit: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        if var reader {
            try reader.step(&unit, into: &output)
            self.reader = reader
            return
        }
        guard let salt = unit.readBytes(length: key.keyLength) else { throw .truncated }
        var cipher = try ShadowsocksSessionCipher(aead: key.aead, key: salt.withUnsafeBytes { key.sessionKey(salt: $0) })
        var header = try cipher.open(from: &unit, length: headerLength + ShadowsocksWire.tagLength)
        if key.method.is2022 {
            guard let type = header.readInteger(as: UInt8.self), let timestamp = header.readInteger(as: UInt64.self),
                  let echoed = header.readBytes(length: key.keyLength) else { throw .truncated }
            guard type == ShadowsocksWire.serverType else { throw .wrongHeaderType(type) }
            try clock.check(timestamp)
            guard echoed == requestSalt else { throw .wrongSession }
        }
        guard let length = header.readInteger(as: UInt16.self) else { throw .truncated }
        guard Int(length) <= key.method.maximumPayload else { throw .oversizeLength(Int(length)) }
        reader = ShadowsocksChunkReader(cipher: cipher, maximumPayload: key.method.maximumPayload, payloadLength: Int(length))
    }
}
