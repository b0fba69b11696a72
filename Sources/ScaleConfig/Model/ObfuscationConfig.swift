/// `server.obfs`: packet obfuscation under QUIC, as Hysteria 2 defines it
/// (`obfs: {type: salamander, password: …}`).
public struct ObfuscationConfig: Codable, Sendable, Equatable {
    /// The only type there is: `salamander`.
    public static let salamander = "salamander"

    /// The obfuscation; only `salamander` is known.
    public var type: String
    /// The shared key, at least 4 characters. Secret.
    public var password: String

    public init(type: String = ObfuscationConfig.salamander, password: String) {
        self.type = type
        self.password = password
    }

    enum CodingKeys: String, CodingKey { case type, password }

    /// Decodes `obfs`; an absent type means Salamander.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.value(.type, or: Self.salamander)
        password = try c.value(.password, or: "")
    }
}
