internal import CZlib

/// A gzip compressor: the only owner of its `z_stream`, released with `deflateEnd` in `deinit`.
///
/// One of the two files of this module that touch zlib or raw pointers (with ``Inflater``).
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
        guard input.count <= Int(UInt32.max) else {  // avail_in is a 32-bit uInt (zlib.h)
            throw ArchiveError(.inputTooLarge, "gzip input is \(input.count) bytes; at most \(UInt32.max) can be compressed")
        }
        let result = input.withUnsafeBufferPointer { inputBuffer -> Result<[UInt8], ArchiveError> in
            // zlib never writes through next_in; the cast only satisfies the non-const C field.
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
            stream.pointee.avail_in = uInt(inputBuffer.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.avail_in = 0
            }
            var output: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            while true {
                let (rc, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(out.count)
                    let rc = deflate(stream, Z_FINISH)
                    let produced = out.count - Int(stream.pointee.avail_out)
                    stream.pointee.next_out = nil
                    stream.pointee.avail_out = 0
                    return (rc, produced)
                }
                output += chunk[0..<produced]
                switch rc {
                case Z_STREAM_END:
                    return .success(output)
                case Z_OK where produced > 0, Z_BUF_ERROR where produced > 0:
                    continue  // Z_FINISH with a full output buffer: call again for the rest
                default:
                    return .failure(zlibError("deflate", rc, stream.pointee.msg))
                }
            }
        }
        return try result.get()
    }
}
