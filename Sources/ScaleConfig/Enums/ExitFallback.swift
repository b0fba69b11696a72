/// What a flow does when its exit path cannot be reached (`fallback` of users and rules).
///
/// DECISIONS #14: fail closed unless a user or rule opts in to `fallback: direct`.
public enum ExitFallback: String, ConfigEnum {
    /// The flow fails (the default when the key is absent or empty).
    case none
    /// The flow leaves directly from this node.
    case direct

    /// An empty value means ``none``.
    public static var aliases: [String: ExitFallback] { ["": .none] }
}
