public import YAMLDocument

/// One problem or notice found by ``validate(_:context:)``, at a path in the document.
///
/// The message never contains a secret's value.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// How serious an issue is.
    public enum Severity: Sendable, Equatable {
        /// The config cannot be applied.
        case error
        /// Accepted, but worth telling the user (aliases, legacy keys, clamped values).
        case notice
    }

    /// Where: the offending key's value, or the entry or section when a key is missing.
    public var path: YAMLPath
    /// What is wrong and what would be accepted.
    public var message: String
    /// Whether the config can still be applied.
    public var severity: Severity

    /// An issue.
    public init(path: YAMLPath, message: String, severity: Severity = .error) {
        self.path = path
        self.message = message
        self.severity = severity
    }

    /// `path: message`, prefixed with `notice: ` for notices.
    public var description: String {
        severity == .notice ? "notice: \(path): \(message)" : "\(path): \(message)"
    }
}

extension Array where Element == ConfigIssue {
    /// Only the issues of severity ``ConfigIssue/Severity/error``.
    public var errors: [ConfigIssue] { filter { $0.severity == .error } }

    /// Only the issues of severity ``ConfigIssue/Severity/notice``.
    public var notices: [ConfigIssue] { filter { $0.severity == .notice } }
}
