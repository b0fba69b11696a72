// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 mode, and imports that cannot leak upward (STYLE §1).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "hy2scale",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hy2scale", targets: ["hy2scale"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // System-library shims: a module map and pkg-config, no Swift code.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Headers only: Archive loads libarchive when it first reads a tar stream (LibArchive.swift).
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CB2", pkgConfig: "libb2", providers: [.apt(["libb2-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),  // glibc's mallopt (malloc.h)
        .systemLibrary(name: "CNftnl", pkgConfig: "libnftnl", providers: [.apt(["libnftnl-dev", "libmnl-dev"])]),
        .systemLibrary(
            name: "CNgtcp2",
            pkgConfig: "libngtcp2_crypto_gnutls",
            providers: [.apt(["libngtcp2-dev", "libngtcp2-crypto-gnutls-dev", "libgnutls28-dev"])]
        ),

        // What Swift cannot import from the C library (CMSG_*, variadic ioctl, setns), as functions.
        .target(name: "CSystemShim"),
        // The system calls hy2scale makes itself, each wrapped once: EINTR retried, one error type.
        .target(name: "SystemCalls", dependencies: ["CSystemShim"], swiftSettings: strictSettings),
        // Vocabulary of the network shared by the config model, the codecs and the engines:
        // addresses, networks, ranges, listen addresses, ports and flow targets. Depends on nothing.
        .target(name: "Addressing", swiftSettings: strictSettings),
        .target(name: "YAMLDocument", dependencies: ["CYAML"], swiftSettings: strictSettings),
        .target(
            name: "ScaleConfig",
            dependencies: [
                "Addressing", "YAMLDocument",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NodeState",
            dependencies: [
                "CSQLite", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "QRCode", dependencies: ["CQRencode"], swiftSettings: strictSettings),
        // The hash functions the wire formats derive keys with: BLAKE3 (Shadowsocks 2022) and
        // BLAKE2b (Salamander, through libb2). A leaf: only the libb2 shim below it.
        .target(name: "Hashing", dependencies: ["CB2"], swiftSettings: strictSettings),
        // Backups and upgrade bundles as .tar.gz: gzip through zlib, tar read by libarchive with
        // stricter checks on top (Tar/TarArchive+Reading.swift), tar written by hand.
        .target(name: "Archive", dependencies: ["CArchive", "CZlib"], swiftSettings: strictSettings),
        .target(
            name: "Reconciler",
            dependencies: [
                "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The kernel objects hy2scale owns: its nftables table, routes and policy rules, TUN devices.
        .target(
            name: "LinuxNet",
            dependencies: [
                "Addressing", "CNftnl", "Reconciler", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The VPN gateway's engines as reconciled resources: the WireGuard device (the kernel's
        // over generic netlink, or a supervised wireguard-go over its control socket) and its
        // peers; the IPsec of the IKEv2 and L2TP servers (one supervised charon configured over
        // VICI); the L2TP server (a supervised xl2tpd and the pppd it starts per call).
        .target(
            name: "VPN",
            dependencies: [
                "Addressing", "CNftnl", "LinuxNet", "NodeState", "Reconciler", "SystemCalls",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Host traffic steering: `rules[]` become the nftables table, policy routes, the
        // transparent listeners' lookup, and the DNS forwarder that fills domain rules' sets.
        .target(
            name: "RuleEngine",
            dependencies: [
                "Access", "Addressing", "LinuxNet", "NodeState", "Reconciler", "Routing", "Mesh", "SystemCalls",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Routing",
            dependencies: [
                "Addressing",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Egress",
            dependencies: [
                "Addressing", "Routing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Admission and accounting of flows, shared by every inbound: the gate that checks users
        // and limits (with the driver that installs the access policy), the device sessions, the
        // traffic ledger, and the splice that relays a flow.
        .target(
            name: "Access",
            dependencies: [
                "Addressing", "Routing", "Reconciler", "NodeState",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The SOCKS5, HTTP and Shadowsocks listeners; the reconciler reaches them through the
        // listener driver in Assembly, and TLS certificates through `CertificateFiles`.
        .target(
            name: "Inbounds",
            dependencies: [
                "Access", "Addressing", "Routing", "Shadowsocks", "WireFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The Hysteria 2 server: logins, TCP and UDP relaying, and peers' relay streams handed to
        // whatever serves them (the mesh, wired in by the node).
        .target(
            name: "HysteriaServer",
            dependencies: [
                "Access", "Addressing", "Routing", "Reconciler", "NodeState", "QUIC", "Hysteria", "MeshWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // What the wire formats share: an incremental byte cursor and the SOCKS5 address form.
        .target(
            name: "WireFormat",
            dependencies: ["Addressing", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // Shadowsocks AEAD (SIP004) and 2022 (SIP022) framing, keys, replay filter: the server side.
        .target(
            name: "Shadowsocks",
            dependencies: [
                "CCrypto", "Addressing", "Hashing", "WireFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Hysteria 2 wire formats (framing, UDP fragmentation, Salamander, the HTTP/3 subset) and
        // the client.
        .target(
            name: "Hysteria",
            dependencies: [
                "Addressing", "Hashing", "Routing", "QUIC", "WireFormat",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // QUIC connections, streams and datagrams; ngtcp2 + GnuTLS behind the engine seam.
        .target(
            name: "QUIC",
            dependencies: [
                "CNgtcp2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The mesh's v3 wire formats: sentinel stream addresses, registration, peer lists, dial
        // requests. Pure codecs, shared by the mesh and the Hysteria 2 server that hands it streams.
        .target(
            name: "MeshWire",
            dependencies: ["Addressing", "WireFormat", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // The mesh relay: peers and their sessions, relaying, discovery, and the router that sends
        // flows along exit paths.
        .target(
            name: "Mesh",
            dependencies: [
                "Addressing", "MeshWire", "Routing", "WireFormat", "Reconciler", "QUIC", "Hysteria", "Egress",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The one place the config model meets the engines: each driver's input mapped from
        // `Config`, the drivers of a node in order, and the config file as the reconciler's source.
        .target(
            name: "Assembly",
            dependencies: [
                "Addressing", "ScaleConfig", "Reconciler", "Routing", "Egress", "Access", "Inbounds", "HysteriaServer", "Mesh", "RuleEngine", "LinuxNet",
                "NodeState", "Shadowsocks", "VPN",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AdminAPI",
            dependencies: [
                "CYAML", "YAMLDocument", "ScaleConfig", "NodeState", "Reconciler", "QRCode", "Archive", "SystemCalls",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            // OpenAPI/openapi.json is the REST contract's one source and WebUI/ holds the web UI; the
            // EmbedAdminAssets plugin embeds both as string constants at build time.
            exclude: ["OpenAPI/openapi.json", "WebUI"],
            swiftSettings: strictSettings,
            plugins: ["EmbedAdminAssets"]
        ),
        // Build-time embedding of AdminAPI's OpenAPI document and web UI: the plugin runs
        // `embed-assets` (built for the host), which checks them and writes them out as Swift string constants.
        .plugin(name: "EmbedAdminAssets", capability: .buildTool(), dependencies: ["embed-assets"]),
        .executableTarget(name: "embed-assets", path: "Plugins/EmbedAssetsTool", swiftSettings: strictSettings),
        .executableTarget(
            name: "hy2scale",
            dependencies: [
                "Access", "Addressing", "Assembly", "YAMLDocument", "ScaleConfig", "NodeState", "Reconciler", "AdminAPI", "Inbounds", "HysteriaServer", "Egress", "Routing", "Mesh", "CMalloc",
                "LinuxNet", "RuleEngine", "SystemCalls", "VPN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Test fixture: a process that bumps counters until it is killed (NodeStateTests).
        .executableTarget(
            name: "StateBurst",
            dependencies: ["NodeState", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Throughput and connection rate of the inbounds next to sing-box, microsocks, ss-server.
        .executableTarget(name: "inbound-bench", path: "Benchmarks/InboundBench", swiftSettings: strictSettings),
        // The control plane at scale: validate, start-up, toggles, listings, a batch and memory for
        // 1k to 100k users next to a baseline binary (scripts/control-plane-bench).
        .executableTarget(
            name: "control-plane-bench",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/ControlPlaneBench",
            swiftSettings: strictSettings
        ),
        // nftables apply: one netlink batch (hy2scale) next to `nft -f`, for a 10,000-target set and
        // for 10,000 rules of 10 targets.
        .executableTarget(name: "nft-bench", dependencies: ["LinuxNet", "Reconciler", "Routing", "RuleEngine"], path: "Benchmarks/NftBench", swiftSettings: strictSettings),
        // Salamander's per-datagram cost on 1,200-byte packets (key derivation and XOR).
        .executableTarget(
            name: "salamander-bench",
            dependencies: ["Hysteria", .product(name: "NIOCore", package: "swift-nio")],
            path: "Benchmarks/SalamanderBench",
            swiftSettings: strictSettings
        ),
        // Coverage-guided fuzzing of the parsers that face the network or the config: one harness
        // per parser in one program (`scripts/fuzz`, README "Fuzzing"). A plain build runs corpus
        // files through the harnesses once; built with `-DFUZZING`, sanitizer coverage and
        // libFuzzer (`CLibFuzzer` declares its driver) it is the fuzzer.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "hy2scale-fuzz",
            dependencies: [
                "CLibFuzzer", "Addressing", "YAMLDocument", "ScaleConfig", "Routing", "WireFormat", "Inbounds", "Hysteria", "Mesh",
                "MeshWire", "Shadowsocks", "ShadowsocksClient", "Access", "HysteriaServer",
                "RuleEngine", "Archive", "AdminAPI", "VPN", "LinuxNet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Fuzz/Sources",
            swiftSettings: strictSettings
        ),
        // The Shadowsocks client side, which only the tests and the fuzz harnesses use.
        .target(
            name: "ShadowsocksClient",
            dependencies: [
                "Shadowsocks", "Addressing", "WireFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/ShadowsocksClient",
            swiftSettings: strictSettings
        ),
        // Helpers shared by the test targets: a manual clock, temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls"], swiftSettings: strictSettings),
        .testTarget(name: "YAMLDocumentTests", dependencies: ["YAMLDocument", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ScaleConfigTests", dependencies: ["Addressing", "ScaleConfig", "TestSupport", "YAMLDocument"], swiftSettings: strictSettings),
        .testTarget(
            name: "NodeStateTests",
            dependencies: [
                "NodeState", "StateBurst", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: [
                "Reconciler", "ScaleConfig", "Assembly", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LinuxNetTests", dependencies: ["LinuxNet", "Reconciler", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "RuleEngineTests",
            dependencies: [
                "RuleEngine", "Access", "Inbounds", "LinuxNet", "Routing", "ScaleConfig", "Egress", "Addressing", "Assembly", "Mesh", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], swiftSettings: strictSettings),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], swiftSettings: strictSettings),
        .testTarget(name: "VPNTests", dependencies: ["VPN", "Addressing", "CNftnl", "LinuxNet", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "ScaleConfig", "YAMLDocument", "NodeState", "Reconciler", "Assembly", "TestSupport", "Archive",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InboundsTests",
            dependencies: [
                "Inbounds", "Routing", "Egress", "Reconciler", "ScaleConfig", "NodeState", "TestSupport", "Hysteria", "QUIC", "Mesh",
                "Access", "Addressing", "Assembly", "HysteriaServer", "MeshWire", "RuleEngine", "Shadowsocks", "ShadowsocksClient", "WireFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HysteriaTests",
            dependencies: ["Hysteria", "Addressing", "Routing", "WireFormat", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshTests",
            dependencies: ["Mesh", "MeshWire", "Addressing", "Routing", "WireFormat", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "QUICTests",
            dependencies: [
                "QUIC", "Hysteria", "NodeState", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["hy2scale", "Addressing", "ScaleConfig", "YAMLDocument", "NodeState", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
