/// Why a QR code could not be produced.
///
/// The message says what is wrong and what would be accepted. Errors compare by ``code`` only, so
/// tests and callers can match the kind of failure without depending on the wording.
public struct QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifier of the kind of problem.
    public enum Code: String, Sendable {
        /// The text to encode was empty.
        case emptyText
        /// The text is longer than a QR code at error-correction level M can hold.
        case textTooLong
        /// The text contains a NUL character, which the C encoder would silently cut at.
        case textContainsNUL
        /// `scale` is outside ``QRCode/scaleRange``.
        case invalidScale
        /// `border` is outside ``QRCode/borderRange``.
        case invalidBorder
        /// The image would be wider than ``QRCode/maxImageSide`` pixels.
        case imageTooLarge
        /// libqrencode refused the text or ran out of memory.
        case encoderFailed
    }

    /// The kind of problem.
    public var code: Code
    /// A one-line diagnostic for people.
    public var message: String

    /// Makes an error of kind `code` with the diagnostic `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The diagnostic text.
    public var description: String { message }

    /// Two errors are equal when their codes are; the message is for people only.
    public static func == (lhs: QRCodeError, rhs: QRCodeError) -> Bool { lhs.code == rhs.code }
}
