/// QR codes for client configs: the symbol as a matrix, or drawn as a PNG image.
///
/// Symbols use error-correction level M and the smallest version that fits. Encoding is
/// synchronous and CPU-bound (well under a millisecond for a 2 KiB config); callers on an event
/// loop should still run it off-loop.
public enum QRCode {
    /// The longest text accepted, in UTF-8 bytes: the byte-mode capacity of a version-40 symbol at
    /// level M (ISO/IEC 18004:2015 Table 7). A WireGuard client config is under 2 KiB.
    public static let maxTextLength = 2331

    /// Accepted pixels per module.
    public static let scaleRange = 1...32

    /// Accepted quiet-zone widths, in modules. ISO/IEC 18004 §6.3.8 asks for at least 4.
    public static let borderRange = 0...40

    /// The widest image produced, in pixels. The defaults give at most (177 + 2 × 4) × 8 = 1480;
    /// this bound keeps the uncompressed 1-bit image at most 2 MiB.
    public static let maxImageSide = 4096

    /// Encodes `text` into a QR code symbol.
    ///
    /// - Throws: ``QRCodeError`` with code `emptyText`, `textContainsNUL`, `textTooLong` (over
    ///   ``maxTextLength`` UTF-8 bytes) or `encoderFailed`.
    public static func matrix(for text: String) throws(QRCodeError) -> QRMatrix {
        let length = text.utf8.count
        guard length > 0 else {
            throw QRCodeError(.emptyText, "QR code text is empty; give at least one character")
        }
        guard length <= maxTextLength else {
            throw QRCodeError(
                .textTooLong,
                "QR code text is \(length) bytes; a QR code at error-correction level M holds at most \(maxTextLength)"
            )
        }
        guard !text.utf8.contains(0) else {
            throw QRCodeError(.textContainsNUL, "QR code text contains a NUL character, which cannot be encoded")
        }
        return try EncodedSymbol(text: text).matrix()
    }

    /// Encodes `text` into a QR code and draws it as a black-on-white PNG (1-bit grayscale).
    ///
    /// The image is `(size + 2 × border) × scale` pixels square, where `size` is the symbol's
    /// ``QRMatrix/size``.
    /// - Parameters:
    ///   - text: The text to encode, at most ``maxTextLength`` UTF-8 bytes.
    ///   - scale: Pixels per module, in ``scaleRange``.
    ///   - border: Light modules around the symbol, in ``borderRange``; scanners want 4.
    /// - Returns: The bytes of a complete PNG file.
    /// - Throws: ``QRCodeError``: the codes of ``matrix(for:)``, and `invalidScale`,
    ///   `invalidBorder` or `imageTooLarge` (wider than ``maxImageSide``).
    public static func png(for text: String, scale: Int = 8, border: Int = 4) throws(QRCodeError) -> [UInt8] {
        guard scaleRange.contains(scale) else {
            throw QRCodeError(.invalidScale, "QR code scale \(scale) is out of range; use \(scaleRange.lowerBound) to \(scaleRange.upperBound) pixels per module")
        }
        guard borderRange.contains(border) else {
            throw QRCodeError(.invalidBorder, "QR code border \(border) is out of range; use \(borderRange.lowerBound) to \(borderRange.upperBound) modules")
        }
        let matrix = try matrix(for: text)
        let side = (matrix.size + 2 * border) * scale
        guard side <= maxImageSide else {
            throw QRCodeError(
                .imageTooLarge,
                "QR code image would be \(side) pixels wide; the limit is \(maxImageSide), so lower the scale or border"
            )
        }
        return BilevelPNG.encode(width: side, height: side) { x, y in
            matrix.isDark(x: x / scale - border, y: y / scale - border)
        }
    }
}
