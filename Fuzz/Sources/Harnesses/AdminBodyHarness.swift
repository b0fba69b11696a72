import AdminAPI
import ScaleConfig
import YAMLDocument

/// The admin API's JSON request bodies: one body decoded as every route's body type, the way the
/// routes decode it; the config entries among them written as the API writes them into the file.
enum AdminBodyHarness: FuzzHarness {
    static let name = "admin-api"
    static let summary = "admin API JSON bodies: every body type decodes or fails with a 400 text; entries survive YAML write-back"

    static func run(_ bytes: [UInt8]) {
        for outcome in RequestBodyDecoding.decodeEveryBody(bytes) {
            require((outcome.value == nil) != (outcome.problem == nil), "\(outcome.typeName): neither value nor problem")
            if let problem = outcome.problem {
                require(!problem.message.isEmpty && problem.field.map { !$0.hasPrefix(".") } ?? true,
                        "\(outcome.typeName): answer \(clip(problem))")
            }
            switch outcome.value {
            case let user as User:
                // Which keys the quota and expiry were read from is bookkeeping of the reading,
                // not of the user; the API keeps an existing entry's spelling itself.
                writeBack(user) { read in
                    var read = read
                    (read.quotaSpelling, read.expirySpelling) = (user.quotaSpelling, user.expirySpelling)
                    (read.legacyTrafficUsed, read.shadowedAliasKeys) = (user.legacyTrafficUsed, user.shadowedAliasKeys)
                    return read
                }
            case let peer as OutboundPeer: writeBack(peer)
            case let proxy as Proxy: writeBack(proxy)
            case let ss as ShadowsocksConfig: writeBack(ss)
            case let rule as RoutingRule: writeBack(rule)
            case let peer as WireGuardPeer: writeBack(peer)
            default: break
            }
        }
    }

    /// An entry the API writes into the file reads back from the file as itself.
    private static func writeBack<T: Codable & Equatable>(_ value: T, normalized: (T) -> T = { $0 }) {
        let encoded: YAMLValue
        do {
            encoded = try YAMLValueEncoder().encode(value)
        } catch {
            require(false, "\(T.self) decoded from JSON does not encode to YAML: \(error)")
            return
        }
        let text = YAMLEmitter.block(encoded, column: 0, layout: YAMLEmitter.Layout())
        do {
            let again = try YAMLDecoder().decode(T.self, from: YAMLDocument(parsing: text))
            require(normalized(again) == value, "\(T.self) \(clip(value)) written as \(clip(text)) reads back as \(clip(again))")
        } catch {
            require(false, "\(T.self) written as \(clip(text)) does not read back: \(error)")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("login", #"{"username":"admin","password":"8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"}"#),
            ("user", #"{"id":"u1","username":"alice","password":"pw","exit_via":"hk","exit_paths":["hk/us","hk"],"traffic_limit_gb":1.5,"expiry":"2030-01-01","enabled":true,"proxy_passwords":{"ss":"AAECAwQFBgcICQoLDA0ODw=="}}"#),
            ("client", #"{"name":"hk","addr":"hk.example.com:5565,6000-7000","password":"x","insecure":true,"max_tx":100,"disabled":false}"#),
            ("proxy", #"{"id":"s","protocol":"socks5","listen":"0.0.0.0:1080","enabled":true,"auth":"none"}"#),
            ("rule", #"{"id":"r1","type":"domain","targets":["example.com","*.test"],"exit_via":"hk","exit_mode":"failover","enabled":true}"#),
            ("wireguard", #"{"enabled":true,"listen_port":51820,"private_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","address":"10.0.0.1/24","peers":[]}"#),
            ("layout", #"{"a":{"x":1.5,"y":-2},"b/c":{"x":0,"y":1e3}}"#),
            ("settings", #"{"listen":"0.0.0.0:5565","session_timeout_h":12,"dns":"1.1.1.1"}"#),
            ("tls", #"{"id":"t","cert":"-----BEGIN","domains":["a.test"],"days":30,"ca_id":"vpn-ca","cn":"x"}"#),
        ].map { ($0.0, Array($0.1.utf8)) }
    }
}
