import Crypto
public import Foundation
public import YAMLDocument

/// A config file read, parsed, decoded and validated: what the reconciler applies and the API
/// edits.
public struct ConfigFile: Sendable {
    /// The file's path as given.
    public let path: String
    /// The parsed text, for the editor and for positions.
    public let document: YAMLDocument
    /// The typed configuration.
    public let config: Config
    /// Hex SHA-256 of the file's bytes: the revision the API's ETag carries.
    public let revision: String
    /// Notices (aliases, legacy keys, clamped values); never errors.
    public let notices: [ConfigDiagnostic]

    /// The revision of some bytes, as ``revision`` computes it.
    public static func revision(of bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Reads and checks the file at `path`.
    /// - Throws: ``ConfigFileError`` with every problem found, sorted by position.
    public static func load(path: String, context: ValidationContext) throws(ConfigFileError) -> ConfigFile {
        try parse(try read(path: path).get(), path: path, context: context)
    }

    /// The bytes of the file at `path`, or why they cannot be read (as a diagnostic).
    static func read(path: String) -> Result<Data, ConfigFileError> {
        do {
            return .success(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            return .failure(ConfigFileError(revision: nil, diagnostics: [
                ConfigDiagnostic(file: path, mark: YAMLMark(offset: 0, line: 1, column: 1), path: nil,
                                 message: "cannot read the file: \(reason)"),
            ]))
        }
    }

    /// Checks the bytes of a config file named `path` (used for messages only).
    /// - Parameter parsed: `bytes` already parsed (by an edit), so they are not parsed again; its
    ///   text must be `bytes`.
    /// - Throws: ``ConfigFileError`` with every problem found, sorted by position.
    public static func parse(_ bytes: Data, path: String, context: ValidationContext,
                             document parsed: YAMLDocument? = nil) throws(ConfigFileError) -> ConfigFile {
        var memo: YAMLDecodeMemo?
        return try parse(bytes, path: path, context: context, document: parsed, reusing: &memo)
    }

    /// ``parse(_:path:context:document:)``, taking unchanged entries from `memo` (when there is
    /// one) and leaving this text's entries in it.
    static func parse(_ bytes: Data, path: String, context: ValidationContext, document parsed: YAMLDocument?,
                      reusing memo: inout YAMLDecodeMemo?) throws(ConfigFileError) -> ConfigFile {
        let revision = Self.revision(of: bytes)
        func failure(_ mark: YAMLMark, _ path_: YAMLPath?, _ message: String) -> ConfigFileError {
            ConfigFileError(revision: revision,
                            diagnostics: [ConfigDiagnostic(file: path, mark: mark, path: path_, message: message)])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure(YAMLMark(offset: 0, line: 1, column: 1), nil, "the file is not UTF-8 text; save it as UTF-8")
        }
        let document: YAMLDocument
        if let parsed {
            document = parsed
        } else {
            do {
                document = try YAMLDocument(parsing: text)
            } catch {
                throw failure(error.mark, nil, error.message)
            }
        }
        // An empty file is what a reader sees between an in-place writer's truncate and its
        // write, or after a crash mid-save; applied, it would be "no users, no listeners" and end
        // every flow. A node that should run on defaults says so with `{}`.
        guard document.root != nil else {
            throw failure(YAMLMark(offset: 0, line: 1, column: 1), nil,
                          "the file is empty (or only comments), which is never applied: a file being rewritten reads empty; write the sections to run with, or `{}` for all defaults")
        }
        if let root = document.root, case .mapping = root.content {} else {
            throw failure(document.root?.start ?? YAMLMark(offset: 0, line: 1, column: 1), nil,
                          "the file must be a mapping of sections (`name: ...`, `server: ...`)")
        }
        // Decode leniently, then validate what decoded, so one pass reports every problem.
        let decoded: Config?, decodingIssues: [YAMLDecodingIssue]
        if var reusable = memo {
            (decoded, decodingIssues) = YAMLDecoder().decodeCollectingIssues(Config.self, from: document, reusing: &reusable)
            memo = reusable
        } else {
            (decoded, decodingIssues) = YAMLDecoder().decodeCollectingIssues(Config.self, from: document)
        }
        var diagnostics = decodingIssues.map {
            ConfigDiagnostic(file: path, mark: $0.mark, path: $0.path, message: $0.message)
        }
        let reported = Set(decodingIssues.map(\.path))
        if let decoded {
            diagnostics += validate(decoded, context: context)
                .filter { issue in !reported.contains { issue.path.components.starts(with: $0.components) } }
                .map {
                    ConfigDiagnostic(file: path, mark: document.mark(for: $0.path), path: $0.path, message: $0.message,
                                     severity: $0.severity)
                }
        }
        diagnostics.sort { $0.mark < $1.mark }
        guard let config = decoded, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw ConfigFileError(revision: revision, diagnostics: diagnostics)
        }
        return ConfigFile(path: path, document: document, config: config, revision: revision, notices: diagnostics)
    }
}

/// Why a config file cannot be applied: every problem in it, in file order.
public struct ConfigFileError: Error, Sendable, CustomStringConvertible {
    /// Revision of the refused bytes, when they could be read.
    public var revision: String?
    /// Errors, and any notices found alongside them.
    public var diagnostics: [ConfigDiagnostic]

    /// Only the diagnostics that stop the file from being applied.
    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
