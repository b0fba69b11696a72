/// A strict reader for the PNGs ``QRCode`` writes, written independently of the encoder so the
/// tests check the bytes against the PNG and zlib specifications rather than against themselves.
struct PNGReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Chunk {
        var type: String
        var data: [UInt8]
        var storedCRC: UInt32
        var computedCRC: UInt32
    }

    /// A decoded 1-bit grayscale image; `true` is black.
    struct Image {
        var width: Int
        var height: Int
        var pixels: [Bool]
        func isBlack(x: Int, y: Int) -> Bool { pixels[y * width + x] }
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Splits a PNG into its chunks, checking the signature and that nothing trails IEND.
    static func chunks(_ png: [UInt8]) throws -> [Chunk] {
        guard png.count >= 8, Array(png[0..<8]) == signature else { throw Failure("bad signature") }
        var chunks: [Chunk] = []
        var offset = 8
        while offset < png.count {
            guard offset + 12 <= png.count else { throw Failure("truncated chunk header at \(offset)") }
            let length = Int(readUInt32(png, at: offset))
            let typeBytes = Array(png[offset + 4..<offset + 8])
            guard offset + 12 + length <= png.count else { throw Failure("truncated chunk at \(offset)") }
            let data = Array(png[offset + 8..<offset + 8 + length])
            let stored = readUInt32(png, at: offset + 8 + length)
            chunks.append(Chunk(
                type: String(decoding: typeBytes, as: UTF8.self), data: data,
                storedCRC: stored, computedCRC: crc32(typeBytes + data)
            ))
            offset += 12 + length
            if chunks.last?.type == "IEND" { break }
        }
        guard offset == png.count, chunks.last?.type == "IEND" else { throw Failure("data after IEND or no IEND") }
        return chunks
    }

    /// Decodes a 1-bit grayscale, non-interlaced PNG whose image data uses stored deflate blocks.
    static func decode(_ png: [UInt8]) throws -> Image {
        let chunks = try chunks(png)
        guard let ihdr = chunks.first, ihdr.type == "IHDR", ihdr.data.count == 13 else { throw Failure("IHDR not first") }
        let width = Int(readUInt32(ihdr.data, at: 0))
        let height = Int(readUInt32(ihdr.data, at: 4))
        guard Array(ihdr.data[8..<13]) == [1, 0, 0, 0, 0] else { throw Failure("not 1-bit grayscale: \(ihdr.data[8..<13])") }
        let zlib = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        let raw = try inflateStored(zlib)
        let rowBytes = (width + 7) / 8
        guard raw.count == (rowBytes + 1) * height else { throw Failure("image data is \(raw.count) bytes") }
        var pixels: [Bool] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            let row = y * (rowBytes + 1)
            guard raw[row] == 0 else { throw Failure("row \(y) uses filter \(raw[row])") }
            for x in 0..<width {
                let bit = raw[row + 1 + x / 8] >> (7 - UInt8(x % 8)) & 1
                pixels.append(bit == 0)
            }
        }
        return Image(width: width, height: height, pixels: pixels)
    }

    /// Inflates a zlib stream made only of stored blocks, checking header and Adler-32 (RFC 1950/1951).
    static func inflateStored(_ stream: [UInt8]) throws -> [UInt8] {
        guard stream.count >= 6 else { throw Failure("zlib stream too short") }
        guard stream[0] & 0x0F == 8, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0, stream[1] & 0x20 == 0 else {
            throw Failure("bad zlib header")
        }
        var out: [UInt8] = []
        var offset = 2
        while true {
            guard offset + 5 <= stream.count else { throw Failure("truncated block header") }
            let header = stream[offset]
            guard header & 0x06 == 0 else { throw Failure("block type \((header >> 1) & 3) is not stored") }
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length ^ complement == 0xFFFF else { throw Failure("LEN/NLEN mismatch") }
            offset += 5
            guard offset + length <= stream.count else { throw Failure("truncated block") }
            out += stream[offset..<offset + length]
            offset += length
            if header & 1 == 1 { break }
        }
        guard offset + 4 == stream.count else { throw Failure("bad trailer length") }
        guard readUInt32(stream, at: offset) == adler32(out) else { throw Failure("Adler-32 mismatch") }
        return out
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Bitwise CRC-32 (no table), deliberately unlike the encoder's.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 0 ? 0 : 0xEDB8_8320) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
