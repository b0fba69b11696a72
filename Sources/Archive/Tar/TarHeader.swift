/// The 512-byte ustar header: field layout, octal numbers and the checksum.
///
/// Layout from POSIX.1-2017, pax, "ustar Interchange Format". GNU tar's default format differs
/// only in its magic (`ustar  \0`) and in using the prefix field for other things, so the screen
/// (`TarHeader+Screening.swift`) accepts both magics and libarchive reads `prefix` only under the
/// POSIX one.
struct TarHeader {
    /// Size of a header and of the unit data is padded to (POSIX ustar).
    static let blockSize = 512
    /// The largest value of an 11-digit octal field (size, mtime): 8^11 − 1 (8 GiB − 1).
    static let maxNumber: Int64 = 0o77777777777
    /// The permission bits a header carries; file type bits are in the typeflag instead.
    static let modeMask: UInt32 = 0o7777

    /// Byte ranges of the fields this code reads or writes.
    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156
        static let magic = 257..<263
        static let version = 263..<265
        static let prefix = 345..<500
        /// Old GNU format: four sparse entries, the extended flag and the real size (GNU tar
        /// manual, "Standard"); where POSIX has the prefix.
        static let gnuSparse = 386..<495
    }

    static let posixMagic = Array("ustar\0".utf8)
    static let posixVersion = Array("00".utf8)
    /// GNU tar's "old GNU" magic and version, together 8 bytes (GNU tar manual, "Standard").
    static let gnuMagicAndVersion = Array("ustar  \0".utf8)

    /// Typeflags this code accepts.
    enum TypeFlag {
        static let regular = UInt8(ascii: "0")
        static let regularOld = UInt8(0)  // pre-POSIX tar wrote NUL for a regular file
        static let directory = UInt8(ascii: "5")
    }

    // MARK: Writing

    /// A complete header block for `entry`, which ``TarArchive`` has validated.
    static func encode(_ entry: TarEntry) throws(ArchiveError) -> [UInt8] {
        let headerPath = entry.kind == .directory ? entry.path + "/" : entry.path
        let (prefix, name) = try TarPath.split(headerPath)
        var block = [UInt8](repeating: 0, count: blockSize)
        block.replaceSubrange(Field.name.lowerBound..<Field.name.lowerBound + name.count, with: name)
        block.replaceSubrange(Field.prefix.lowerBound..<Field.prefix.lowerBound + prefix.count, with: prefix)
        writeOctal(Int64(entry.mode), into: &block, Field.mode)
        writeOctal(0, into: &block, Field.uid)
        writeOctal(0, into: &block, Field.gid)
        writeOctal(Int64(entry.contents.count), into: &block, Field.size)
        writeOctal(entry.modificationTime, into: &block, Field.mtime)
        block[Field.typeflag] = entry.kind == .directory ? TypeFlag.directory : TypeFlag.regular
        block.replaceSubrange(Field.magic, with: posixMagic)
        block.replaceSubrange(Field.version, with: posixVersion)
        // The checksum is computed with its own field as spaces, then stored as six octal
        // digits, NUL, space (the form every tar writes).
        block.replaceSubrange(Field.checksum, with: [UInt8](repeating: 0x20, count: Field.checksum.count))
        let sum = block.reduce(0) { $0 + Int64($1) }
        writeOctal(sum, into: &block, Field.checksum.lowerBound..<Field.checksum.upperBound - 1)
        return block
    }

    /// Writes `value` as zero-padded octal filling all but the last byte, then NUL.
    private static func writeOctal(_ value: Int64, into block: inout [UInt8], _ range: Range<Int>) {
        var digits = Array(String(value, radix: 8).utf8)
        let width = range.count - 1
        precondition(digits.count <= width, "TarHeader: \(value) does not fit \(width) octal digits")
        digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - digits.count) + digits
        block.replaceSubrange(range, with: digits + [0])
    }
}
