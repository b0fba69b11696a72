import MeshWire
import Mesh
import NIOCore
import WireFormat

/// The relay protocol's stream messages (spec/reference-relay-protocol.md §3): register request,
/// name message, node metadata (`meta16`), dial request, latency report, datagram frame and
/// ping reply, read incrementally from the front of a stream.
///
/// Input: a selector byte, then the stream.
enum MeshWireHarness: FuzzHarness {
    static let name = "mesh-wire"
    static let summary = "relay messages: need-more leaves the buffer, prefixes wait, what decodes encodes back to the same bytes"

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let stream = Array(bytes.dropFirst())
        switch selector % 7 {
        case 0:
            check(stream, "RegisterRequest", RegisterRequest.decode) { message, buffer throws(MeshWireError) in
                try message.encode(into: &buffer)
            }
        case 1:
            check(stream, "NameMessage", NameMessage.decode) { message, buffer throws(MeshWireError) in
                try message.encode(into: &buffer)
            }
        case 2:
            // Metadata re-encodes in its canonical key order, so compare values, not bytes.
            check(stream, "NodeMetadata", NodeMetadata.decode, sameBytes: false) { message, buffer throws(MeshWireError) in
                try message.encode(into: &buffer)
            }
        case 3:
            check(stream, "DialRequest", DialRequest.decode) { message, buffer throws(MeshWireError) in
                try message.encode(into: &buffer)
            }
            var buffer = ByteBuffer(bytes: stream)
            if case .value(let request)? = try? DialRequest.decode(from: &buffer), let target = try? request.target() {
                require((try? DialTarget(parsing: target.formatted)) == target, "dial target \(target) does not re-parse")
            }
        case 4:
            check(stream, "LatencyReport", LatencyReport.decode) { message, buffer throws(MeshWireError) in
                try message.encode(into: &buffer)
            }
        case 5:
            check(stream, "DatagramFrame", { buffer throws(MeshWireError) in DatagramFrame.decode(from: &buffer) }) {
                payload, buffer throws(MeshWireError) in try DatagramFrame.encode(payload, into: &buffer)
            }
        default:
            var buffer = ByteBuffer(bytes: stream)
            switch PingReply.decode(from: &buffer) {
            case .value: require(buffer.readableBytes == max(0, stream.count - 1), "a ping reply is one byte")
            case .needMoreBytes: require(stream.isEmpty, "a ping reply waits with bytes there")
            }
        }
    }

    /// The incremental contract, and that a decoded message encodes to the bytes it consumed
    /// (or, with `sameBytes` false, to bytes that decode to the same message).
    private static func check<M: Equatable>(
        _ stream: [UInt8], _ what: String, _ decode: (inout ByteBuffer) throws(MeshWireError) -> WireReading<M>,
        sameBytes: Bool = true, encode: (M, inout ByteBuffer) throws(MeshWireError) -> Void
    ) {
        var buffer = ByteBuffer(bytes: stream)
        let before = buffer
        let result: WireReading<M>
        do {
            result = try decode(&buffer)
        } catch {
            Incremental.requireUnchanged(buffer, before, "\(what) after \(error)")
            return
        }
        guard let message = result.value else {
            Incremental.requireUnchanged(buffer, before, what)
            return
        }
        let consumed = buffer.readerIndex - before.readerIndex
        Incremental.requirePrefixesWait(stream, length: consumed, what, read: { buffer in
            Result { () throws(MeshWireError) in try decode(&buffer) }
        }, isNeedMore: { result in
            if case .success(.needMoreBytes) = result { return true }
            return false
        })
        var encoded = ByteBuffer()
        do {
            try encode(message, &encoded)
        } catch {
            require(false, "a decoded \(what) does not encode: \(error)")
        }
        if sameBytes {
            require(Array(buffer: encoded) == Array(stream[..<consumed]), "\(what) \(clip(message)) encodes to other bytes")
        }
        var again = encoded
        require((try? decode(&again))?.value == message && again.readableBytes == 0, "\(what) \(clip(message)) does not decode back")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let meta = Array(#"{"v":"1.3.4","tun":true,"pv":3,"id":"188c762f"}"#.utf8)
        return [
            ("register", [0, 3, 0, 2] + Array("kr".utf8) + [0x00, UInt8(meta.count)] + meta),
            ("name", [1, 0, 3] + Array("hub".utf8)),
            ("metadata", [2, 0, UInt8(meta.count)] + meta),
            ("dial-udp", [3, 0, 2] + Array("17".utf8) + [0, 14] + Array("udp:1.1.1.1:53".utf8)),
            ("dial-via", [3, 0, 1] + Array("9".utf8) + [0, 33] + Array("_relay_via_kr/kr-r1_10.0.0.1:22:0".utf8)),
            ("latency", [4, 0, 2] + Array("us".utf8) + [0, 87]),
            ("datagram", [5, 0, 4, 1, 2, 3, 4, 0, 0]),
            ("ping", [6, 1]),
        ]
    }
}
