public import Foundation
import Synchronization
public import YAMLDocument

/// The last config texts checked, shared by the API's writer and the reconciler's reader: a text
/// is parsed, decoded and validated once, however many of them look at it. Two are kept: a
/// reconcile may still load the file as it was while an edit checks what it will write.
///
/// Entries of the last text decoded (users, rules) are reused when the next text has them
/// unchanged, and those found clean are not checked again, so an edit of one entry decodes and
/// checks that entry alone.
///
/// A hit needs the same bytes, path and context (TLS store ids, node id), and every file the
/// validation asked about must still exist or be missing as it was then: a certificate file that
/// disappears is noticed on the next load, as without the cache.
public final class ConfigFileCache: Sendable {
    private struct Entry: Sendable {
        let bytes: Data
        let path: String
        let tlsCertificateIDs: Set<String>
        let nodeID: String?
        /// The answers `fileExists` gave while validating.
        let files: [String: Bool]
        let result: Result<ConfigFile, ConfigFileError>
    }

    /// The texts checked last, newest first.
    private let last = Mutex<[Entry]>([])
    private static let kept = 2
    /// The entries of the last text decoded, for the next one.
    private let memo = Mutex(YAMLDecodeMemo())
    /// The users and rules the last validation found clean.
    private let validation = ValidationMemo()

    public init() {}

    /// ``ConfigFile/parse(_:path:context:)`` of `bytes`, or its answer from the last call for the
    /// same input.
    /// - Parameter document: `bytes` already parsed (an edit's result), so they are not parsed again;
    ///   its text must be `bytes`.
    public func check(_ bytes: Data, path: String, context: ValidationContext,
                      document: YAMLDocument? = nil) -> Result<ConfigFile, ConfigFileError> {
        let earlier = last.withLock { $0 }.first { entry in
            entry.path == path && entry.tlsCertificateIDs == context.tlsCertificateIDs && entry.nodeID == context.nodeID
                && entry.bytes == bytes && entry.files.allSatisfy { context.fileExists($0.key) == $0.value }
        }
        if let earlier { return earlier.result }
        let asked = Mutex<[String: Bool]>([:])
        var recording = context
        recording.memo = validation
        recording.fileExists = { file in
            let exists = context.fileExists(file)
            asked.withLock { $0[file] = exists }
            return exists
        }
        let result: Result<ConfigFile, ConfigFileError>
        var reusable: YAMLDecodeMemo? = memo.withLock { $0 }
        do throws(ConfigFileError) {
            result = .success(try ConfigFile.parse(bytes, path: path, context: recording, document: document,
                                                   reusing: &reusable))
        } catch {
            result = .failure(error)
        }
        if let reusable { memo.withLock { $0 = reusable } }
        let entry = Entry(bytes: bytes, path: path, tlsCertificateIDs: context.tlsCertificateIDs, nodeID: context.nodeID,
                          files: asked.withLock { $0 }, result: result)
        last.withLock { $0 = [entry] + $0.prefix(Self.kept - 1) }
        return result
    }

    /// Reads the file at `path` and checks it, as ``ConfigFile/load(path:context:)`` does.
    public func load(path: String, context: ValidationContext) -> Result<ConfigFile, ConfigFileError> {
        switch ConfigFile.read(path: path) {
        case .success(let bytes): return check(bytes, path: path, context: context)
        case .failure(let error): return .failure(error)
        }
    }
}
