/// Encodes `Encodable` values as ``YAMLValue`` trees, keeping keys in the order they are encoded
/// (so a type's `CodingKeys` order is the order written to the file).
///
/// String-keyed dictionaries come out sorted by key. Whole-number doubles become integers (`500`, not `500.0`); YAML readers take either for a
/// number field, and people write the former.
public struct YAMLValueEncoder: Sendable {
    public init() {}

    /// The value tree of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> YAMLValue {
        let box = ValueBox()
        try encodeValue(value, into: box, codingPath: [])
        return box.finished
    }
}

/// A mutable slot in the tree being built.
private final class ValueBox {
    var value: YAMLValue = .null
    var pairs: [(String, ValueBox)] = []
    var items: [ValueBox] = []
    var kind: Kind = .scalar

    enum Kind { case scalar, mapping, sequence }

    var finished: YAMLValue {
        switch kind {
        case .scalar: return value
        case .mapping: return .mapping(pairs.map { YAMLValue.Pair($0.0, $0.1.finished) })
        case .sequence: return .sequence(items.map(\.finished))
        }
    }
}

private struct TreeEncoder: Encoder {
    let box: ValueBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.kind = .mapping
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.kind = .sequence
        return UnkeyedTreeContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleTreeContainer(box: box, codingPath: codingPath)
    }
}

/// Scalars map to YAML scalars; anything else encodes itself into a fresh box.
private func encodeValue<T: Encodable>(_ value: T, into box: ValueBox, codingPath: [any CodingKey]) throws {
    switch value {
    case let v as String: box.value = .string(v)
    case let v as Bool: box.value = .bool(v)
    case let v as Int: box.value = .int(Int64(v))
    case let v as Int64: box.value = .int(v)
    case let v as Int32: box.value = .int(Int64(v))
    case let v as UInt16: box.value = .int(Int64(v))
    case let v as UInt32: box.value = .int(Int64(v))
    case let v as UInt64:
        guard let i = Int64(exactly: v) else { throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "too large")) }
        box.value = .int(i)
    case let v as Double:
        if v.rounded() == v, let i = Int64(exactly: v) { box.value = .int(i) } else { box.value = .double(v) }
    case let v as Float: box.value = .double(Double(v))
    case let v as YAMLValue: box.value = v
    case let dictionary as [String: any Encodable]:
        // Sorted, so the text written for a map never depends on hashing.
        box.kind = .mapping
        for (key, element) in dictionary.sorted(by: { $0.key < $1.key }) {
            let child = ValueBox()
            try encodeValue(element, into: child, codingPath: codingPath)
            box.pairs.append((key, child))
        }
    default: try value.encode(to: TreeEncoder(box: box, codingPath: codingPath))
    }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    let codingPath: [any CodingKey]

    private func slot(_ key: Key) -> ValueBox {
        let child = ValueBox()
        if let i = box.pairs.firstIndex(where: { $0.0 == key.stringValue }) {
            box.pairs[i].1 = child
        } else {
            box.pairs.append((key.stringValue, child))
        }
        return child
    }

    mutating func encodeNil(forKey key: Key) throws { slot(key).value = .null }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: slot(key), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = slot(key)
        child.kind = .mapping
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot(key)
        child.kind = .sequence
        return UnkeyedTreeContainer(box: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(box: box, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(box: slot(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private func slot() -> ValueBox {
        let child = ValueBox()
        box.items.append(child)
        return child
    }

    mutating func encodeNil() throws { slot().value = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: slot(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = slot()
        child.kind = .mapping
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = slot()
        child.kind = .sequence
        return UnkeyedTreeContainer(box: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(box: slot(), codingPath: codingPath) }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, into: box, codingPath: codingPath) }
}
