import LinuxNet

/// Tables the nftables tests converge to: what a capture setup with IP rules, a domain rule and
/// a TUN exit looks like.
enum NftSamples {
    static let loopback4: [UInt8] = [127, 0, 0, 1]
    static let loopback6: [UInt8] = Array(repeating: 0, count: 15) + [1]

    /// Overlapping (10.9.0.5 in 10.9.0.0/24) and adjacent (two /24s) on purpose.
    static let web: [String] = ["10.9.0.0/24", "10.9.1.0/24", "192.168.5.1-192.168.5.20", "10.9.0.5", "172.16.0.1"]

    static func table(web: [String] = web, webKind: NftSet.Kind = .intervals, tproxyChainHook: NftChain.Hook = .prerouting) throws -> NftTable {
        let webV4 = webKind == .intervals
            ? try NftSet.intervals("r_web_v4", of: .ipv4, parsing: web)
            : try NftSet.timeouts("r_web_v4", of: .ipv4)
        let webV6 = try NftSet.intervals("r_web_v6", of: .ipv6, parsing: ["2001:db8::/64", "2001:db8:1::1", "2001:db8:2::1-2001:db8:2::ff"])
        let dns = try NftSet.timeouts("d_media_v4", of: .ipv4)
        let capture = OwnedNames.captureMark, bypass = OwnedNames.bypassMark
        let tproxyRules = [
            try NftRule(id: "bypass", [.markEquals(bypass), .verdict(.return)]),
            try NftRule(id: "transparent", [.transport(.tcp), .transparentSocket, .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "web_tcp", [.destinationIn(set: "r_web_v4", family: .ipv4), .transport(.tcp),
                                        .tproxy(address: loopback4, port: 12380), .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "web_udp6", [.destinationIn(set: "r_web_v6", family: .ipv6), .transport(.udp),
                                         .tproxy(address: loopback6, port: 12380), .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "media", [.inputInterface("v-peer"), .destinationIn(set: "d_media_v4", family: .ipv4), .transport(.udp),
                                      .tproxy(address: loopback4, port: 12381), .setMark(capture), .verdict(.accept)]),
            // A trailing * matches every interface the rest is a prefix of, as pppd's ppp0, ppp1, ….
            try NftRule(id: "dialin", [.inputInterface("ppp*"), .transport(.tcp), .tproxy(address: loopback4, port: 12382),
                                       .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "l2tp_clear", [.destinationPort(.udp, 1701), .ipsecMissing, .verdict(.drop)]),
        ]
        let prerouting = try NftChain(name: "prerouting",
                                      hook: .init(type: .filter, hook: tproxyChainHook, priority: -150), rules: tproxyRules)
        let output = try NftChain(name: "output", hook: .init(type: .route, hook: .output, priority: -150), rules: [
            try NftRule(id: "own", [.markEquals(bypass), .verdict(.return)]),
            try NftRule(id: "web", [.destinationIn(set: "r_web_v4", family: .ipv4), .transport(.tcp), .setMark(capture)]),
        ])
        let postrouting = try NftChain(name: "postrouting", hook: .init(type: .nat, hook: .postrouting, priority: 100), rules: [
            try NftRule(id: "tun_masq", [.outputInterface("hy2tun0"), .masquerade]),
        ])
        let helper = try NftChain(name: "helper", rules: [try NftRule(id: "drop_it", [.markEquals(7), .verdict(.drop)])])
        return try NftTable(sets: [webV4, webV6, dns], chains: [prerouting, output, postrouting, helper])
    }
}
