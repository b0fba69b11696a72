import Hysteria
import NIOCore
import WireFormat

/// The Hysteria 2 TCP stream headers (spec §1.3): the client's `TCPRequest` and the server's
/// `TCPResponse`, read incrementally from the front of a stream.
///
/// Input: a mode byte; modes 0 and 1 read the rest as stream bytes, modes 2 and 3 choose a
/// message to encode and read back in pieces.
enum HysteriaTCPHarness: FuzzHarness {
    static let name = "hysteria-tcp"
    static let summary = "Hysteria 2 TCPRequest/TCPResponse: need-more leaves the buffer, prefixes wait, encode and decode are inverse"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 4 {
        case 0:
            let stream = input.rest()
            guard let request = read(stream, "TCPRequest", TCPRequest.decode) else { return }
            var rng = FuzzRandom(seed: UInt64(stream.count))
            roundTrip(request, paddingLength: Int(stream.count % 4097), pieces: [], rng: &rng, TCPRequest.decode)
        case 1:
            let stream = input.rest()
            guard let response = read(stream, "TCPResponse", TCPResponse.decode) else { return }
            var rng = FuzzRandom(seed: UInt64(stream.count))
            roundTrip(response, paddingLength: Int(stream.count % 4097), pieces: [], rng: &rng, TCPResponse.decode)
        case 2:
            var rng = FuzzRandom(seed: input.integer(UInt64.self))
            let address = input.bool() ? input.text(upTo: 255) : String(repeating: "h", count: input.int(in: 0...2100))
            let padding = input.int(in: 0...4200)
            let request = TCPRequest(address: address)
            var buffer = ByteBuffer()
            let fits = (1...2048).contains(address.utf8.count) && padding <= 4096
            do {
                try request.encode(into: &buffer, paddingLength: padding, using: &rng)
                require(fits, "a request with a \(address.utf8.count)-byte address and \(padding) bytes of padding encoded")
            } catch {
                require(!fits, "a request with a \(address.utf8.count)-byte address and \(padding) bytes of padding did not encode: \(error)")
                return
            }
            roundTrip(request, paddingLength: padding, pieces: input.pieceLengths(total: buffer.readableBytes), rng: &rng, TCPRequest.decode)
        default:
            var rng = FuzzRandom(seed: input.integer(UInt64.self))
            let message = input.bool() ? input.text(upTo: 255) : String(repeating: "m", count: input.int(in: 0...2100))
            let response = TCPResponse(isOK: input.bool(), message: message)
            let padding = input.int(in: 0...4096)
            guard message.utf8.count <= 2048 else {
                var buffer = ByteBuffer()
                require((try? response.encode(into: &buffer, paddingLength: padding, using: &rng)) == nil,
                        "a \(message.utf8.count)-byte message encoded")
                return
            }
            roundTrip(response, paddingLength: padding, pieces: input.pieceLengths(total: 4096), rng: &rng, TCPResponse.decode)
            // A few bytes over the limit: `refused(_:)` cuts a character at a time.
            let refused = TCPResponse.refused(message + String(repeating: "\u{E9}", count: 3))
            require(refused.message.utf8.count <= 2048 && refused.encoded.readableBytes > 0, "refused(_:) made an unsendable response")
        }
    }

    /// Reads a message from the front of `stream`, checking the incremental contract.
    private static func read<M>(
        _ stream: [UInt8], _ what: String, _ decode: (inout ByteBuffer) throws(HysteriaWireError) -> WireReading<M>
    ) -> M? {
        var buffer = ByteBuffer(bytes: stream)
        let before = buffer
        let result: WireReading<M>
        do {
            result = try decode(&buffer)
        } catch {
            return nil
        }
        guard let message = result.value else {
            Incremental.requireUnchanged(buffer, before, what)
            return nil
        }
        let consumed = buffer.readerIndex - before.readerIndex
        Incremental.requirePrefixesWait(stream, length: consumed, what, read: { buffer in
            Result { () throws(HysteriaWireError) in try decode(&buffer) }
        }, isNeedMore: { result in
            if case .success(.needMoreBytes) = result { return true }
            return false
        })
        return message
    }

    /// Encodes `message` with `paddingLength` bytes of padding and some trailing payload, feeds
    /// it in pieces, and requires the same message back with the payload left in the buffer.
    private static func roundTrip<M: PaddedMessage & Equatable>(
        _ message: M, paddingLength: Int, pieces: [Int], rng: inout FuzzRandom,
        _ decode: (inout ByteBuffer) throws(HysteriaWireError) -> WireReading<M>
    ) {
        var encoded = ByteBuffer()
        do {
            try message.encode(into: &encoded, paddingLength: paddingLength, using: &rng)
        } catch {
            return  // an address or message the encoder refuses; checked by the callers that care
        }
        let length = encoded.readableBytes
        encoded.writeString("payload")
        var stream = ByteBuffer()
        var offset = 0
        for piece in pieces + [encoded.readableBytes] {
            let count = min(piece, encoded.readableBytes - offset)
            if let slice = encoded.getSlice(at: offset, length: count) { stream.writeImmutableBuffer(slice) }
            offset += count
            let before = stream
            do {
                switch try decode(&stream) {
                case .needMoreBytes:
                    Incremental.requireUnchanged(stream, before, "\(M.self)")
                    require(offset < length, "\(M.self) still waiting with all \(length) bytes there")
                case .value(let decoded):
                    require(offset >= length, "\(M.self) decoded from \(offset) of \(length) bytes")
                    require(decoded == message, "\(M.self) \(clip(message)) decoded as \(clip(decoded))")
                    require(stream.readerIndex - before.readerIndex == length, "\(M.self) consumed more or less than itself")
                    return
                }
            } catch {
                require(false, "\(M.self) \(clip(message)) did not decode: \(error)")
            }
        }
        require(false, "\(M.self) never decoded")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("request", [0, 0x44, 0x01, 0x0F] + Array("example.com:443".utf8) + [0x03] + Array("abc".utf8) + Array("data".utf8)),
            ("response", [1, 0x00, 0x09] + Array("Connected".utf8) + [0x40, 0x05] + Array("12345".utf8)),
            ("request-encoded", [2, 1, 2, 3, 4, 5, 6, 7, 8, 1, 15] + Array("[2001:db8::1]:8".utf8) + [100, 3, 5, 9]),
            ("response-encoded", [3, 8, 7, 6, 5, 4, 3, 2, 1, 1, 6] + Array("refuse".utf8) + [0, 64, 2, 9, 31]),
        ]
    }
}
