internal import CB2

/// BLAKE2b (RFC 7693), unkeyed, with the digest length as a parameter, computed by libb2 (the
/// BLAKE2 authors' library). Salamander derives a key per datagram with BLAKE2b-256, so the
/// pointer form writes straight into the caller's buffer and allocates nothing.
public enum BLAKE2b {
    /// Bytes per compressed block (RFC 7693 §2.1, bb).
    public static let blockLength = 128
    /// The longest digest, in bytes (RFC 7693 §2.1, nn).
    public static let maximumDigestLength = 64

    /// The digest of `input`, `digestLength` (1...64) bytes long.
    public static func hash(_ input: some Collection<UInt8>, digestLength: Int = 64) -> [UInt8] {
        precondition((1...maximumDigestLength).contains(digestLength), "BLAKE2b digest length must be 1...64")
        let bytes = Array(input)
        return [UInt8](unsafeUninitializedCapacity: digestLength) { output, initialized in
            bytes.withUnsafeBytes { hash($0, into: UnsafeMutableRawBufferPointer(output)) }
            initialized = digestLength
        }
    }

    /// Writes the digest of `input` into `output`, whose size (1...64) is the digest length.
    public static func hash(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition((1...maximumDigestLength).contains(output.count), "BLAKE2b digest length must be 1...64")
        guard let digest = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        // blake2b.h: fails (-1) only for a digest length outside 1...64, a key over 64 bytes, or a
        // nil input with a non-zero length; none of which can happen here.
        let result = blake2b(digest, input.baseAddress, nil, output.count, input.count, 0)
        precondition(result == 0, "libb2 blake2b refused a valid digest length")
    }
}
