/// The checks each header block passes before libarchive reads it.
///
/// libarchive's tar reader is looser than a restore may be (Debian 12's 3.6.2): it takes v7
/// headers without magic, reads typeflag `7` and unknown types as regular files, follows pax and
/// GNU extension headers, decodes a number up to its first stray byte, accepts base-256 numbers,
/// reads a directory's declared data as the next header, and applies a GNU sparse map or real
/// size under any typeflag. So a block reaches libarchive only as a ustar or GNU header of a file
/// or directory with a matching checksum, plain octal numbers and no sparse fields; libarchive
/// never parses an extension header at all.
extension TarHeader {
    /// What the screen read from a header block.
    struct Screened {
        /// The kind the typeflag names.
        var kind: TarEntry.Kind
        /// The size field: the data bytes that follow the header (0 for a directory).
        var size: Int
    }

    /// Checks one non-zero header block that starts at byte `offset` of the tar data.
    ///
    /// - Throws: ``ArchiveError`` `notUstar`, `badChecksum`, `unsupportedEntryType` or
    ///   `badHeaderField`, each naming `offset`.
    static func screen(_ block: ArraySlice<UInt8>, at offset: Int) throws(ArchiveError) -> Screened {
        func fail(_ code: ArchiveError.Code, _ reason: String) -> ArchiveError {
            ArchiveError(code, "tar entry at byte \(offset): \(reason)")
        }
        let magic = Array(block.dropFirst(Field.magic.lowerBound).prefix(8))
        guard magic == posixMagic + posixVersion || magic == gnuMagicAndVersion else {
            throw fail(.notUstar, "no ustar magic; this is not a tar archive in ustar or GNU format")
        }
        let checksumOK: Bool
        do throws(ArchiveError) {
            checksumOK = try checksumMatches(block)
        } catch {
            throw fail(.badChecksum, error.message)
        }
        guard checksumOK else {
            throw fail(.badChecksum, "header checksum does not match; the archive is damaged")
        }

        let name = String(decoding: readString(block, Field.name), as: UTF8.self)
        let typeflag = block[block.startIndex + Field.typeflag]
        let kind: TarEntry.Kind
        switch typeflag {
        case TypeFlag.regular, TypeFlag.regularOld: kind = .file
        case TypeFlag.directory: kind = .directory
        default:
            throw fail(
                .unsupportedEntryType,
                "\(quoted(name)) is \(describe(typeflag: typeflag)); only regular files and directories are accepted"
            )
        }

        func number(_ range: Range<Int>, _ field: String) throws(ArchiveError) -> Int64 {
            do throws(ArchiveError) {
                return try readOctal(block, range, field)
            } catch {
                throw fail(error.code, "\(quoted(name)): \(error.message)")
            }
        }
        _ = try number(Field.mode, "mode")
        let size = Int(try number(Field.size, "size"))  // at most 12 octal digits: < 2^36
        _ = try number(Field.mtime, "mtime")
        guard kind == .file || size == 0 else {
            throw fail(.badHeaderField, "\(quoted(name)): a directory with size \(size); it must be 0")
        }
        // libarchive honours these GNU fields under any typeflag: a sparse map puts holes in the
        // data and a real size overrides the size field.
        if magic == gnuMagicAndVersion, block.dropFirst(Field.gnuSparse.lowerBound).prefix(Field.gnuSparse.count).contains(where: { $0 != 0 }) {
            throw fail(.unsupportedEntryType, "\(quoted(name)) is a GNU sparse file (sparse map or real size set)")
        }
        return Screened(kind: kind, size: size)
    }

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
