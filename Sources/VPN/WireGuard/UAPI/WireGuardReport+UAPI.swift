import Addressing

extension WireGuardReport {
    /// Reads a `get=1` answer: `key=value` lines ending with `errno=N` and an empty line. Keys
    /// this code does not use are skipped, so a newer wireguard-go still parses.
    ///
    /// - Throws: ``UAPIError`` for a line that is not `key=value`, a value that does not parse, a
    ///   peer key before any `public_key`, a missing `errno` line, or a non-zero errno.
    public static func parse(uapi text: String) throws(UAPIError) -> WireGuardReport {
        var report = WireGuardReport()
        var current: Peer?
        var errno: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard errno == nil else { throw .malformed(line: number + 1, "a line after errno") }
            guard let equals = line.firstIndex(of: "=") else { throw .malformed(line: number + 1, "not key=value") }
            let key = line[..<equals], value = line[line.index(after: equals)...]
            func fail(_ what: String) -> UAPIError { .malformed(line: number + 1, "\(key): \(what)") }
            switch key {
            case "errno":
                guard let code = Int(value) else { throw fail("not a number") }
                errno = code
            case "private_key":
                guard let key = WireGuardKey(hex: value) else { throw fail("not 64 hex digits") }
                report.privateKey = key
            case "listen_port":
                guard let port = UInt16(value) else { throw fail("not a port") }
                report.listenPort = port
            case "public_key":
                guard let key = WireGuardKey(hex: value) else { throw fail("not 64 hex digits") }
                if let current { report.peers.append(current) }
                current = Peer(publicKey: key)
            case "endpoint", "allowed_ip", "persistent_keepalive_interval", "last_handshake_time_sec", "rx_bytes", "tx_bytes":
                guard var peer = current else { throw fail("before any public_key") }
                switch key {
                case "endpoint": peer.endpoint = String(value)
                case "allowed_ip":
                    guard let network = IPNetwork(value) else { throw fail("not ip/prefix") }
                    peer.allowedIPs.append(network)
                case "persistent_keepalive_interval":
                    guard let seconds = Int(value), seconds >= 0 else { throw fail("not a number") }
                    peer.keepalive = seconds
                case "last_handshake_time_sec":
                    guard let seconds = Int64(value), seconds >= 0 else { throw fail("not a number") }
                    peer.lastHandshake = seconds
                case "rx_bytes":
                    guard let count = UInt64(value) else { throw fail("not a number") }
                    peer.receivedBytes = count
                default:
                    guard let count = UInt64(value) else { throw fail("not a number") }
                    peer.sentBytes = count
                }
                current = peer
            default:
                continue
            }
        }
        if let current { report.peers.append(current) }
        guard let errno else { throw .malformed(line: 0, "the answer has no errno line") }
        guard errno == 0 else { throw .refused(errno: errno) }
        return report
    }
}
