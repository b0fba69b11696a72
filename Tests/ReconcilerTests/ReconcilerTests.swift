import Reconciler
import ScaleConfig
import Synchronization
import Testing

@Suite("Reconciler: state sequences through a driver")
struct ReconcilerTests {
    @Test("configs applied one after another leave exactly the desired state after each step")
    func sequence() async throws {
        let driver = FakeListenerDriver()
        let source = FakeSource()
        let reconciler = Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger)
        let steps: [([(String, String)], [String])] = [
            ([("0.0.0.0:1080", "socks5")], ["socks5 0.0.0.0:1080"]),
            ([("0.0.0.0:1080", "socks5"), ("0.0.0.0:8080", "http")], ["socks5 0.0.0.0:1080", "http 0.0.0.0:8080"]),
            ([("0.0.0.0:1080", "http")], ["http 0.0.0.0:1080"]),
            ([], []),
        ]
        for (i, (proxies, expected)) in steps.enumerated() {
            source.set(.valid(try config(proxies), revision: "r\(i)"))
            let report = await reconciler.reconcile()
            #expect(report.applied)
            #expect(report.revision == "r\(i)")
            #expect(driver.rendered == expected)
            let again = await reconciler.reconcile()
            #expect(again.changes.isEmpty, "a second reconcile of step \(i) changed something")
        }
    }

    @Test("an invalid config is never applied; the last valid one stays in force and drift is repaired")
    func invalidKeepsLastGood() async throws {
        let driver = FakeListenerDriver()
        let source = FakeSource()
        let reconciler = Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger)
        source.set(.valid(try config([("0.0.0.0:1080", "socks5")]), revision: "good"))
        await reconciler.reconcile()
        source.set(.invalid(revision: "bad", problems: ["config.yaml:3:9: proxies[0].listen: bad"]))
        driver.tamper { $0.removeAll() }
        let report = await reconciler.reconcile()
        #expect(!report.applied)
        #expect(report.revision == "good")
        #expect(report.problems == ["config.yaml:3:9: proxies[0].listen: bad"])
        #expect(driver.rendered == ["socks5 0.0.0.0:1080"])
        #expect(await reconciler.status.problems.count == 1)
    }

    @Test("with no valid config ever, nothing is applied")
    func neverValid() async {
        let driver = FakeListenerDriver()
        let reconciler = Reconciler(source: FakeSource(), drivers: [AnyDriver(driver)], logger: testLogger)
        let report = await reconciler.reconcile()
        #expect(!report.applied && report.revision == nil && report.kinds.isEmpty)
        #expect(driver.applyCount.withLock { $0 } == 0)
    }

    @Test("a failed change is reported and retried on the next run")
    func retry() async throws {
        let driver = FakeListenerDriver()
        let source = FakeSource()
        let reconciler = Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger)
        driver.failing.withLock { $0 = ["0.0.0.0:8080"] }
        source.set(.valid(try config([("0.0.0.0:1080", "socks5"), ("0.0.0.0:8080", "http")]), revision: "r"))
        let first = await reconciler.reconcile()
        #expect(!first.applied)
        #expect(first.failures == ["listeners: + http 0.0.0.0:8080  FAILED: address in use"])
        #expect(driver.rendered == ["socks5 0.0.0.0:1080"])
        driver.failing.withLock { $0 = [] }
        let second = await reconciler.reconcile()
        #expect(second.applied)
        #expect(second.changes == ["listeners: + http 0.0.0.0:8080"])
    }

    @Test("plan shows the changes without making them")
    func plan() async throws {
        let driver = FakeListenerDriver()
        let source = FakeSource()
        let reconciler = Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger)
        source.set(.valid(try config([("0.0.0.0:1080", "socks5")]), revision: "r"))
        let plan = await reconciler.plan()
        #expect(plan.changes == ["listeners: + socks5 0.0.0.0:1080"])
        #expect(driver.rendered.isEmpty)
    }

    @Test("teardown removes everything owned, and only that")
    func teardown() async throws {
        let driver = FakeListenerDriver()
        let source = FakeSource()
        let reconciler = Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger)
        source.set(.valid(try config([("0.0.0.0:1080", "socks5"), ("0.0.0.0:8080", "http")]), revision: "r"))
        await reconciler.reconcile()
        let report = await reconciler.teardown()
        #expect(report.changes.count == 2)
        #expect(driver.rendered.isEmpty)
    }
}
