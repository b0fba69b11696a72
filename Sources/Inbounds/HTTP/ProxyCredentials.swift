import Foundation

/// `Proxy-Authorization: Basic base64(user:pass)` (RFC 7617).
package enum ProxyCredentials {
    /// What a `Proxy-Authorization` header says.
    package enum Parsed: Equatable {
        /// Basic with a user name (up to the first `:`) and a password.
        case credentials(username: String, password: String)
        /// Absent or another scheme: answered 407.
        case missing
        /// Basic but not decodable: answered 400.
        case malformed
    }

    /// Reads the header's value (`nil` when the header is absent).
    package static func parse(_ header: String?) -> Parsed {
        guard let header else { return .missing }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic" else { return .missing }
        guard let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return .malformed }
        return .credentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}
