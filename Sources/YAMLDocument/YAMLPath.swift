/// A path from the root of a document to one node: mapping keys and sequence indices.
///
/// Printed the way users read config paths: `users[2].expiry`, `peers["a/b"].nested`.
public struct YAMLPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One step of a path.
    public enum Component: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// The steps from the root; empty for the root itself.
    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }
    public init(arrayLiteral elements: Component...) { self.components = elements }

    /// The root path.
    public static let root = YAMLPath()

    /// This path extended by one step.
    public func appending(_ component: Component) -> YAMLPath {
        YAMLPath(components + [component])
    }

    /// This path extended by a mapping key.
    public func appending(key: String) -> YAMLPath { appending(.key(key)) }

    /// This path extended by a sequence index.
    public func appending(index: Int) -> YAMLPath { appending(.index(index)) }

    /// The path without its last step; the root's parent is the root.
    public var parent: YAMLPath { YAMLPath(Array(components.dropLast())) }

    /// The last step, or `nil` for the root.
    public var last: Component? { components.last }

    public var isRoot: Bool { components.isEmpty }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !k.isEmpty {
                    out += out.isEmpty ? k : ".\(k)"
                } else {
                    out += "[\"" + k.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\"]"
                }
            }
        }
        return out.isEmpty ? "(root)" : out
    }
}
