/// Why bytes are not a DNS message this node will act on.
///
/// Compared and hashed by ``code`` only: the detail text says where and what, for a log line,
/// and may change without breaking anyone who matches on the kind.
public struct DNSMessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of fault; stable across releases.
    public enum Code: String, Hashable, Sendable {
        /// The message ends before a field it announces.
        case truncated
        /// A label length byte uses a reserved type (0x40 or 0x80), so the label would be 64 or more.
        case badLabel
        /// A name is longer than 255 octets on the wire.
        case nameTooLong
        /// A compression pointer points past the end, into the header, or forward (a possible loop).
        case badPointer
        /// A section count cannot be met by the bytes that remain.
        case countMismatch
        /// A record's data does not have the shape its type requires.
        case badRecordData
        /// A name given as text cannot be written as a DNS name.
        case badName
        /// The message is longer than DNS allows.
        case tooLong
    }

    /// The kind of fault.
    public let code: Code
    /// What was wrong and where, in words.
    public let detail: String

    /// An error of kind `code` with a `detail` for people.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: DNSMessageError, rhs: DNSMessageError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "DNS message \(code.rawValue): \(detail)" }
}
