/// What an incremental decoder found at the front of a buffer: a whole value (its bytes consumed)
/// or not enough bytes yet (the buffer untouched, so the caller reads more and tries again).
public enum WireReading<Value> {
    case value(Value)
    case needMoreBytes

    /// The value, or `nil` while more bytes are needed.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension WireReading: Equatable where Value: Equatable {}
extension WireReading: Sendable where Value: Sendable {}
