import Shadowsocks
import Inbounds
import Testing

@Suite("Shadowsocks replay filter")
struct ShadowsocksReplayFilterTests {
    static func salt(_ n: Int, length: Int = 32) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: n >> (8 * ($0 % 4))) ^ UInt8(truncatingIfNeeded: $0) }
    }

    @Test("a salt is refused for at least one window and forgotten after two")
    func window() {
        let filter = ShadowsocksReplayFilter(window: 60)
        #expect(filter.insert(Self.salt(1), now: 1000))
        #expect(!filter.insert(Self.salt(1), now: 1000))
        #expect(!filter.insert(Self.salt(1), now: 1059))
        // Rotation at 1060 keeps it in the previous generation.
        #expect(filter.insert(Self.salt(2), now: 1060))
        #expect(!filter.insert(Self.salt(1), now: 1119))
        #expect(!filter.insert(Self.salt(2), now: 1119))
        // Next rotation drops salt 1, which is now more than a window old; salt 2 stays.
        #expect(filter.insert(Self.salt(3), now: 1120))
        #expect(!filter.insert(Self.salt(2), now: 1120))
        #expect(filter.insert(Self.salt(1), now: 1121))
        // After two idle windows everything is gone.
        #expect(filter.insert(Self.salt(2), now: 2000))
    }

    @Test("salts of different lengths and a backwards clock")
    func shapes() {
        let filter = ShadowsocksReplayFilter()
        #expect(filter.insert(Self.salt(5, length: 16), now: 100))
        #expect(filter.insert(Self.salt(5, length: 32), now: 100))
        #expect(!filter.insert(Self.salt(5, length: 16), now: 50))
    }

    @Test("memory stays within two generations of `capacity`")
    func capacity() {
        let filter = ShadowsocksReplayFilter(window: 60, capacity: 100)
        for n in 0..<10_000 { #expect(filter.insert(Self.salt(n), now: 1000)) }
        #expect(filter.count <= 200)
        #expect(!filter.insert(Self.salt(9_999), now: 1000))
    }

    @Test("concurrent inserts: each salt is accepted exactly once")
    func concurrent() async {
        let filter = ShadowsocksReplayFilter()
        let accepted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<2000).count { filter.insert(Self.salt($0), now: 500) }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(accepted == 2000)
    }
}
