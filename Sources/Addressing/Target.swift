/// Where a flow wants to go: a host (address or name) and a port.
public struct Target: Hashable, Sendable, CustomStringConvertible {
    /// An IP address, or a name the exit resolves.
    public enum Host: Hashable, Sendable {
        case ip(IPAddress)
        case domain(String)
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// The longest domain name a SOCKS5 or Shadowsocks address can carry (one length byte).
    public static let maximumDomainLength = 255

    /// Parses `host:port`, `[v6]:port` or `v4:port`; a host that is not an address is a domain.
    /// `nil` when the port is missing or out of range, or the host is empty or too long.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                  text[text.index(after: close)...].first == ":" else { return nil }
            hostText = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard hostText.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !hostText.contains(":") else { return nil }  // bare IPv6 needs brackets
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = UInt16(portText), port != 0
        else { return nil }
        self.init(hostText: hostText, port: port)
    }

    /// A target from a host string (address or name, without brackets) and a port. A name may
    /// hold ASCII letters, digits, `-`, `_` and `.` (internationalised names arrive punycoded).
    public init?(hostText: some StringProtocol, port: UInt16) {
        guard !hostText.isEmpty, hostText.utf8.count <= Self.maximumDomainLength else { return nil }
        if let address = IPAddress(hostText) {
            self.init(host: .ip(address), port: port)
        } else {
            guard hostText.utf8.allSatisfy({ Self.isNameByte($0) }) else { return nil }
            self.init(host: .domain(String(hostText).lowercased()), port: port)
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// The host as text, without brackets.
    public var hostText: String {
        switch host {
        case .ip(let address): address.description
        case .domain(let name): name
        }
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        if case .ip(let address) = host, !address.isIPv4 { return "[\(address)]:\(port)" }
        return "\(hostText):\(port)"
    }
}
