public import ServiceLifecycle

/// Ends flows of users who expire or run out of quota while connected, once a second.
public struct LimitWatch<C: Clock>: Service where C.Duration == Duration {
    package let gate: InboundGate
    package let clock: C

    public init(gate: InboundGate, clock: C) {
        self.gate = gate
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while true {
                do { try await clock.sleep(for: .seconds(1)) } catch { return }
                gate.enforceLimits()
            }
        }
    }
}
