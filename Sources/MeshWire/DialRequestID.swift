/// The id of a control-stream dial request (§3.2): the decimal text of S's counter, echoed back
/// verbatim in `_relay_data_<id>:0` (§3.3). Kept as text so the echo is exact.
public struct DialRequestID: Hashable, Sendable, CustomStringConvertible {
    /// 1...20 ASCII digits.
    public let text: String

    /// Accepts 1...20 ASCII digits, the only form v1.3 sends.
    public init(_ text: String) throws(MeshWireError) {
        guard (1...MeshWireLimits.maximumRequestIDLength).contains(text.utf8.count),
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { throw .invalidRequestID(text) }
        self.text = text
    }

    /// The id for counter value `value`.
    public init(_ value: UInt64) { text = String(value) }

    public var description: String { text }
}
