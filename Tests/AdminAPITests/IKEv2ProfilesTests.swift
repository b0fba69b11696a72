import Foundation
import Testing
@testable import AdminAPI

@Suite("IKEv2 client profiles")
struct IKEv2ProfilesTests {
    let client = IKEv2Profiles.Client(server: "vpn.example.org", serverID: "vpn.example.org", username: "a<l>&\"ice\"",
                                      password: "p&ss<word>", authority: [0x30, 0x03, 0x02, 0x01, 0x01], preSharedKey: nil,
                                      name: "node & co")

    @Test("the Apple profile is a property list any reader takes back, whatever the names and passwords hold")
    func mobileconfigReadsBack() throws {
        let text = IKEv2Profiles.mobileconfig(client)
        let plist = try #require(try PropertyListSerialization.propertyList(from: Data(text.utf8), format: nil) as? [String: Any])
        #expect(plist["PayloadType"] as? String == "Configuration" && plist["PayloadDisplayName"] as? String == "node & co")
        let payloads = try #require(plist["PayloadContent"] as? [[String: Any]])
        #expect(payloads.first?["PayloadContent"] as? Data == Data([0x30, 0x03, 0x02, 0x01, 0x01]))
        let ikev2 = try #require(payloads.last?["IKEv2"] as? [String: Any])
        #expect(ikev2["AuthName"] as? String == "a<l>&\"ice\"" && ikev2["AuthPassword"] as? String == "p&ss<word>")
        #expect(ikev2["AuthenticationMethod"] as? String == "None" && ikev2["ExtendedAuthEnabled"] as? Int == 1)
        #expect(IKEv2Profiles.mobileconfig(client) == text, "importing again must replace the profile: the same UUIDs")
    }

    @Test("in psk mode the Apple profile carries the key and no CA; strongSwan's app has no such mode")
    func presharedKey() throws {
        var psk = client
        psk.authority = nil
        psk.preSharedKey = "k3y"
        let plist = try #require(try PropertyListSerialization.propertyList(from: Data(IKEv2Profiles.mobileconfig(psk).utf8), format: nil) as? [String: Any])
        let payloads = try #require(plist["PayloadContent"] as? [[String: Any]])
        #expect(payloads.count == 1)
        let ikev2 = try #require(payloads.first?["IKEv2"] as? [String: Any])
        #expect(ikev2["AuthenticationMethod"] as? String == "SharedSecret" && ikev2["SharedSecret"] as? String == "k3y")
        #expect(throws: APIError.self) { try IKEv2Profiles.sswan(psk) }
    }

    @Test("the strongSwan profile names the user and carries the CA, never the password")
    func sswan() throws {
        let text = try IKEv2Profiles.sswan(client)
        #expect(!text.contains("p&ss<word>"))
        let profile = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(profile["type"] as? String == "ikev2-eap")
        #expect((profile["remote"] as? [String: Any])?["cert"] as? String == Data([0x30, 0x03, 0x02, 0x01, 0x01]).base64EncodedString())
    }
}
