import Hysteria
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("HTTP/3 frames (RFC 9114 §7)")
struct HTTP3FrameTests {
    /// A stream with one frame of each kind we read, plus a greased unknown frame with a payload.
    static func sampleStream() -> (bytes: ByteBuffer, frames: [HTTP3Frame]) {
        var bytes = ByteBuffer()
        let frames: [HTTP3Frame] = [
            .settings(HTTP3Settings([.init(id: 0x01, value: 0), .init(id: 0x06, value: 16_384), .init(id: 0x21, value: 7)])),
            .headers(HTTP3TestBytes.buffer("0000 d1")),
            .data(ByteBuffer(string: "hello, world")),
            .goaway(1 << 40),
        ]
        frames[0].write(to: &bytes)
        bytes.writeBytes(HTTP3TestBytes.bytes("40 21 05 0102030405"))  // reserved type 0x21, 5 bytes skipped
        for frame in frames.dropFirst() { frame.write(to: &bytes) }
        return (bytes, [frames[0], .unknown(type: 0x21)] + frames.dropFirst())
    }

    /// Feeds `bytes` in chunks of the given sizes and collects what the reader returns, with
    /// consecutive DATA pieces joined (the sample has one DATA frame).
    static func read(_ bytes: ByteBuffer, chunks: [Int], reader: HTTP3FrameReader = HTTP3FrameReader()) throws -> [HTTP3Frame] {
        var reader = reader
        var input = bytes
        var pending = ByteBuffer()
        var frames: [HTTP3Frame] = []
        var chunkIndex = 0
        while input.readableBytes > 0 {
            let size = min(chunks[chunkIndex % chunks.count], input.readableBytes)
            chunkIndex += 1
            var chunk = input.readSlice(length: size) ?? ByteBuffer()
            pending.writeBuffer(&chunk)
            while let frame = try reader.next(from: &pending) {
                if case .data(var piece) = frame, case .data(var joined)? = frames.last {
                    joined.writeBuffer(&piece)
                    frames[frames.count - 1] = .data(joined)
                } else {
                    frames.append(frame)
                }
            }
        }
        #expect(reader.isAtFrameBoundary)
        #expect(pending.readableBytes == 0)
        return frames
    }

    @Test("frames read back whole at once, one byte at a time, and in random splits")
    func splits() throws {
        let (bytes, frames) = Self.sampleStream()
        #expect(try Self.read(bytes, chunks: [bytes.readableBytes]) == frames)
        #expect(try Self.read(bytes, chunks: [1]) == frames)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<200 {
            let chunks = (0..<8).map { _ in Int.random(in: 1...9, using: &rng) }
            #expect(try Self.read(bytes, chunks: chunks) == frames, "chunks \(chunks)")
        }
    }

    @Test("the control stream preface is type 0x00 then SETTINGS with QPACK capacity and blocked streams 0")
    func controlPreface() {
        var buffer = ByteBuffer()
        let written = HTTP3Frame.writeControlStreamPreface(to: &buffer)
        #expect(HTTP3TestBytes.hex(buffer) == "00" + "04" + "04" + "0100" + "0700")
        #expect(written == buffer.readableBytes)
    }

    @Test("writers lay out type, length and payload")
    func writers() {
        var buffer = ByteBuffer()
        HTTP3Frame.data(ByteBuffer(string: "ab")).write(to: &buffer)
        HTTP3Frame.headers(HTTP3TestBytes.buffer("0000d9")).write(to: &buffer)
        HTTP3Frame.goaway(4).write(to: &buffer)
        #expect(HTTP3TestBytes.hex(buffer) == "00026162" + "01030000d9" + "070104")
    }

    @Test("a frame longer than the limit is refused as soon as its length is read")
    func oversize() throws {
        var reader = HTTP3FrameReader(maximumFrameLength: 100)
        var header = HTTP3TestBytes.buffer("01 4065")  // HEADERS, length 101, no payload yet
        #expect(throws: HTTP3Error.frameTooLarge(type: 1, length: 101, limit: 100)) { try reader.next(from: &header) }
        var huge = HTTP3TestBytes.buffer("04 ffffffffffffffff")
        #expect(throws: HTTP3Error.frameTooLarge(type: 4, length: (1 << 62) - 1, limit: 100)) { try reader.next(from: &huge) }
        // DATA and unknown frames are streamed or skipped, so they need no bound.
        var data = HTTP3TestBytes.buffer("00 8000ffff 61")
        #expect(try reader.next(from: &data) == .data(ByteBuffer(string: "a")))
        var unknown = HTTP3TestBytes.buffer("21 ffffffffffffffff 0102")
        var skipper = HTTP3FrameReader(maximumFrameLength: 100)
        #expect(try skipper.next(from: &unknown) == .unknown(type: 0x21))
        #expect(unknown.readableBytes == 0)
        #expect(!skipper.isAtFrameBoundary)
    }

    @Test("a partly received frame is left in the buffer")
    func needMoreBytes() throws {
        var reader = HTTP3FrameReader()
        var buffer = HTTP3TestBytes.buffer("01 05 0000d9")
        #expect(try reader.next(from: &buffer) == nil)
        #expect(buffer.readableBytes == 5)
        buffer.writeBytes([0xd1, 0xc0])
        #expect(try reader.next(from: &buffer) == .headers(HTTP3TestBytes.buffer("0000d9d1c0")))
        #expect(try reader.next(from: &buffer) == nil)
    }

    @Test("HTTP/2 frame types are refused", arguments: [UInt8(0x02), 0x06, 0x08, 0x09])
    func reservedTypes(type: UInt8) {
        var reader = HTTP3FrameReader()
        var buffer = ByteBuffer(bytes: [type, 0])
        #expect(throws: HTTP3Error.reservedFrameType(UInt64(type))) { try reader.next(from: &buffer) }
    }

    @Test("SETTINGS with a repeated or HTTP/2 identifier, or a cut pair, is refused")
    func badSettings() {
        let cases: [(String, HTTP3Error)] = [
            ("04 04 0100 0101", .duplicateSetting(1)),
            ("04 02 0200", .reservedSetting(2)),
            ("04 02 0000", .reservedSetting(0)),
            ("04 02 0540", .malformedFrame(type: 4, reason: "a setting runs past the payload")),
            ("04 01 06", .malformedFrame(type: 4, reason: "a setting runs past the payload")),
        ]
        for (hex, error) in cases {
            var reader = HTTP3FrameReader()
            var buffer = HTTP3TestBytes.buffer(hex)
            #expect(throws: error) { try reader.next(from: &buffer) }
        }
    }

    @Test("GOAWAY must hold exactly one varint")
    func badGoaway() {
        for hex in ["07 00", "07 02 0101", "07 01 40"] {
            var reader = HTTP3FrameReader()
            var buffer = HTTP3TestBytes.buffer(hex)
            #expect(throws: HTTP3Error.malformedFrame(type: 7, reason: "GOAWAY payload is not exactly one varint")) {
                try reader.next(from: &buffer)
            }
        }
    }

    @Test("random bytes of many sizes never crash the reader")
    func hostileInput() {
        var rng = SplitMix64(seed: 1)
        for size in 0..<3000 {
            var reader = HTTP3FrameReader(maximumFrameLength: 1024)
            var buffer = ByteBuffer(bytes: (0..<(size % 300)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            while let frame = try? reader.next(from: &buffer) {
                if case .headers(let section) = frame { _ = try? QPACKDecoder().decode(section) }
            }
        }
    }
}
