import Crypto
import Foundation

/// Cryptographically random values for a node's first start.
///
/// Randomness comes from `SystemRandomNumberGenerator`, which reads the kernel's CSPRNG
/// (`getrandom(2)` on Linux).
public enum SecretGenerator {
    /// `count` random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `byteCount` random bytes as `2 * byteCount` lowercase hex characters.
    public static func hexID(byteCount: Int) -> String {
        hex(randomBytes(byteCount))
    }

    /// A hy2 server password: 12 random bytes as 24 lowercase hex characters (spec §1.5).
    public static func nodePassword() -> String {
        hexID(byteCount: 12)
    }

    /// A new WireGuard private key: a Curve25519 key's 32 raw bytes, standard base64 (44 characters).
    public static func wireGuardPrivateKey() -> String {
        Curve25519.KeyAgreement.PrivateKey().rawRepresentation.base64EncodedString()
    }

    /// The base64 WireGuard public key of a base64 private key, as `wg pubkey` prints it.
    ///
    /// - Throws: ``WireGuardKeyError`` if `privateKey` is not base64 of exactly 32 bytes.
    public static func wireGuardPublicKey(fromPrivateKey privateKey: String) throws(WireGuardKeyError) -> String {
        guard let raw = Data(base64Encoded: privateKey), raw.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
        else { throw WireGuardKeyError() }
        return key.publicKey.rawRepresentation.base64EncodedString()
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A WireGuard key that is not base64 of 32 bytes. Its text never repeats the key.
public struct WireGuardKeyError: Error, CustomStringConvertible, Sendable {
    /// Says what a key must look like, without quoting it.
    public var description: String { "WireGuard private key is not valid; use 44 characters of base64 encoding 32 bytes (as `wg genkey` prints)" }
}
