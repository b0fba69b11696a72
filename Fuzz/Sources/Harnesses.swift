/// Every harness, in the order `--list` and `scripts/fuzz` show them.
enum Harnesses {
    static let all: [any FuzzHarness.Type] = [
        YAMLDocumentHarness.self,
        YAMLEditorHarness.self,
        ConfigHarness.self,
        SOCKS5Harness.self,
        HTTPProxyHarness.self,
        ShadowsocksTCPHarness.self,
        ShadowsocksUDPHarness.self,
        HysteriaTCPHarness.self,
        HysteriaUDPHarness.self,
        HTTP3FrameHarness.self,
        QPACKHarness.self,
        MeshWireHarness.self,
        MeshAddressHarness.self,
        PeerListHarness.self,
        DNSHarness.self,
        HostSnifferHarness.self,
        ArchiveHarness.self,
        AdminBodyHarness.self,
        MultipartHarness.self,
        PlainHTTPHarness.self,
        UAPIHarness.self,
        WireGuardNetlinkHarness.self,
        VICIHarness.self,
    ]

    static func named(_ name: String) -> (any FuzzHarness.Type)? {
        all.first { $0.name == name }
    }

    /// The run function of the harness `--harness=` names, looked up once: libFuzzer's callback
    /// is a C function and cannot carry it.
    private static let selectedRun: (@Sendable ([UInt8]) -> Void)? = {
        guard let name = CommandLineOptions.value(of: "harness"), let harness = named(name) else { return nil }
        return { harness.run($0) }
    }()

    static func runSelected(_ bytes: [UInt8]) {
        selectedRun?(bytes)
    }
}
