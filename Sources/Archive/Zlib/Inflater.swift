internal import CZlib

/// A gzip decompressor: the only owner of its `z_stream`, released with `inflateEnd` in `deinit`.
///
/// One of the files of this module that touch zlib or raw pointers (with ``Deflater`` and the shared pump).
final class Inflater {
    /// Bytes produced per `inflate` call. Output is appended only after checking the limit, so at
    /// most this much is held beyond what the caller allowed.
    static let chunkSize = 64 * 1024

    /// Allocated and zeroed in `init`; `inflateInit2_` succeeded on it, so `inflateEnd` is due.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Prepares a stream that accepts only the gzip wrapper (RFC 1952).
    init() throws(ArchiveError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())  // zalloc, zfree, opaque = Z_NULL: zlib's allocator
        // zlib.h, inflateInit2: windowBits 15 (the deflate maximum) + 16 selects gzip only.
        let rc = inflateInit2_(stream, MAX_WBITS + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw zlibError("inflateInit2_", rc, nil)
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses one whole gzip member that must make up all of `input`.
    ///
    /// Ends on every input: each `inflate` call either consumes input, produces output, or returns
    /// an error; a call that can do neither (`Z_BUF_ERROR` with output room) means the input ended.
    /// - Throws: ``ArchiveError`` `decompressedTooLarge` as soon as the output would pass `limit`;
    ///   `truncatedGzip`, `corruptGzip`, `trailingGzipData`, `inputTooLarge`, `zlibFailure`.
    func inflateAll(_ input: [UInt8], limit: Int) throws(ArchiveError) -> [UInt8] {
        try pump(stream, input, chunkSize: Self.chunkSize, action: "read", call: { inflate($0, Z_NO_FLUSH) }) {
            rc, produced, output in
            guard produced.count <= limit - output.count else {
                return .fail(ArchiveError(
                    .decompressedTooLarge,
                    "gzip data decompresses to more than the limit of \(limit) bytes; refusing to read further"
                ))
            }
            output += produced
            switch rc {
            case Z_OK:
                return .more
            case Z_STREAM_END:
                let left = Int(stream.pointee.avail_in)
                guard left == 0 else {
                    return .fail(ArchiveError(
                        .trailingGzipData,
                        "\(left) bytes follow the end of the gzip stream; a backup is a single gzip member"
                    ))
                }
                return .done
            case Z_BUF_ERROR:
                // Output room was available, so zlib needed more input than there is.
                return .fail(ArchiveError(.truncatedGzip, "gzip data ends early: \(input.count) bytes read, stream not finished"))
            case Z_DATA_ERROR, Z_NEED_DICT:
                return .fail(zlibError("inflate", rc, stream.pointee.msg, code: .corruptGzip))
            default:
                return .fail(zlibError("inflate", rc, stream.pointee.msg))
            }
        }
    }
}

/// An error naming the zlib function, its result and zlib's own message if it gave one.
func zlibError(
    _ function: String, _ rc: Int32, _ message: UnsafeMutablePointer<CChar>?, code: ArchiveError.Code = .zlibFailure
) -> ArchiveError {
    let text = message.map { String(cString: $0) } ?? String(cString: zError(rc))
    let what = code == .corruptGzip ? "gzip data is corrupt" : "zlib failed"
    return ArchiveError(code, "\(what): \(function): \(text) (\(rc))")
}
