import Foundation
import ScaleConfig
import Synchronization
import Testing

/// The cache the API's writer and the reconciler share: it may skip work, never a change.
@Suite struct ConfigFileCacheTests {
    static let text = """
    server:
      listen: 127.0.0.1:5565
      password: node-password
      tls_cert: /etc/hy2scale/cert.pem
      tls_key: /etc/hy2scale/key.pem
    https_cert_id: web

    """

    /// A context whose files and TLS store ids the test changes.
    final class World: Sendable {
        let files = Mutex<Set<String>>(["/etc/hy2scale/cert.pem", "/etc/hy2scale/key.pem"])
        let asked = Mutex(0)
        var context: ValidationContext {
            ValidationContext(tlsCertificateIDs: ["web"], nodeID: "a1b2c3d4") { [self] path in
                asked.withLock { $0 += 1 }
                return files.withLock { $0.contains(path) }
            }
        }
    }

    @Test("the same bytes in the same world are checked once; the answer is the same")
    func hit() throws {
        let cache = ConfigFileCache(), world = World()
        let first = try cache.check(Data(Self.text.utf8), path: "config.yaml", context: world.context).get()
        let asked = world.asked.withLock { $0 }
        let second = try cache.check(Data(Self.text.utf8), path: "config.yaml", context: world.context).get()
        #expect(second.revision == first.revision)
        #expect(second.config == first.config)
        // A hit only asks again about the files the validation asked about, once each.
        #expect(world.asked.withLock { $0 } == asked * 2)
    }

    @Test("a certificate file that disappears, or a TLS id that goes, is noticed on the next check")
    func worldChanges() throws {
        let cache = ConfigFileCache(), world = World()
        let data = Data(Self.text.utf8)
        #expect(throws: Never.self) { try cache.check(data, path: "config.yaml", context: world.context).get() }
        world.files.withLock { _ = $0.remove("/etc/hy2scale/key.pem") }
        let gone = cache.check(data, path: "config.yaml", context: world.context)
        guard case .failure(let error) = gone else { Issue.record("a missing key file was not noticed"); return }
        #expect(error.errors.map(\.description).contains { $0.contains("server.tls_key") })

        world.files.withLock { _ = $0.insert("/etc/hy2scale/key.pem") }
        #expect(throws: Never.self) { try cache.check(data, path: "config.yaml", context: world.context).get() }
        var noWeb = world.context
        noWeb.tlsCertificateIDs = []
        guard case .failure = cache.check(data, path: "config.yaml", context: noWeb) else {
            Issue.record("a TLS id that went was not noticed")
            return
        }
    }

    @Test("other bytes are checked afresh, and an invalid text stays refused")
    func otherBytes() throws {
        let cache = ConfigFileCache(), world = World()
        _ = try cache.check(Data(Self.text.utf8), path: "config.yaml", context: world.context).get()
        let broken = Data((Self.text + "users: 5\n").utf8)
        for _ in 0..<2 {
            guard case .failure(let error) = cache.check(broken, path: "config.yaml", context: world.context) else {
                Issue.record("an invalid text was accepted")
                return
            }
            #expect(error.errors.first?.description.hasPrefix("config.yaml:7:") == true, "\(error)")
        }
    }

    @Test("the text before the last is still a hit: a reconcile may load the old file while an edit checks the new")
    func twoTexts() throws {
        // Certificate and key in one file: a validation asks about it twice, a hit once.
        let shared = Self.text.replacingOccurrences(of: "/etc/hy2scale/key.pem", with: "/etc/hy2scale/cert.pem")
        let cache = ConfigFileCache(), world = World()
        let old = Data(shared.utf8), new = Data((shared + "name: edge\n").utf8)
        func asks(_ data: Data) throws -> Int {
            let before = world.asked.withLock { $0 }
            _ = try cache.check(data, path: "config.yaml", context: world.context).get()
            return world.asked.withLock { $0 } - before
        }
        #expect(try asks(old) == 2)
        #expect(try asks(new) == 2)
        #expect(try asks(old) == 1)
        #expect(try asks(new) == 1)
    }
}
