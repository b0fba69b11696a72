/// Why the WireGuard server could not be brought to what the config says.
public enum WireGuardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Neither engine can run on this host; the text says what is missing.
    case unavailable(String)
    /// The engine did not start or stopped answering.
    case engineFailed(String)
    /// The device refused a change, or could not be asked.
    case device(String)

    public var description: String {
        switch self {
        case .unavailable(let why), .engineFailed(let why), .device(let why): why
        }
    }
}
