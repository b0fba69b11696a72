import Hysteria
import NIOCore

/// `HTTP3FrameReader` (RFC 9114 §7.1) on a stream's bytes, with `HTTP3Settings` and GOAWAY
/// payloads.
///
/// Input: a limit byte, piece lengths up to a NUL, then the stream.
enum HTTP3FrameHarness: FuzzHarness {
    static let name = "http3-frames"
    static let summary = "HTTP3FrameReader: same frames and error however the stream is cut; frames write and read back; limits hold"

    private enum Event: Equatable {
        case frame(HTTP3Frame)
        case failure(HTTP3Error)
    }

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let limit = input.bool() ? HTTP3FrameReader.defaultMaximumFrameLength : input.int(in: 0...64)
        let rest = input.rest()
        let split = rest.firstIndex(of: 0) ?? -1
        var script = FuzzInput(split >= 0 ? Array(rest[..<split]) : [])
        let stream = Array(rest[(split + 1)...])
        let whole = read(stream, pieces: [stream.count], limit: limit)
        let cut = read(stream, pieces: script.pieceLengths(total: stream.count), limit: limit)
        require(whole == cut, "cutting the stream changed the frames: \(clip(whole)) vs \(clip(cut))")
        for event in whole {
            guard case .frame(let frame) = event else { continue }
            switch frame {
            case .headers(let payload):
                require(payload.readableBytes <= limit, "a HEADERS frame of \(payload.readableBytes) bytes passed the limit \(limit)")
                fallthrough
            case .settings, .goaway:
                var written = ByteBuffer()
                frame.write(to: &written)
                var reader = HTTP3FrameReader()
                let again = try? reader.next(from: &written)
                require(again == frame && written.readableBytes == 0 && reader.isAtFrameBoundary,
                        "\(clip(frame)) does not survive write and read: \(clip(again as Any))")
            case .data, .unknown:
                break
            }
        }
    }

    /// Frames read from `stream` fed in pieces, with DATA pieces joined (their cuts carry no
    /// meaning) and the first error, after which the stream is abandoned.
    private static func read(_ stream: [UInt8], pieces: [Int], limit: Int) -> [Event] {
        var reader = HTTP3FrameReader(maximumFrameLength: limit)
        var buffer = ByteBuffer()
        var events: [Event] = []
        var offset = 0
        for length in pieces {
            buffer.writeBytes(stream[offset..<offset + length])
            offset += length
            while true {
                let readable = buffer.readableBytes
                let frame: HTTP3Frame?
                do throws(HTTP3Error) {
                    frame = try reader.next(from: &buffer)
                } catch {
                    events.append(.failure(error))
                    return events
                }
                guard let frame else {
                    require(buffer.readableBytes <= readable, "the reader grew the buffer")
                    break
                }
                if case .data(let piece) = frame, case .frame(.data(var joined))? = events.last {
                    var piece = piece
                    joined.writeBuffer(&piece)
                    events[events.count - 1] = .frame(.data(joined))
                } else if case .data(let piece) = frame, piece.readableBytes == 0 {
                    continue  // an empty DATA frame carries nothing
                } else {
                    events.append(.frame(frame))
                }
            }
        }
        return events
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        var control = ByteBuffer()
        HTTP3Frame.writeControlStreamPreface(to: &control)
        HTTP3Frame.goaway(4).write(to: &control)
        var request = ByteBuffer()
        HTTP3Frame.headers(ByteBuffer(bytes: [0, 0, 0xD1, 0xD7])).write(to: &request)
        HTTP3Frame.data(ByteBuffer(string: "body bytes")).write(to: &request)
        HTTP3Frame.unknown(type: 0x21).write(to: &request)
        request.writeBytes([0x21, 0x03, 1, 2, 3])
        HTTP3Frame.data(ByteBuffer(string: "more")).write(to: &request)
        return [
            ("control", [1, 3, 2, 0] + Array(buffer: control)),
            ("request", [1, 1, 4, 7, 2, 0] + Array(buffer: request)),
            ("small-limit", [0, 3, 0] + Array(buffer: request)),
        ]
    }
}
