/// This build's version, as `hy2scale version` and peers see it.
enum NodeVersion {
    /// The release, semantic versioning.
    static let release = "0.1.0"
    /// The relay protocol generation spoken with peers (reference-relay-protocol.md).
    static let relayProtocol = 3

    static var description: String { "hy2scale \(release) (relay protocol \(relayProtocol))" }
}
