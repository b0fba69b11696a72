internal import CZlib

/// A gzip compressor: the only owner of its `z_stream`, released with `deflateEnd` in `deinit`.
///
/// One of the files of this module that touch zlib or raw pointers (with ``Inflater`` and the shared pump).
final class Deflater {
    /// Bytes produced per `deflate` call.
    static let chunkSize = 64 * 1024

    /// Allocated and zeroed in `init`; `deflateInit2_` succeeded on it, so `deflateEnd` is due.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Prepares a stream that writes the gzip wrapper (RFC 1952) at zlib's default level.
    init() throws(ArchiveError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())  // zalloc, zfree, opaque = Z_NULL: zlib's allocator
        // zlib.h, deflateInit2: windowBits 15 + 16 writes a gzip header and trailer; memLevel 8
        // is zlib's default.
        let rc = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        )
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw zlibError("deflateInit2_", rc, nil)
        }
        self.stream = stream
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses all of `input` into one gzip member.
    ///
    /// - Throws: ``ArchiveError`` `inputTooLarge` over 4 GiB, `zlibFailure` if zlib fails.
    func deflateAll(_ input: [UInt8]) throws(ArchiveError) -> [UInt8] {
        try pump(stream, input, chunkSize: Self.chunkSize, action: "compressed", call: { deflate($0, Z_FINISH) }) {
            rc, produced, output in
            output += produced
            switch rc {
            case Z_STREAM_END:
                return .done
            case Z_OK where !produced.isEmpty, Z_BUF_ERROR where !produced.isEmpty:
                return .more  // Z_FINISH with a full output buffer: call again for the rest
            default:
                return .fail(zlibError("deflate", rc, stream.pointee.msg))
            }
        }
    }
}
