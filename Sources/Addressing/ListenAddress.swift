/// A `host:port` address to bind or dial, optionally with a port-hopping spec.
///
/// Accepted forms: `0.0.0.0:443`, `[::]:443`, `example.com:443`, `:443` (all addresses), and
/// where hopping is allowed `host:5565,44000-45000` (reference-api §6.1: comma-separated ports
/// or ranges; only the first port is bound or dialled). An address to bind may give port 0,
/// alone: the kernel picks a free port, which the node logs and reports as bound.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host without brackets; empty means every address.
    public let host: String
    /// The first port of the spec: the one bound or dialled.
    public let port: Int
    /// Every port item of the spec in order, each a range (a single port is `p...p`).
    public let portRanges: [ClosedRange<Int>]

    /// A single-port address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
        self.portRanges = [port...port]
    }

    private init(host: String, port: Int, portRanges: [ClosedRange<Int>]) {
        self.host = host
        self.port = port
        self.portRanges = portRanges
    }

    /// The accepted form for messages.
    public static let acceptedForm = "use HOST:PORT with a port from 1 to 65535"

    /// The accepted form for messages about an address to bind.
    public static let acceptedBindForm = "use HOST:PORT with a port from 1 to 65535, or 0 for any free port"

    /// Parses `text`.
    ///
    /// - Parameters:
    ///   - allowsPortHopping: accept `host:p1,p2-p3` (server listen, client addresses).
    ///   - requiresHost: refuse an empty host (addresses to dial).
    ///   - allowsAnyPort: accept port 0 as the only port (addresses to bind): any free port.
    /// - Returns: the address, or a failure phrase naming the accepted form.
    public static func parse(
        _ text: String, allowsPortHopping: Bool = false, requiresHost: Bool = false, allowsAnyPort: Bool = false
    ) -> Result<ListenAddress, ParseFailure> {
        let form = switch (allowsPortHopping, allowsAnyPort) {
        case (true, true): "use HOST:PORT or HOST:PORT,FROM-TO with ports from 1 to 65535, or HOST:0 for any free port"
        case (true, false): "use HOST:PORT or HOST:PORT,FROM-TO with ports from 1 to 65535"
        case (false, true): acceptedBindForm
        case (false, false): acceptedForm
        }
        guard !text.containsWhitespaceOrControl else {
            return .failure(ParseFailure("contains whitespace; \(form)"))
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(ParseFailure("has no closing ]; \(form)"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { return .failure(ParseFailure("has no port; \(form)")) }
            portText = rest.dropFirst()
            guard IPAddress.parseIPv6(String(host)) != nil else {
                return .failure(ParseFailure("has \"[\(host)]\", which is not an IPv6 address; \(form)"))
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(ParseFailure("has no port; \(form)"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                return .failure(ParseFailure("is not a listen address; put an IPv6 host in brackets, as in [::]:443"))
            }
            if !host.isEmpty, IPAddress(host) == nil, !DomainName.isValidHostName(host) {
                return .failure(ParseFailure("has \"\(host)\", which is neither an IP address nor a host name; \(form)"))
            }
        }
        if requiresHost, host.isEmpty {
            return .failure(ParseFailure("has no host; \(form)"))
        }
        var ranges: [ClosedRange<Int>] = []
        let items = allowsPortHopping ? portText.split(separator: ",", omittingEmptySubsequences: false) : [portText]
        for item in items {
            let item = item.trimmingASCIISpaces
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let p = PortNumber.parse(item) {
                ranges.append(p...p)
            } else if allowsAnyPort, items.count == 1, item == "0" {
                ranges.append(0...0)
            } else if allowsPortHopping, bounds.count == 2,
                      let a = PortNumber.parse(bounds[0]), let b = PortNumber.parse(bounds[1]), a <= b {
                ranges.append(a...b)
            } else {
                return .failure(ParseFailure("is not a listen address; \(form)"))
            }
        }
        guard let first = ranges.first else { return .failure(ParseFailure("has no port; \(form)")) }
        return .success(ListenAddress(host: String(host), port: first.lowerBound, portRanges: ranges))
    }

    /// Whether the host means every address: empty, `0.0.0.0` or `::`.
    public var isWildcard: Bool {
        host.isEmpty || (IPAddress(host)?.isUnspecified ?? false)
    }

    /// Whether binding both addresses on the same port and protocol would collide: a wildcard
    /// overlaps everything, two specific hosts only themselves.
    public func hostOverlaps(_ other: ListenAddress) -> Bool {
        if isWildcard || other.isWildcard { return true }
        if let a = IPAddress(host), let b = IPAddress(other.host) { return a == b }
        return host.lowercased() == other.host.lowercased()
    }

    /// `host:port` with IPv6 hosts bracketed; the hopping spec is not repeated.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
