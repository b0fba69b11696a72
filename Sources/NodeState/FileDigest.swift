import Crypto
import Foundation

/// A short digest of files' contents, so a certificate renewed in place shows as a change.
public enum FileDigest {
    /// Hex of the first 8 bytes of SHA-256 over the files in order; `nil` when one cannot be read.
    public static func of(_ paths: [String]) -> String? {
        var hasher = SHA256()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            hasher.update(data: data)
        }
        return hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
