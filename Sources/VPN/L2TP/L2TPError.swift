/// Why the L2TP server could not be brought to what the config says.
public enum L2TPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// xl2tpd or pppd is not installed, or this kernel cannot carry PPP over L2TP or its IPsec;
    /// the text says what is missing.
    case unavailable(String)
    /// xl2tpd did not start, or its files could not be written.
    case daemon(String)

    public var description: String {
        switch self {
        case .unavailable(let why), .daemon(let why): why
        }
    }
}
