import Foundation
import ScaleConfig
import YAMLDocument

/// `ConfigFile.parse` with a `ValidationContext`: the loader, decoder and validator every config
/// edit goes through.
enum ConfigHarness: FuzzHarness {
    static let name = "config"
    static let summary = "ConfigFile.parse: diagnostics located in the file and sorted; accepted configs re-encode to themselves"

    private static let context = ValidationContext(
        tlsCertificateIDs: ["default", "vpn-ca"], nodeID: "a1b2c3d4", fileExists: { $0.hasPrefix("/tls/") })

    static func run(_ bytes: [UInt8]) {
        let file: ConfigFile
        do throws(ConfigFileError) {
            file = try ConfigFile.parse(Data(bytes), path: "fuzz.yaml", context: context)
        } catch {
            require(!error.errors.isEmpty, "a refused file without errors: \(clip(error.diagnostics))")
            check(error.diagnostics, size: bytes.count)
            return
        }
        check(file.notices, size: bytes.count)
        require(!file.notices.contains { $0.severity == .error }, "an accepted file with errors")
        require(!validate(file.config, context: context).contains { $0.severity == .error },
                "an accepted config fails validation on its own")
        // The API writes entries back through YAMLValueEncoder; what it writes must read back
        // as the same configuration.
        let encoded: YAMLValue
        do {
            encoded = try YAMLValueEncoder().encode(file.config)
        } catch {
            require(false, "an accepted config does not encode: \(error)")
            return
        }
        let text = YAMLEmitter.block(encoded, column: 0, layout: YAMLEmitter.Layout())
        do {
            let again = try YAMLDecoder().decode(Config.self, from: YAMLDocument(parsing: text))
            require(again == file.config, "re-encoding changed the config: \(clip(text, to: 2000))")
        } catch {
            require(false, "the re-encoded config does not decode: \(error) in \(clip(text, to: 2000))")
        }
    }

    /// Diagnostics are in file order and point inside the file.
    private static func check(_ diagnostics: [ConfigDiagnostic], size: Int) {
        for (index, diagnostic) in diagnostics.enumerated() {
            require((0...size).contains(diagnostic.mark.offset) && diagnostic.mark.line >= 1 && diagnostic.mark.column >= 1,
                    "diagnostic at \(diagnostic.mark) (offset \(diagnostic.mark.offset)) outside a \(size)-byte file: \(diagnostic)")
            require(!diagnostic.message.isEmpty, "a diagnostic without a message at \(diagnostic.mark)")
            if index > 0 {
                require(diagnostics[index - 1].mark <= diagnostic.mark, "diagnostics out of order: \(clip(diagnostics))")
            }
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let minimal = """
            name: home
            password: node-secret
            server:
              listen: 0.0.0.0:5565
              password: server-secret
            users:
              - id: u1
                username: alice
                password: alice-pass
                exit_via: hk
                traffic_limit_gb: 1.5
                expiry: 2030-01-01
                enabled: true
            clients:
              - name: hk
                addr: hk.example.com:5565,6000-7000
                password: hk-secret
            peers:
              hk: {nested: true}
            proxies:
              - id: socks
                protocol: socks5
                listen: 0.0.0.0:1080
                enabled: true
            rules:
              - id: r1
                type: ip
                targets: [10.1.0.0/16, 192.168.0.1-192.168.0.9]
                exit_via: hk
                enabled: true

            """
        return [("minimal", Array(minimal.utf8))]
    }
}
