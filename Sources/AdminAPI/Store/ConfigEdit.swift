public import ScaleConfig
public import YAMLDocument
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NodeState
import Reconciler

/// One edit of the config text: the in-place editor plus the configuration as it was read, for
/// look-ups by id. Values are written through ``YAMLValueEncoder`` and the file's write policy.
public struct ConfigEdit: Sendable {
    /// The text being edited.
    public var editor: YAMLEditor
    /// The configuration before this edit.
    public let config: Config

    /// Writes `value` at `path` (merged into an existing mapping, keeping its key order).
    public mutating func set(_ path: YAMLPath, to value: some Encodable) throws {
        try write { editor in try editor.set(path, to: Self.yaml(value)) }
    }

    /// Appends `value` to the list at `path` (creating the list if needed).
    public mutating func append(_ value: some Encodable, to path: YAMLPath) throws {
        let count: Int
        if case .sequence(let items)? = editor.document.node(at: path)?.content { count = items.count } else { count = 0 }
        try write { editor in try editor.insert(Self.yaml(value), at: path.appending(index: count)) }
    }

    /// Removes the entry at `path`, if it exists.
    public mutating func remove(_ path: YAMLPath) throws {
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
