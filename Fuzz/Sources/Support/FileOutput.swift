#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to the standard streams, so a message printed just before an abort is not
/// lost in a buffer.
enum FileOutput {
    static func standardError(_ text: String) {
        write(text, to: 2)
    }

    static func standardOutput(_ text: String) {
        write(text, to: 1)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            guard written > 0 else { return }
            offset += written
        }
    }
}
