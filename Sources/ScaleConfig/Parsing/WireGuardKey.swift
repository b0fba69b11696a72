/// WireGuard keys: standard padded base64 of exactly 32 bytes.
public enum WireGuardKey {
    /// The accepted form for messages.
    public static let acceptedForm = "use standard base64 of 32 bytes (44 characters ending in =), as `wg genkey` prints"

    /// The 32 key bytes, or `nil` when `text` is not padded standard base64 of 32 bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        guard let bytes = Base64.decode(text), bytes.count == 32 else { return nil }
        return bytes
    }
}
