import Archive
import Foundation
import TestSupport
import Testing

@Suite("Gzip")
struct GzipTests {
    @Test("compress then decompress gives the input back", arguments: [0, 1, 100, 65_535, 65_536, 300_000])
    func roundTrip(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        let input = (0..<count).map { _ in UInt8.random(in: 0...15, using: &generator) }
        let compressed = try Gzip.compress(input)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])  // RFC 1952 §2.3.1: ID1 ID2 CM
        #expect(try Gzip.decompress(compressed, limit: count) == input)
    }

    @Test("system gzip reads what compress writes")
    func systemGzipReads() async throws {
        try await withTemporaryDirectory { tmp in
            let input = Array("hello, gzip\n".utf8)
            try write(Gzip.compress(input), to: tmp.child("a.gz"))
            let result = try shell(["gzip", "-dc", tmp.child("a.gz").path])
            #expect(result.status == 0)
            #expect(result.output == "hello, gzip\n")
        }
    }

    @Test("output of exactly the limit is accepted; one byte over is refused")
    func limitIsExact() throws {
        let input = [UInt8](repeating: 7, count: 1000)
        let compressed = try Gzip.compress(input)
        #expect(try Gzip.decompress(compressed, limit: 1000) == input)
        let error = #expect(throws: ArchiveError(.decompressedTooLarge, "")) { try Gzip.decompress(compressed, limit: 999) }
        #expect(error?.message.contains("999") == true)
        #expect(throws: ArchiveError(.decompressedTooLarge, "")) { try Gzip.decompress(compressed, limit: -1) }
    }

    @Test("a gzip bomb is refused at the limit")
    func bomb() throws {
        // 64 MiB of zeros compresses to about 64 KiB.
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 1 << 20)
        #expect(throws: ArchiveError(.decompressedTooLarge, "")) { try Gzip.decompress(bomb, limit: 1 << 20) }
    }

    @Test("random bytes are refused as corrupt gzip")
    func randomBytes() {
        var generator = SplitMix64(seed: 42)
        let junk = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let error = #expect(throws: ArchiveError(.corruptGzip, "")) { try Gzip.decompress(junk, limit: 1 << 20) }
        #expect(error?.message.contains("inflate") == true)
    }

    @Test("empty input is refused as truncated")
    func empty() {
        #expect(throws: ArchiveError(.truncatedGzip, "")) { try Gzip.decompress([], limit: 100) }
    }

    @Test("gzip cut at every offset is refused, never trapping")
    func truncatedEverywhere() throws {
        let compressed = try Gzip.compress(Array(String(repeating: "backup data ", count: 200).utf8))
        for length in 0..<compressed.count {
            #expect(throws: ArchiveError.self, "cut at \(length)") {
                try Gzip.decompress(Array(compressed.prefix(length)), limit: 1 << 20)
            }
        }
        #expect(throws: ArchiveError(.truncatedGzip, "")) {
            try Gzip.decompress(Array(compressed.dropLast(4)), limit: 1 << 20)
        }
    }

    @Test("a damaged CRC in the trailer is refused")
    func badCRC() throws {
        var compressed = try Gzip.compress(Array("some text".utf8))
        compressed[compressed.count - 8] ^= 0xFF  // RFC 1952 §2.3: CRC32, then ISIZE
        #expect(throws: ArchiveError(.corruptGzip, "")) { try Gzip.decompress(compressed, limit: 100) }
    }

    @Test("bytes after the gzip stream are refused")
    func trailing() throws {
        let compressed = try Gzip.compress(Array("some text".utf8))
        #expect(throws: ArchiveError(.trailingGzipData, "")) { try Gzip.decompress(compressed + [0], limit: 100) }
        #expect(throws: ArchiveError(.trailingGzipData, "")) { try Gzip.decompress(compressed + compressed, limit: 100) }
    }
}
