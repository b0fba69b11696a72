public import Addressing

/// A chain of peer names a flow leaves through (reference-api §7): `tokyo`, `hk/tokyo`.
///
/// The empty string is the direct path (egress from this node). A leading segment naming this
/// node is dropped, as v1.3 does.
public struct ExitPath: Hashable, Sendable, CustomStringConvertible {
    /// The hops after this node, first to last; empty for the direct path.
    public let hops: [String]

    /// A path through the given hops.
    public init(hops: [String]) { self.hops = hops }

    /// Whether this is the direct path.
    public var isDirect: Bool { hops.isEmpty }

    /// The exit node, or `nil` for the direct path.
    public var lastHop: String? { hops.last }

    /// The accepted form for messages.
    public static let acceptedForm = "use peer names joined by /, as in hk/tokyo"

    /// Parses a path, checking syntax only (the peers need not exist).
    ///
    /// - Parameter selfNames: this node's name and id; allowed only as the first segment.
    /// - Returns: the path, or a failure phrase: empty hop, whitespace, a repeated hop, or this
    ///   node in the middle.
    public static func parse(_ text: String, selfNames: Set<String> = []) -> Result<ExitPath, ParseFailure> {
        if text.isEmpty { return .success(ExitPath(hops: [])) }
        guard !text.containsWhitespaceOrControl else {
            return .failure(ParseFailure("contains whitespace; \(acceptedForm)"))
        }
        var segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !segments.contains(where: \.isEmpty) else {
            return .failure(ParseFailure("has an empty hop; \(acceptedForm)"))
        }
        if let first = segments.first, selfNames.contains(first) { segments.removeFirst() }
        var seen: Set<String> = []
        for segment in segments {
            if selfNames.contains(segment) {
                return .failure(ParseFailure("loops back through this node (\"\(segment)\"); name it only as the first hop, or not at all"))
            }
            guard seen.insert(segment).inserted else {
                return .failure(ParseFailure("visits \"\(segment)\" twice; a path may not loop"))
            }
        }
        return .success(ExitPath(hops: segments))
    }

    /// The hops joined by `/`; empty for the direct path.
    public var description: String { hops.joined(separator: "/") }
}
