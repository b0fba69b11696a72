/// The admin login the tests' nodes use: a known password, stored in the config the way the node
/// stores every admin password (salted PBKDF2 of the client-side SHA-256), with few rounds so
/// logins stay fast in debug builds.
public enum TestAdmin {
    /// What a person would type.
    public static let password = "test-admin-password"
    /// What a client sends: the hex SHA-256 of ``password``.
    public static let digest = "f7a03f48c0e2aa2d5e55ca186c20032ddbf53b7f5f93fce387d65c3f83433e8d"
    /// `web_password` for ``password`` (1000 rounds, salt 00 01 … 0f).
    public static let storedHash = "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$LYNFVQzqDN3ez8J5w2TKCXaRDNLz1yFzwJGS7pHKFOs="
    /// The config line that sets it.
    public static let configLine = "web_password: \(storedHash)\n"
    /// The body of `POST /api/login` as admin.
    public static let loginBody = #"{"username":"admin","password":"\#(digest)"}"#
    /// SHA-256 of `admin`, the v1.3 default.
    public static let defaultDigest = "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"
}
