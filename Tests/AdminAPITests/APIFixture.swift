/// A config with one of everything the API addresses by id, so calls on real ids can succeed.
/// Every listener is on loopback and disabled where it can be; nothing here needs the network.
enum APIFixture {
    static let config = """
    # Fixture for the API contract tests: one item of each kind the API edits by id.
    name: fixture
    server:
      listen: 127.0.0.1:45565          # loopback only
      password: fixture-node-password

    # a peer this node dials; disabled, so nothing is dialled
    clients:
      - name: jp
        addr: 127.0.0.1:45566
        password: jp-node-password
        disabled: true

    users:
      - id: alice                      # an account with a quota
        username: alice
        password: alice-long-password
        traffic_limit_gb: 5
        enabled: true

    proxies:
      - id: socks                      # a SOCKS5 listener, switched off
        protocol: socks5
        listen: 127.0.0.1:41080
        enabled: false

    rules:
      - id: office                     # route an office network through jp
        name: Office
        type: ip
        targets: [10.20.0.0/16]
        exit_via: jp
        enabled: false

    wireguard:
      enabled: false
      listen_port: 51821
      private_key: yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
      address: 10.0.0.1/24
      mtu: 1420
      peers:
        - name: phone                  # Alice's phone
          public_key: xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
          allowed_ips: 10.0.0.2/32
          keepalive: 25

    """

    /// The id of the fixture's item in each collection, by the path segment after `/api/`.
    static let ids: [String: String] = [
        "users": "alice", "proxies": "socks", "rules": "office", "clients": "jp", "peers": "jp",
        "wireguard": "phone",
    ]
}
