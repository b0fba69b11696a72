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
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),  // glibc's mallopt (malloc.h)
        .systemLibrary(name: "CNftnl", pkgConfig: "libnftnl", providers: [.apt(["libnftnl-dev", "libmnl-dev"])]),
        .systemLibrary(
            name: "CNgtcp2",
            pkgConfig: "libngtcp2_crypto_gnutls",
            providers: [.apt(["libngtcp2-dev", "libngtcp2-crypto-gnutls-dev", "libgnutls28-dev"])]
        ),

        .target(name: "YAMLDocument", dependencies: ["CYAML"], swiftSettings: strictSettings),
        .target(
            name: "ScaleConfig",
            dependencies: [
                "YAMLDocument",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NodeState",
            dependencies: [
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "QRCode", dependencies: ["CQRencode"], swiftSettings: strictSettings),
        .target(name: "Archive", dependencies: ["CZlib"], swiftSettings: strictSettings),
        .target(
            name: "Reconciler",
            dependencies: [
                "ScaleConfig",
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
                "CNftnl", "Reconciler",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Host traffic steering: `rules[]` become the nftables table, policy routes, the
        // transparent listeners' lookup, and the DNS forwarder that fills domain rules' sets.
        .target(
            name: "RuleEngine",
            dependencies: [
                "LinuxNet", "Reconciler", "Routing", "ScaleConfig", "Inbounds", "Mesh",
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
                "ScaleConfig",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Egress",
            dependencies: [
                "Routing", "ScaleConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Inbounds",
            dependencies: [
                "CCrypto", "Routing", "ScaleConfig", "NodeState", "Reconciler", "QUIC", "Hysteria", "WireFormat", "Mesh",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // An incremental byte cursor the wire formats share.
        .target(
            name: "WireFormat",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // Hysteria 2 wire formats (framing, UDP fragmentation, Salamander, the HTTP/3 subset) and
        // the client.
        .target(
            name: "Hysteria",
            dependencies: [
                "Routing", "QUIC", "WireFormat",
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
        // The mesh relay: the v3 wire formats of the sentinel streams (Wire/, pure), peers and
        // their sessions, relaying, discovery, and the router that sends flows along exit paths.
        .target(
            name: "Mesh",
            dependencies: [
                "Routing", "WireFormat", "ScaleConfig", "Reconciler", "QUIC", "Hysteria", "Egress",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AdminAPI",
            dependencies: [
                "CYAML", "YAMLDocument", "ScaleConfig", "NodeState", "Reconciler", "QRCode", "Archive",
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
            // OpenAPI/openapi.json is the REST contract's one source; the EmbedOpenAPI plugin embeds
            // it as `OpenAPIDocument.json` at build time.
            exclude: ["OpenAPI/openapi.json"],
            swiftSettings: strictSettings,
            plugins: ["EmbedOpenAPI"]
        ),
        // Build-time embedding of AdminAPI's OpenAPI document: the plugin runs `embed-openapi`
        // (built for the host), which checks the JSON and writes it out as a Swift string constant.
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["embed-openapi"]),
        .executableTarget(name: "embed-openapi", path: "Plugins/EmbedOpenAPITool", swiftSettings: strictSettings),
        .executableTarget(
            name: "hy2scale",
            dependencies: [
                "YAMLDocument", "ScaleConfig", "NodeState", "Reconciler", "AdminAPI", "Inbounds", "Egress", "Routing", "Mesh", "CMalloc",
                "LinuxNet", "RuleEngine",
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
        // nftables apply: one netlink batch (hy2scale) next to `nft -f`, for a 10,000-target set.
        .executableTarget(name: "nft-bench", dependencies: ["LinuxNet", "Reconciler"], path: "Benchmarks/NftBench", swiftSettings: strictSettings),
        // Coverage-guided fuzzing of the parsers that face the network or the config: one harness
        // per parser in one program (`scripts/fuzz`, README "Fuzzing"). A plain build runs corpus
        // files through the harnesses once; built with `-DFUZZING`, sanitizer coverage and
        // libFuzzer (`CLibFuzzer` declares its driver) it is the fuzzer.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "hy2scale-fuzz",
            dependencies: [
                "CLibFuzzer", "YAMLDocument", "ScaleConfig", "Routing", "WireFormat", "Inbounds", "Hysteria", "Mesh",
                "RuleEngine", "Archive", "AdminAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Fuzz/Sources",
            swiftSettings: strictSettings
        ),
        // Helpers shared by the test targets: a manual clock, temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "YAMLDocumentTests", dependencies: ["YAMLDocument", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ScaleConfigTests", dependencies: ["ScaleConfig", "YAMLDocument"], swiftSettings: strictSettings),
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
                "Reconciler", "ScaleConfig", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LinuxNetTests", dependencies: ["LinuxNet", "Reconciler", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "RuleEngineTests",
            dependencies: [
                "RuleEngine", "Inbounds", "LinuxNet", "Routing", "ScaleConfig", "Egress", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], swiftSettings: strictSettings),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "ScaleConfig", "YAMLDocument", "NodeState", "Reconciler", "TestSupport",
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
            dependencies: ["Hysteria", "Routing", "WireFormat", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshTests",
            dependencies: ["Mesh", "Routing", "WireFormat", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
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
            dependencies: ["hy2scale", "ScaleConfig", "YAMLDocument", "NodeState", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
