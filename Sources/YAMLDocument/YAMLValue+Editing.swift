/// The meaning of each editor operation, on plain values.
///
/// ``YAMLEditor`` changes text so that re-parsing it gives exactly what these functions give;
/// they are the specification its tests check it against.
extension YAMLValue {
    /// `new` laid over `self`: a mapping keeps its existing keys in their order (dropping those
    /// `new` lacks) and appends the keys only `new` has; a sequence is merged item by item.
    /// Anything else is simply `new`.
    public static func merge(_ existing: YAMLValue, _ new: YAMLValue) -> YAMLValue {
        switch (existing, new) {
        case (.mapping(let old), .mapping(let pairs)) where !old.isEmpty && !pairs.isEmpty:
            let kept = old.compactMap { pair in
                pairs.first { $0.key == pair.key }.map { Pair(pair.key, merge(pair.value, $0.value)) }
            }
            return .mapping(kept + pairs.filter { p in !old.contains { $0.key == p.key } })
        case (.sequence(let old), .sequence(let items)) where !old.isEmpty && !items.isEmpty:
            return .sequence(items.indices.map { $0 < old.count ? merge(old[$0], items[$0]) : items[$0] })
        default:
            return new
        }
    }

    /// The value with `value` merged in at `path`; missing mapping keys are created (a `null` on
    /// the way counts as an empty mapping) and an index equal to a sequence's count appends.
    public func setting(_ path: YAMLPath, to value: YAMLValue) throws(YAMLEditError) -> YAMLValue {
        try setting(path.components[...], to: value, full: path)
    }

    private func setting(_ rest: ArraySlice<YAMLPath.Component>, to value: YAMLValue,
                         full: YAMLPath) throws(YAMLEditError) -> YAMLValue {
        guard let step = rest.first else { return YAMLValue.merge(self, value) }
        let tail = rest.dropFirst()
        switch (self, step) {
        case (.mapping(var pairs), .key(let k)):
            if let i = pairs.firstIndex(where: { $0.key == k }) {
                pairs[i].value = try pairs[i].value.setting(tail, to: value, full: full)
            } else {
                pairs.append(Pair(k, try YAMLValue.null.setting(tail, to: value, full: full)))
            }
            return .mapping(pairs)
        case (.null, .key(let k)):
            return .mapping([Pair(k, try YAMLValue.null.setting(tail, to: value, full: full))])
        case (.sequence(var items), .index(let i)) where i >= 0 && i <= items.count:
            if i == items.count {
                guard tail.isEmpty else { throw YAMLEditError(.notFound, path: full) }
                items.append(value)
            } else {
                items[i] = try items[i].setting(tail, to: value, full: full)
            }
            return .sequence(items)
        default:
            throw YAMLEditError(.notFound, path: full)
        }
    }

    /// The value with `value` inserted into the sequence at `path.parent`, before index
    /// `path.last` (the count appends). A missing or `null` sequence becomes a new one.
    public func inserting(_ value: YAMLValue, at path: YAMLPath) throws(YAMLEditError) -> YAMLValue {
        guard case .index(let i)? = path.last else { throw YAMLEditError(.notASequence, path: path) }
        let current = (try? self.value(at: path.parent)) ?? .null  // a missing list is made anew
        switch current {
        case .sequence(var items) where i >= 0 && i <= items.count:
            items.insert(value, at: i)
            return try replacing(path.parent, with: .sequence(items))
        case .null where i == 0:
            return try setting(path.parent, to: .sequence([value]))
        case .sequence:
            throw YAMLEditError(.indexOutOfRange, path: path)
        default:
            throw YAMLEditError(.notASequence, path: path)
        }
    }

    /// The value without the mapping entry or sequence item at `path`.
    public func removing(_ path: YAMLPath) throws(YAMLEditError) -> YAMLValue {
        guard let last = path.last else { throw YAMLEditError(.notFound, path: path) }
        switch (try value(at: path.parent), last) {
        case (.mapping(var pairs), .key(let k)):
            guard let i = pairs.firstIndex(where: { $0.key == k }) else { throw YAMLEditError(.notFound, path: path) }
            pairs.remove(at: i)
            return try replacing(path.parent, with: .mapping(pairs))
        case (.sequence(var items), .index(let i)) where items.indices.contains(i):
            items.remove(at: i)
            return try replacing(path.parent, with: .sequence(items))
        default:
            throw YAMLEditError(.notFound, path: path)
        }
    }

    /// The value at `path`.
    public func value(at path: YAMLPath) throws(YAMLEditError) -> YAMLValue {
        var node = self
        for step in path.components {
            switch (node, step) {
            case (.mapping(let pairs), .key(let k)):
                guard let v = pairs.first(where: { $0.key == k })?.value else { throw YAMLEditError(.notFound, path: path) }
                node = v
            case (.sequence(let items), .index(let i)) where items.indices.contains(i):
                node = items[i]
            default:
                throw YAMLEditError(.notFound, path: path)
            }
        }
        return node
    }

    /// The value with the node at an existing `path` replaced outright (no merging).
    func replacing(_ path: YAMLPath, with value: YAMLValue) throws(YAMLEditError) -> YAMLValue {
        try replacing(path.components[...], with: value, full: path)
    }

    private func replacing(_ rest: ArraySlice<YAMLPath.Component>, with value: YAMLValue,
                           full: YAMLPath) throws(YAMLEditError) -> YAMLValue {
        guard let step = rest.first else { return value }
        switch (self, step) {
        case (.mapping(var pairs), .key(let k)):
            guard let i = pairs.firstIndex(where: { $0.key == k }) else { throw YAMLEditError(.notFound, path: full) }
            pairs[i].value = try pairs[i].value.replacing(rest.dropFirst(), with: value, full: full)
            return .mapping(pairs)
        case (.sequence(var items), .index(let i)) where items.indices.contains(i):
            items[i] = try items[i].replacing(rest.dropFirst(), with: value, full: full)
            return .sequence(items)
        default:
            throw YAMLEditError(.notFound, path: full)
        }
    }
}

/// Why an edit could not be made; the document is unchanged.
public struct YAMLEditError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Nothing exists at the path (or at its parent, for an insert).
        case notFound
        /// An insert's parent is not a sequence, or its last step is not an index.
        case notASequence
        /// An insert's index is past the end of the sequence.
        case indexOutOfRange
        /// The edited text did not parse back: a defect of the editor, never applied.
        case invalidResult
    }

    public var code: Code
    public var path: YAMLPath
    public var detail: String?

    public init(_ code: Code, path: YAMLPath, detail: String? = nil) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .notFound: return "\(path): no such entry"
        case .notASequence: return "\(path): not an item of a list"
        case .indexOutOfRange: return "\(path): index past the end of the list"
        case .invalidResult: return "\(path): the edit would not give valid YAML (\(detail ?? ""))"
        }
    }
}
