public import NodeState

/// Where the gate counts a user's bytes and reads their total for the quota.
public protocol TrafficLedger: Sendable {
    func add(user: String, up: UInt64, down: UInt64)
    /// Bytes up and down together, everything counted so far.
    func used(by user: String) -> UInt64
}

extension TrafficCounters: TrafficLedger {
    public func used(by user: String) -> UInt64 { total(for: user).total }
}

/// Counts nothing: for a gate that only plans (`hy2scale plan`), never carries traffic.
public struct NoTrafficLedger: TrafficLedger {
    public init() {}
    public func add(user: String, up: UInt64, down: UInt64) {}
    public func used(by user: String) -> UInt64 { 0 }
}
