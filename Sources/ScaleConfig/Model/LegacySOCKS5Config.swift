/// The legacy top-level `socks5` section of hy2scale v1.3; read and ignored.
public struct LegacySOCKS5Config: Codable, Sendable, Equatable {
    /// The old listen address.
    public var listen: String
    /// The old exit path.
    public var exitVia: String

    /// A legacy section.
    public init(listen: String = "", exitVia: String = "") {
        self.listen = listen
        self.exitVia = exitVia
    }

    enum CodingKeys: String, CodingKey {
        case listen
        case exitVia = "exit_via"
    }

    /// Decodes a `socks5` section; absent keys are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, or: "")
        exitVia = try c.value(.exitVia, or: "")
    }
}
