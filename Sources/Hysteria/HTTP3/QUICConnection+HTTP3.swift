public import QUIC
import NIOCore

extension QUICConnection {
    /// Opens our HTTP/3 control stream and sends its preface with our SETTINGS, which each side
    /// owes the other before anything else (RFC 9114 §6.2.1).
    public func openHTTP3ControlStream() async throws {
        var preface = ByteBuffer()
        HTTP3Frame.writeControlStreamPreface(to: &preface)
        try await openUnidirectionalStream().write(preface)
    }
}
