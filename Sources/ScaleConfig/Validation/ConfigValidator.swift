import Addressing
import YAMLDocument

/// The state of one validation run: the config, the context and the issues found so far.
///
/// Each `check…` method looks at one section; see the `ConfigValidator+…` files.
struct ConfigValidator {
    let config: Config
    let context: ValidationContext
    private(set) var issues: [ConfigIssue] = []

    /// This node's name and id, which exit paths may name only as their first hop.
    let selfNames: Set<String>
    /// Users and rules with nothing to report: from the memo, plus those found clean now;
    /// `nil` without a memo.
    var clean: ValidationMemo.Clean?

    init(config: Config, context: ValidationContext) {
        self.config = config
        self.context = context
        let selfNames = Set([config.name, config.nodeID ?? context.nodeID ?? ""].filter { !$0.isEmpty })
        self.selfNames = selfNames
        clean = context.memo?.clean(serverPassword: config.server?.password ?? "", selfNames: selfNames)
    }

    mutating func run() {
        checkTopLevel()
        checkServer()
        checkClients()
        checkPeerFlags()
        checkUsers()
        checkProxies()
        checkShadowsocks()
        checkL2TP()
        checkIKEv2()
        checkWireGuard()
        checkPoolsApart()
        checkRules()
        checkPortClashes()
    }

    // MARK: Reporting

    mutating func error(_ path: YAMLPath, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message, severity: .error))
    }

    mutating func notice(_ path: YAMLPath, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message, severity: .notice))
    }

    /// A value quoted for a message, with control characters escaped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: Shared checks

    /// An identifier that is also a URL segment or exit-path hop: non-empty, no `/`, no control
    /// characters.
    mutating func checkName(_ value: String, at path: YAMLPath, what: String) {
        if value.isEmpty {
            error(path, "\(what) is required")
        } else if value.contains("/") {
            error(path, "\(Self.quote(value)) is not a valid \(what); use a name without /")
        } else if value.containsControl {
            error(path, "\(what) contains a control character; use printable characters only")
        }
    }

    /// A closed-set value; an unknown spelling lists the accepted ones, a legacy one is a notice.
    mutating func checkEnum<E: ConfigEnum>(_ type: E.Type, _ value: String, at path: YAMLPath, what: String) {
        guard let parsed = E(spelling: value) else {
            error(path, "\(Self.quote(value)) is not a valid \(what); use \(E.acceptedList)")
            return
        }
        if E.isLegacy(value) {
            notice(path, "\(Self.quote(value)) is the hy2scale v1.3 spelling; write \(Self.quote(parsed.rawValue))")
        }
    }

    /// A number that may not be negative.
    mutating func checkNonNegative(_ value: Int, at path: YAMLPath) {
        if value < 0 { error(path, "\(value) is negative; use 0 or a positive number") }
    }

    /// A port number that may be 0 for "the default".
    mutating func checkOptionalPort(_ value: Int, at path: YAMLPath) {
        if value != 0, !PortNumber.validRange.contains(value) {
            error(path, "\(value) is not a port; use a number from 1 to 65535 (or 0 for the default)")
        }
    }

    /// A listen address; `nil` when it does not parse (the error is recorded). An address to
    /// bind (`requiresHost` false) may give port 0 for any free port.
    @discardableResult
    mutating func checkListen(
        _ value: String, at path: YAMLPath, allowsPortHopping: Bool = false, requiresHost: Bool = false
    ) -> ListenAddress? {
        switch ListenAddress.parse(value, allowsPortHopping: allowsPortHopping, requiresHost: requiresHost,
                                   allowsAnyPort: !requiresHost) {
        case .success(let address): return address
        case .failure(let failure):
            error(path, "\(Self.quote(value)) \(failure.reason)")
            return nil
        }
    }

    /// An `ip/prefix` value such as a pool or a WireGuard address.
    mutating func checkNetwork(_ value: String, at path: YAMLPath, what: String) {
        if IPNetwork(value) == nil {
            error(path, "\(Self.quote(value)) is not \(what); use IP/PREFIX, as in 10.0.0.1/24")
        }
    }

    /// A TLS store id: a safe file name that is in the store.
    mutating func checkCertificateID(_ id: String, at path: YAMLPath) {
        guard Self.isSafeFileName(id) else {
            error(path, "\(Self.quote(id)) is not a certificate id; use letters, digits, '.', '_' and '-', not starting with '.'")
            return
        }
        guard context.tlsCertificateIDs.contains(id) else {
            let known = context.tlsCertificateIDs.sorted().prefix(10).map(Self.quote).joined(separator: ", ")
            error(path, "no TLS certificate has id \(Self.quote(id)); use an id from the TLS store"
                + (known.isEmpty ? " (it is empty)" : " (\(known))"))
            return
        }
    }

    static func isSafeFileName(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix(".")
            && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-") }
    }

    /// Reports the second and later occurrences of each value, naming the first.
    mutating func checkDuplicates(_ entries: [(value: String, path: YAMLPath)], what: String) {
        checkDuplicates(entries.map(\.value), what: what) { entries[$0].path }
    }

    /// Duplicates among `values`, the `i`th of which is at `path(i)` (made only for a message).
    mutating func checkDuplicates(_ values: [String], what: String, at path: (Int) -> YAMLPath) {
        var first: [String: Int] = [:]
        first.reserveCapacity(values.count)
        for (i, value) in values.enumerated() where !value.isEmpty {
            if let earlier = first[value] {
                error(path(i), "duplicate \(what) \(Self.quote(value)); first used at \(path(earlier))")
            } else {
                first[value] = i
            }
        }
    }
}
