/// gzip (RFC 1952) compression and bounded decompression, on zlib.
///
/// Synchronous and CPU-bound; callers on an event loop should run it off-loop.
public enum Gzip {
    /// Compresses `bytes` into a single gzip member at zlib's default level.
    ///
    /// The output is readable by `gzip -d` and `tar -xzf`.
    /// - Throws: ``ArchiveError`` with code `inputTooLarge` (over 4 GiB) or `zlibFailure`.
    public static func compress(_ bytes: [UInt8]) throws(ArchiveError) -> [UInt8] {
        try Deflater().deflateAll(bytes)
    }

    /// Decompresses one gzip member, refusing to produce more than `limit` bytes.
    ///
    /// The limit is checked before output is kept, so a small "zip bomb" costs at most `limit`
    /// bytes plus one 64 KiB buffer. Every input ends with a result or an error; none traps.
    /// - Parameters:
    ///   - bytes: Exactly one gzip member, with nothing after it.
    ///   - limit: The most decompressed bytes accepted; a negative limit accepts nothing.
    /// - Throws: ``ArchiveError`` with code `decompressedTooLarge`, `truncatedGzip`,
    ///   `corruptGzip` (not gzip, bad CRC, bad length), `trailingGzipData`, `inputTooLarge` or
    ///   `zlibFailure`.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(ArchiveError) -> [UInt8] {
        try Inflater().inflateAll(bytes, limit: max(0, limit))
    }
}
