#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Standard input when it is a terminal: reads a line without echoing it, for passwords.
struct TerminalInput {
    /// The terminal could not be switched to no-echo mode; the text names the C function.
    struct Failure: Error, CustomStringConvertible {
        var function: String
        var errno: Int32
        var description: String { "\(function): \(String(cString: strerror(errno)))" }
    }

    /// `nil` when standard input is not a terminal.
    init?() {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
    }

    /// Writes `prompt` to standard error and reads one line with echo off; echo is restored even
    /// when reading fails.
    func readHidden(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw Failure(function: "tcgetattr", errno: errno) }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { throw Failure(function: "tcsetattr", errno: errno) }
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)  // restoring can only fail if the terminal is gone
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
