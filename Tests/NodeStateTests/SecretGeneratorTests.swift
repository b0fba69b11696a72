import Crypto
import Foundation
import NodeState
import Testing

@Suite("Secret generator")
struct SecretGeneratorTests {
    private func isLowercaseHex(_ text: String) -> Bool {
        text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    @Test("the node password is 24 lowercase hex characters and differs each time")
    func nodePassword() {
        let a = SecretGenerator.nodePassword()
        let b = SecretGenerator.nodePassword()
        #expect(a.count == 24 && isLowercaseHex(a))
        #expect(a != b)
    }

    @Test("hex ids have two characters per byte", arguments: [0, 1, 4, 16])
    func hexID(bytes: Int) {
        let id = SecretGenerator.hexID(byteCount: bytes)
        #expect(id.count == 2 * bytes)
        #expect(isLowercaseHex(id))
    }

    @Test("a WireGuard private key is standard base64 of 32 bytes")
    func wireGuardPrivateKey() throws {
        let key = SecretGenerator.wireGuardPrivateKey()
        #expect(key.count == 44 && key.hasSuffix("="))
        #expect(try #require(Data(base64Encoded: key)).count == 32)
        #expect(key != SecretGenerator.wireGuardPrivateKey())
    }

    @Test("the public key derived from a private key is its Curve25519 public key")
    func wireGuardPublicKey() throws {
        let key = SecretGenerator.wireGuardPrivateKey()
        let expected = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: #require(Data(base64Encoded: key)))
            .publicKey.rawRepresentation.base64EncodedString()
        #expect(try SecretGenerator.wireGuardPublicKey(fromPrivateKey: key) == expected)
    }

    @Test("a known WireGuard key pair (RFC 7748 §6.1 Alice)")
    func knownVector() throws {
        let privateHex = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
        let publicHex = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
        func bytes(_ hex: String) -> Data {
            var data = Data()
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                data.append(UInt8(hex[index..<next], radix: 16) ?? 0)
                index = next
            }
            return data
        }
        let derived = try SecretGenerator.wireGuardPublicKey(fromPrivateKey: bytes(privateHex).base64EncodedString())
        #expect(derived == bytes(publicHex).base64EncodedString())
    }

    @Test("malformed private keys are rejected", arguments: ["", "not base64!", Data(count: 31).base64EncodedString()])
    func malformedPrivateKey(key: String) {
        #expect(throws: WireGuardKeyError.self) { try SecretGenerator.wireGuardPublicKey(fromPrivateKey: key) }
    }
}
