import NIOCore
import QUIC
import WireFormat

/// Reads whole wire messages from a relay stream: buffers what arrives until the decoder has a
/// value, and refuses to buffer more than `limit` bytes for one message.
struct StreamReader {
    let stream: QUICStream
    private var buffer: ByteBuffer

    init(_ stream: QUICStream, leftover: ByteBuffer = ByteBuffer()) {
        self.stream = stream
        buffer = leftover
    }

    /// Bytes read past the last message.
    var remainder: ByteBuffer { buffer }

    /// The next message.
    /// - Throws: ``MeshStreamError/endedEarly(_:)`` at FIN before a whole message,
    ///   ``MeshStreamError/tooLarge(_:limit:)`` past `limit`, and the decoder's or stream's errors.
    mutating func next<Value>(
        _ what: String, limit: Int = 8192,
        decode: (inout ByteBuffer) throws -> WireReading<Value>
    ) async throws -> Value {
        while true {
            if case .value(let value) = try decode(&buffer) { return value }
            guard buffer.readableBytes <= limit else { throw MeshStreamError.tooLarge(what, limit: limit) }
            guard let chunk = try await stream.read() else { throw MeshStreamError.endedEarly(what) }
            buffer.writeImmutableBuffer(chunk)
        }
    }

    /// Everything until FIN, refused past `limit` bytes.
    mutating func readToEnd(_ what: String, limit: Int) async throws -> ByteBuffer {
        while let chunk = try await stream.read() {
            buffer.writeImmutableBuffer(chunk)
            guard buffer.readableBytes <= limit else { throw MeshStreamError.tooLarge(what, limit: limit) }
        }
        defer { buffer.clear() }
        return buffer
    }
}

/// Why a relay stream exchange failed.
enum MeshStreamError: Error, CustomStringConvertible {
    case endedEarly(String)
    case tooLarge(String, limit: Int)
    case timedOut(String)

    var description: String {
        switch self {
        case .endedEarly(let what): "the stream ended before the \(what)"
        case .tooLarge(let what, let limit): "the \(what) is larger than \(limit) bytes"
        case .timedOut(let what): "no \(what) in time"
        }
    }
}
