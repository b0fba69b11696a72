/// The commented configuration a node starts from: written by `hy2scale serve` when no file
/// exists, and installed as `/etc/hy2scale/config.yaml` (a test keeps the two identical).
///
/// Secrets are left empty here; `hy2scale serve` generates them on start and writes them into
/// the file, so they survive restarts (DECISIONS #3).
public enum DefaultConfig {
    public static let text = """
    # hy2scale node configuration.
    #
    # This file is the single source of truth for this node. Edit it by hand, keep it in git, or
    # change it through the web UI and REST API (which edit this text in place and keep these
    # comments). A saved change is applied within a second or two; an invalid file is refused and
    # the previous configuration keeps running. `hy2scale validate` lists every problem with its
    # line and column. Runtime facts (traffic counters, sessions, the node id) live in the state
    # directory, /var/lib/hy2scale, never here.

    # Name shown to peers and used as this node's identity in the mesh.
    # Empty: the node id kept in the state directory.
    name: ""

    # Offer this node to peers as an exit for their traffic.
    exit_node: true

    # Let users (not only peer nodes) log in to the Hysteria 2 server.
    hy2_user_auth: false

    # Hysteria 2 (QUIC, UDP) server. Peer nodes log in with `password`.
    # Remove the section or write `server: null` to run no server.
    server:
      listen: 0.0.0.0:5565
      # Empty: a random password is generated on first start and written here.
      password: ""
      # PEM certificate and key files. Empty: the default certificate of the TLS store in the
      # state directory, generated on first start.
      tls_cert: ""
      tls_key: ""
      # Salamander obfuscation of every packet; clients must use the same password.
      # obfs: {type: salamander, password: at-least-4-characters}

    # Peer nodes this node dials, for example:
    #   - name: jp
    #     addr: jp.example.com:5565
    #     password: the-peer-server-password
    #     sni: jp.example.com
    clients: []

    # Flags per peer, keyed by name or path (tokyo, tokyo/osaka):
    #   tokyo: {nested: true}      allow discovery and transit through tokyo
    #   tokyo/osaka: {disabled: true}
    peers: {}

    # Accounts for Hysteria 2, SOCKS5, HTTP, Shadowsocks, L2TP and IKEv2, for example:
    #   - id: alice
    #     username: alice
    #     password: a-long-password
    #     exit_via: jp           # leave through peer jp; empty: leave from this node
    #     traffic_limit_gb: 500  # 0: unlimited
    #     expiry: 2027-01-01     # RFC 3339 or YYYY-MM-DD; empty: never
    #     enabled: true
    users: []

    # SOCKS5 and HTTP proxy listeners, for example:
    #   - id: socks
    #     protocol: socks5       # or http
    #     listen: 0.0.0.0:1080
    #     enabled: true
    proxies: []

    # WireGuard server (device hy2wg0, run by the wireguard-go package). Its clients' TCP and UDP
    # leave through the rules or their peer's exit like every other inbound. Peers, for example:
    #   - name: phone
    #     public_key: <the client's public key>
    #     allowed_ips: 10.0.0.2/32 # the client's tunnel address; one peer per address
    #     exit_via: jp           # absent: directly from this node
    #     user: alice            # optional: counts against users[] alice, cut when she is
    # GET /api/wireguard/peers/<name>/config hands out a client's .conf (with its private_key).
    wireguard:
      enabled: false
      listen_port: 51820
      # Empty: a key is generated on first start and written here.
      private_key: ""
      address: 10.0.0.1/24
      mtu: 1420
      peers: []

    # Host routing rules: this host's and forwarded LAN traffic to matching IPs or domains is
    # captured (nftables table `inet hy2scale`, TPROXY) and leaves through an exit, for example:
    #   - id: streaming
    #     type: domain           # or ip (addresses, CIDRs, ranges a.b.c.d-e.f.g.h)
    #     targets: [example.com] # a name also covers its subdomains
    #     exit_via: jp
    #     priority: 10           # higher wins where targets overlap
    #     enabled: true
    # Domain rules learn addresses from DNS answers: point the resolver of this host or the LAN at
    # the forwarder (dns_resolver.listen, default 127.0.0.1:53).
    rules: []

    # Web UI and REST API. They answer HTTPS as well as HTTP; with force_https they answer only
    # HTTPS (plain HTTP is redirected), with the TLS store certificate https_cert_id (empty: the
    # store's default certificate).
    ui_listen: 0.0.0.0:5565
    ui_base_path: /scale
    force_https: false
    https_cert_id: ""

    # Admin login. The password is stored as a salted hash. Empty: a random initial password is
    # generated on first start, its hash written here and the password itself put in
    # initial-admin-password in the state directory (mode 0600). Log in with it and change it, or
    # run `hy2scale passwd`; until then it can do nothing else.
    web_username: admin
    web_password: ""

    # DNS servers handed to VPN clients and used by the internal resolver.
    dns: 1.1.1.1, 8.8.8.8

    """
}
