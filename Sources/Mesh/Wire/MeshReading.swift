/// What an incremental relay-stream decoder found at the front of a buffer: a whole value (its
/// bytes consumed) or not enough bytes yet (the buffer untouched, so the caller reads more and
/// tries again). The same contract as the Hysteria decoders, kept here so `Mesh` does not depend
/// on `Hysteria`.
public enum MeshReading<Value> {
    case value(Value)
    case needMoreBytes

    /// The value, or `nil` while more bytes are needed.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension MeshReading: Equatable where Value: Equatable {}
extension MeshReading: Sendable where Value: Sendable {}
