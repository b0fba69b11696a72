package import WireFormat
package import Shadowsocks
package import NIOCore
package import Addressing

/// Client side of a TCP connection, outbound: the request stream. The first call writes the
/// salt and the header carrying `target` (with as much payload as fits), in one buffer.
package struct ShadowsocksRequestEncoder: Sendable {
    private let key: ShadowsocksKey
    private let target: Target
    private let clock: ShadowsocksClock
    /// The request salt; the response decoder needs it to check a SIP022 response.
    package let salt: [UInt8]
    private var writer: ShadowsocksChunkWriter
    private var started = false

    package init(key: ShadowsocksKey, target: Target, clock: ShadowsocksClock = .system, salt: [UInt8]? = nil) throws(ShadowsocksError) {
        self.key = key
        self.target = target
        self.clock = clock
        let salt = salt ?? ShadowsocksRandom.bytes(key.keyLength)
        self.salt = salt
        let cipher = try ShadowsocksSessionCipher(aead: key.aead, key: salt.withUnsafeBytes { key.sessionKey(salt: $0) })
        writer = ShadowsocksChunkWriter(cipher: cipher, maximumPayload: key.method.maximumPayload)
    }

    /// Appends the ciphertext for the readable bytes of `payload` (the header first, on the
    /// first call, even when `payload` is empty).
    package mutating func encode(_ payload: ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        var payload = payload
        if !started {
            started = true
            output.writeBytes(salt)
            if key.method.is2022 {
                try writeHeader2022(&payload, into: &output)
            } else {
                try writeFirstChunk(&payload, into: &output)
            }
        }
        try writer.write(payload, into: &output)
    }

    /// Classic: the first chunk is the address followed by payload.
    private mutating func writeFirstChunk(_ payload: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let addressLength = SOCKSAddress.length(of: target)
        let taken = min(payload.readableBytes, ShadowsocksWire.classicMaximumPayload - addressLength)
        var chunk = ByteBuffer()
        chunk.reserveCapacity(addressLength + taken)
        SOCKSAddress.write(target, to: &chunk)
        if let slice = payload.readSlice(length: taken) { chunk.writeImmutableBuffer(slice) }
        try chunk.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in try writer.writeChunk(bytes, into: &output) }
    }

    /// SIP022: fixed header, then the variable header with the address, padding when there is
    /// no payload (§3.1.4 requires one of the two), and as much payload as fits.
    private mutating func writeHeader2022(_ payload: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let addressLength = SOCKSAddress.length(of: target)
        let padding = payload.readableBytes == 0 ? ShadowsocksRandom.length(in: 1...ShadowsocksWire.maximumPadding) : 0
        let room = ShadowsocksWire.maximumPayload2022 - addressLength - 2 - padding
        let taken = min(payload.readableBytes, room)
        let variableLength = addressLength + 2 + padding + taken

        var fixed = ByteBuffer()
        fixed.reserveCapacity(ShadowsocksWire.requestFixedHeaderLength)
        fixed.writeInteger(ShadowsocksWire.clientType)
        fixed.writeInteger(clock.now)
        fixed.writeInteger(UInt16(variableLength))
        try fixed.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in try writer.seal(bytes, into: &output) }

        var variable = ByteBuffer()
        variable.reserveCapacity(variableLength)
        SOCKSAddress.write(target, to: &variable)
        variable.writeInteger(UInt16(padding))
        variable.writeRepeatingByte(0, count: padding)
        if let slice = payload.readSlice(length: taken) { variable.writeImmutableBuffer(slice) }
        try variable.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in try writer.seal(bytes, into: &output) }
    }
}
