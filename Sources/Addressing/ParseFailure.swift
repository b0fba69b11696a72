/// Why a config value did not parse, as a phrase that follows the quoted value in a message:
/// `"0.0.0.0:99999" is not a listen address; use HOST:PORT with a port from 1 to 65535`.
///
/// Holds no value from the input other than what the caller already shows.
public struct ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The phrase, starting with a verb (`is not…`, `has…`).
    public let reason: String

    /// A failure with a reason phrase.
    public init(_ reason: String) { self.reason = reason }

    /// The reason phrase.
    public var description: String { reason }
}
