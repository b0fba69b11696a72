/// Why a text is not a document this project accepts.
///
/// The message says what is wrong and what would be accepted; `mark` says where.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifier of the kind of problem, for callers and tests.
    public enum Code: String, Sendable {
        case syntax
        case alias
        case anchor
        case multipleDocuments
        case duplicateKey
        case complexKey
        case unsupportedTag
        case tooDeep
        case tooLarge
        case invalidEncoding
    }

    public var code: Code
    public var message: String
    public var mark: YAMLMark

    public init(_ code: Code, _ message: String, at mark: YAMLMark) {
        self.code = code
        self.message = message
        self.mark = mark
    }

    /// `LINE:COLUMN: message`.
    public var description: String { "\(mark): \(message)" }
}
