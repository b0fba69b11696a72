/// Which key a user entry used for its expiry, so an edit can keep it (DECISIONS #2).
public enum ExpirySpelling: String, Sendable, Equatable, Hashable {
    /// `expiry`: RFC 3339 or `YYYY-MM-DD` (canonical).
    case expiry
    /// `expiry_date`: hy2scale v1.3.
    case expiryDate
}
