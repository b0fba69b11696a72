import Foundation

/// Writes one line to standard error (diagnostics, so standard output stays clean for scripts).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
