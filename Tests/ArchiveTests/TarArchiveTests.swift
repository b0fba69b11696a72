import Archive
import TestSupport
import Foundation
import Testing

/// Reader bounds large enough not to matter in tests that are about something else.
private let roomy = (file: 1 << 20, total: 4 << 20)

private func parse(_ bytes: [UInt8]) throws(ArchiveError) -> [TarEntry] {
    try TarArchive(parsing: bytes, maxFileSize: roomy.file, maxTotalSize: roomy.total).entries
}

@Suite("Tar writer")
struct TarWriterTests {
    @Test("files and directories round-trip with path, kind, mode, time and contents")
    func roundTrip() throws {
        var archive = TarArchive()
        try archive.addDirectory(path: "tls", mode: 0o700, modificationTime: 1_700_000_000)
        try archive.addFile(path: "tls/key.pem", mode: 0o600, modificationTime: 1_700_000_001, contents: Array("KEY".utf8))
        try archive.addFile(path: "config.yaml", mode: 0o644, contents: Array("listen: :443\n".utf8))
        try archive.addFile(path: "empty", mode: 0o644, contents: [])
        try archive.addFile(path: "block", contents: [UInt8](repeating: 0xAB, count: 512))
        let bytes = archive.bytes
        #expect(bytes.count % 512 == 0)
        #expect(bytes.suffix(1024).allSatisfy { $0 == 0 })
        #expect(try parse(bytes) == archive.entries)
    }

    @Test("an empty archive is just the end marker and reads back empty")
    func empty() throws {
        let bytes = TarArchive().bytes
        #expect(bytes == [UInt8](repeating: 0, count: 1024))
        #expect(try parse(bytes).isEmpty)
    }

    @Test("a path over 100 bytes goes into the ustar prefix and reads back whole")
    func longPath() throws {
        let path = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 90)
        var archive = TarArchive()
        try archive.addFile(path: path, contents: [1, 2, 3])
        let bytes = archive.bytes
        #expect(bytes[0..<90].allSatisfy { $0 == UInt8(ascii: "f") })
        #expect(try parse(bytes).first?.path == path)
    }

    @Test("paths the ustar fields cannot hold are refused")
    func tooLong() {
        var archive = TarArchive()
        #expect(throws: ArchiveError(.pathTooLong, "")) {
            try archive.addFile(path: String(repeating: "f", count: 101), contents: [])
        }
        #expect(throws: ArchiveError(.pathTooLong, "")) {
            try archive.addFile(path: String(repeating: "d", count: 156) + "/f", contents: [])
        }
        #expect(throws: ArchiveError(.pathTooLong, "")) {  // the directory's trailing "/" makes 101
            try archive.addDirectory(path: String(repeating: "d", count: 100))
        }
        #expect(archive.entries.isEmpty)
    }

    @Test("unsafe or malformed paths are refused by the writer",
          arguments: ["", "/etc/passwd", "../evil", "a/../../evil", "a//b", "a/", "./a", "a/./b", "a\u{0}b", ".."])
    func badPaths(path: String) {
        var archive = TarArchive()
        #expect(throws: ArchiveError(.invalidPath, "")) { try archive.addFile(path: path, contents: []) }
    }

    @Test("a duplicate path, an oversized mode and a negative time are refused")
    func badAttributes() throws {
        var archive = TarArchive()
        try archive.addFile(path: "a", contents: [])
        #expect(throws: ArchiveError(.duplicatePath, "")) { try archive.addDirectory(path: "a") }
        #expect(throws: ArchiveError(.invalidAttribute, "")) { try archive.addFile(path: "b", mode: 0o10000, contents: []) }
        #expect(throws: ArchiveError(.invalidAttribute, "")) { try archive.addFile(path: "b", modificationTime: -1, contents: []) }
        #expect(throws: ArchiveError(.invalidAttribute, "")) {
            try archive.add(TarEntry(path: "d", kind: .directory, mode: 0o755, contents: [1]))
        }
        #expect(archive.entries.count == 1)
    }
}

@Suite("Tar reader")
struct TarReaderTests {
    @Test("'../evil' is refused with its path and offset in the message")
    func dotDot() {
        let error = #expect(throws: ArchiveError(.invalidPath, "")) { try parse(RawTar.archive(name: "../evil", contents: [1])) }
        #expect(error?.message.contains("\"../evil\"") == true)
        #expect(error?.message.contains("byte 0") == true)
    }

    @Test("escaping and malformed paths are refused",
          arguments: ["/etc/passwd", "../evil", "a/../../evil", "a/..", "a//b", "", "a/"])
    func badPaths(name: String) {
        #expect(throws: ArchiveError(.invalidPath, "")) { try parse(RawTar.archive(name: name, contents: [1])) }
    }

    @Test("a '..' hidden in the ustar prefix is refused")
    func dotDotInPrefix() {
        let bytes = RawTar.header(name: "passwd", size: 0, prefix: "../../etc") + RawTar.end
        #expect(throws: ArchiveError(.invalidPath, "")) { try parse(bytes) }
    }

    @Test("a non-UTF-8 path is refused")
    func notUTF8() {
        var header = RawTar.header(name: "ab")
        header[0] = 0xFF
        RawTar.setChecksum(&header)
        #expect(throws: ArchiveError(.invalidPath, "")) { try parse(header + RawTar.end) }
    }

    @Test("links, devices, FIFOs and extension headers are refused",
          arguments: [("1", "a hard link"), ("2", "a symbolic link"), ("3", "a character device"),
                      ("4", "a block device"), ("6", "a FIFO"), ("x", "a pax extended header"),
                      ("L", "a GNU long-name header"), ("7", "a contiguous file")])
    func entryTypes(type: String, described: String) throws {
        let bytes = RawTar.archive(name: "link", type: try #require(type.first), linkName: "/etc/passwd")
        let error = #expect(throws: ArchiveError(.unsupportedEntryType, "")) { try parse(bytes) }
        #expect(error?.message.contains(described) == true)
    }

    @Test("a bad header checksum is refused")
    func badChecksum() {
        let bytes = RawTar.header(name: "a", size: 1, checksumDelta: 1) + RawTar.data([1]) + RawTar.end
        #expect(throws: ArchiveError(.badChecksum, "")) { try parse(bytes) }
    }

    @Test("a flipped byte in a header is caught by the checksum")
    func flippedHeaderByte() throws {
        var archive = TarArchive()
        try archive.addFile(path: "config.yaml", contents: Array("x".utf8))
        var bytes = archive.bytes
        bytes[3] ^= 0x01  // inside the name
        #expect(throws: ArchiveError(.badChecksum, "")) { try parse(bytes) }
    }

    @Test("a header without ustar magic is refused")
    func noMagic() {
        let bytes = RawTar.header(name: "a", magic: "") + RawTar.end
        #expect(throws: ArchiveError(.notUstar, "")) { try parse(bytes) }
    }

    @Test("non-octal numbers are refused")
    func badNumbers() {
        #expect(throws: ArchiveError(.badHeaderField, "")) { try parse(RawTar.header(name: "a", mode: "06x4") + RawTar.end) }
        #expect(throws: ArchiveError(.badHeaderField, "")) { try parse(RawTar.header(name: "a", mode: "") + RawTar.end) }
        var base256 = RawTar.header(name: "a")
        base256[124] = 0x80  // GNU's base-256 form of the size field
        RawTar.setChecksum(&base256)
        #expect(throws: ArchiveError(.badHeaderField, "")) { try parse(base256 + RawTar.end) }
    }

    @Test("a file over the per-file bound is refused before its data is read")
    func fileTooLarge() {
        // Declares 1 GiB but carries none of it: the bound is checked first.
        let bytes = RawTar.header(name: "big", size: 1 << 30) + RawTar.end
        let error = #expect(throws: ArchiveError(.fileTooLarge, "")) {
            try TarArchive(parsing: bytes, maxFileSize: 1000, maxTotalSize: 1 << 40)
        }
        #expect(error?.message.contains("1000") == true)
    }

    @Test("files over the total bound are refused, each under the per-file bound")
    func totalTooLarge() throws {
        var archive = TarArchive()
        for i in 0..<4 { try archive.addFile(path: "f\(i)", contents: [UInt8](repeating: 1, count: 400)) }
        #expect(throws: ArchiveError(.archiveTooLarge, "")) {
            try TarArchive(parsing: archive.bytes, maxFileSize: 400, maxTotalSize: 1000)
        }
        #expect(try TarArchive(parsing: archive.bytes, maxFileSize: 400, maxTotalSize: 1600).entries.count == 4)
    }

    @Test("more entries than allowed are refused")
    func tooManyEntries() throws {
        var archive = TarArchive()
        for i in 0..<5 { try archive.addDirectory(path: "d\(i)") }
        #expect(throws: ArchiveError(.archiveTooLarge, "")) {
            try TarArchive(parsing: archive.bytes, maxFileSize: 1, maxTotalSize: 1, maxEntryCount: 4)
        }
    }

    @Test("a duplicate path is refused")
    func duplicate() {
        let bytes = RawTar.header(name: "a") + RawTar.header(name: "a") + RawTar.end
        #expect(throws: ArchiveError(.duplicatePath, "")) { try parse(bytes) }
    }

    @Test("a directory with a size is refused")
    func directoryWithSize() {
        let bytes = RawTar.header(name: "d/", type: "5", size: 1) + RawTar.data([1]) + RawTar.end
        #expect(throws: ArchiveError(.badHeaderField, "")) { try parse(bytes) }
    }

    @Test("an archive cut at any byte is refused as truncated")
    func truncatedEverywhere() throws {
        var archive = TarArchive()
        try archive.addFile(path: "a", contents: [UInt8](repeating: 1, count: 700))
        try archive.addFile(path: "b", contents: [2])
        let bytes = archive.bytes
        for length in stride(from: 0, to: bytes.count, by: 1) {
            #expect(throws: ArchiveError(.truncatedTar, ""), "cut at \(length)") { try parse(Array(bytes.prefix(length))) }
        }
    }

    @Test("zero padding after the end marker is accepted; other bytes are not")
    func afterEnd() throws {
        var archive = TarArchive()
        try archive.addFile(path: "a", contents: [1])
        #expect(try parse(archive.bytes + [UInt8](repeating: 0, count: 9 * 512)).count == 1)
        #expect(throws: ArchiveError(.trailingTarData, "")) { try parse(archive.bytes + [0, 0, 7]) }
    }

    @Test("random bytes are refused without trapping")
    func randomBytes() {
        var generator = SplitMix64(seed: 7)
        for size in [0, 1, 511, 512, 1024, 4096] {
            let junk = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: ArchiveError.self) { try parse(junk) }
        }
    }
}
