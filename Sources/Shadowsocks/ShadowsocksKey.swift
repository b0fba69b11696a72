package import Crypto
package import Hashing
import Foundation

/// One user's key for one method, computed once from the password: the classic master key
/// (`EVP_BytesToKey`) or the SIP022 pre-shared key (base64). Per connection only the session
/// subkey is derived from it.
public struct ShadowsocksKey: Sendable {
    public let method: ShadowsocksCipher
    /// Master key (classic) or PSK (2022).
    package let material: SymmetricKey
    package let aead: ShadowsocksAEAD

    /// Key and salt length in bytes.
    public var keyLength: Int { method.keyLength }

    /// Whether the method is Shadowsocks 2022.
    public var is2022: Bool { method.is2022 }

    /// A key from a configured password: any text for classic methods; for 2022 methods the
    /// base64 of exactly `keyLength` random bytes (`openssl rand -base64 32`).
    public init(method: ShadowsocksCipher, password: String) throws(ShadowsocksError) {
        guard method.aead != nil else { throw .unsupportedMethod(method) }
        if method.is2022 {
            guard let psk = Data(base64Encoded: password) else {
                throw .badKey(reason: "a \(method.rawValue) password must be base64 (try: openssl rand -base64 \(method.keyLength))")
            }
            guard psk.count == method.keyLength else {
                throw .badKey(reason: "a \(method.rawValue) key is \(method.keyLength) bytes, this one is \(psk.count) (try: openssl rand -base64 \(method.keyLength))")
            }
            try self.init(method: method, key: Array(psk))
        } else {
            try self.init(method: method, key: EVPBytesToKey.key(password: password.utf8, length: method.keyLength))
        }
    }

    /// A key from its raw bytes (the master key or PSK itself).
    public init(method: ShadowsocksCipher, key: [UInt8]) throws(ShadowsocksError) {
        guard let aead = method.aead else { throw .unsupportedMethod(method) }
        guard key.count == method.keyLength else {
            throw .badKey(reason: "a \(method.rawValue) key is \(method.keyLength) bytes, not \(key.count)")
        }
        self.method = method
        self.aead = aead
        material = SymmetricKey(data: key)
    }

    /// The session subkey for `salt` (for SIP022 UDP, the session id): HKDF-SHA1 with info
    /// "ss-subkey" for classic methods, BLAKE3 derive_key over key + salt for 2022.
    package func sessionKey(salt: UnsafeRawBufferPointer) -> SymmetricKey {
        if method.is2022 {
            let length = keyLength
            return material.withUnsafeBytes { psk in
                withUnsafeTemporaryAllocation(byteCount: psk.count + salt.count + length, alignment: 8) { scratch in
                    let keyMaterial = UnsafeMutableRawBufferPointer(rebasing: scratch[..<(psk.count + salt.count)])
                    keyMaterial.copyMemory(from: psk)
                    UnsafeMutableRawBufferPointer(rebasing: keyMaterial[psk.count...]).copyMemory(from: salt)
                    let subkey = UnsafeMutableRawBufferPointer(rebasing: scratch[(psk.count + salt.count)...])
                    ShadowsocksWire.subkeyDerivation.deriveKey(material: UnsafeRawBufferPointer(keyMaterial), into: subkey)
                    defer { scratch.initializeMemory(as: UInt8.self, repeating: 0) }
                    return SymmetricKey(data: UnsafeRawBufferPointer(subkey))
                }
            }
        }
        return HKDF<Insecure.SHA1>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: ShadowsocksWire.classicSubkeyInfo, outputByteCount: keyLength
        )
    }
}
