public import Foundation
import Glibc

/// Reads a child's pipe on a thread of its own until the last writer closes it.
///
/// Foundation's `readabilityHandler` with `availableData` traps the whole test process when a
/// read fails, and its dispatch sources have crashed under many pipes at once (SR-12079); a
/// blocking `read(2)` that takes an error for the end has neither problem.
public enum PipeReader {
    /// Hands each chunk read from `pipe` to `chunk`, then calls `ended`; the thread holds the
    /// pipe, so its descriptor stays open until then.
    public static func start(_ pipe: Pipe, chunk: @escaping @Sendable (Data) -> Void, ended: @escaping @Sendable () -> Void = {}) {
        let thread = Thread {
            let descriptor = pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                chunk(Data(buffer[..<count]))
            }
            ended()
        }
        thread.name = "test-pipe-reader"
        thread.start()
    }

    /// Collects what `pipe` carries, as text, into `buffer`.
    public static func start(_ pipe: Pipe, into buffer: TextBuffer) {
        start(pipe) { buffer.append(String(decoding: $0, as: UTF8.self)) }
    }
}
