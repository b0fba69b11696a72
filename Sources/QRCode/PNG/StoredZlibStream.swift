/// Wraps bytes in a zlib stream made of uncompressed ("stored") deflate blocks.
///
/// Every inflater accepts stored blocks (RFC 1951 §3.2.4), so a PNG needs no compressor: the
/// image grows by five bytes per 64 KiB, and QRCode keeps libqrencode as its only C dependency.
enum StoredZlibStream {
    /// The most bytes one stored block can hold: `LEN` is 16 bits (RFC 1951 §3.2.4).
    static let maxBlockLength = 0xFFFF

    /// The zlib stream holding `data`: header, stored blocks, Adler-32 of `data`.
    static func wrap(_ data: [UInt8]) -> [UInt8] {
        let blockCount = max(1, (data.count + maxBlockLength - 1) / maxBlockLength)
        var out: [UInt8] = []
        out.reserveCapacity(2 + data.count + 5 * blockCount + 4)
        // RFC 1950 §2.2: CMF 0x78 = deflate with a 32 KiB window; FLG 0x01 = no dictionary,
        // "fastest" level, and FCHECK making 0x7801 a multiple of 31.
        out += [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + maxBlockLength, data.count)
            let length = UInt16(end - start)
            // BFINAL in bit 0, BTYPE 00 = stored; the rest of the byte pads to a byte boundary.
            out.append(end == data.count ? 0x01 : 0x00)
            out += [UInt8(length & 0xFF), UInt8(length >> 8)]
            out += [UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        var adler = Adler32()
        adler.update(data)
        out += bigEndian(adler.value)
        return out
    }
}

/// The four bytes of `value`, most significant first (network order, as PNG and zlib use).
func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}
