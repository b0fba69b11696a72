public import Addressing
import Foundation
import Glibc
public import LinuxNet
public import Logging
public import NodeState
import Synchronization
import SystemCalls

/// The node's charon, which carries the IKEv2 server and L2TP's IPsec: a supervised daemon,
/// what has been loaded into it, and its live SAs.
///
/// VICI names what charon holds (pools, connections, secrets) but never gives a secret back, so
/// the gateway remembers what it loaded into this charon; a charon that restarted holds nothing,
/// and everything is loaded again.
public final class IPsecGateway: Sendable {
    /// The name of the IKEv2 pool, connection and child SA in charon.
    public static let name = "hy2ikev2"
    /// The name of L2TP's transport connection and its child SA in charon.
    public static let transportName = "hy2l2tp"
    /// The device clients' decrypted packets come in on: kernel-libipsec's TUN, or, where the
    /// kernel carries ESP, an xfrm interface the node makes for the connection's SAs.
    public static let deviceName = "ipsec0"
    /// The interface id binding the connection's kernel SAs to that xfrm interface.
    static let interfaceID: UInt32 = 0x6879

    private let directory: String
    private let netlink: Rtnetlink
    private let executable: String?
    private let logger: Logger
    private let exited: @Sendable () -> Void
    private let userspaceESP: @Sendable () -> Bool
    private let tlsStore: TLSStore?
    private let charon = Mutex<Charon?>(nil)
    private let loaded = Mutex<[String: IPsecResource]>([:])
    private let lastFailure = Mutex<[Service: String]>([:])
    /// The EAP identities behind the virtual IPs, listed again whenever an IKE SA comes up or
    /// goes down (``watchClients(of:)``), so a flow's lookup never waits for charon.
    private let holders = Mutex<[IPAddress: String]>([:])
    /// Set when a flow came from a virtual IP nobody was listed for: charon is asked again at
    /// the watcher's next quiet second, in case an event went missing.
    private let holderMissed = Atomic(false)

    /// - Parameters:
    ///   - directory: charon's own configuration and VICI socket (in the state directory).
    ///   - userspaceESP: whether this kernel lacks ESP, so charon carries it (kernel-libipsec).
    ///   - tlsStore: where the issued-certificate mode's certificate comes from, issued from the
    ///     node's CA when the connection is loaded; `nil` issues none (`plan` applies nothing).
    ///   - exited: called when charon ended on its own (after its backoff).
    public init(directory: String, netlink: Rtnetlink, executable: String? = IPsecGateway.installedDaemon(), logger: Logger,
                userspaceESP: @escaping @Sendable () -> Bool, tlsStore: TLSStore?, exited: @escaping @Sendable () -> Void) {
        self.tlsStore = tlsStore
        self.directory = directory
        self.netlink = netlink
        self.executable = executable
        self.logger = logger
        self.userspaceESP = userspaceESP
        self.exited = exited
    }

    /// charon from Debian's `strongswan-charon`; `nil` when it is not installed.
    public static func installedDaemon() -> String? { Charon.searchPath.first { (try? Posix.access($0, X_OK)) != nil } }

    static let noDaemon = "strongSwan's charon is not installed: install the Debian packages strongswan-charon, "
        + "libstrongswan-standard-plugins, libcharon-extauth-plugins and libcharon-extra-plugins"

    static let noTransport = "L2TP/IPsec needs the kernel's ESP (transport mode), which this kernel lacks"

    /// The daemon's settings this host needs.
    func settings() -> CharonSettings { CharonSettings(userspaceESP: userspaceESP()) }

    /// What charon holds of what was loaded; nothing while it is not running.
    func observe() -> [IPsecResource] {
        guard let charon = charon.withLock({ $0 }), charon.isRunning else {
            loaded.withLock { $0 = [:] }
            return []
        }
        let pools = (try? charon.vici.call("get-pools"))?.entries.map(\.name) ?? []
        let connections = (try? charon.vici.call("get-conns"))?.strings("conns") ?? []
        let secrets = (try? charon.vici.call("get-shared"))?.strings("keys") ?? []
        return loaded.withLock { loaded in
            loaded.values.filter { resource in
                switch resource {
                case .daemon: true
                case .pool: pools.contains(Self.name)
                case .connection: connections.contains(Self.name)
                case .transport: connections.contains(Self.transportName)
                case .secret(let secret): secrets.contains(secret.id)
                }
            }
        }
    }

    /// Starts charon with `settings`; a charon that was running is replaced, and what it held
    /// is loaded into the new one.
    func start(_ settings: CharonSettings) async throws(IPsecError) {
        guard let executable else { throw .unavailable(Self.noDaemon) }
        let held = loaded.withLock { $0 }.values.filter { if case .daemon = $0 { false } else { true } }
        await stop()
        let daemon = Charon(executable: executable, directory: directory, settings: settings, logger: logger, exited: exited)
        charon.withLock { $0 = daemon }
        try await daemon.start()
        watchClients(of: daemon)
        loaded.withLock { $0 = [IPsecResource.daemon(settings).key: .daemon(settings)] }
        for resource in held.sorted(by: { $0.key < $1.key }) { try load(resource) }
    }

    func stop() async {
        let daemon = charon.withLock { current in
            defer { current = nil }
            return current
        }
        await daemon?.stop()
        loaded.withLock { $0 = [:] }
        holders.withLock { $0 = [:] }
        // The xfrm interface of the kernel's ESP is the node's (kernel-libipsec's TUN went with charon).
        if (try? netlink.link(named: Self.deviceName)) != nil { try? netlink.deleteLink(named: Self.deviceName) }
    }

    /// Loads `resource` into charon (replacing what it held under the same name).
    func load(_ resource: IPsecResource) throws(IPsecError) {
        let vici = try running()
        // kernel-libipsec carries tunnel mode only.
        if case .transport = resource, charonSettings()?.userspaceESP != false { throw .unavailable(Self.noTransport) }
        // The server's certificate and key, in the certificate modes.
        var credentials: (certificate: String, privateKey: String)?
        if case .connection(let connection) = resource {
            switch connection.authentication {
            case .preSharedKey: break
            case .certificateAndEAP(let certificate, let privateKey): credentials = (certificate, privateKey)
            case .issuedCertificateAndEAP(let identity):
                guard let tlsStore else { throw .unavailable("no TLS store to issue the server's certificate from") }
                do {
                    let issued = try tlsStore.vpnServerCertificate(for: identity)
                    credentials = (issued.certificatePEM, issued.keyPEM)
                } catch {
                    throw .refused("cannot issue the server's certificate for \(identity) from the node's CA: \(error)")
                }
            }
        }
        do throws(VICIError) {
            switch resource {
            case .daemon:
                return
            case .pool(let pool):
                _ = try vici.call("load-pool", IPsecRequests.loadPool(pool))
            case .connection(let connection):
                if let credentials { _ = try vici.call("load-key", IPsecRequests.loadKey(credentials.privateKey)) }
                let userspaceESP = charonSettings()?.userspaceESP ?? false
                _ = try vici.call("load-conn", IPsecRequests.loadConnection(connection, certificate: credentials?.certificate,
                                                                            userspaceESP: userspaceESP))
            case .transport(let transport):
                _ = try vici.call("load-conn", IPsecRequests.loadTransport(transport))
            case .secret(let secret):
                _ = try vici.call("load-shared", IPsecRequests.loadSecret(secret))
            }
        } catch {
            throw .refused("\(resource): \(error)")
        }
        if case .connection(let connection) = resource, let previous = loadedConnection,
           previous.authentication.provesUsers != connection.authentication.provesUsers {
            // A client that proved the shared key is nobody; under EAP its IKE identity would be
            // taken for a user's name (``connected()``), so the tunnels made before end.
            for id in ((try? ikeSAs()) ?? []).map(\.id) { try? endTunnel(id, through: vici) }
        }
        if case .pool(let pool) = resource {
            if charonSettings()?.userspaceESP == false {
                try attachInterface(pool)
            } else if (try? netlink.link(named: Self.deviceName)) != nil {
                // kernel-libipsec's TUN device, which charon made when it started.
                try? netlink.setLink(Self.deviceName, up: true, mtu: pool.mtu)
            }
        }
        loaded.withLock { $0[resource.key] = resource }
    }

    /// Unloads `resource`; the tunnels that used it end (a secret's: at their next
    /// authentication).
    func unload(_ resource: IPsecResource) throws(IPsecError) {
        guard let vici = try? running() else { return }
        do throws(VICIError) {
            switch resource {
            case .daemon: return
            case .pool: _ = try vici.call("unload-pool", ["name": .string(Self.name)])
            case .connection: _ = try vici.call("unload-conn", ["name": .string(Self.name)])
            case .transport: _ = try vici.call("unload-conn", ["name": .string(Self.transportName)])
            case .secret(let secret):
                _ = try vici.call("unload-shared", ["id": .string(secret.id)])
                // Without its secret the user cannot authenticate again; the tunnels up now end too.
                if secret.kind == .eap, let owner = secret.owner {
                    for id in ((try? connected()) ?? []).filter({ $0.user == owner }).map(\.ikeID) {
                        try endTunnel(id, through: vici)
                    }
                }
            }
        } catch {
            throw .refused("\(resource): \(error)")
        }
        loaded.withLock { $0[resource.key] = nil }
    }

    /// Ends IKE SA `id` at once, without waiting for the client to answer.
    private func endTunnel(_ id: String, through vici: VICIClient) throws(VICIError) {
        _ = try vici.call("terminate", ["ike-id": .string(id), "force": "yes", "timeout": "-1"])
    }

    /// The IKEv2 connection loaded into charon now, if any.
    private var loadedConnection: IPsecSpec.Connection? {
        loaded.withLock { loaded in
            loaded.values.lazy.compactMap { if case .connection(let connection) = $0 { connection } else { nil } }.first
        }
    }

    /// The user (EAP identity) holding virtual IP `address` now; `nil` when nobody does. Never
    /// asks charon: it reads what charon listed at its last IKE SA's coming or going.
    public func username(at address: IPAddress) -> String? {
        let user = holders.withLock { $0[address] }
        if user == nil { holderMissed.store(true, ordering: .relaxed) }
        return user
    }

    /// Lists who holds which virtual IP each time an IKE SA of `daemon` comes up, goes down or
    /// is rekeyed, on a thread of its own while `daemon` runs: charon's events say when, its
    /// `list-sas` says who; and again after a lookup found nobody (at most once a second). A
    /// connection that broke is made again after a second.
    private func watchClients(of daemon: Charon) {
        let thread = Thread { [self] in
            let stopped = { !daemon.isRunning || self.charon.withLock { $0 !== daemon } }
            while !stopped() {
                do {
                    try daemon.vici.listen(to: ["ike-updown", "ike-rekey"], isStopped: stopped, registered: listHolders,
                                           quiet: { if holderMissed.exchange(false, ordering: .relaxed) { listHolders() } }) { _, _ in listHolders() }
                } catch {
                    if !stopped() { Thread.sleep(forTimeInterval: 1) }
                }
            }
        }
        thread.name = "hy2scale-ikev2-clients"
        thread.start()
    }

    /// Replaces the holders with charon's listing; keeps them when charon cannot be asked.
    private func listHolders() {
        guard let clients = try? connected() else { return }
        var byAddress: [IPAddress: String] = [:]
        for client in clients {
            for vip in client.addresses { byAddress[vip] = client.user }
        }
        holders.withLock { $0 = byAddress }
    }

    /// A client charon has an IKE SA with: its EAP identity and virtual IPs.
    struct ConnectedClient {
        var ikeID: String
        var user: String
        var addresses: [IPAddress]
    }

    /// The EAP-authenticated clients of the connection, as `list-sas` reports them now.
    func connected() throws(IPsecError) -> [ConnectedClient] {
        guard loadedConnection?.authentication.provesUsers == true else { return [] }
        return try ikeSAs().compactMap { id, ike in
            // charon names the EAP identity only where it differs from the IKE identity; many
            // clients (phones among them) send the user's name as both.
            guard let user = ike.string("remote-eap-id") ?? ike.string("remote-id") else { return nil }
            return ConnectedClient(ikeID: id, user: user, addresses: (ike.strings("remote-vips") ?? []).compactMap { IPAddress($0) })
        }
    }

    /// The connection's IKE SAs, by charon's unique id, as `list-sas` reports them now.
    private func ikeSAs() throws(IPsecError) -> [(id: String, ike: VICIMessage)] {
        let sas: [VICIMessage]
        do {
            sas = try running().stream("list-sas", ["ike": .string(Self.name)], event: "list-sa")
        } catch {
            throw .refused("list-sas: \(error)")
        }
        return sas.flatMap(\.entries).compactMap { entry in
            guard case .section(let ike) = entry.value, let id = ike.string("uniqueid") else { return nil }
            return (id, ike)
        }
    }

    /// The services charon carries, each with its own status.
    public enum Service: Hashable, Sendable {
        case ikev2, l2tp

        /// The service a resource belongs to; charon itself is both's.
        static func of(_ resource: IPsecResource) -> [Service] {
            switch resource {
            case .daemon: [.ikev2, .l2tp]
            case .transport: [.l2tp]
            case .pool, .connection, .secret: [.ikev2]
            }
        }
    }

    /// Records why the last reconcile's changes failed, by service, for ``status(of:)``.
    func record(failures: [(IPsecResource, String)]) {
        var first: [Service: String] = [:]
        for (resource, reason) in failures {
            for service in Service.of(resource) where first[service] == nil { first[service] = reason }
        }
        lastFailure.withLock { $0 = first }
    }

    /// Whether charon runs and, when it does not or a change for `service` failed, why.
    public func status(of service: Service) -> (isRunning: Bool, reason: String?) {
        guard executable != nil else { return (false, Self.noDaemon) }
        let failure = lastFailure.withLock { $0[service] }
        guard let charon = charon.withLock({ $0 }), charon.isRunning else {
            return (false, failure ?? charon.withLock { $0?.stoppedReason })
        }
        return (true, failure)
    }

    /// With the kernel's ESP: the xfrm interface the SAs are bound to, holding the server's pool
    /// address, so the pool is routed into the tunnels and the clients' packets come in on it.
    private func attachInterface(_ pool: IPsecSpec.Pool) throws(IPsecError) {
        do {
            if try netlink.link(named: Self.deviceName) == nil {
                try netlink.addXfrmInterface(named: Self.deviceName, interfaceID: Self.interfaceID)
            }
            if let link = try netlink.link(named: Self.deviceName) {
                for address in try netlink.addresses(of: link) where address != pool.network {
                    try netlink.delete(address, fromLink: Self.deviceName)
                }
                if try !netlink.addresses(of: link).contains(pool.network) { try netlink.add(pool.network, toLink: Self.deviceName) }
            }
            try netlink.setLink(Self.deviceName, up: true, mtu: pool.mtu)
        } catch {
            throw .refused("cannot set up \(Self.deviceName): \(error)")
        }
    }

    /// The settings the running charon was started with.
    private func charonSettings() -> CharonSettings? { charon.withLock { $0 }?.settings }

    private func running() throws(IPsecError) -> VICIClient {
        guard let charon = charon.withLock({ $0 }), charon.isRunning else { throw .daemon("charon is not running") }
        return charon.vici
    }
}
