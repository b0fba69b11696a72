package import Crypto

/// OpenSSL's `EVP_BytesToKey` with MD5, one iteration and no salt, which classic Shadowsocks
/// uses to turn a password into a master key: D₁ = MD5(password), Dᵢ = MD5(Dᵢ₋₁ + password),
/// concatenated and cut to the key length.
package enum EVPBytesToKey {
    package static func key(password: some Collection<UInt8>, length: Int) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(length + Insecure.MD5.byteCount)
        var previous: [UInt8] = []
        while key.count < length {
            var md5 = Insecure.MD5()
            md5.update(data: previous)
            md5.update(data: Array(password))
            previous = Array(md5.finalize())
            key += previous
        }
        return Array(key.prefix(length))
    }
}
