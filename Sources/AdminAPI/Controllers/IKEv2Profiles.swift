import Crypto
import Foundation

/// Client profiles for the IKEv2 server that a phone imports in one tap: an Apple
/// `.mobileconfig` (iOS, iPadOS, macOS) and a strongSwan for Android `.sswan`. Both carry the CA
/// the server's certificate is issued from, so the client trusts it without a separate step.
enum IKEv2Profiles {
    struct Client {
        /// What the client dials: a host name or address.
        var server: String
        /// The identity the server proves (its certificate's name).
        var serverID: String
        var username: String
        var password: String
        /// The CA to trust, DER; `nil` in the pre-shared key mode.
        var authority: [UInt8]?
        /// The pre-shared key, in that mode.
        var preSharedKey: String?
        /// What the profile is called on the device.
        var name: String
    }

    /// An Apple configuration profile: the CA as a root payload and the VPN as an IKEv2 payload
    /// with EAP (the user's name and password) or the pre-shared key. UUIDs are derived from the
    /// content's names, so importing the profile again replaces the earlier one.
    static func mobileconfig(_ client: Client) -> String {
        let base = "hy2scale.ikev2.\(client.server).\(client.username)"
        var payloads: [String] = []
        if let authority = client.authority {
            payloads.append(dict([
                ("PayloadType", string("com.apple.security.root")), ("PayloadVersion", integer(1)),
                ("PayloadIdentifier", string(base + ".ca")), ("PayloadUUID", string(uuid(base + ".ca"))),
                ("PayloadDisplayName", string("\(client.name) CA")),
                ("PayloadContent", "<data>\(Data(authority).base64EncodedString())</data>"),
            ]))
        }
        var ikev2: [(String, String)] = [
            ("RemoteAddress", string(client.server)), ("RemoteIdentifier", string(client.serverID)),
            ("LocalIdentifier", string(client.username)),
        ]
        if let key = client.preSharedKey {
            ikev2 += [("AuthenticationMethod", string("SharedSecret")), ("SharedSecret", string(key)), ("ExtendedAuthEnabled", integer(0))]
        } else {
            ikev2 += [("AuthenticationMethod", string("None")), ("ExtendedAuthEnabled", integer(1)),
                      ("AuthName", string(client.username)), ("AuthPassword", string(client.password))]
        }
        payloads.append(dict([
            ("PayloadType", string("com.apple.vpn.managed")), ("PayloadVersion", integer(1)),
            ("PayloadIdentifier", string(base + ".vpn")), ("PayloadUUID", string(uuid(base + ".vpn"))),
            ("PayloadDisplayName", string(client.name)), ("UserDefinedName", string(client.name)),
            ("VPNType", string("IKEv2")), ("IKEv2", dict(ikev2)),
        ]))
        let profile = dict([
            ("PayloadContent", "<array>\(payloads.joined())</array>"), ("PayloadDisplayName", string(client.name)),
            ("PayloadIdentifier", string(base)), ("PayloadType", string("Configuration")),
            ("PayloadUUID", string(uuid(base))), ("PayloadVersion", integer(1)),
        ])
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">\(profile)</plist>

            """
    }

    /// A strongSwan for Android profile: EAP with the user's name (the app asks for the
    /// password) and the CA. The app has no pre-shared key mode.
    static func sswan(_ client: Client) throws -> String {
        guard let authority = client.authority else {
            throw APIError.conflict("strongSwan for Android has no pre-shared key mode; use mode mschapv2 or the .mobileconfig profile",
                                    field: "format")
        }
        let profile: [String: Any] = [
            "uuid": uuid("hy2scale.ikev2.\(client.server).\(client.username).sswan").lowercased(), "name": client.name,
            "type": "ikev2-eap",
            "remote": ["addr": client.server, "id": client.serverID, "cert": Data(authority).base64EncodedString()],
            "local": ["eap_id": client.username],
        ]
        let data = try JSONSerialization.data(withJSONObject: profile, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The DER of the first certificate in `pem`.
    static func der(ofPEM pem: String) -> [UInt8]? {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex) else { return nil }
        let body = pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map { Array($0) }
    }

    private static func dict(_ entries: [(String, String)]) -> String {
        "<dict>" + entries.map { "<key>\(escaped($0.0))</key>\($0.1)" }.joined() + "</dict>"
    }

    private static func string(_ text: String) -> String { "<string>\(escaped(text))</string>" }

    private static func integer(_ value: Int) -> String { "<integer>\(value)</integer>" }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A stable UUID for `name` (its SHA-256's first 16 bytes, as a version 4 layout).
    private static func uuid(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])).uuidString
    }
}
