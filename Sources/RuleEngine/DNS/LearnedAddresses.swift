public import Addressing

/// Addresses a domain rule's query resolved to, for the engine to capture until ``ttl`` ends.
public struct LearnedAddresses: Hashable, Sendable {
    /// A TTL below this is raised to it. A client connects after it reads the answer, sometimes
    /// much later (browsers and language runtimes keep answers for a minute or more whatever
    /// the TTL says), and a set entry that lapsed first would let that connection leave
    /// uncaptured. Sixty seconds covers the common client floors.
    public static let minimumTTL = 60
    /// A TTL above this is lowered to it: a week, the longest resolvers commonly cache, so an
    /// address a site gave up long ago does not stay captured for years.
    public static let maximumTTL = 604_800

    /// The rule whose names matched the query.
    public var ruleID: String
    /// The name asked for: lower case, no trailing dot.
    public var name: String
    /// Every A and AAAA address on the answer's alias chain for ``name``; never empty.
    public var addresses: [IPAddress]
    /// Seconds to keep capturing them: the least TTL among them, within
    /// ``minimumTTL`` ... ``maximumTTL``.
    public var ttl: Int

    /// Addresses with `answerTTL` (the least TTL in the answer) clamped as described on ``ttl``.
    public init(ruleID: String, name: String, addresses: [IPAddress], answerTTL: Int) {
        self.ruleID = ruleID
        self.name = name
        self.addresses = addresses
        self.ttl = min(max(answerTTL, Self.minimumTTL), Self.maximumTTL)
    }
}
