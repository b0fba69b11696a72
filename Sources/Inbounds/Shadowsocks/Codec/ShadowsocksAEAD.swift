import Crypto
import Foundation
import NIOCore

/// The two AEADs Shadowsocks uses, over raw bytes. swift-crypto's public API works in `Data`,
/// so each call costs one sealed box and one result; we add no copies beyond writing the
/// result into the caller's `ByteBuffer`.
enum ShadowsocksAEAD: Sendable {
    case aesGCM
    case chaChaPoly

    /// Appends `seal(plaintext)` (ciphertext then tag) to `output`.
    func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer, into output: inout ByteBuffer
    ) throws(ShadowsocksError) {
        do {
            switch self {
            case .aesGCM:
                let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce))
                output.writeBytes(box.ciphertext)
                output.writeBytes(box.tag)
            case .chaChaPoly:
                let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(data: nonce))
                output.writeBytes(box.ciphertext)
                output.writeBytes(box.tag)
            }
        } catch {
            throw .sealFailed
        }
    }

    /// Opens `sealed` (ciphertext then 16-byte tag); any failure is `authenticationFailed`.
    func open(_ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer) throws(ShadowsocksError) -> Data {
        let split = sealed.count - ShadowsocksWire.tagLength
        guard split >= 0 else { throw .authenticationFailed }
        let ciphertext = UnsafeRawBufferPointer(rebasing: sealed[..<split])
        let tag = UnsafeRawBufferPointer(rebasing: sealed[split...])
        do {
            switch self {
            case .aesGCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return try AES.GCM.open(box, using: key)
            case .chaChaPoly:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return try ChaChaPoly.open(box, using: key)
            }
        } catch {
            throw .authenticationFailed
        }
    }
}
