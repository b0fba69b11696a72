import MeshWire

/// One exit path (`us/us-east`) checked against the local policy (§2.5, reference-api §7):
/// the hops from a direct peer to the exit, with this node's own name stripped from the front.
struct ExitPath: Equatable, CustomStringConvertible {
    /// As written in the file.
    let text: String
    /// Empty: the path names only this node, so the flow leaves here.
    let hops: [String]

    /// - Throws: ``MeshRouteError`` `disabled`, `loops` or `notAuthorised`, in that order of
    ///   checks, as v1.3 words them.
    init(_ text: String, settings: MeshSettings) throws {
        var hops = text.split(separator: "/").map(String.init)
        if let first = hops.first, settings.isSelf(first) { hops.removeFirst() }
        self.text = text
        self.hops = hops
        let prefixes = Self.prefixes(of: hops)
        for (hop, prefix) in zip(hops, prefixes)
        where settings.isDisabled(prefix) || settings.isDisabled(hop) || settings.isClientDisabled(hop) {
            throw MeshRouteError.disabled(text)
        }
        var seen: Set<String> = []
        for hop in hops {
            if settings.isSelf(hop) || !seen.insert(hop).inserted { throw MeshRouteError.loops(text, through: hop) }
        }
        for prefix in prefixes.dropLast() where !settings.isNested(prefix) {
            throw MeshRouteError.notAuthorised(text, prefix: prefix)
        }
        guard hops.dropFirst().allSatisfy(ViaRoute.isWritableHop) else { throw MeshRouteError.invalidPath(text) }
    }

    var description: String { text }

    /// `a`, `a/b`, `a/b/c` for hops a, b, c: the qualified paths the `peers` flags are keyed by.
    static func prefixes(of hops: [String]) -> [String] {
        hops.indices.map { hops[...$0].joined(separator: "/") }
    }
}
