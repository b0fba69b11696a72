import Addressing
import Logging
import NIOCore
import Routing
import Synchronization

/// Handling one query: route it by name, ask the upstreams, learn, answer.
extension DNSForwarder {
    /// Answers one datagram from a client. Never throws: whatever goes wrong, the client gets
    /// an answer saying so, or nothing when the datagram is not a query at all.
    func answer(_ envelope: AddressedEnvelope<ByteBuffer>,
                replyingThrough outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>,
                on eventLoop: any EventLoop) async {
        let query = envelope.data
        let client = envelope.remoteAddress
        switch Self.admit(query) {
        case .ignore:
            return
        case .reject(let code):
            await send(DNSMessage.answer(rejecting: query, with: code), to: client, through: outbound)
        case .forward(let id, let question):
            let settings = settings.withLock { $0 }
            let rule = settings.matcher.rule(for: question.name)
            var logger = logger
            logger[metadataKey: "dns.name"] = "\(question.name)"
            logger[metadataKey: "dns.type"] = "\(question.type)"
            if let rule { logger[metadataKey: "dns.rule"] = "\(rule.id)" }
            await resolve(query, id: id, rule: rule, settings: settings, on: eventLoop, logger: logger) { answer in
                guard let answer else {
                    logger.debug("DNS query failed at every upstream")
                    await self.send(DNSMessage.answer(rejecting: query, with: .serverFailure), to: client, through: outbound)
                    return
                }
                if let rule { await self.learn(from: answer, name: question.name, rule: rule, logger: logger) }
                await self.send(answer, to: client, through: outbound)
            }
        }
    }

    /// Sends a reply; one that cannot be sent is lost, as any datagram may be, and the client
    /// asks again.
    private func send(_ reply: ByteBuffer?, to client: SocketAddress,
                      through outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>) async {
        guard let reply else { return }
        try? await outbound.write(AddressedEnvelope(remoteAddress: client, data: reply))
    }

    /// What to do with a datagram.
    enum Admission: Equatable {
        /// Not a query (too short, or itself an answer): say nothing, so two servers pointed
        /// at each other cannot bounce answers for ever.
        case ignore
        /// A query this server will not forward; answer with the code.
        case reject(DNSResponseCode)
        case forward(id: UInt16, question: DNSQuestion)
    }

    static func admit(_ query: ByteBuffer) -> Admission {
        guard let header = try? DNSHeader(parsing: query), !header.isResponse else { return .ignore }
        guard header.opcode == 0 else { return .reject(.notImplemented) }
        guard let message = try? DNSMessage(parsing: query), message.questions.count == 1 else {
            return .reject(.formatError)
        }
        return .forward(id: header.id, question: message.questions[0])
    }

    /// Hands the answer's addresses for `name` to `onLearned`.
    private func learn(from answer: ByteBuffer, name: String, rule: CaptureRule, logger: Logger) async {
        let message: DNSMessage
        do {
            message = try DNSMessage(parsing: answer)
        } catch {
            logger.warning("DNS answer for a rule's name could not be read; its addresses are not captured",
                           metadata: ["error": "\(error)"])
            return
        }
        guard let (addresses, ttl) = message.addresses(for: name) else { return }
        let learned = LearnedAddresses(ruleID: rule.id, name: name, addresses: addresses, answerTTL: ttl)
        logger.debug("DNS answer learned", metadata: ["dns.addresses": "\(addresses.count)", "dns.ttl": "\(learned.ttl)"])
        await onLearned(learned)
    }

    /// One event of a query's race between upstream attempts and their time shares.
    private enum AttemptEvent: Sendable {
        case answered(ByteBuffer)
        case failed(attempt: Int)
        case timedOut(attempt: Int)
    }

    /// Asks the upstreams in turn and calls `finish` once, with the first usable answer, or
    /// with `nil` when every upstream failed or the timeout passed.
    ///
    /// Attempts and their timers run as children of one group, so a timed-out attempt is not
    /// waited for before the next starts (a stream being opened cannot be interrupted).
    /// `finish` runs inside the group, before it cancels and waits for what is left, so the
    /// client hears back on time while no attempt outlives the query's task.
    private func resolve(_ query: ByteBuffer, id: UInt16, rule: CaptureRule?, settings: Settings,
                         on eventLoop: any EventLoop, logger: Logger,
                         finish: (ByteBuffer?) async -> Void) async {
        let upstreams = settings.upstreams
        guard !upstreams.isEmpty else { return await finish(nil) }
        let share = settings.queryTimeout / upstreams.count
        await withTaskGroup(of: AttemptEvent.self) { group in
            defer { group.cancelAll() }
            var current = 0
            launch(0, upstreams[0], query, id: id, rule: rule, share: share, on: eventLoop, logger: logger, into: &group)
            while let event = await group.next() {
                switch event {
                case .answered(let answer):
                    return await finish(answer)
                case .failed(let attempt), .timedOut(let attempt):
                    guard attempt == current else { continue }  // an earlier attempt's news
                    current += 1
                    guard current < upstreams.count else { return await finish(nil) }
                    launch(current, upstreams[current], query, id: id, rule: rule, share: share,
                           on: eventLoop, logger: logger, into: &group)
                }
            }
            await finish(nil)  // not reached: the current attempt's timer always reports
        }
    }

    private func launch(_ attempt: Int, _ upstream: DNSServer, _ query: ByteBuffer, id: UInt16, rule: CaptureRule?,
                        share: Duration, on eventLoop: any EventLoop, logger: Logger,
                        into group: inout TaskGroup<AttemptEvent>) {
        let clock = clock
        group.addTask {
            do {
                let answer = try await self.exchange(query, id: id, with: upstream, rule: rule, on: eventLoop)
                return .answered(answer)
            } catch {
                if !Task.isCancelled {
                    logger.debug("DNS upstream failed", metadata: ["dns.upstream": "\(upstream)", "error": "\(error)"])
                }
                return .failed(attempt: attempt)
            }
        }
        group.addTask {
            // Cancellation (an answer came) ends the sleep early; the event is then ignored.
            try? await clock.sleep(for: share)
            return .timedOut(attempt: attempt)
        }
    }

    /// One query to one upstream: over TCP through the rule's exit, or over UDP from here.
    /// Returns the answer only if it is one to this query and its code is worth passing on.
    private func exchange(_ query: ByteBuffer, id: UInt16, with upstream: DNSServer, rule: CaptureRule?,
                          on eventLoop: any EventLoop) async throws -> ByteBuffer {
        guard let port = UInt16(exactly: upstream.port), port != 0 else { throw UpstreamError.badPort(upstream.port) }
        let target = Target(host: .ip(upstream.address), port: port)
        let answer: ByteBuffer
        if let rule {
            answer = try await UpstreamStreamExchange.exchange(query, to: target, for: Flow(identity: identity, exit: rule.exit),
                                                               through: router, on: eventLoop)
        } else {
            guard let address = target.socketAddress else { throw UpstreamError.badPort(upstream.port) }
            answer = try await UpstreamDatagramExchange.exchange(query, id: id, with: address, on: eventLoop)
        }
        let header = try DNSHeader(parsing: answer)
        guard header.isResponse, header.id == id else {
            throw UpstreamError.unusableAnswer("it is not a response to query \(id)")
        }
        // Another upstream may know better; if none does, the client gets SERVFAIL either way.
        guard header.responseCode != .serverFailure, header.responseCode != .refused else {
            throw UpstreamError.unusableAnswer("the upstream answered \(header.responseCode)")
        }
        return answer
    }
}
