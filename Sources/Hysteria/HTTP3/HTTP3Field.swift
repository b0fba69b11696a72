/// One field line of an HTTP/3 message: a header or pseudo-header (RFC 9114 §4.2).
///
/// Names and values are kept as received (bytes that are not UTF-8 are replaced with U+FFFD);
/// ``HTTP3Request`` and ``HTTP3Response`` check the rules for names and values.
public struct HTTP3Field: Equatable, Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Whether this is a pseudo-header (name starting with `:`), which must precede all others (RFC 9114 §4.3).
    public var isPseudo: Bool { name.utf8.first == UInt8(ascii: ":") }
}
