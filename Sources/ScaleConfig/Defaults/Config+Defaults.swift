public import Addressing

extension Config {
    /// The API/UI listen address used when `ui_listen` is empty.
    public static let defaultUIListen = "0.0.0.0:5565"
    /// The base path used when `ui_base_path` is empty.
    public static let defaultUIBasePath = "/scale"
    /// DNS upstreams used when `dns` is empty (internal resolver, WireGuard client configs).
    public static let defaultDNSServers = ["1.1.1.1", "8.8.8.8"]

    /// `ui_listen`, or `0.0.0.0:5565` when empty.
    public var effectiveUIListen: String { uiListen.isEmpty ? Self.defaultUIListen : uiListen }

    /// `ui_base_path` normalised: `/scale` when empty; otherwise with exactly one leading `/` and
    /// no trailing `/`, so `scale/` becomes `/scale`. A path of only slashes (`/`) gives `""`,
    /// meaning the UI is served at the root.
    public var effectiveUIBasePath: String {
        let trimmed = uiBasePath.trimmingASCIISpaces
        if trimmed.isEmpty { return Self.defaultUIBasePath }
        let parts = trimmed.split(separator: "/")
        return parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
    }

    /// `web_username`, or `admin` when empty.
    public var effectiveWebUsername: String { webUsername.isEmpty ? "admin" : webUsername }

    /// `session_timeout_h`, or 12 when not positive.
    public var effectiveSessionTimeoutHours: Int { sessionTimeoutHours > 0 ? min(sessionTimeoutHours, Self.maximumSessionTimeoutHours) : 12 }

    /// The longest `session_timeout_h` accepted: ten years, far from overflowing in seconds.
    public static let maximumSessionTimeoutHours = 87_600

    /// How long an admin session lasts without use.
    public var sessionTimeout: Duration { .seconds(effectiveSessionTimeoutHours * 3600) }

    /// The nested-discovery limits, defaulted and clamped.
    public var nestedLimits: NestedLimits { NestedLimits(self) }

    /// The DNS upstreams from `dns`, or 1.1.1.1 and 8.8.8.8 when it is empty; entries that do
    /// not parse are left out (validation reports them).
    public var effectiveDNSServers: [DNSServer] {
        let written = CommaList.splitCommasOrSpaces(dns).compactMap(DNSServer.init)
        return written.isEmpty ? Self.defaultDNSServers.compactMap(DNSServer.init) : written
    }

    /// Whether a DNS forwarder of domain rules runs: an enabled `domain` rule and the resolver on.
    public var runsDomainResolver: Bool {
        dnsResolver.isEffectivelyEnabled && rules.contains { $0.isEnabled && RuleType(spelling: $0.type) == .domain }
    }

    /// The `DNS =` of a WireGuard client's configuration: the server's own tunnel address when a
    /// forwarder of domain rules answers there (so the rules steer the clients' names too), else
    /// the DNS servers of ``effectiveDNSServers``, which the clients reach through the tunnel.
    public var wireGuardClientDNS: String {
        if runsDomainResolver, let address = wireGuard.flatMap({ IPNetwork($0.address) })?.address {
            return "\(address)"
        }
        return effectiveDNSServers.map { "\($0.address)" }.joined(separator: ", ")
    }

    /// The node's name in the mesh: `name`, else the node id (from the file or `stateNodeID`).
    public func effectiveName(stateNodeID: String) -> String {
        if !name.isEmpty { return name }
        return nodeID ?? stateNodeID
    }

    /// Whether the legacy `tun_mode.enabled: true` asks for `use_tun` on every `ip` rule.
    public var legacyTunModeRequestsTun: Bool { legacyTunMode?.isEnabled ?? false }
}
