public import Foundation
import Crypto
import X509

/// One certificate of the store as `GET /api/tls` lists it (spec/reference-api.md §5.19).
///
/// JSON keys are the reference's (`id`, `name`, `subject`, `issuer`, `not_after`, `is_ca`,
/// `cert_file`, `key_file`, `ca_parent_id`) plus `not_before`, `domains`, `has_key`, `ca_id`,
/// `key_type`, `serial_number` and `fingerprint_sha256`. Dates are RFC 3339 in UTC
/// (`2035-06-01T12:00:00Z`), where the reference writes `YYYY-MM-DD` for `not_after` only.
/// Optional keys are left out when absent.
public struct CertificateInfo: Codable, Sendable, Equatable {
    /// The store id (file name stem).
    public var id: String
    /// The display name: the `.name` file, or the id when there is none.
    public var name: String
    /// The subject common name, or the whole subject DN when it has no CN.
    public var subject: String
    /// The issuer common name, or the whole issuer DN when it has no CN.
    public var issuer: String
    /// The DNS and IP Subject Alternative Names, in certificate order (IPs as literals).
    public var domains: [String]
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// Whether basicConstraints says `CA:TRUE`.
    public var isCA: Bool
    /// Whether `<id>.key` exists.
    public var hasKey: Bool
    /// The id of the store CA that signed it (the `.ca` file written by `sign`), or `nil`.
    public var caID: String?
    /// The public key algorithm: `ECDSA-P256`, `ECDSA-P384`, `ECDSA-P521`, `RSA-2048`, `Ed25519`.
    public var keyType: String
    /// The serial number in lowercase hex, bytes separated by `:`.
    public var serialNumber: String
    /// SHA-256 of the certificate's DER, uppercase hex pairs joined by `:` (as `openssl x509
    /// -fingerprint -sha256` prints it).
    public var fingerprintSHA256: String
    /// Absolute path of `<id>.crt` (the reference's `cert_file`, used in `server.tls_cert`).
    public var certificateFile: String
    /// Absolute path of `<id>.key` when it exists (the reference's `key_file`).
    public var keyFile: String?

    /// Makes an info value from its parts; the store builds these in ``TLSStore/listCertificates()``.
    public init(
        id: String, name: String, subject: String, issuer: String, domains: [String],
        notBefore: Date, notAfter: Date, isCA: Bool, hasKey: Bool, caID: String?, keyType: String,
        serialNumber: String, fingerprintSHA256: String, certificateFile: String, keyFile: String?
    ) {
        self.id = id
        self.name = name
        self.subject = subject
        self.issuer = issuer
        self.domains = domains
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.isCA = isCA
        self.hasKey = hasKey
        self.caID = caID
        self.keyType = keyType
        self.serialNumber = serialNumber
        self.fingerprintSHA256 = fingerprintSHA256
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    enum CodingKeys: String, CodingKey {
        case id, name, subject, issuer, domains
        case notBefore = "not_before"
        case notAfter = "not_after"
        case isCA = "is_ca"
        case hasKey = "has_key"
        case caID = "ca_id"
        case caParentID = "ca_parent_id"  // v1.3 compat: the reference's spelling of ca_id
        case keyType = "key_type"
        case serialNumber = "serial_number"
        case fingerprintSHA256 = "fingerprint_sha256"
        case certificateFile = "cert_file"
        case keyFile = "key_file"
    }

    /// Encodes dates as RFC 3339 strings whatever the encoder's date strategy.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(subject, forKey: .subject)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(domains, forKey: .domains)
        try c.encode(notBefore.formatted(Self.dateStyle), forKey: .notBefore)
        try c.encode(notAfter.formatted(Self.dateStyle), forKey: .notAfter)
        try c.encode(isCA, forKey: .isCA)
        try c.encode(hasKey, forKey: .hasKey)
        try c.encodeIfPresent(caID, forKey: .caID)
        try c.encodeIfPresent(caID, forKey: .caParentID)
        try c.encode(keyType, forKey: .keyType)
        try c.encode(serialNumber, forKey: .serialNumber)
        try c.encode(fingerprintSHA256, forKey: .fingerprintSHA256)
        try c.encode(certificateFile, forKey: .certificateFile)
        try c.encodeIfPresent(keyFile, forKey: .keyFile)
    }

    /// Decodes what ``encode(to:)`` writes; accepts `ca_parent_id` when `ca_id` is absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        subject = try c.decode(String.self, forKey: .subject)
        issuer = try c.decode(String.self, forKey: .issuer)
        domains = try c.decodeIfPresent([String].self, forKey: .domains) ?? []
        notBefore = try Self.decodeDate(c, .notBefore)
        notAfter = try Self.decodeDate(c, .notAfter)
        isCA = try c.decode(Bool.self, forKey: .isCA)
        hasKey = try c.decodeIfPresent(Bool.self, forKey: .hasKey) ?? false
        caID = try c.decodeIfPresent(String.self, forKey: .caID) ?? c.decodeIfPresent(String.self, forKey: .caParentID)
        keyType = try c.decodeIfPresent(String.self, forKey: .keyType) ?? ""
        serialNumber = try c.decodeIfPresent(String.self, forKey: .serialNumber) ?? ""
        fingerprintSHA256 = try c.decodeIfPresent(String.self, forKey: .fingerprintSHA256) ?? ""
        certificateFile = try c.decodeIfPresent(String.self, forKey: .certificateFile) ?? ""
        keyFile = try c.decodeIfPresent(String.self, forKey: .keyFile)
    }

    /// RFC 3339, UTC, whole seconds: certificate times have no fractions (RFC 5280 §4.1.2.5).
    static let dateStyle = Date.ISO8601FormatStyle(timeZone: .gmt)

    private static func decodeDate(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try c.decode(String.self, forKey: key)
        do {
            return try Date(text, strategy: dateStyle)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(text.debugDescription) is not an RFC 3339 date-time")
        }
    }
}

extension CertificateInfo {
    /// Describes `certificate` (the first of the chain in `<id>.crt`); `der` is its encoding.
    init(id: String, name: String, certificate: Certificate, der: [UInt8], hasKey: Bool, caID: String?,
         certificateFile: URL, keyFile: URL) {
        let isCA: Bool
        if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority {
            isCA = true
        } else {
            isCA = false
        }
        // A malformed SAN extension lists no domains rather than hiding the whole certificate.
        let sans = (try? certificate.extensions.subjectAlternativeNames) ?? nil
        self.init(
            id: id,
            name: name,
            subject: Self.commonName(of: certificate.subject),
            issuer: Self.commonName(of: certificate.issuer),
            domains: sans.map { $0.compactMap(CertificateDomain.text(of:)) } ?? [],
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter,
            isCA: isCA,
            hasKey: hasKey,
            caID: caID,
            keyType: Self.keyType(of: certificate.publicKey),
            serialNumber: certificate.serialNumber.bytes.map { Self.hexByte($0, uppercase: false) }.joined(separator: ":"),
            fingerprintSHA256: SHA256.hash(data: der).map { Self.hexByte($0, uppercase: true) }.joined(separator: ":"),
            certificateFile: certificateFile.path,
            keyFile: hasKey ? keyFile.path : nil
        )
    }

    /// The last CN of `name`, or its whole RFC 4514 text when it has none.
    static func commonName(of name: DistinguishedName) -> String {
        let common = name.flatMap { $0 }.last { $0.type == .RDNAttributeType.commonName }
        guard let common else { return name.description }
        return String(common.value) ?? common.value.description
    }

    static func keyType(of key: Certificate.PublicKey) -> String {
        // X509's description is "P256.PublicKey", "RSA2048.PublicKey", "Ed25519.PublicKey".
        let text = key.description.replacingOccurrences(of: ".PublicKey", with: "")
        switch text {
        case "P256", "P384", "P521": return "ECDSA-\(text)"
        case _ where text.hasPrefix("RSA"): return "RSA-\(text.dropFirst(3))"
        default: return text
        }
    }

    private static func hexByte(_ byte: UInt8, uppercase: Bool) -> String {
        let digits = Array(uppercase ? "0123456789ABCDEF" : "0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
