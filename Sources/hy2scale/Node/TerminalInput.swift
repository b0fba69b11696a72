import Foundation
import Glibc
import SystemCalls

/// Standard input when it is a terminal: reads a line without echoing it, for passwords.
struct TerminalInput {
    /// `nil` when standard input is not a terminal.
    init?() {
        guard Posix.isTerminal(STDIN_FILENO) else { return nil }
    }

    /// Writes `prompt` to standard error and reads one line with echo off; echo is restored even
    /// when reading fails.
    /// - Throws: ``SystemCallError`` when the terminal cannot be switched to no-echo mode.
    func readHidden(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        let saved = try Posix.tcgetattr(STDIN_FILENO)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        try Posix.tcsetattr(STDIN_FILENO, TCSAFLUSH, silent)
        defer {
            _ = try? Posix.tcsetattr(STDIN_FILENO, TCSAFLUSH, saved)  // restoring can only fail if the terminal is gone
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
