public import NIOCore

/// Server side of a TCP connection, outbound: the response stream. The salt (and for SIP022
/// the header, which echoes the request salt) goes out with the first non-empty payload, in
/// the same buffer, as SIP022 §3.1.4 asks.
public struct ShadowsocksResponseEncoder: Sendable {
    private let key: ShadowsocksKey
    private let requestSalt: [UInt8]
    private let clock: ShadowsocksClock
    /// The response salt, random unless a test fixes it.
    public let salt: [UInt8]
    private var writer: ShadowsocksChunkWriter
    private var started = false

    /// - Parameters:
    ///   - key: the key of the user the request decoder identified.
    ///   - requestSalt: ``ShadowsocksRequest/salt``.
    ///   - replayFilter: for classic methods, the listener's filter: the response salt is
    ///     recorded so a response reflected back at us as a request is refused.
    public init(
        key: ShadowsocksKey, requestSalt: [UInt8], clock: ShadowsocksClock = .system,
        replayFilter: ShadowsocksReplayFilter? = nil, salt: [UInt8]? = nil
    ) throws(ShadowsocksError) {
        self.key = key
        self.requestSalt = requestSalt
        self.clock = clock
        let salt = salt ?? ShadowsocksRandom.bytes(key.keyLength)
        self.salt = salt
        let cipher = try ShadowsocksSessionCipher(aead: key.aead, key: salt.withUnsafeBytes { key.sessionKey(salt: $0) })
        writer = ShadowsocksChunkWriter(cipher: cipher, maximumPayload: key.method.maximumPayload)
        if !key.method.is2022 { _ = replayFilter?.insert(salt, now: clock.now) }
    }

    /// Appends the ciphertext for the readable bytes of `payload` to `output`.
    public mutating func encode(_ payload: ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        guard payload.readableBytes > 0 else { return }
        var payload = payload
        if !started {
            guard !key.method.is2022 || requestSalt.count == key.keyLength else {
                throw .badHeader(reason: "request salt has the wrong length")
            }
            output.writeBytes(salt)
            if key.method.is2022 {
                // The header's length field announces the first payload chunk (SIP022 §3.1.2).
                let first = min(payload.readableBytes, ShadowsocksWire.maximumPayload2022)
                var header = ByteBuffer()
                header.reserveCapacity(1 + 8 + requestSalt.count + 2)
                header.writeInteger(ShadowsocksWire.serverType)
                header.writeInteger(clock.now)
                header.writeBytes(requestSalt)
                header.writeInteger(UInt16(first))
                try header.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in try writer.seal(bytes, into: &output) }
                try payload.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in
                    try writer.seal(UnsafeRawBufferPointer(rebasing: bytes.prefix(first)), into: &output)
                }
                payload.moveReaderIndex(forwardBy: first)
            }
            started = true
        }
        try writer.write(payload, into: &output)
    }
}
