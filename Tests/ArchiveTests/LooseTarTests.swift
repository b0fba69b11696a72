import Archive
import Testing

/// Inputs Debian 12's libarchive (3.6.2) reads without complaint, each of which the backup reader
/// must still refuse: the checks the Archive module keeps on top of libarchive and zlib.
@Suite("Inputs libarchive alone would accept")
struct LooseTarTests {
    private func read(_ tar: [UInt8]) throws(ArchiveError) -> [ArchiveFile] {
        try BackupArchive.read(try Gzip.compress(tar), maxFileSize: 1 << 20, maxTotalSize: 1 << 20)
    }

    private let oneFile = RawTar.archive(name: "config.yaml", contents: Array("name: a\n".utf8))

    @Test("a v7 header without ustar magic is refused")
    func v7Header() {
        let tar = RawTar.header(name: "config.yaml", size: 1, magic: "") + RawTar.data([1]) + RawTar.end
        #expect(throws: ArchiveError(.notUstar, "")) { try read(tar) }
    }

    @Test("typeflag 7 (contiguous file), which libarchive reads as a regular file, is refused")
    func contiguousFile() {
        let tar = RawTar.header(name: "config.yaml", type: "7", size: 1) + RawTar.data([1]) + RawTar.end
        let error = #expect(throws: ArchiveError(.unsupportedEntryType, "")) { try read(tar) }
        #expect(error?.message.contains("a contiguous file") == true)
    }

    @Test("an archive without its end-of-archive marker, or with half of it, is refused as truncated")
    func missingEndMarker() {
        #expect(throws: ArchiveError(.truncatedTar, "")) { try read(Array(oneFile.dropLast(1024))) }
        #expect(throws: ArchiveError(.truncatedTar, "")) { try read(Array(oneFile.dropLast(512))) }
    }

    @Test("bytes after the end-of-archive marker are refused, a whole entry included")
    func junkAfterEnd() {
        #expect(throws: ArchiveError(.trailingTarData, "")) { try read(oneFile + Array("junk".utf8)) }
        #expect(throws: ArchiveError(.trailingTarData, "")) { try read(oneFile + RawTar.archive(name: "extra", contents: [1])) }
    }

    @Test("a damaged gzip CRC or length in the trailer is refused")
    func gzipTrailer() throws {
        let good = try Gzip.compress(oneFile)
        #expect(try BackupArchive.read(good, maxFileSize: 100, maxTotalSize: 100).count == 1)
        for (index, field) in [(good.count - 8, "CRC32"), (good.count - 4, "ISIZE")] {  // RFC 1952 §2.3
            var damaged = good
            damaged[index] ^= 0x01
            #expect(throws: ArchiveError(.corruptGzip, ""), "\(field)") {
                try BackupArchive.read(damaged, maxFileSize: 100, maxTotalSize: 100)
            }
        }
    }

    @Test("a pax header that would rename the next entry is refused, not followed")
    func paxPath() {
        let record = Array("30 path=../../../etc/passwd\n".utf8)
        let tar = RawTar.header(name: "PaxHeaders/a", type: "x", size: record.count) + RawTar.data(record)
            + RawTar.archive(name: "a", contents: [1])
        let error = #expect(throws: ArchiveError(.unsupportedEntryType, "")) { try read(tar) }
        #expect(error?.message.contains("a pax extended header") == true)
    }

    @Test("a GNU header whose real-size field libarchive would honour is refused")
    func gnuRealSize() {
        var header = RawTar.header(name: "a", size: 1, magic: "ustar  \u{0}")
        for (i, byte) in "00000001000".utf8.enumerated() { header[483 + i] = byte }  // realsize
        RawTar.setChecksum(&header)
        #expect(throws: ArchiveError(.unsupportedEntryType, "")) { try read(header + RawTar.data([1]) + RawTar.end) }
    }

    @Test("a GNU header with a sparse map under typeflag 0, which would move its data, is refused")
    func gnuSparseMap() {
        var header = RawTar.header(name: "a", size: 1, magic: "ustar  \u{0}")
        for (i, byte) in "00000000144".utf8.enumerated() { header[386 + i] = byte }  // sparse[0].offset: 100
        for (i, byte) in "00000000001".utf8.enumerated() { header[398 + i] = byte }  // sparse[0].numbytes
        RawTar.setChecksum(&header)
        #expect(throws: ArchiveError(.unsupportedEntryType, "")) { try read(header + RawTar.data([1]) + RawTar.end) }
    }

    @Test("a regular file named with a trailing '/', which libarchive turns into a directory, is refused")
    func fileWithSlash() {
        let tar = RawTar.header(name: "a/", size: 1) + RawTar.data([1]) + RawTar.end
        #expect(throws: ArchiveError(.invalidPath, "")) { try read(tar) }
    }
}
