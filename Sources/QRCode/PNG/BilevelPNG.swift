/// A PNG encoder for black-and-white images: 1-bit grayscale, no interlace (ISO/IEC 15948).
///
/// Pure Swift: chunks carry their CRC-32 and the image data is a zlib stream of stored blocks.
enum BilevelPNG {
    /// The eight bytes every PNG starts with (ISO/IEC 15948 §5.2).
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes a `width × height` image; `isBlack(x, y)` gives each pixel.
    ///
    /// - Precondition: both sides in `1...QRCode.maxImageSide`; ``QRCode`` checks them first.
    static func encode(width: Int, height: Int, isBlack: (Int, Int) -> Bool) -> [UInt8] {
        precondition((1...QRCode.maxImageSide).contains(width) && (1...QRCode.maxImageSide).contains(height))
        // Each scanline: filter type 0 (None), then 8 pixels per byte, most significant bit first;
        // in 1-bit grayscale 0 is black and 1 is white (ISO/IEC 15948 §7.2, §9.2).
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * height)
        for y in 0..<height {
            raw.append(0)
            var byte: UInt8 = 0
            for x in 0..<width {
                if !isBlack(x, y) { byte |= 0x80 >> UInt8(x % 8) }
                if x % 8 == 7 || x == width - 1 {
                    raw.append(byte)
                    byte = 0
                }
            }
        }

        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        // Bit depth 1, color type 0 (grayscale), compression 0, filter 0, interlace 0 (§11.2.2).
        header += [1, 0, 0, 0, 0]

        var png = signature
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", StoredZlibStream.wrap(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Appends length, type, data and the CRC-32 of type and data (ISO/IEC 15948 §5.3).
    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        png += bigEndian(crc.value)
    }
}
