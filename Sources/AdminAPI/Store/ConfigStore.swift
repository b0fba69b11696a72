public import Foundation
import NodeState
public import Reconciler
public import ScaleConfig
public import YAMLDocument
import HTTPTypes
import Hummingbird
import Logging

/// The one place the API reads and writes the config file (DECISIONS #2, invariants 2 and 3).
///
/// Every write: read the file as it is now, apply the edit in place (``YAMLEditor``), validate
/// the whole result, write it atomically, ask for a reconcile and report its outcome. Edits run
/// one at a time (actor). A file changed underneath between read and write (a `git pull`) is
/// never overwritten: the edit is re-applied to the new text, or refused with 409 when the
/// caller named the revision it saw (`If-Match`).
public actor ConfigStore {
    /// The config file.
    public let path: String
    private let validationContext: @Sendable () -> ValidationContext
    /// Shared with the reconciler's source, so an edit is checked once.
    private let cache: ConfigFileCache
    private let reconcile: @Sendable () async -> ReconcileReport?
    /// The file's bytes last parsed, with their snapshot.
    private var last: (bytes: Data, snapshot: Snapshot)?

    /// - Parameters:
    ///   - reconcile: asks for a reconcile and waits for its report (``ReconcileTrigger/requestAndWait()``).
    ///   - cache: shared with the reconciler's ``ConfigFileSource`` for the same file.
    public init(path: String, cache: ConfigFileCache = ConfigFileCache(),
                validationContext: @escaping @Sendable () -> ValidationContext,
                reconcile: @escaping @Sendable () async -> ReconcileReport?) {
        self.path = path
        self.cache = cache
        self.validationContext = validationContext
        self.reconcile = reconcile
    }

    /// The file as it is now.
    public struct Snapshot: Sendable {
        public let document: YAMLDocument
        /// Decoded leniently: fields with problems hold their defaults.
        public let config: Config
        public let revision: String

        init(document: YAMLDocument, config: Config, revision: String) {
            self.document = document
            self.config = config
            self.revision = revision
        }

        /// A valid file's snapshot, without decoding it again.
        init(_ file: ConfigFile) { self.init(document: file.document, config: file.config, revision: file.revision) }
    }

    /// Reads the file.
    /// - Throws: ``APIError`` 409 when the file is not YAML at all (it must be fixed by hand first).
    public func snapshot() throws -> Snapshot {
        try parsed(read())
    }

    /// Applies `change` to the file and reconciles.
    ///
    /// - Parameters:
    ///   - expectedRevision: from `If-Match`; a different current revision is a 409.
    ///   - change: edits the text through ``ConfigEdit``; throws ``APIError`` for bad input.
    /// - Returns: what `change` returned, and the outcome.
    /// - Throws: ``APIError``: 409 stale revision, 422 the result does not validate (nothing written).
    public func edit<R: Sendable>(expectedRevision: String?,
                                  _ change: @Sendable (inout ConfigEdit) throws -> R) async throws -> (R, MutationResult) {
        for _ in 0..<3 {
            let before = try read()
            let snapshot = try parsed(before)
            if let expectedRevision, expectedRevision != snapshot.revision {
                throw APIError.conflict(
                    "the configuration changed since you read it (now revision \(snapshot.revision.prefix(12))); reload and retry")
            }
            var edit = ConfigEdit(editor: YAMLEditor(document: snapshot.document), config: snapshot.config)
            let answer = try change(&edit)
            try edit.finish()
            let text = edit.editor.text
            guard text != snapshot.document.text else {
                return (answer, MutationResult(revision: snapshot.revision, report: await reconcile()))
            }
            let data = Data(text.utf8)
            let file: ConfigFile
            switch cache.check(data, path: path, context: validationContext(), document: edit.editor.document) {
            case .success(let checked): file = checked
            case .failure(let error):
                throw APIError(.unprocessableContent, "the edited configuration is not valid; nothing was saved",
                               field: error.errors.first?.path?.description, problems: error.errors.map(\.description))
            }
            guard try read() == before else { continue }  // changed underneath: redo on the new text
            do {
                try FileIO.replaceKeepingMode(URL(fileURLWithPath: path), with: data)
            } catch {
                throw APIError(.internalServerError, "cannot write the configuration: \(error)")
            }
            last = (data, Snapshot(file))
            return (answer, MutationResult(revision: file.revision, report: await reconcile()))
        }
        throw APIError.conflict("the configuration file kept changing while saving; retry")
    }

    /// Replaces the whole file with `data` (a restore, or the text of the web UI's editor),
    /// validated first like any edit.
    /// - Parameters:
    ///   - expectedRevision: from `If-Match`; a different current revision is a 409.
    ///   - refusal: the 422's message when `data` is not a valid configuration.
    ///   - admitting: a last check of the valid new configuration against the current file's
    ///     (`nil` when that is not YAML); throws to refuse it.
    /// - Throws: ``APIError`` 409 stale revision, 422 `data` is not valid (nothing written), or what
    ///   `admitting` throws.
    public func replaceAll(with data: Data, expectedRevision: String? = nil,
                           refusal: String = "the configuration in the backup is not valid; nothing was restored",
                           admitting: (_ current: Config?, _ new: Config) throws -> Void = { _, _ in }) async throws -> MutationResult {
        let new: ConfigFile
        switch check(data) {
        case .success(let file): new = file
        case .failure(let error):
            throw APIError(.unprocessableContent, refusal,
                           field: error.errors.first?.path?.description, problems: error.errors.map(\.description))
        }
        let before = try read()
        if let expectedRevision, expectedRevision != ConfigFile.revision(of: before) {
            throw APIError.conflict("the configuration changed since you read it; reload and retry")
        }
        try admitting(try? parsed(before).config, new.config)
        do {
            try FileIO.replaceKeepingMode(URL(fileURLWithPath: path), with: data)
        } catch {
            throw APIError(.internalServerError, "cannot write the configuration: \(error)")
        }
        last = (data, Snapshot(new))
        return MutationResult(revision: new.revision, report: await reconcile())
    }

    /// The file's bytes as they are, valid or not (the editor must be able to show a broken file),
    /// with their revision.
    public func contents() throws -> (data: Data, revision: String) {
        let data = try read()
        return (data, ConfigFile.revision(of: data))
    }

    /// Parses and validates `data` as this file would be, without writing anything.
    public nonisolated func check(_ data: Data) -> Result<ConfigFile, ConfigFileError> {
        cache.check(data, path: path, context: validationContext())
    }

    /// Reconciles without editing (after a change outside the file, such as the TLS store) and
    /// reports like an edit would.
    public func reconcileNow() async throws -> MutationResult {
        let revision = ConfigFile.revision(of: try read())
        return MutationResult(revision: revision, report: await reconcile())
    }

    private func read() throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw APIError(.internalServerError, "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
    }

    /// The snapshot of `bytes`, parsed once per content: every authenticated request reads the
    /// config (session timeout) and most read it again in the handler.
    private func parsed(_ bytes: Data) throws -> Snapshot {
        if let last, last.bytes == bytes { return last.snapshot }
        let snapshot: Snapshot
        if case .success(let file) = cache.check(bytes, path: path, context: validationContext()) {
            snapshot = Snapshot(file)  // valid, and now checked for the reconciler too
        } else {
            snapshot = try Self.snapshot(of: bytes)
        }
        last = (bytes, snapshot)
        return snapshot
    }

    private static func snapshot(of bytes: Data) throws -> Snapshot {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw APIError.conflict("the configuration file is not valid YAML (\(error)); fix it by hand first")
        }
        let (decoded, _) = YAMLDecoder().decodeCollectingIssues(Config.self, from: document)
        guard let config = decoded else {
            throw APIError.conflict("the configuration file is not a mapping of sections; fix it by hand first")
        }
        return Snapshot(document: document, config: config, revision: ConfigFile.revision(of: bytes))
    }
}
