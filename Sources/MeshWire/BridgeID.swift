/// The id that names a bridge in `#bridge=<id>` and `_relay_rebind_<id>:0` (§4.2, §4.3).
public struct BridgeID: Hashable, Sendable, CustomStringConvertible {
    /// 1...64 ASCII letters, digits, `_` or `-`; v1.3 makes `sb_<hex>_<decimal>`.
    public let text: String

    public init(_ text: String) throws(MeshWireError) {
        guard (1...MeshWireLimits.maximumBridgeIDLength).contains(text.utf8.count),
              text.utf8.allSatisfy(Self.isIDByte) else { throw .invalidBridgeID(text) }
        self.text = text
    }

    /// The v1.3 shape: `sb_` + lowercase hex of the low 16 bits of a timestamp + `_` + a counter.
    public init(timestampLow16 stamp: UInt16, counter: UInt64) {
        text = "sb_\(String(stamp, radix: 16))_\(counter)"
    }

    public var description: String { text }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
