/// Per-peer flags (`peers` map values), keyed by a bare peer name or a qualified path `a/b/c`.
public struct PeerFlags: Codable, Sendable, Hashable {
    /// Nested discovery and transit authorisation through this peer or path.
    public var isNested: Bool
    /// The peer or path may not be used as an exit hop.
    public var isDisabled: Bool

    /// Flags; both off by default.
    public init(isNested: Bool = false, isDisabled: Bool = false) {
        self.isNested = isNested
        self.isDisabled = isDisabled
    }

    enum CodingKeys: String, CodingKey {
        case isNested = "nested"
        case isDisabled = "disabled"
    }

    /// Decodes a `peers` value; absent keys are false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isNested = try c.value(.isNested, or: false)
        isDisabled = try c.value(.isDisabled, or: false)
    }
}
