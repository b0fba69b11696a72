package import CCrypto
package import Crypto
package import NIOCore

/// The two AEADs Shadowsocks uses, on OpenSSL's EVP interface (libcrypto): sealing and opening
/// write straight into the caller's `ByteBuffer`, and a session keeps one keyed context, so a
/// chunk costs no allocation and no key schedule.
package enum ShadowsocksAEAD: Sendable {
    case aesGCM
    case chaChaPoly

    /// A context keyed with `key`, for one direction of one session.
    package func context(key: SymmetricKey) throws(ShadowsocksError) -> ShadowsocksAEADContext {
        let cipher: OpaquePointer?
        switch (self, key.bitCount) {
        case (.aesGCM, 128): cipher = EVP_aes_128_gcm()
        case (.aesGCM, 256): cipher = EVP_aes_256_gcm()
        case (.chaChaPoly, 256): cipher = EVP_chacha20_poly1305()
        default: throw .badKey(reason: "no AEAD for a \(key.bitCount)-bit key")
        }
        guard let cipher, let context = key.withUnsafeBytes({ ShadowsocksAEADContext(cipher: cipher, key: $0) }) else {
            throw .sealFailed
        }
        return context
    }

    /// Appends `seal(plaintext)` (ciphertext then tag) to `output`, with a one-off context.
    package func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer, into output: inout ByteBuffer
    ) throws(ShadowsocksError) {
        try context(key: key).seal(plaintext, nonce: nonce, into: &output)
    }

    /// Opens `sealed` (ciphertext then 16-byte tag) into `output`, with a one-off context.
    package func open(
        _ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer, into output: inout ByteBuffer
    ) throws(ShadowsocksError) {
        try context(key: key).open(sealed, nonce: nonce, into: &output)
    }
}

/// A keyed EVP AEAD context. It serves one session direction, whose handler runs on one event
/// loop, so it is never used from two threads at once; that is why it may be `Sendable`.
package final class ShadowsocksAEADContext: @unchecked Sendable {
    private let context: OpaquePointer

    package init?(cipher: OpaquePointer, key: UnsafeRawBufferPointer) {
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        self.context = context
        guard EVP_CipherInit_ex(context, cipher, nil, nil, nil, -1) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(ShadowsocksWire.nonceLength), nil) == 1,
              EVP_CipherInit_ex(context, nil, nil, key.baseAddress?.assumingMemoryBound(to: UInt8.self), nil, -1) == 1
        else { return nil }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Appends the ciphertext of `plaintext` and its tag to `output`.
    package func seal(_ plaintext: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let tagLength = ShadowsocksWire.tagLength
        var sealed = false
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: plaintext.count + tagLength) { out -> Int in
            guard let base = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  EVP_CipherInit_ex(context, nil, nil, nil, nonce.baseAddress?.assumingMemoryBound(to: UInt8.self), 1) == 1
            else { return 0 }
            var length: Int32 = 0, final: Int32 = 0
            guard EVP_CipherUpdate(context, base, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                   Int32(plaintext.count)) == 1,
                  EVP_CipherFinal_ex(context, base + Int(length), &final) == 1,
                  EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), base + Int(length + final)) == 1
            else { return 0 }
            sealed = Int(length + final) == plaintext.count
            return sealed ? plaintext.count + tagLength : 0
        }
        guard sealed else { throw .sealFailed }
    }

    /// Checks the tag of `sealed` (ciphertext then tag) and appends the plaintext to `output`;
    /// on a failed check nothing is appended.
    package func open(_ sealed: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let tagLength = ShadowsocksWire.tagLength
        let count = sealed.count - tagLength
        guard count >= 0, let input = sealed.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .authenticationFailed }
        var authentic = false
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: max(count, 1)) { out -> Int in
            guard let base = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  EVP_CipherInit_ex(context, nil, nil, nil, nonce.baseAddress?.assumingMemoryBound(to: UInt8.self), 0) == 1,
                  EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), UnsafeMutableRawPointer(mutating: input + count)) == 1
            else { return 0 }
            var length: Int32 = 0, final: Int32 = 0
            // Unverified plaintext lands past the writer index and stays unreadable unless the
            // tag checks out.
            guard EVP_CipherUpdate(context, base, &length, input, Int32(count)) == 1,
                  EVP_CipherFinal_ex(context, base + Int(length), &final) == 1, Int(length + final) == count
            else { return 0 }
            authentic = true
            return count
        }
        guard authentic else { throw .authenticationFailed }
    }
}
