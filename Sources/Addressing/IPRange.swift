/// An inclusive address range `a.b.c.d-e.f.g.h` (rule targets).
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    /// The first address.
    public let lowerBound: IPAddress
    /// The last address; same family as ``lowerBound`` and not below it.
    public let upperBound: IPAddress

    /// Parses `start-end`; `nil` unless both sides are addresses of one family and the start is
    /// not after the end. ``check(_:)`` says why a text is rejected.
    public init?(_ text: some StringProtocol) {
        guard case .success(let range) = Self.check(text) else { return nil }
        self = range
    }

    private init(lowerBound: IPAddress, upperBound: IPAddress) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Parses `start-end`, explaining a failure in words for a config message.
    public static func check(_ text: some StringProtocol) -> Result<IPRange, ParseFailure> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(ParseFailure("is not a range; use START-END")) }
        let a = parts[0].trimmingASCIISpaces, b = parts[1].trimmingASCIISpaces
        guard let low = IPAddress(a), let high = IPAddress(b) else {
            return .failure(ParseFailure("is not a range; use two addresses START-END"))
        }
        guard low.isIPv4 == high.isIPv4 else {
            return .failure(ParseFailure("mixes IPv4 and IPv6; both ends must be the same family"))
        }
        guard low <= high else {
            return .failure(ParseFailure("starts after it ends; put the lower address first"))
        }
        return .success(IPRange(lowerBound: low, upperBound: high))
    }

    /// `start-end`.
    public var description: String { "\(lowerBound)-\(upperBound)" }
}
