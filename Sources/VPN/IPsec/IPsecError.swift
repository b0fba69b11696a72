/// Why the IKEv2 server could not be brought to what the config says.
public enum IPsecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// charon is not installed, or this kernel cannot carry IPsec; the text says what is missing.
    case unavailable(String)
    /// charon did not start or stopped answering.
    case daemon(String)
    /// charon refused a change, or could not be asked.
    case refused(String)

    public var description: String {
        switch self {
        case .unavailable(let why), .daemon(let why), .refused(let why): why
        }
    }
}
