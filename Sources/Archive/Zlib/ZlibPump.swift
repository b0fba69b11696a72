internal import CZlib

/// What a compressor or decompressor makes of one zlib call.
enum PumpStep {
    case more
    case done
    case fail(ArchiveError)
}

/// Runs `call` on `stream` over all of `input` until `handle` says done or fail, collecting the
/// output `chunkSize` bytes at a time. The one loop ``Deflater`` and ``Inflater`` share: it sets
/// and clears the stream's buffer pointers, so no pointer outlives this call.
///
/// - Parameters:
///   - action: for the size error ("compressed", "read").
///   - handle: sees each call's result and the bytes it produced, and appends them to `output`.
func pump(_ stream: UnsafeMutablePointer<z_stream>, _ input: [UInt8], chunkSize: Int, action: String,
          call: (UnsafeMutablePointer<z_stream>) -> Int32,
          handle: (_ rc: Int32, _ produced: ArraySlice<UInt8>, _ output: inout [UInt8]) -> PumpStep)
    throws(ArchiveError) -> [UInt8] {
    guard input.count <= Int(UInt32.max) else {  // avail_in is a 32-bit uInt (zlib.h)
        throw ArchiveError(.inputTooLarge, "gzip input is \(input.count) bytes; at most \(UInt32.max) can be \(action)")
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
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let (rc, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(out.count)
                let rc = call(stream)
                let produced = out.count - Int(stream.pointee.avail_out)
                stream.pointee.next_out = nil
                stream.pointee.avail_out = 0
                return (rc, produced)
            }
            switch handle(rc, chunk[0..<produced], &output) {
            case .more: continue
            case .done: return .success(output)
            case .fail(let error): return .failure(error)
            }
        }
    }
    return try result.get()
}
