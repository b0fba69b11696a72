/// A linear pre-check of how deeply a JSON text nests, run before handing peer bytes to a
/// recursive decoder, so a document of a million `[` cannot exhaust the stack.
package enum JSONNesting {
    /// Throws ``MeshWireError/jsonTooDeep(limit:)`` if arrays and objects nest deeper than
    /// `limit`. Brackets inside strings do not count; the text is not otherwise validated.
    package static func check(_ bytes: some Sequence<UInt8>, limit: Int) throws(MeshWireError) {
        var depth = 0
        var isInString = false
        var isEscaped = false
        for byte in bytes {
            if isInString {
                if isEscaped { isEscaped = false } else if byte == UInt8(ascii: "\\") { isEscaped = true }
                else if byte == UInt8(ascii: "\"") { isInString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): isInString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= limit else { throw .jsonTooDeep(limit: limit) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }
}
