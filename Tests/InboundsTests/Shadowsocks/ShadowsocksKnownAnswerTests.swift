@testable import Inbounds
import ShadowsocksClient
import Shadowsocks
import NIOCore
import ScaleConfig
import Testing

/// Streams computed outside Swift (Python `cryptography` for EVP_BytesToKey, HKDF-SHA1 and the
/// AEADs; the `blake3` package for SIP022 subkeys) from the SIP004 and SIP022 texts, for fixed
/// salts, time 1 700 000 000, target example.com:443 and payload "hello" (response "world").
@Suite("Shadowsocks known answers")
struct ShadowsocksKnownAnswerTests {
    @Test("EVP_BytesToKey(MD5) of \"password\"")
    func masterKey() {
        #expect(hex(EVPBytesToKey.key(password: "password".utf8, length: 32)) == "5f4dcc3b5aa765d61d8327deb882cf992b95990a9151374abd8ff8c5a7a0fe08")
        #expect(hex(EVPBytesToKey.key(password: "password".utf8, length: 16)) == "5f4dcc3b5aa765d61d8327deb882cf99")
    }

    static let classic: [(ShadowsocksCipher, String)] = [
        (.aes256GCM, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f7eb1e74651876cca50979731faf962d1e5daf62bba0d4b25261b49e432d754ab992e6a6965fd986126f72fb16be3ffd1b63199d0682c"),
        (.chacha20IETFPoly1305, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fad5c1efb7fdec9f4b41c2dacded86e7d7e8783c3ce5d825d5be9428b2bc98d00058b7c47fd9a372be54bdce10e3d9c5c2cb932930c78"),
        (.aes128GCM, "000102030405060708090a0b0c0d0e0f5c3a018ad5a3dade7192a2cad7061ed12e91ff1a7ea18456ee41050a92f7f43411191163cd183dff3587a265a1dcb76b7f6d040d98b4"),
    ]

    @Test("classic request stream", arguments: classic.map(\.0))
    func classicRequest(method: ShadowsocksCipher) throws {
        let expected = try #require(Self.classic.first { $0.0 == method }).1
        let key = try ShadowsocksKey(method: method, password: "password")
        var encoder = try ShadowsocksRequestEncoder(key: key, target: SS.target, clock: SS.clock, salt: (0..<UInt8(key.keyLength)).map { $0 })
        var stream = ByteBuffer()
        try encoder.encode(ByteBuffer(string: "hello"), into: &stream)
        #expect(hex(stream.readableBytesView) == expected)
        let served = try SS.serve([ByteBuffer(bytes: bytes(hex: expected))], keyring: ShadowsocksKeyring([key]))
        #expect(served.request?.target == SS.target)
        #expect(served.payload == Array("hello".utf8))
    }

    static let sip022: [(ShadowsocksCipher, request: String, response: String)] = [
        (
            .blake3AES128GCM,
            "6465666768696a6b6c6d6e6f7071727312c585cf61561724e1dbb28c6d7a4020fe9c5ab9528eb5736f1343bd27b9e03160865dc79c7e58e46be8c1636145795668b0d754885b88f30734d3f08bdc0f4257",
            "c8c9cacbcccdcecfd0d1d2d3d4d5d6d78bc585e3f12e25d7ab200aa6daa43b6b328dd8197ebb6a88e53406c0f876611e49fe1650fcba36974c2db37dc16f0e9ee5bdb8c2b8459fabe5113b31bafaff4f"
        ),
        (
            .blake3AES256GCM,
            "6465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283d6f287e2d36ca0a28d2bdac413a53fa56d06e06daf9bb95a7429c96a98d3cf1b81d1a747875ae30c1647e11014489d2f4f49218affb413725f7dc25d4cac361e06",
            "c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e77f1c604fd35e9e29570d528b48f2a4649b5511d49e4cc8d236e707ee37dacbad1c0bb904b0c6a461302b3609e23c1fd113ac82628adb0c51f8799feb6e9ccd890b8d30d833f8cd8c55ec7acb403f10d9"
        ),
    ]

    @Test("SIP022 request and response streams", arguments: SS.methods2022)
    func sip022Streams(method: ShadowsocksCipher) throws {
        let vector = try #require(Self.sip022.first { $0.0 == method })
        let key = try SS.key(method)
        let requestSalt = (0..<UInt8(key.keyLength)).map { $0 + 100 }
        var encoder = try ShadowsocksRequestEncoder(key: key, target: SS.target, clock: SS.clock, salt: requestSalt)
        var request = ByteBuffer()
        try encoder.encode(ByteBuffer(string: "hello"), into: &request)
        #expect(hex(request.readableBytesView) == vector.request)

        var responder = try ShadowsocksResponseEncoder(
            key: key, requestSalt: requestSalt, clock: SS.clock, salt: (0..<UInt8(key.keyLength)).map { $0 + 200 }
        )
        var response = ByteBuffer()
        try responder.encode(ByteBuffer(string: "world"), into: &response)
        #expect(hex(response.readableBytesView) == vector.response)

        var decoder = ShadowsocksResponseDecoder(key: key, requestSalt: requestSalt, clock: SS.clock)
        var received = ByteBuffer()
        try decoder.decode(ByteBuffer(bytes: bytes(hex: vector.response)), into: &received)
        #expect(String(buffer: received) == "world")
    }
}
