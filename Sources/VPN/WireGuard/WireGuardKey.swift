import Crypto
import Foundation

/// A WireGuard key (private or public): 32 bytes, written as base64 in files and as hex on the
/// userspace API.
public struct WireGuardKey: Hashable, Sendable, Comparable {
    public let bytes: [UInt8]

    /// `nil` unless `bytes` has exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// From standard base64, as `wg genkey` prints it.
    public init?(base64 text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        self.init(bytes: Array(data))
    }

    /// From 64 hex digits, as the userspace API writes it.
    init?(hex text: some StringProtocol) {
        guard text.utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for character in text.utf8 {
            guard let nibble = Self.nibble(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.init(bytes: bytes)
    }

    public var base64: String { Data(bytes).base64EncodedString() }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// The private key as Curve25519 uses it (RFC 7748 §5): what a device reports back.
    public var clamped: WireGuardKey {
        var bytes = bytes
        bytes[0] &= 248
        bytes[31] = (bytes[31] & 127) | 64
        return WireGuardKey(unchecked: bytes)
    }

    /// The public key of this private key (X25519 with the base point); `nil` only if the
    /// bytes are rejected, which 32 bytes never are.
    public var publicKey: WireGuardKey? {
        (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)).flatMap {
            WireGuardKey(bytes: Array($0.publicKey.rawRepresentation))
        }
    }

    /// For 32 bytes this file and its neighbours already know to be 32.
    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    public static func < (a: WireGuardKey, b: WireGuardKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
