import TestSupport
import Foundation
import Logging
import NodeState
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Traffic counters and flusher")
struct TrafficCountersTests {
    let logger = Logger(label: "NodeStateTests")

    @Test("increments are pending until a flush commits them in one batch; reads see both")
    func manualFlush() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            let counters = try TrafficCounters(store: store)
            counters.add(user: "alice", up: 100, down: 1)
            counters.add(user: "alice", up: 50)
            counters.add(user: "bob", down: 7)
            counters.add(user: "nobody")
            #expect(counters.total(for: "alice") == TrafficTotals(up: 150, down: 1))
            #expect(counters.committedTotal(for: "alice") == .zero)
            #expect(try store.allTraffic().isEmpty)

            let committed = try counters.flush()
            #expect(committed == ["alice": TrafficTotals(up: 150, down: 1), "bob": TrafficTotals(down: 7)])
            #expect(try store.traffic(for: "alice") == TrafficTotals(up: 150, down: 1))
            #expect(counters.committedTotal(for: "alice") == TrafficTotals(up: 150, down: 1))
            #expect(try counters.flush().isEmpty)

            counters.add(user: "alice", up: 1)
            #expect(counters.total(for: "alice") == TrafficTotals(up: 151, down: 1))
            #expect(counters.totals()["bob"] == TrafficTotals(down: 7))
        }
    }

    @Test("counters start from what the store holds")
    func loadsStored() async throws {
        try await withTemporaryDirectory { tmp in
            let url = tmp.child("state.db")
            try StateStore(url: url).addTraffic(["alice": TrafficTotals(up: 9)])
            let counters = try TrafficCounters(store: try StateStore(url: url))
            counters.add(user: "alice", up: 1)
            #expect(counters.total(for: "alice") == TrafficTotals(up: 10))
            #expect(counters.committedTotal(for: "alice") == TrafficTotals(up: 9))
        }
    }

    @Test("reset clears committed and pending bytes of one user, resetAll of everyone")
    func reset() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            let counters = try TrafficCounters(store: store)
            counters.add(user: "alice", up: 10)
            counters.add(user: "bob", up: 20)
            try counters.flush()
            counters.add(user: "alice", up: 5)
            try counters.reset(user: "alice")
            #expect(counters.total(for: "alice") == .zero)
            #expect(try store.traffic(for: "alice") == .zero)
            try counters.flush()
            #expect(try store.traffic(for: "alice") == .zero)
            #expect(try store.traffic(for: "bob") == TrafficTotals(up: 20))

            counters.add(user: "bob", up: 1)
            try counters.resetAll()
            try counters.flush()
            #expect(counters.totals().isEmpty)
            #expect(try store.allTraffic().isEmpty)
        }
    }

    @Test("increments from many tasks are all counted")
    func concurrentAdds() async throws {
        try await withTemporaryDirectory { tmp in
            let counters = try TrafficCounters(store: try StateStore(url: tmp.child("state.db")))
            await withDiscardingTaskGroup { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<1000 { counters.add(user: "u", up: 1, down: 2) }
                    }
                }
                group.addTask {
                    for _ in 0..<20 { _ = try? counters.flush() }
                }
            }
            try counters.flush()
            #expect(try counters.store.traffic(for: "u") == TrafficTotals(up: 8000, down: 16000))
        }
    }

    @Test("the flusher commits pending increments each interval of its clock")
    func flusherTicks() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            let counters = try TrafficCounters(store: store)
            let clock = ManualClock()
            let (flushes, flushed) = AsyncStream.makeStream(of: [String: TrafficTotals].self)
            let flusher = TrafficFlusher(counters: counters, clock: clock, logger: logger) { flushed.yield($0) }

            try await withThrowingTaskGroup { group in
                group.addTask { try await flusher.run() }
                var results = flushes.makeAsyncIterator()

                counters.add(user: "alice", up: 10, down: 5)
                await clock.waitForSleepers()
                clock.advance(by: .seconds(1))
                #expect(try store.traffic(for: "alice") == .zero)
                clock.advance(by: .seconds(1))
                #expect(await results.next() == ["alice": TrafficTotals(up: 10, down: 5)])
                #expect(try store.traffic(for: "alice") == TrafficTotals(up: 10, down: 5))

                counters.add(user: "bob", up: 3)
                await clock.waitForSleepers()
                clock.advance(by: TrafficFlusher.defaultInterval)
                #expect(await results.next() == ["bob": TrafficTotals(up: 3)])
                #expect(try store.traffic(for: "bob") == TrafficTotals(up: 3))

                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }

    @Test("graceful shutdown of the service group flushes what is pending")
    func gracefulShutdownFlushes() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            let counters = try TrafficCounters(store: store)
            let clock = ManualClock()
            let flusher = TrafficFlusher(counters: counters, clock: clock, logger: logger)
            let serviceGroup = ServiceGroup(services: [flusher], logger: logger)

            try await withThrowingTaskGroup { group in
                group.addTask { try await serviceGroup.run() }
                await clock.waitForSleepers()
                counters.add(user: "alice", up: 42)
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
            }
            #expect(try store.traffic(for: "alice") == TrafficTotals(up: 42))
        }
    }

    @Test("cancelling the flusher still flushes what is pending")
    func cancellationFlushes() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            let counters = try TrafficCounters(store: store)
            let clock = ManualClock()
            let flusher = TrafficFlusher(counters: counters, clock: clock, logger: logger)

            try await withThrowingTaskGroup { group in
                group.addTask { try await flusher.run() }
                await clock.waitForSleepers()
                counters.add(user: "alice", down: 8)
                group.cancelAll()
                try await group.waitForAll()
            }
            #expect(try store.traffic(for: "alice") == TrafficTotals(down: 8))
        }
    }
}
