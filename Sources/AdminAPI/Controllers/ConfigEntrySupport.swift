import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// A JSON body decoded as `Value`, with the top-level keys it actually contained, so a handler
/// can tell "absent" from "zero" (sections whose UI form leaves fields out).
struct KeyedBody<Value: Decodable>: Decodable {
    var value: Value
    var keys: Set<String>

    init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        keys = Set(try decoder.container(keyedBy: DynamicJSONKey.self).allKeys.map(\.stringValue))
    }
}

extension KeyedBody: Sendable where Value: Sendable {}

/// The body of a toggle call: `{"enabled": false}`, or no `enabled` (no body) to flip.
struct ToggleBody: Decodable, Sendable {
    var enabled: Bool?
}

/// Any JSON object key.
struct DynamicJSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Parameters {
    /// The path parameter `name`, percent-decoded (a qualified peer path arrives as `us%2Fus-east`).
    func requireDecoded(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.removingPercentEncoding ?? raw
    }
}

extension ConfigEdit {
    /// Replaces the mapping at `path` with `value` (a full replace), so that an unchanged field
    /// stays byte-for-byte as it is:
    /// - zero values are left out, except a zero the entry already spells out (`exit_via: ""`);
    /// - a `false` boolean the entry does not spell out stays unwritten (absent means false for
    ///   every entry this is used on);
    /// - the keys in `keeping` keep the entry's current value, whatever `value` says.
    mutating func replaceEntry(at path: YAMLPath, with value: some Encodable, keeping: Set<String> = []) throws {
        let existing = try document().root?.node(at: path)?.value
        guard case .mapping(let full) = try YAMLValueEncoder().encode(value),
              case .mapping(let trimmed) = try Self.yaml(value) else {
            try set(path, to: value)
            return
        }
        var oldPairs: [YAMLValue.Pair] = []
        if case .mapping(let old)? = existing { oldPairs = old }
        let old = { (key: String) in oldPairs.first { $0.key == key } }
        var pairs: [YAMLValue.Pair] = []
        for pair in full where !keeping.contains(pair.key) {
            if let kept = trimmed.first(where: { $0.key == pair.key }) {
                if case .bool(false) = kept.value, old(pair.key) == nil { continue }
                pairs.append(kept)
            } else if let same = old(pair.key), same.value == pair.value {
                pairs.append(same)
            }
        }
        pairs += oldPairs.filter { keeping.contains($0.key) }
        try write(.mapping(pairs), at: path)
    }

    /// Sets the boolean at `path`, leaving out a `false` the file does not already spell out.
    mutating func setFlag(_ path: YAMLPath, to value: Bool) throws {
        if !value, try document().root?.node(at: path) == nil { return }
        try set(path, to: value)
    }
}

/// Exit fields shared by rules and other entries (reference-api §0.5, §6.3).
enum ExitFields {
    /// §6.3: a mode without any non-empty path is dropped; `aggregate` needs every path to end at
    /// the same node (400 otherwise).
    static func sanitisedMode(_ mode: String, via: String, paths: [String]) throws -> String {
        guard !mode.isEmpty else { return mode }
        let all = (paths.isEmpty ? [via] : paths).filter { !$0.isEmpty }
        guard let first = all.first else { return "" }
        if ExitMode(spelling: mode) == .aggregate {
            let lastHop = { (path: String) in path.split(separator: "/").last.map(String.init) ?? path }
            if let other = all.first(where: { lastHop($0) != lastHop(first) }) {
                throw APIError.badRequest(
                    "aggregate mode requires all paths to reach the same exit node, but got \"\(first)\" and \"\(other)\"",
                    field: "exit_mode")
            }
        }
        return mode
    }
}
