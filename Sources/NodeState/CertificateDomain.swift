#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SwiftASN1
import X509

/// One entry of a certificate request's `domains`: a DNS name or an IP literal, and its SAN form.
///
/// The reference puts IP literals into DNS SANs (§5.19), which TLS clients do not match against
/// an IP; we write them as `iPAddress` SANs (RFC 5280 §4.2.1.6), so `https://192.0.2.1` verifies.
enum CertificateDomain: Equatable {
    case dnsName(String)
    case ipAddress(bytes: [UInt8])

    /// The longest DNS name (RFC 1035 §2.3.4).
    static let maximumLength = 253

    /// Parses `text` (surrounding spaces trimmed); `field` names it in errors, e.g. `domains[1]`.
    init(parsing text: String, field: String) throws(TLSStoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let bytes = Self.addressBytes(trimmed) {
            self = .ipAddress(bytes: bytes)
            return
        }
        let accepted = "use a DNS name (letters, digits, '-', '_', '.', optionally starting with '*.'; punycode for IDN) or an IP address"
        guard !trimmed.isEmpty else { throw .invalidField(field: field, reason: "empty domain; \(accepted)") }
        let bytes = Array(trimmed.utf8)
        guard bytes.count <= Self.maximumLength else {
            throw .invalidField(field: field, reason: "longer than \(Self.maximumLength) characters; \(accepted)")
        }
        var body = bytes[...]
        if body.starts(with: Array("*.".utf8)) { body = body.dropFirst(2) }
        let isValid = !body.isEmpty && body.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
        guard isValid else {
            throw .invalidField(field: field, reason: "\(trimmed.debugDescription) is not a DNS name or IP address; \(accepted)")
        }
        self = .dnsName(trimmed)
    }

    /// The Subject Alternative Name for this entry.
    var generalName: GeneralName {
        switch self {
        case .dnsName(let name): .dnsName(name)
        case .ipAddress(let bytes): .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
        }
    }

    /// The text a DNS or IP SAN stands for (`example.com`, `192.0.2.1`, `2001:db8::1`), or `nil`
    /// for other kinds of names.
    static func text(of name: GeneralName) -> String? {
        switch name {
        case .dnsName(let name):
            return name
        case .ipAddress(let octets):
            return addressText(Array(octets.bytes))
        default:
            return nil
        }
    }

    /// The 4 or 16 network-order bytes of an IPv4 or IPv6 literal, or `nil`.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 { return v6 }
        return nil
    }

    /// The literal of 4 or 16 address bytes, or a hex dump for other lengths.
    static func addressText(_ bytes: [UInt8]) -> String {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return bytes.map { hex($0) }.joined()
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard converted else { return bytes.map { hex($0) }.joined() }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
