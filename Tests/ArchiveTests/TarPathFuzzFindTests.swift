import Archive
import Testing

/// Paths the fuzzer found (Fuzz/Corpus/archive): a `/` or `.` followed by a combining mark is one
/// `Character` to Swift but a separator or a dot to the file system, so paths are judged on bytes.
@Suite("Tar paths with combining marks")
struct TarPathFuzzFindTests {
    static let escaping = ["x/../\u{301}y", "../\u{301}etc", "./../\u{301}"]

    @Test("the writer refuses a path whose bytes hold a '..' component", arguments: escaping)
    func writerRefuses(_ path: String) {
        var archive = TarArchive()
        let error = #expect(throws: ArchiveError.self) {
            try archive.addFile(path: path, mode: 0o600, contents: [1])
        }
        #expect(error?.code == .invalidPath)
        #expect(throws: ArchiveError.self) { try BackupArchive.make(files: [ArchiveFile(path: path, contents: [1])]) }
    }

    @Test("the reader refuses a header whose path bytes hold a '..' component", arguments: escaping)
    func readerRefuses(_ path: String) throws {
        let placeholder = String(repeating: "p", count: path.utf8.count)
        var archive = TarArchive()
        try archive.addFile(path: placeholder, mode: 0o600, contents: [1])
        var bytes = archive.bytes
        bytes.replaceSubrange(0..<path.utf8.count, with: Array(path.utf8))
        // Header checksum: the byte sum with the checksum field read as spaces, six octal digits.
        bytes.replaceSubrange(148..<156, with: Array(repeating: UInt8(ascii: " "), count: 8))
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        let octal = Array(String(sum, radix: 8).utf8)
        bytes.replaceSubrange(148..<156, with: Array(repeating: UInt8(ascii: "0"), count: 6 - octal.count) + octal + [0, 0x20])
        let error = #expect(throws: ArchiveError.self) {
            try TarArchive(parsing: bytes, maxFileSize: 1 << 20, maxTotalSize: 1 << 20)
        }
        #expect(error?.code == .invalidPath)
    }

    @Test("a combining mark after a separator stays inside its component")
    func combiningMarkAfterSeparator() throws {
        let files = [ArchiveFile(path: "a/\u{301}b", mode: 0o600, contents: [2])]
        let read = try BackupArchive.read(try BackupArchive.make(files: files), maxFileSize: 64, maxTotalSize: 64)
        #expect(read == files)
    }
}
