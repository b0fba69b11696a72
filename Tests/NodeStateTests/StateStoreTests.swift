import TestSupport
import Foundation
import NodeState
import Testing

@Suite("State store")
struct StateStoreTests {
    @Test("a new database is at the current schema version, and reopening does not migrate again")
    func schemaVersion() async throws {
        try await withTemporaryDirectory { tmp throws in
            let url = tmp.child("state.db")
            #expect(try StateStore(url: url).schemaVersion() == StateStore.currentSchemaVersion)
            #expect(try StateStore(url: url).schemaVersion() == StateStore.currentSchemaVersion)
            #expect(StateStore.currentSchemaVersion >= 1)
        }
    }

    @Test("the database runs in WAL mode: a commit lands in the -wal file beside it")
    func walMode() async throws {
        try await withTemporaryDirectory { tmp in
            let url = tmp.child("state.db")
            let store = try StateStore(url: url)
            try store.addTraffic(["alice": TrafficTotals(up: 1)])
            let wal = URL(fileURLWithPath: url.path + "-wal")
            let size = try FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? NSNumber
            #expect((size?.intValue ?? 0) > 0)
            _ = store
        }
    }

    @Test("traffic deltas add up per user and direction, and reset clears one user or all")
    func traffic() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            #expect(try store.traffic(for: "alice") == .zero)
            try store.addTraffic(["alice": TrafficTotals(up: 10, down: 20), "bob": TrafficTotals(up: 1)])
            try store.addTraffic(["alice": TrafficTotals(up: 5, down: 0), "carol": .zero])
            #expect(try store.traffic(for: "alice") == TrafficTotals(up: 15, down: 20))
            #expect(try store.traffic(for: "alice").total == 35)
            #expect(try store.allTraffic() == ["alice": TrafficTotals(up: 15, down: 20), "bob": TrafficTotals(up: 1)])

            try store.resetTraffic(for: "alice")
            try store.resetTraffic(for: "nobody")
            #expect(try store.traffic(for: "alice") == .zero)
            #expect(try store.traffic(for: "bob") == TrafficTotals(up: 1))
            try store.resetAllTraffic()
            #expect(try store.allTraffic().isEmpty)
        }
    }

    @Test("counters saturate instead of wrapping")
    func saturation() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            try store.addTraffic(["big": TrafficTotals(up: UInt64(Int64.max) - 1)])
            try store.addTraffic(["big": TrafficTotals(up: 10)])
            #expect(try store.traffic(for: "big").up == UInt64(Int64.max))
        }
    }

    @Test("the graph layout can be set per key and replaced as a whole")
    func layout() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            #expect(try store.graphLayout().isEmpty)
            try store.setLayoutPosition(LayoutPosition(x: 1.5, y: -2), for: "a1b2c3d4")
            try store.setLayoutPosition(LayoutPosition(x: 3, y: 4), for: "us/us-east")
            try store.setLayoutPosition(LayoutPosition(x: 10, y: 20), for: "a1b2c3d4")
            #expect(try store.graphLayout() == [
                "a1b2c3d4": LayoutPosition(x: 10, y: 20),
                "us/us-east": LayoutPosition(x: 3, y: 4),
            ])
            try store.replaceGraphLayout(["n": LayoutPosition(x: 0, y: 0)])
            #expect(try store.graphLayout() == ["n": LayoutPosition(x: 0, y: 0)])
            try store.replaceGraphLayout([:])
            #expect(try store.graphLayout().isEmpty)
            // Text is stored with its length: keys that differ only after a NUL stay apart, and
            // an empty key is text, not NULL.
            let odd = ["a\u{0}b": LayoutPosition(x: 1, y: 1), "a\u{0}c": LayoutPosition(x: 2, y: 2), "": LayoutPosition(x: 3, y: 3)]
            try store.replaceGraphLayout(odd)
            #expect(try store.graphLayout() == odd)
        }
    }

    @Test("the key/value table stores, replaces, lists by prefix and removes values")
    func keyValue() async throws {
        try await withTemporaryDirectory { tmp in
            let store = try StateStore(url: tmp.child("state.db"))
            #expect(try store.value(forKey: "session/1") == nil)
            try store.setValue(Data("one".utf8), forKey: "session/1")
            try store.setValue(Data("two".utf8), forKey: "session/2")
            try store.setValue(Data([0, 1, 2]), forKey: "other")
            try store.setValue(Data(), forKey: "empty")
            try store.setValue(Data("uno".utf8), forKey: "session/1")
            #expect(try store.value(forKey: "session/1") == Data("uno".utf8))
            #expect(try store.value(forKey: "other") == Data([0, 1, 2]))
            #expect(try store.value(forKey: "empty") == Data())
            #expect(try store.keys(withPrefix: "session/") == ["session/1", "session/2"])
            #expect(try store.keys(withPrefix: "%") == [])
            #expect(try store.keys() == ["empty", "other", "session/1", "session/2"])
            try store.removeValue(forKey: "session/1")
            try store.removeValue(forKey: "session/1")
            #expect(try store.value(forKey: "session/1") == nil)
        }
    }

    @Test("everything written is there after the store is closed and reopened")
    func reopen() async throws {
        try await withTemporaryDirectory { tmp in
            let url = tmp.child("state.db")
            do {
                let store = try StateStore(url: url)
                try store.addTraffic(["alice": TrafficTotals(up: 7, down: 9)])
                try store.replaceGraphLayout(["k": LayoutPosition(x: 1, y: 2)])
                try store.setValue(Data("v".utf8), forKey: "k")
            }
            let reopened = try StateStore(url: url)
            #expect(try reopened.traffic(for: "alice") == TrafficTotals(up: 7, down: 9))
            #expect(try reopened.graphLayout() == ["k": LayoutPosition(x: 1, y: 2)])
            #expect(try reopened.value(forKey: "k") == Data("v".utf8))
        }
    }

    @Test("a database from a newer schema is refused with an error naming the file",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 CLI at /usr/bin/sqlite3"))
    func newerSchema() async throws {
        try await withTemporaryDirectory { tmp in
            let url = tmp.child("state.db")
            _ = try StateStore(url: url)
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            sqlite.arguments = [url.path, "INSERT INTO schema_version (version) VALUES (999)"]
            try sqlite.run()
            sqlite.waitUntilExit()
            try #require(sqlite.terminationStatus == 0)
            let error = #expect(throws: StateStoreError.self) { try StateStore(url: url) }
            #expect(error?.foundVersion == 999)
            #expect(error.map { String(describing: $0) }?.contains(url.path) == true)
        }
    }
}
