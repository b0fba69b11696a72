import Logging
import Reconciler
import ScaleConfig
import Synchronization
import YAMLDocument

/// A listener as a test driver sees it: enough to show creates, updates and deletes.
struct FakeListener: Resource {
    var listen: String
    var protocolName: String
    var key: String { listen }
    var description: String { "\(protocolName) \(listen)" }
}

/// A driver over an in-memory "system", so sequences of configs can be checked step by step.
final class FakeListenerDriver: Driver, Sendable {
    let kind = "listeners"
    private let system = Mutex<[String: FakeListener]>([:])
    /// Listen addresses whose apply fails, to exercise retries.
    let failing = Mutex<Set<String>>([])
    let applyCount = Mutex(0)

    func desired(for config: Config) -> [FakeListener] {
        config.proxies.filter(\.isEnabled).map {
            FakeListener(listen: $0.listen, protocolName: $0.protocolName.isEmpty ? "socks5" : $0.protocolName)
        }
    }

    func observe() async throws -> [FakeListener] { system.withLock { Array($0.values) } }

    func apply(_ plan: Plan<FakeListener>) async -> [Outcome<FakeListener>] {
        applyCount.withLock { $0 += 1 }
        let failing = self.failing.withLock { $0 }
        return plan.changes.map { change in
            if failing.contains(change.key) { return .failed(change, reason: "address in use") }
            system.withLock { s in
                switch change {
                case .create(let r), .update(_, let r): s[r.key] = r
                case .delete(let r): s[r.key] = nil
                }
            }
            return .applied(change)
        }
    }

    /// The whole system, rendered one line per listener in key order.
    var rendered: [String] { system.withLock { $0.values.sorted { $0.key < $1.key }.map(\.description) } }

    /// A manual change behind the reconciler's back.
    func tamper(_ body: (inout [String: FakeListener]) -> Void) { system.withLock { body(&$0) } }
}

/// A config source whose next answer the test sets.
final class FakeSource: ConfigSource, Sendable {
    private let current = Mutex<ConfigLoad<Config>>(.invalid(revision: nil, problems: ["nothing yet"]))
    func set(_ load: ConfigLoad<Config>) { current.withLock { $0 = load } }
    func load() async -> ConfigLoad<Config> { current.withLock { $0 } }
}

/// A config with the given proxies, `listen` → protocol.
func config(_ proxies: [(String, String)]) throws -> Config {
    var config = try YAMLDecoder().decode(Config.self, from: YAMLDocument(parsing: "name: test\n"))
    config.proxies = proxies.enumerated().map { i, p in
        Proxy(id: "p\(i)", protocolName: p.1, listen: p.0, isEnabled: true)
    }
    return config
}

let testLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
