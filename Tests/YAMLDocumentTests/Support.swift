/// A commented file in the layout the project's own default uses.
let sampleConfig = """
# hy2scale node configuration
name: node-a          # shown to peers
exit_node: true

# The Hysteria 2 server.
server:
  listen: 0.0.0.0:5565
  password: 'secret-pass'   # keep it secret
  tls_cert: "/var/lib/hy2scale/tls/default.crt"

clients: []   # outbound peers
peers: {}

# Accounts.
users:
  - id: u1
    username: alice       # first user
    enabled: true
    exit_paths: [us, jp]
  - id: u2
    username: bob
    # bob's quota
    traffic_limit_gb: 500
    enabled: false

rules:
    - id: r1
      targets:
        - 10.0.0.0/8
        - 192.168.0.0/16
      exit_via: us

dns_resolver:
  enabled: true
  cache_ttl: 300
# end of file
"""
