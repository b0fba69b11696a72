import Foundation
import Logging
@testable import Reconciler
import ScaleConfig
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

/// A source that can hold a load until the test lets it go, and counts loads.
final class GatedSource: ConfigSource, Sendable {
    let inner = FakeSource()
    let loads = Mutex(0)
    private let gate = Mutex<(closed: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))

    func close() { gate.withLock { $0.closed = true } }
    func open() {
        let waiting = gate.withLock { g -> CheckedContinuation<Void, Never>? in
            g.closed = false
            defer { g.waiting = nil }
            return g.waiting
        }
        waiting?.resume()
    }
    var isHeld: Bool { gate.withLock { $0.waiting != nil } }

    func load() async -> ConfigLoad<Config> {
        loads.withLock { $0 += 1 }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let held = gate.withLock { g -> Bool in
                guard g.closed else { return false }
                g.waiting = c
                return true
            }
            if !held { c.resume() }
        }
        return await inner.load()
    }
}

@Suite("The reconcile loop and its triggers")
struct ReconcileServiceTests {
    func makeService(_ source: GatedSource, _ driver: FakeListenerDriver, clock: ManualClock)
        -> ReconcileService<Config, ManualClock> {
        ReconcileService(reconciler: Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger),
                         driftInterval: .seconds(30), clock: clock, handlesSIGHUP: false, logger: testLogger)
    }

    @Test("requests collapse: any number before a run is consumed give one run")
    func collapse() async {
        let trigger = ReconcileTrigger()
        for _ in 0..<5 { trigger.request() }
        trigger.finish()
        var runs = 0
        for await _ in trigger.requests { runs += 1 }
        #expect(runs == 1)
    }

    @Test("requests during a run cause exactly one more run, which answers waiting callers")
    func duringRun() async throws {
        let source = GatedSource()
        let driver = FakeListenerDriver()
        source.inner.set(.valid(try config([("0.0.0.0:1080", "socks5")]), revision: "r1"))
        source.close()
        let service = makeService(source, driver, clock: ManualClock())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            #expect(await eventually { source.isHeld })  // the start-up run is under way
            for _ in 0..<5 { service.trigger.request() }
            source.inner.set(.valid(try config([("0.0.0.0:8080", "http")]), revision: "r2"))
            let answer = Task { await service.trigger.requestAndWait() }
            #expect(await eventually { service.trigger.waiterCount == 1 })
            source.open()
            let report = await answer.value
            #expect(report?.revision == "r2")
            #expect(source.loads.withLock { $0 } == 2)
            #expect(driver.rendered == ["http 0.0.0.0:8080"])
            group.cancelAll()
        }
    }

    @Test("the drift check runs a reconcile on its own and repairs a manual change")
    func drift() async throws {
        let source = GatedSource()
        let driver = FakeListenerDriver()
        let clock = ManualClock()
        source.inner.set(.valid(try config([("0.0.0.0:1080", "socks5")]), revision: "r1"))
        let service = makeService(source, driver, clock: clock)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            #expect(await eventually { driver.rendered == ["socks5 0.0.0.0:1080"] })
            driver.tamper { $0.removeAll() }
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(30))
            #expect(await eventually { driver.rendered == ["socks5 0.0.0.0:1080"] })
            #expect(source.loads.withLock { $0 } == 2)
            group.cancelAll()
        }
    }

    @Test("graceful shutdown removes what the drivers own and answers late callers with nil")
    func shutdown() async throws {
        let source = GatedSource()
        let driver = FakeListenerDriver()
        source.inner.set(.valid(try config([("0.0.0.0:1080", "socks5")]), revision: "r1"))
        let service = makeService(source, driver, clock: ManualClock())
        let group = ServiceGroup(services: [service], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { driver.rendered == ["socks5 0.0.0.0:1080"] })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(driver.rendered.isEmpty)
        #expect(await service.trigger.requestAndWait() == nil)
    }
}
