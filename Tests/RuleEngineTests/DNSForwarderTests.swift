import Addressing
import Logging
import NIOCore
import NIOPosix
import RuleEngine
import Routing
import ScaleConfig
import TestSupport
import Testing

/// The forwarder between a UDP client and a real dnsmasq, with real sockets.
/// Serialized, like the other suites that run programs, so one dnsmasq runs at a time.
@Suite(.serialized) struct DNSForwarderTests {
    static let resolverIdentity = Identity(userID: nil, username: "", inbound: .socks5, clientAddress: "127.0.0.1")
    static let logger = Logger(label: "dns-forwarder-test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func domainRule(_ id: String, _ names: [String], exit: ExitRoute = .direct) -> CaptureRule {
        CaptureRule(id: id, priority: 0, targets: .domains(names), exit: exit)
    }

    private func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    /// Runs `body` with a started, serving forwarder on 127.0.0.1 (a port of its choosing),
    /// then stops it and waits for it to finish.
    private func withForwarder(
        rules: [CaptureRule], upstreams: [DNSServer], queryTimeout: Duration = .seconds(3),
        maximumInFlight: Int = DNSForwarder.defaultMaximumInFlight,
        router: RecordingRouter = RecordingRouter(), clock: any Clock<Duration> = ContinuousClock(),
        _ body: (DNSForwarder, Int, LearnedLog) async throws -> Void
    ) async throws {
        let learned = LearnedLog()
        let forwarder = DNSForwarder(
            listenAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 0), router: router,
            identity: Self.resolverIdentity, rules: rules, upstreams: upstreams, queryTimeout: queryTimeout,
            maximumInFlight: maximumInFlight, clock: clock, logger: Self.logger,
            onLearned: { learned.record($0) })
        try await forwarder.start()
        let port = try #require(forwarder.localAddress?.port)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await forwarder.run() }
            do {
                try await body(forwarder, port, learned)
            } catch {
                forwarder.stop()
                throw error
            }
            forwarder.stop()
            try await group.waitForAll()
        }
    }

    @Test("a name under a domain rule is asked over TCP through the rule's exit, and its addresses are learned")
    func ruleNameGoesThroughExit() async throws {
        try await Dnsmasq.with { dnsmasq in
            let router = RecordingRouter()
            let exit = ExitRoute(paths: ["far"], fallback: .direct)  // DirectRouter falls back to direct
            try await withForwarder(rules: [domainRule("ex", ["example.test"], exit: exit)],
                                    upstreams: [try dnsmasq.server], router: router) { _, port, learned in
                let answer = try await Lookup.query(port: port, name: "www.Example.test", type: .a)
                #expect(answer.status == "NOERROR")
                #expect(answer.values == ["10.9.0.5"])
                #expect(learned.all == [LearnedAddresses(ruleID: "ex", name: "www.example.test",
                                                         addresses: [try address("10.9.0.5")], answerTTL: 120)])
                #expect(router.streams.count == 1)
                #expect(router.streams.first?.flow == Flow(identity: Self.resolverIdentity, exit: exit))
                #expect(router.streams.first?.target.description == "127.0.0.1:\(dnsmasq.port)")
            }
        }
    }

    @Test("an AAAA answer under a rule is learned with its TTL")
    func aaaaLearned() async throws {
        try await Dnsmasq.with { dnsmasq in
            try await withForwarder(rules: [domainRule("ex", ["*.example.test"])], upstreams: [try dnsmasq.server]) { _, port, learned in
                let answer = try await Lookup.query(port: port, name: "v6.example.test", type: .aaaa)
                #expect(answer.status == "NOERROR")
                #expect(answer.values == ["2001:db8::5"])
                #expect(learned.all.map(\.addresses) == [[try address("2001:db8::5")]])
                #expect(learned.all.map(\.ttl) == [120])
            }
        }
    }

    @Test("a short TTL is learned as the one-minute floor, while the client sees the real one")
    func shortTTLRaised() async throws {
        try await Dnsmasq.with { dnsmasq in
            try await withForwarder(rules: [domainRule("t", ["ttl.test"])], upstreams: [try dnsmasq.server]) { _, port, learned in
                let answer = try await Lookup.query(port: port, name: "short.ttl.test", type: .a)
                #expect(answer.records.map(\.ttl) == [5])
                #expect(learned.all.map(\.ttl) == [LearnedAddresses.minimumTTL])
            }
        }
    }

    @Test("other names go to the upstream over UDP and teach nothing")
    func otherNamesOverUDP() async throws {
        try await Dnsmasq.with { dnsmasq in
            let router = RecordingRouter()
            try await withForwarder(rules: [domainRule("ex", ["example.test"])], upstreams: [try dnsmasq.server],
                                    router: router) { _, port, learned in
                let answer = try await Lookup.query(port: port, name: "www.other.test", type: .a)
                #expect(answer.status == "NOERROR")
                #expect(answer.values == ["10.9.0.6"])
                let refused = try await Lookup.query(port: port, name: "nowhere.invalid", type: .a)
                // dnsmasq refuses names it has no upstream for; a refusal from the only upstream
                // leaves the forwarder with nothing better than SERVFAIL.
                #expect(refused.status == "SERVFAIL")
                #expect(learned.all.isEmpty)
                #expect(router.streams.isEmpty)
            }
        }
    }

    @Test("the upstream's answer is relayed byte for byte, id included, on both paths")
    func relayedUnchanged() async throws {
        try await Dnsmasq.with { dnsmasq in
            try await withForwarder(rules: [domainRule("ex", ["example.test"])], upstreams: [try dnsmasq.server]) { _, port, _ in
                let client = try await RawDNSClient()
                defer { Task { await client.close() } }
                let viaRule = try DNSMessage.query(id: 0x5151, name: "a.example.test", type: .a)
                let viaUDP = try DNSMessage.query(id: 0x6262, name: "a.other.test", type: .a)
                for query in [viaRule, viaUDP] {
                    try await client.send(query, to: dnsmasq.port)
                    try await client.send(query, to: port)
                }
                let replies = try await client.waitForReplies(4)
                #expect(Set(replies).count == 2)
                let ids = try replies.map { try DNSHeader(parsing: $0).id }
                #expect(Set(ids) == [0x5151, 0x6262])
            }
        }
    }

    @Test("an upstream that refuses connections yields SERVFAIL on both paths")
    func refusingUpstream() async throws {
        let refusing = try RefusingPort()
        let upstream = try #require(DNSServer("127.0.0.1:\(refusing.port)"))
        try await withForwarder(rules: [domainRule("ex", ["example.test"])], upstreams: [upstream]) { _, port, learned in
            let viaRule = try await Lookup.query(port: port, name: "www.example.test", type: .a)
            let viaUDP = try await Lookup.query(port: port, name: "www.other.test", type: .a)
            #expect(viaRule.status == "SERVFAIL")
            #expect(viaUDP.status == "SERVFAIL")
            #expect(learned.all.isEmpty)
        }
    }

    @Test("a silent upstream yields SERVFAIL when the query timeout passes")
    func silentUpstreamTimesOut() async throws {
        let silent = try await SilentUpstream()
        let clock = ManualClock()
        try await withForwarder(rules: [], upstreams: [try silent.server], queryTimeout: .seconds(3), clock: clock) { _, port, _ in
            async let answer = Lookup.query(port: port, name: "www.other.test", type: .a)
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(3))
            let result = try await answer
            #expect(result.status == "SERVFAIL")
        }
        await silent.close()
    }

    @Test("when the first upstream is silent past its share of the timeout, the next one answers")
    func failover() async throws {
        try await Dnsmasq.with { dnsmasq in
            let silent = try await SilentUpstream()
            let clock = ManualClock()
            try await withForwarder(rules: [], upstreams: [try silent.server, try dnsmasq.server],
                                    queryTimeout: .seconds(4), clock: clock) { _, port, _ in
                async let answer = Lookup.query(port: port, name: "www.other.test", type: .a)
                await clock.waitForSleepers(1)
                clock.advance(by: .seconds(2))
                let result = try await answer
                #expect(result.status == "NOERROR")
                #expect(result.values == ["10.9.0.6"])
            }
            await silent.close()
        }
    }

    @Test("update switches rules and upstreams while serving")
    func liveUpdate() async throws {
        try await Dnsmasq.with { dnsmasq in
            let refusing = try RefusingPort()
            let dead = try #require(DNSServer("127.0.0.1:\(refusing.port)"))
            try await withForwarder(rules: [], upstreams: [dead]) { forwarder, port, learned in
                #expect(try await Lookup.query(port: port, name: "www.example.test", type: .a).status == "SERVFAIL")
                forwarder.update(rules: [], upstreams: [try dnsmasq.server], queryTimeout: .seconds(3))
                #expect(try await Lookup.query(port: port, name: "www.example.test", type: .a).values == ["10.9.0.5"])
                #expect(learned.all.isEmpty)
                forwarder.update(rules: [domainRule("ex", ["example.test"])], upstreams: [try dnsmasq.server], queryTimeout: .seconds(3))
                #expect(try await Lookup.query(port: port, name: "www.example.test", type: .a).values == ["10.9.0.5"])
                #expect(learned.all.map(\.ruleID) == ["ex"])
                forwarder.update(rules: [domainRule("other", ["other.test"])], upstreams: [try dnsmasq.server], queryTimeout: .seconds(3))
                _ = try await Lookup.query(port: port, name: "www.example.test", type: .a)
                _ = try await Lookup.query(port: port, name: "www.other.test", type: .a)
                #expect(learned.all.map(\.ruleID) == ["ex", "other"])
            }
        }
    }

    @Test("queries beyond the in-flight cap are dropped and counted")
    func inFlightCap() async throws {
        let silent = try await SilentUpstream()
        let clock = ManualClock()
        try await withForwarder(rules: [], upstreams: [try silent.server], queryTimeout: .seconds(3),
                                maximumInFlight: 1, clock: clock) { forwarder, port, _ in
            let client = try await RawDNSClient()
            defer { Task { await client.close() } }
            try await client.send(try DNSMessage.query(id: 1, name: "a.test", type: .a), to: port)
            await clock.waitForSleepers(1)
            try await client.send(try DNSMessage.query(id: 2, name: "b.test", type: .a), to: port)
            #expect(await eventually { forwarder.droppedQueryCount == 1 })
            clock.advance(by: .seconds(3))
            let replies = try await client.waitForReplies(1)
            let answer = try DNSMessage(parsing: try #require(replies.first))
            #expect(answer.header.id == 1)
            #expect(answer.header.responseCode == .serverFailure)
        }
        await silent.close()
    }

    @Test("a malformed query gets FORMERR, another opcode NOTIMP, and an answer nothing")
    func badQueries() async throws {
        try await withForwarder(rules: [], upstreams: []) { _, port, _ in
            let client = try await RawDNSClient()
            defer { Task { await client.close() } }
            var malformed = ByteBuffer()
            DNSHeader(id: 11, flags: 0x0100, questionCount: 1).write(into: &malformed)
            malformed.writeBytes([0xC0, 0x0C, 0, 1, 0, 1])
            var notify = try DNSMessage.query(id: 12, name: "x.test", type: .a)
            notify.setInteger(UInt16(0x2000), at: 2)  // opcode 4, NOTIFY
            var stray = try DNSMessage.query(id: 13, name: "x.test", type: .a)
            stray.setInteger(UInt16(0x8180), at: 2)  // QR set: an answer
            for datagram in [stray, malformed, notify] { try await client.send(datagram, to: port) }
            let replies = try await client.waitForReplies(2)
            let codes = try Dictionary(uniqueKeysWithValues: replies.map { reply in
                let header = try DNSHeader(parsing: reply)
                return (header.id, header.responseCode)
            })
            #expect(codes == [11: .formatError, 12: .notImplemented])
            // No upstreams at all: a proper query is answered SERVFAIL, not dropped.
            try await client.send(try DNSMessage.query(id: 14, name: "x.test", type: .a), to: port)
            let all = try await client.waitForReplies(3)
            #expect(try all.map { try DNSHeader(parsing: $0).id }.sorted() == [11, 12, 14])
        }
    }

    @Test("starting on an address in use fails with an error naming it")
    func bindFailure() async throws {
        let holder = try await SilentUpstream()
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: holder.port)
        let forwarder = DNSForwarder(listenAddress: address, router: RecordingRouter(), identity: Self.resolverIdentity,
                                     rules: [], upstreams: [], queryTimeout: .seconds(1), logger: Self.logger,
                                     onLearned: { _ in })
        do {
            try await forwarder.start()
            Issue.record("bound a port that was taken")
            forwarder.stop()
        } catch let error as DNSForwarderError {
            guard case .bindFailed(let named, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(named.contains("\(holder.port)"))
            #expect("\(error)".contains("127.0.0.1"))
        }
        await holder.close()
    }
}
