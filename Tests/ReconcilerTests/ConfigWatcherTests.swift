import Assembly
import Foundation
import Glibc
import Reconciler
import ScaleConfig
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@Suite("Watching the config file and reconciling what it says")
struct ConfigWatcherTests {
    /// Writes `text` the way git and most editors do: a new file renamed over the old one.
    func writeByRename(_ text: String, to url: URL) throws {
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(text.utf8).write(to: temp)
        guard rename(temp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func yaml(listen: String) -> String {
        """
        # test node
        name: test
        proxies:
          - id: p1
            listen: "\(listen)"
            enabled: true
            auth: none
        """
    }

    @Test("a file replaced by rename is picked up; an invalid one is refused while the old config stays")
    func renameThenInvalid() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("config.yaml")
            try Data(Self.yaml(listen: "127.0.0.1:1080").utf8).write(to: file)
            let driver = FakeListenerDriver()
            let source = ConfigFileSource(path: file.path) { ValidationContext() }
            let service = ReconcileService(
                reconciler: Reconciler(source: source, drivers: [AnyDriver(driver)], logger: testLogger),
                clock: ContinuousClock(), handlesSIGHUP: false, logger: testLogger)
            let watcher = ConfigWatcher(path: file.path, debounce: .milliseconds(50), clock: ContinuousClock()) {
                service.trigger.request()
            }
            let group = ServiceGroup(services: [service, watcher], logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(await eventually { driver.rendered == ["socks5 127.0.0.1:1080"] })

                try writeByRename(Self.yaml(listen: "127.0.0.1:2080"), to: file)
                #expect(await eventually { driver.rendered == ["socks5 127.0.0.1:2080"] })

                try writeByRename(Self.yaml(listen: "127.0.0.1:99999"), to: file)
                #expect(await eventually { await !service.reconciler.status.problems.isEmpty })
                let status = await service.reconciler.status
                #expect(status.problems.first?.contains("config.yaml:5:13: proxies[0].listen") == true,
                        "\(status.problems)")
                #expect(driver.rendered == ["socks5 127.0.0.1:2080"])
                #expect(!status.applied)

                try Data(Self.yaml(listen: "127.0.0.1:3080").utf8).write(to: file)  // written in place
                #expect(await eventually { driver.rendered == ["socks5 127.0.0.1:3080"] })
                #expect(await service.reconciler.status.applied)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("a file caught empty while it is rewritten in place is refused; the config in force stays")
    func truncatedFileRefused() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("config.yaml")
            try Data(Self.yaml(listen: "127.0.0.1:1080").utf8).write(to: file)
            let driver = FakeListenerDriver()
            let reconciler = Reconciler(source: ConfigFileSource(path: file.path) { ValidationContext() },
                                        drivers: [AnyDriver(driver)], logger: testLogger)
            let first = await reconciler.reconcile()
            #expect(first.applied)
            // What a reload sees between `open(O_TRUNC)` and the write (found by the soak test,
            // where it removed every listener and user and so ended every flow).
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            let caught = await reconciler.reconcile()
            #expect(caught.problems.first?.contains("config.yaml:1:1: the file is empty") == true, "\(caught.problems)")
            #expect(caught.revision == first.revision)
            #expect(driver.rendered == ["socks5 127.0.0.1:1080"])
            try handle.write(contentsOf: Data(Self.yaml(listen: "127.0.0.1:2080").utf8))
            try handle.close()
            #expect(await reconciler.reconcile().applied)
            #expect(driver.rendered == ["socks5 127.0.0.1:2080"])
        }
    }

    @Test("a burst of writes is debounced into one notification")
    func debounce() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.child("config.yaml")
            try Data("a: 1\n".utf8).write(to: file)
            let calls = Mutex(0)
            let clock = ManualClock()
            let watcher = ConfigWatcher(path: file.path, debounce: .seconds(1), clock: clock) {
                calls.withLock { $0 += 1 }
            }
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await watcher.run() }
                try await Task.sleep(for: .milliseconds(50))  // let the watch be set up; not a measurement
                for i in 0..<10 { try writeByRename("a: \(i)\n", to: file) }
                await clock.waitForSleepers(1)
                try writeByRename("a: last\n", to: file)
                try writeByRename("b: other\n", to: dir.child("unrelated.yaml"))
                clock.advance(by: .seconds(1))
                // Either the debounce saw the late write and sleeps again, or it fired; settle both.
                #expect(await eventually {
                    if clock.sleeperCount > 0 { clock.advance(by: .seconds(1)) }
                    return calls.withLock { $0 } >= 1
                })
                #expect(calls.withLock { $0 } == 1)
                tasks.cancelAll()
            }
        }
    }
}
