/// Which key a user entry used for its traffic quota, so an edit can keep it (DECISIONS #2).
public enum QuotaSpelling: String, Sendable, Equatable, Hashable {
    /// `traffic_limit_gb`: GiB, possibly fractional (canonical).
    case gibibytes
    /// `traffic_limit`: bytes (hy2scale v1.3).
    case bytes
}
