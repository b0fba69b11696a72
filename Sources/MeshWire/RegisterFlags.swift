/// The flags byte that opens `_relay_register_:0` (§3.1). Bits other than the two below are
/// ignored by v1.3 and kept as they arrived, so decoding never fails on them.
public struct RegisterFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit 0: the registering node is an exit (informational only, §2.2).
    public static let exitNode = RegisterFlags(rawValue: 0x01)
    /// Bit 1: the registering node exchanges `meta16` metadata after the names.
    public static let metadata = RegisterFlags(rawValue: 0x02)
}
