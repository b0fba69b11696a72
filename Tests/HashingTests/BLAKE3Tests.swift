import Hashing
import Testing

@Suite("BLAKE3")
struct BLAKE3Tests {
    /// From BLAKE3-team/BLAKE3 test_vectors/test_vectors.json: the input is `i % 251` for
    /// `input_len` bytes; the first 32 bytes of the `hash` and `derive_key` outputs.
    static let vectors: [(length: Int, hash: String, deriveKey: String)] = [
        (0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", "2cc39783c223154fea8dfb7c1b1660f2ac2dcbd1c1de8277b0b0dd39b7e50d7d"),
        (1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213", "b3e2e340a117a499c6cf2398a19ee0d29cca2bb7404c73063382693bf66cb06c"),
        (1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11", "74a16c1c3d44368a86e1ca6df64be6a2f64cce8f09220787450722d85725dea5"),
        (1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7", "7356cd7720d5b66b6d0697eb3177d9f8d73a4a5c5e968896eb6a689684302706"),
        (1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444", "effaa245f065fbf82ac186839a249707c3bddf6d3fdda22d1b95a3c970379bcb"),
        (2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a", "7b2945cb4fef70885cc5d78a87bf6f6207dd901ff239201351ffac04e1088a23"),
        (3073, "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3", "72613c9ec9ff7e40f8f5c173784c532ad852e827dba2bf85b2ab4b76f7079081"),
        (8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b", "af1e0346e389b17c23200270a64aa4e1ead98c61695d917de7d5b00491c9b0f1"),
        (31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47", "39772aef80e0ebe60596361e45b061e8f417429d529171b6764468c22928e28e"),
        (102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085", "4652cff7a3f385a6103b5c260fc1593e13c778dbe608efb092fe7ee69df6e9c6"),
    ]

    static let context = "BLAKE3 2019-12-27 16:29:52 test vectors context"

    static func input(_ length: Int) -> [UInt8] { (0..<length).map { UInt8($0 % 251) } }

    @Test("hash matches the official vectors", arguments: vectors.map(\.length))
    func hash(length: Int) throws {
        let vector = try #require(Self.vectors.first { $0.length == length })
        #expect(hex(BLAKE3.hash(Self.input(length))) == vector.hash)
    }

    @Test("derive_key matches the official vectors", arguments: vectors.map(\.length))
    func deriveKey(length: Int) throws {
        let vector = try #require(Self.vectors.first { $0.length == length })
        #expect(hex(BLAKE3.deriveKey(context: Self.context, material: Self.input(length))) == vector.deriveKey)
    }

    @Test("a prepared context derives into a buffer the same key, cut to the buffer's length")
    func derivationIntoBuffer() throws {
        let vector = try #require(Self.vectors.first { $0.length == 1025 })
        let derivation = BLAKE3.KeyDerivation(context: Self.context)
        for count in [32, 16] {
            let key = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                Self.input(1025).withUnsafeBytes { derivation.deriveKey(material: $0, into: UnsafeMutableRawBufferPointer(buffer)) }
                initialized = count
            }
            #expect(hex(key) == String(vector.deriveKey.prefix(2 * count)))
        }
    }

    @Test("non-contiguous input hashes like the same bytes in an array")
    func nonContiguous() {
        let bytes = Self.input(1500)
        #expect(BLAKE3.hash(bytes.lazy.map { $0 }) == BLAKE3.hash(bytes))
    }
}
