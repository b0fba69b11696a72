public import ScaleConfig
public import YAMLDocument
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NodeState
import Reconciler

/// One edit of the config text: the in-place editor plus the configuration, for look-ups by id.
/// Values are written through ``YAMLValueEncoder`` and the file's write policy.
///
/// Appends to one list in a row are written together when something else needs the text (or
/// at ``finish()``): a batch adding a thousand users re-parses the file once, not a thousand
/// times.
public struct ConfigEdit: Sendable {
    /// The text being edited; read it after ``finish()``.
    public private(set) var editor: YAMLEditor
    /// The configuration as read, kept current by the entry operations (``createUser(_:)`` and
    /// the like) so later operations of a batch see earlier ones.
    public var config: Config
    /// Values waiting to be appended to the list at `path`.
    private var pending: (path: YAMLPath, values: [YAMLValue])?

    public init(editor: YAMLEditor, config: Config) {
        self.editor = editor
        self.config = config
    }

    /// Writes the pending appends; the text is complete afterwards.
    public mutating func finish() throws {
        guard let pending else { return }
        self.pending = nil
        try write { editor in try editor.append(contentsOf: pending.values, to: pending.path) }
    }

    /// The document with every operation so far written.
    public mutating func document() throws -> YAMLDocument {
        try finish()
        return editor.document
    }

    /// Writes `value` at `path` (merged into an existing mapping, keeping its key order).
    public mutating func set(_ path: YAMLPath, to value: some Encodable) throws {
        try finish()
        try write { editor in try editor.set(path, to: Self.yaml(value)) }
    }

    /// Writes `value` at `path` as it is (no zero values left out), merged like ``set(_:to:)``.
    public mutating func write(_ value: YAMLValue, at path: YAMLPath) throws {
        try finish()
        try write { editor in try editor.set(path, to: value) }
    }

    /// Appends `value` to the list at `path` (creating the list if needed).
    public mutating func append(_ value: some Encodable, to path: YAMLPath) throws {
        let yaml = try Self.yaml(value)
        if pending?.path == path {
            pending?.values.append(yaml)
            return
        }
        try finish()
        pending = (path, [yaml])
    }

    /// Removes the entry at `path`, if it exists.
    public mutating func remove(_ path: YAMLPath) throws {
        try finish()
        guard editor.document.node(at: path) != nil else { return }
        try write { editor in try editor.remove(path) }
    }

    private mutating func write(_ body: (inout YAMLEditor) throws -> Void) throws {
        do {
            try body(&editor)
        } catch let error as YAMLEditError {
            throw APIError(.internalServerError, "cannot edit the configuration text: \(error)")
        }
    }

    /// The YAML form of a value: zero values left out (absent means zero in this schema, and the
    /// file stays short), booleans always written.
    static func yaml(_ value: some Encodable) throws -> YAMLValue {
        trimmed(try YAMLValueEncoder().encode(value)) ?? .mapping([])
    }

    private static func trimmed(_ value: YAMLValue) -> YAMLValue? {
        switch value {
        case .null: return nil
        case .string(let s): return s.isEmpty ? nil : value
        case .int(let i): return i == 0 ? nil : value
        case .double(let d): return d == 0 ? nil : value
        case .bool: return value
        case .sequence(let items): return items.isEmpty ? nil : .sequence(items.map { trimmed($0) ?? $0 })
        case .mapping(let pairs):
            let kept = pairs.compactMap { pair in trimmed(pair.value).map { YAMLValue.Pair(pair.key, $0) } }
            return kept.isEmpty ? nil : .mapping(kept)
        }
    }
}
