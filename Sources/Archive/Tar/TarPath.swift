/// The path rules shared by the tar writer and reader.
///
/// An accepted path can be joined to a restore directory without leaving it: it is relative and
/// has no `..` components.
enum TarPath {
    /// ustar `name` field length (POSIX.1-2017, pax, "ustar Interchange Format").
    static let nameLength = 100
    /// ustar `prefix` field length (same source).
    static let prefixLength = 155

    /// Checks that `path` is already in the form ``TarEntry/path`` documents.
    static func validate(_ path: String) throws(ArchiveError) {
        guard !path.isEmpty else { throw invalid(path, "is empty") }
        guard !path.utf8.contains(0) else { throw invalid(path, "contains a NUL character") }
        guard path.utf8.first != slash else { throw invalid(path, "is absolute; only relative paths are accepted") }
        for component in components(path) {
            switch component {
            case [dot, dot]: throw invalid(path, "has a '..' component; paths must stay inside the archive")
            case [dot]: throw invalid(path, "has a '.' component; write the path without it")
            case []: throw invalid(path, "has an empty component ('//' or a trailing '/')")
            default: continue
            }
        }
    }

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// The `/`-separated components of `path`, split on bytes as a file system splits them: a
    /// `/` or `.` followed by a combining mark is still a separator or a dot there, though
    /// `String` would fold them into one character with the mark.
    private static func components(_ path: some StringProtocol) -> [[UInt8]] {
        Array(path.utf8).split(separator: slash, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Turns the raw header path into ``TarEntry/path`` form, or `nil` for the archive root (`./`).
    ///
    /// Drops `.` components (`tar -C dir -czf x.tgz .` writes `./a`) and, for a directory, one
    /// trailing `/`; then applies ``validate(_:)``.
    static func normalize(_ raw: String, isDirectory: Bool) throws(ArchiveError) -> String? {
        guard raw.utf8.first != slash else { throw invalid(raw, "is absolute; only relative paths are accepted") }
        var parts = components(raw)
        if isDirectory, parts.count > 1, parts.last == [] { parts.removeLast() }
        parts.removeAll { $0 == [dot] }
        if parts.isEmpty {
            guard isDirectory else { throw invalid(raw, "names no file") }
            return nil
        }
        // Whole components joined by `/`: still valid UTF-8, since `/` is one byte of its own.
        let path = String(decoding: Array(parts.joined(separator: [slash])), as: UTF8.self)
        try validate(path)
        return path
    }

    /// Splits a header path (a directory's with its trailing `/`) into ustar `prefix` and `name`.
    ///
    /// - Throws: `pathTooLong` when no `/` splits it into a prefix of at most 155 bytes and a
    ///   non-empty name of at most 100.
    static func split(_ headerPath: String) throws(ArchiveError) -> (prefix: [UInt8], name: [UInt8]) {
        let bytes = Array(headerPath.utf8)
        if bytes.count <= nameLength { return ([], bytes) }
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") {
            guard index <= prefixLength else { break }
            let nameCount = bytes.count - index - 1
            if nameCount > 0, nameCount <= nameLength {
                return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
            }
        }
        throw ArchiveError(
            .pathTooLong,
            "path \(quoted(headerPath)) is \(bytes.count) bytes and does not fit ustar's fields: at most \(nameLength) bytes after the last '/' split point and \(prefixLength) before it"
        )
    }

    private static func invalid(_ path: String, _ reason: String) -> ArchiveError {
        ArchiveError(.invalidPath, "path \(quoted(path)) \(reason)")
    }
}

/// `text` in double quotes with control characters escaped, cut to a readable length.
func quoted(_ text: String) -> String {
    let limit = 300  // enough for a full ustar path (100 + 1 + 155)
    let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
    return "\"" + shown.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
}
