import NIOCore

/// Checks of the incremental-reader contract the wire codecs share (STYLE §3): an answer of
/// "need more bytes" leaves the buffer as it was, and a message that parses from some bytes is
/// also found when they arrive one prefix at a time, with "need more" before its last byte.
enum Incremental {
    /// Reads every prefix of `bytes` shorter than `length` (the whole message) and requires
    /// `isNeedMore` for each, with the buffer unchanged.
    static func requirePrefixesWait<R>(
        _ bytes: [UInt8], length: Int, _ what: String, read: (inout ByteBuffer) -> R, isNeedMore: (R) -> Bool
    ) {
        // Every prefix for short messages; for long ones 24 spread ones and the last.
        let step = max(1, length / 24)
        for cut in Array(stride(from: 0, to: length, by: step)) + (length > 0 ? [length - 1] : []) {
            var prefix = ByteBuffer(bytes: bytes[..<cut])
            let before = prefix
            let result = read(&prefix)
            require(isNeedMore(result), "\(what): the first \(cut) of \(length) bytes gave \(clip(result)), not need-more")
            require(prefix == before && prefix.readerIndex == before.readerIndex,
                    "\(what): need-more after \(cut) bytes moved the buffer")
        }
    }

    /// Requires that a buffer a reader answered "need more" for is unchanged.
    static func requireUnchanged(_ buffer: ByteBuffer, _ before: ByteBuffer, _ what: String) {
        require(buffer == before && buffer.readerIndex == before.readerIndex, "\(what): need-more moved the buffer")
    }
}
