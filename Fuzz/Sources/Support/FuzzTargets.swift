import Addressing
import Routing
import ScaleConfig

/// Proxy targets chosen by the input: IPv4, IPv6, names of every allowed length and shape.
enum FuzzTargets {
    private static let nameBytes = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.ABC".utf8)

    /// A target; port 0 only where `allowsPortZero` (SOCKS addresses carry it, `host:port`
    /// text does not).
    static func target(from input: inout FuzzInput, allowsPortZero: Bool = true) -> Target {
        let raw = input.integer(UInt16.self)
        let port = allowsPortZero ? raw : max(1, raw)
        let kind = input.byte() % 4
        if kind < 2 {
            let count = kind == 0 ? 4 : 16
            let bytes = input.bytes(count: count)
            if let address = IPAddress(bytes: bytes + Array(repeating: 0, count: count - bytes.count)) {
                return Target(host: .ip(address), port: port)
            }
        }
        let length = input.int(in: 1...Target.maximumDomainLength)
        let text = String(decoding: (0..<length).map { _ in nameBytes[Int(input.byte()) % nameBytes.count] }, as: UTF8.self)
        return Target(hostText: text, port: port) ?? Target(host: .domain("example.com"), port: port)
    }
}
