/// The head of an HTTP/3 request: pseudo-headers and regular fields (RFC 9114 §4.3.1).
///
/// Built from decoded fields with ``init(fields:)``, which applies the RFC's rules, and turned back
/// into fields for ``QPACKEncoder`` with ``fields``.
public struct HTTP3Request: Equatable, Sendable {
    public var method: String
    /// `nil` only for CONNECT.
    public var scheme: String?
    public var authority: String?
    /// `nil` only for CONNECT; otherwise non-empty.
    public var path: String?
    /// Regular fields in order, pseudo-headers excluded.
    public var headers: [HTTP3Field]

    public init(method: String, scheme: String?, authority: String?, path: String?, headers: [HTTP3Field] = []) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.headers = headers
    }

    private static let pseudoHeaders: Set<String> = [":method", ":scheme", ":authority", ":path"]

    /// Parses decoded request fields.
    /// - Throws: ``HTTP3Error/malformedMessage(_:)`` (H3_MESSAGE_ERROR, a stream error) for unknown,
    ///   repeated or misplaced pseudo-headers, a missing `:method`, `:scheme` or `:path` (RFC 9114
    ///   §4.3.1), CONNECT without `:authority` or with `:scheme`/`:path` (§4.4), and bad fields.
    public init(fields: [HTTP3Field]) throws(HTTP3Error) {
        let (pseudo, headers) = try HTTP3FieldValidation.split(fields, allowedPseudo: Self.pseudoHeaders)
        guard let method = pseudo[":method"], !method.isEmpty else { throw .malformedMessage(":method is missing") }
        if method == "CONNECT" {
            guard pseudo[":scheme"] == nil, pseudo[":path"] == nil else {
                throw .malformedMessage("CONNECT carries :scheme or :path")
            }
            guard pseudo[":authority"] != nil else { throw .malformedMessage("CONNECT has no :authority") }
        } else {
            guard pseudo[":scheme"] != nil else { throw .malformedMessage(":scheme is missing") }
            guard let path = pseudo[":path"], !path.isEmpty else { throw .malformedMessage(":path is missing or empty") }
        }
        self.init(
            method: method,
            scheme: pseudo[":scheme"],
            authority: pseudo[":authority"],
            path: pseudo[":path"],
            headers: headers
        )
    }

    /// Pseudo-headers first, in the order `:method :scheme :authority :path`, then the regular fields.
    public var fields: [HTTP3Field] {
        var fields = [HTTP3Field(name: ":method", value: method)]
        if let scheme { fields.append(HTTP3Field(name: ":scheme", value: scheme)) }
        if let authority { fields.append(HTTP3Field(name: ":authority", value: authority)) }
        if let path { fields.append(HTTP3Field(name: ":path", value: path)) }
        return fields + headers
    }

    /// The first value of the regular field `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        HTTP3FieldValidation.value(named: name, in: headers)
    }
}
