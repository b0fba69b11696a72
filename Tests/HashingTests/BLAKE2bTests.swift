import Hashing
import Testing

@Suite("BLAKE2b")
struct BLAKE2bTests {
    /// 200 bytes of `i % 251`, and the same shape at the block boundaries.
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 251) } }

    @Test("BLAKE2b-256 matches the spec and Python's hashlib")
    func blake2b256() {
        let vectors: [([UInt8], String)] = [
            (Array("abc".utf8), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"),
            ([], "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"),
            (Self.pattern(200), "63c3d97a9f8894d5e043a707b0fee7f7ec4c049a23bbf1079df20b4165f9e22d"),
            (Self.pattern(128), "c3582f71ebb2be66fa5dd750f80baae97554f3b015663c8be377cfcb2488c1d1"),
            (Self.pattern(256), "582f782226018ec33076bd8d1c42413530ac7e1126260ffc0f306ba3befc3f24"),
        ]
        for (input, digest) in vectors {
            #expect(hex(BLAKE2b.hash(input, digestLength: 32)) == digest)
        }
    }

    @Test("other digest lengths are parameters, not truncations (RFC 7693 appendix A for 512)")
    func digestLengths() {
        let abc = Array("abc".utf8)
        #expect(hex(BLAKE2b.hash(abc)) == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        #expect(BLAKE2b.hash(abc, digestLength: 1) == [0x6B])
    }
}
