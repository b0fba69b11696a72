/// The 512-byte ustar header: field layout, octal numbers and the checksum.
///
/// Layout from POSIX.1-2017, pax, "ustar Interchange Format". GNU tar's default format differs
/// only in its magic (`ustar  \0`) and in using the prefix field for other things, so the reader
/// accepts both magics and reads `prefix` only under the POSIX one.
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

    // MARK: Reading

    /// True if every byte of `block` is zero: half of the end-of-archive marker.
    static func isZero(_ block: ArraySlice<UInt8>) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Whether the stored checksum matches, counting bytes as unsigned or (as some old tars did)
    /// as signed.
    static func checksumMatches(_ block: ArraySlice<UInt8>) throws(ArchiveError) -> Bool {
        let stored = try readOctal(block, Field.checksum, "checksum")
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (offset, byte) in block.enumerated() {
            let value = Field.checksum.contains(offset) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    /// Reads an octal number field: optional leading spaces, at least one digit, then only NULs
    /// or spaces. GNU's base-256 form (high bit set) is refused: no accepted value needs it.
    static func readOctal(_ block: ArraySlice<UInt8>, _ range: Range<Int>, _ field: String) throws(ArchiveError) -> Int64 {
        let bytes = block.dropFirst(range.lowerBound).prefix(range.count)
        var value: Int64 = 0
        var digits = 0
        var ended = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7") where !ended:
                value = value * 8 + Int64(byte - UInt8(ascii: "0"))  // ≤ 12 digits: no overflow
                digits += 1
            case UInt8(ascii: " ") where digits == 0 && !ended:
                continue
            case 0, UInt8(ascii: " "):
                ended = true
            default:
                throw ArchiveError(
                    .badHeaderField,
                    "header field \(field) is not an octal number (byte 0x\(String(byte, radix: 16)))"
                )
            }
        }
        guard digits > 0 else {
            throw ArchiveError(.badHeaderField, "header field \(field) is empty; an octal number is required")
        }
        return value
    }

    /// The bytes of `range` up to the first NUL.
    static func readString(_ block: ArraySlice<UInt8>, _ range: Range<Int>) -> ArraySlice<UInt8> {
        let bytes = block.dropFirst(range.lowerBound).prefix(range.count)
        return bytes.prefix { $0 != 0 }
    }

    /// A readable name for a typeflag this code refuses.
    static func describe(typeflag: UInt8) -> String {
        switch typeflag {
        case UInt8(ascii: "1"): "a hard link"
        case UInt8(ascii: "2"): "a symbolic link"
        case UInt8(ascii: "3"): "a character device"
        case UInt8(ascii: "4"): "a block device"
        case UInt8(ascii: "6"): "a FIFO"
        case UInt8(ascii: "7"): "a contiguous file"
        case UInt8(ascii: "x"), UInt8(ascii: "g"): "a pax extended header"
        case UInt8(ascii: "L"), UInt8(ascii: "K"): "a GNU long-name header"
        case UInt8(ascii: "S"): "a GNU sparse file"
        default: "an entry of type 0x\(String(typeflag, radix: 16))"
        }
    }
}
