public import YAMLDocument

/// One problem or notice about a config file, located the way compilers do:
/// `config.yaml:14:11: users[2].expiry: "2025-13-01" is not a date; use RFC 3339 or YYYY-MM-DD`.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// Where in the file.
    public var mark: YAMLMark
    /// The config path, when the problem is about a value (not for syntax errors).
    public var path: YAMLPath?
    /// What is wrong and what would be accepted.
    public var message: String
    /// Errors stop the file from being applied; notices do not.
    public var severity: ConfigIssue.Severity

    public init(file: String, mark: YAMLMark, path: YAMLPath?, message: String,
                severity: ConfigIssue.Severity = .error) {
        self.file = file
        self.mark = mark
        self.path = path
        self.message = message
        self.severity = severity
    }

    /// `FILE:LINE:COLUMN: [notice: ]path: message`.
    public var description: String {
        let kind = severity == .notice ? "notice: " : ""
        let place = path.map { "\($0): " } ?? ""
        return "\(file):\(mark.line):\(mark.column): \(kind)\(place)\(message)"
    }
}
