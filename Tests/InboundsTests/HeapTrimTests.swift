@testable import Inbounds
import Access
import Routing
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// After a spike of flows the node gives their memory back, once per drop and never under steady
/// load (the soak test found RSS held at its peak long after 5,000 flows had ended).
@Suite struct HeapTrimTests {
    @Test("trims once the flow count falls to half its peak, then waits for the next peak",
          arguments: [
              ([0, 300, 5000, 5000, 4000], 0),      // steady or gently falling: nothing
              ([5000, 2500], 1),                     // half of the peak: trim
              ([5000, 100, 50, 0], 1),               // one drop, one trim
              ([5000, 0, 3000, 1000], 2),            // a second spike and drop: a second trim
              ([200, 0], 0),                         // too few flows to be worth it
          ])
    func policy(counts: [Int], trims: Int) {
        var policy = HeapTrimPolicy()
        var trimmed = 0
        for count in counts where policy.shouldTrim(liveFlows: count) { trimmed += 1 }
        #expect(trimmed == trims)
    }

    @Test("a new configuration revision leads to one trim, at the first look that finds no newer one",
          arguments: [
              ([nil, nil, nil], 0),                          // no valid configuration: nothing
              (["a", "a", "a"], 1),                          // the start-up's revision, once
              (["a", "b", "c", "d", "d", "d"], 1),           // a run of edits: once it is over
              (["a", "a", "b", "b", "c", "c"], 3),           // edits apart: one each
          ])
    func afterEdits(revisions: [String?], trims: Int) {
        var policy = HeapTrimPolicy()
        #expect(revisions.filter { policy.shouldTrim(configRevision: $0) }.count == trims)
    }

    @Test("a spike that came and went between two looks counts as a peak")
    func spikeBetweenLooks() {
        var policy = HeapTrimPolicy()
        let looks = [(0, 0), (0, 2400), (0, 0)].map { policy.shouldTrim(liveFlows: $0.0, highWater: $0.1) }
        #expect(looks == [false, true, false])
    }

    @Test("the gate's high-water mark holds the most flows open at once, then starts again from now")
    func gateHighWater() throws {
        let registry = SessionRegistry()
        let identity = Identity(userID: "u", username: "u", inbound: .socks5, clientAddress: "127.0.0.1")
        let tickets = (1...3).map { id in
            FlowTicket(id: UInt64(id), identity: identity, account: nil, listenerKey: "proxy/socks",
                       onBytes: { _, _, _ in }, onFinish: { _ in })
        }
        for ticket in tickets { try registry.register(ticket, at: 0) }
        registry.unregister(tickets[0])
        registry.unregister(tickets[1])
        #expect(registry.flowCount == 1)
        #expect(registry.takeHighWater() == 3)
        #expect(registry.takeHighWater() == 1)
    }

    @Test("the service looks at the flow count every interval and trims after a drop")
    func service() async throws {
        let clock = ManualClock()
        let flows = Mutex(0)
        let trims = Atomic(0)
        let trim = HeapTrim(clock: clock, flows: { flows.withLock { ($0, $0) } },
                            trim: { trims.add(1, ordering: .relaxed) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await trim.run() }
            flows.withLock { $0 = 5000 }
            await clock.waitForSleepers()
            clock.advance(by: HeapTrim<ManualClock>.defaultInterval)   // sees 5,000: the peak
            await clock.waitForSleepers()
            #expect(trims.load(ordering: .relaxed) == 0)
            flows.withLock { $0 = 10 }
            clock.advance(by: HeapTrim<ManualClock>.defaultInterval)   // sees the drop
            #expect(await eventually { trims.load(ordering: .relaxed) == 1 })
            await clock.waitForSleepers()
            clock.advance(by: HeapTrim<ManualClock>.defaultInterval)   // still low: no second trim
            await clock.waitForSleepers()
            #expect(trims.load(ordering: .relaxed) == 1)
            group.cancelAll()
        }
    }
}
