import AdminAPI

/// The request head of plain HTTP sent to an admin server that serves HTTPS only: the redirect
/// it gets is built from the client's own Host and target.
enum PlainHTTPHarness: FuzzHarness {
    static let name = "plain-http"
    static let summary = "plain HTTP under force_https: a redirect is https:// plus a clean host and target, never a header line"

    static func run(_ bytes: [UInt8]) {
        let head = String(decoding: bytes, as: UTF8.self)
        guard let location = RequestBodyDecoding.plainHTTPRedirect(head: head) else { return }
        require(location.hasPrefix("https://"), "location \(clip(location))")
        require(location.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) },
                "location \(clip(location)) holds a space, a control character or non-ASCII")
        let rest = location.dropFirst("https://".count)
        require(rest.firstIndex(of: "/").map { !rest[..<$0].isEmpty } ?? false, "location \(clip(location)) has no host or no path")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("get", "GET /scale/api/users HTTP/1.1\r\nHost: node.example:5565\r\nAccept: */*"),
            ("ipv6", "POST /scale/api/login HTTP/1.1\r\nhost: [2001:db8::1]:5565"),
            ("lf", "GET / HTTP/1.0\nHost: 10.0.0.1\n"),
        ].map { ($0.0, Array($0.1.utf8)) }
    }
}
