internal import CQRencode

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One symbol made by libqrencode: the only owner of its `QRcode*`, freed in `deinit`.
///
/// This file is the only place in the module that touches libqrencode or raw pointers.
final class EncodedSymbol {
    /// Never nil after a successful `init`; freed with `QRcode_free` in `deinit`.
    private let handle: UnsafeMutablePointer<CQRencode.QRcode>

    /// Encodes `text` at error-correction level M, the smallest version that fits, case-sensitive.
    ///
    /// `QR_MODE_8` as the hint makes every non-alphanumeric character 8-bit data, which is what a
    /// UTF-8 config needs; libqrencode still picks numeric or alphanumeric segments where shorter.
    /// - Precondition: `text` has no NUL, since the C function would stop there; the caller checks.
    init(text: String) throws(QRCodeError) {
        let symbol = text.withCString { QRcode_encodeString($0, 0, QR_ECLEVEL_M, QR_MODE_8, 1) }
        guard let symbol else {
            // QRcode_encodeString sets errno: EINVAL (bad input), ENOMEM, or ERANGE (too long).
            let code = errno
            let reason: String
            switch code {
            case ERANGE: reason = "the text does not fit in a version-40 symbol at level M"
            case ENOMEM: reason = "out of memory"
            case EINVAL: reason = "invalid input"
            default: reason = "errno \(code)"
            }
            throw QRCodeError(.encoderFailed, "QRcode_encodeString: \(reason)")
        }
        handle = symbol
    }

    deinit {
        QRcode_free(handle)
    }

    /// Copies the modules out of the C symbol: bit 0 of each byte is "dark" (qrencode.h, `QRcode`).
    func matrix() throws(QRCodeError) -> QRMatrix {
        let version = Int(handle.pointee.version)
        let size = Int(handle.pointee.width)
        // ISO/IEC 18004 §5.3.1: version v has 17 + 4v modules per side, v in 1...40.
        guard (1...40).contains(version), size == 17 + 4 * version, let data = handle.pointee.data else {
            throw QRCodeError(.encoderFailed, "QRcode_encodeString: returned version \(version), width \(size)")
        }
        let bytes = UnsafeBufferPointer(start: data, count: size * size)
        return QRMatrix(size: size, version: version, modules: bytes.map { $0 & 1 == 1 })
    }
}
