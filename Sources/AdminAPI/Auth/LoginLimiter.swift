import Foundation
import HTTPTypes
import Hummingbird
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler
/// Limits failed logins per client address (DECISIONS #4): after ``maximumFailures`` failures
/// within ``window``, that address is refused until the window has passed since its first failure.
actor LoginLimiter<C: Clock<Duration>> {
    static var maximumFailures: Int { 5 }
    static var window: Duration { .seconds(300) }
    /// Addresses tracked at once; the oldest record is dropped beyond it.
    static var maximumAddresses: Int { 4096 }

    private struct Record {
        var failures: Int
        var since: C.Instant
    }

    private var records: [String: Record] = [:]
    private let clock: C

    init(clock: C) { self.clock = clock }

    /// Seconds to wait before `address` may try again, or `nil` when it may try now.
    func retryAfter(for address: String) -> Int? {
        guard let record = records[address] else { return nil }
        let elapsed = record.since.duration(to: clock.now)
        if elapsed >= Self.window {
            records[address] = nil
            return nil
        }
        guard record.failures >= Self.maximumFailures else { return nil }
        let remaining = Self.window - elapsed
        return max(1, Int(remaining.components.seconds) + (remaining.components.attoseconds > 0 ? 1 : 0))
    }

    func recordFailure(for address: String) {
        if var record = records[address] {
            record.failures += 1
            records[address] = record
            return
        }
        if records.count >= Self.maximumAddresses,
           let oldest = records.min(by: { $0.value.since < $1.value.since })?.key {
            records[oldest] = nil
        }
        records[address] = Record(failures: 1, since: clock.now)
    }

    func recordSuccess(for address: String) { records[address] = nil }
}
