import Foundation
import Testing

/// The `openssl` command, for cross-checking what the store writes against an independent X.509
/// implementation. Tests using it are skipped, with this reason, when it is absent.
enum OpenSSLTool {
    static let path = "/usr/bin/openssl"
    static let isAvailable = FileManager.default.isExecutableFile(atPath: path)
    static let missingReason: Comment = "needs openssl at /usr/bin/openssl to cross-check certificates"

    /// Runs `openssl arguments…`; returns the exit status and stdout+stderr.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
