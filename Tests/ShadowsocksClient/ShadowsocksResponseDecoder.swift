package import Shadowsocks
package import NIOCore

/// Client side of a TCP connection, inbound: checks the response header (for SIP022: type,
/// timestamp and our request salt) and yields plaintext payload. Reads may be cut anywhere.
package struct ShadowsocksResponseDecoder: Sendable {
    private var machine: ShadowsocksResponseMachine
    private var framing = ShadowsocksFraming()

    /// - Parameter requestSalt: ``ShadowsocksRequestEncoder/salt``.
    package init(key: ShadowsocksKey, requestSalt: [UInt8], clock: ShadowsocksClock = .system) {
        machine = ShadowsocksResponseMachine(key: key, requestSalt: requestSalt, clock: clock)
    }

    /// Decodes `input`, appending the payload it completes to `payload`.
    package mutating func decode(_ input: ByteBuffer, into payload: inout ByteBuffer) throws(ShadowsocksError) {
        try framing.feed(input, to: &machine, output: &payload)
    }
}
