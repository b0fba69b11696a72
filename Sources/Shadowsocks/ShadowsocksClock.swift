import Foundation

/// Unix time in whole seconds, as SIP022 headers carry it; tests pass a fixed one.
public struct ShadowsocksClock: Sendable {
    private let read: @Sendable () -> UInt64

    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    public var now: UInt64 { read() }

    /// The system's wall clock.
    public static let system = ShadowsocksClock { UInt64(max(0, Date().timeIntervalSince1970)) }

    /// Throws `staleTimestamp` when `timestamp` is more than 30 s from now (SIP022 §3.1.3).
    package func check(_ timestamp: UInt64) throws(ShadowsocksError) {
        let now = self.now
        let distance = timestamp > now ? timestamp - now : now - timestamp
        guard distance <= ShadowsocksWire.timestampTolerance else {
            let skew = timestamp > now ? Int64(clamping: distance) : -Int64(clamping: distance)
            throw .staleTimestamp(skew: skew)
        }
    }
}
