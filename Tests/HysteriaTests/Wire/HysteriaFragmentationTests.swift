import Addressing
import Hysteria
import NIOCore
import Routing
import TestSupport
import Testing

@Suite("Hysteria UDP fragmentation")
struct HysteriaFragmentationTests {
    static func message(payloadLength: Int, using rng: inout SplitMix64, session: UInt32 = 7) throws -> UDPMessage {
        let payload = (0..<payloadLength).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return UDPMessage(
            sessionID: session, address: try #require(Target("example.com:443")), payload: ByteBuffer(bytes: payload))
    }

    /// Encodes and decodes each fragment, as the network would.
    static func overTheWire(_ fragments: [UDPMessage], limit: Int) throws -> [UDPMessage] {
        try fragments.map { fragment in
            var buffer = ByteBuffer()
            try fragment.encode(into: &buffer)
            #expect(buffer.readableBytes <= limit)
            return try UDPMessage(decoding: buffer)
        }
    }

    @Test("a message that fits is sent whole")
    func fits() throws {
        var rng = SplitMix64(seed: 1)
        let message = try Self.message(payloadLength: 100, using: &rng)
        let fragments = try UDPFragmenter.fragment(message, maximumDatagramSize: message.encodedLength, using: &rng)
        #expect(fragments == [message])
    }

    @Test("fragments fit the limit, share a packet id, repeat the header and join back in order")
    func split() throws {
        var rng = SplitMix64(seed: 1)
        for (length, limit) in [(5000, 1200), (1181, 1200), (3, 25), (65000, 1200), (2000, 1000)] {
            let message = try Self.message(payloadLength: length, using: &rng)
            let fragments = try Self.overTheWire(
                UDPFragmenter.fragment(message, maximumDatagramSize: limit, using: &rng), limit: limit)
            let chunk = limit - message.headerLength
            #expect(fragments.count == (length + chunk - 1) / chunk)
            let packetID = fragments[0].packetID
            #expect(packetID != 0)
            for (index, fragment) in fragments.enumerated() {
                #expect(fragment.packetID == packetID)
                #expect(Int(fragment.fragmentID) == index)
                #expect(Int(fragment.fragmentCount) == fragments.count)
                #expect(fragment.address == message.address && fragment.sessionID == message.sessionID)
            }
            #expect(fragments.flatMap(\.payload.bytes) == message.payload.bytes)
        }
    }

    @Test("too small a datagram or more than 255 fragments is an error; 255 is fine")
    func impossible() throws {
        var rng = SplitMix64(seed: 1)
        let message = try Self.message(payloadLength: 255 * 10, using: &rng)
        let header = message.headerLength
        #expect(throws: HysteriaWireError.datagramTooSmall(headerLength: header, maximumDatagramSize: header)) {
            try UDPFragmenter.fragment(message, maximumDatagramSize: header, using: &rng)
        }
        #expect(try UDPFragmenter.fragment(message, maximumDatagramSize: header + 10, using: &rng).count == 255)
        #expect(throws: HysteriaWireError.tooManyFragments(284)) {
            try UDPFragmenter.fragment(message, maximumDatagramSize: header + 9, using: &rng)
        }
        let empty = UDPMessage(sessionID: 1, address: message.address, payload: ByteBuffer())
        #expect(throws: HysteriaWireError.emptyPayload) {
            try UDPFragmenter.fragment(empty, maximumDatagramSize: 1200, using: &rng)
        }
    }

    @Test("reassembly out of order with duplicates gives the payload once")
    func outOfOrder() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<50 {
            let message = try Self.message(payloadLength: Int.random(in: 1000...20000, using: &rng), using: &rng)
            let fragments = try Self.overTheWire(
                UDPFragmenter.fragment(message, maximumDatagramSize: 1200, using: &rng), limit: 1200)
            var arrivals = fragments + fragments.filter { _ in Bool.random(using: &rng) }
            arrivals.shuffle(using: &rng)
            var reassembler = UDPReassembler()
            var wholes: [UDPMessage] = []
            var seen = Set<UInt8>()
            for fragment in arrivals {
                if let whole = reassembler.add(fragment) { wholes.append(whole) }
                seen.insert(fragment.fragmentID)
                if seen.count == fragments.count { break }
            }
            #expect(wholes.count == 1)
            #expect(wholes.first?.payload.bytes == message.payload.bytes)
            #expect(wholes.first?.fragmentCount == 1)
            #expect(reassembler.pendingBytes == 0)
        }
    }

    @Test("a fragment of another packet discards the partial one")
    func interleaved() throws {
        var rng = SplitMix64(seed: 1)
        let first = try UDPFragmenter.fragment(
            try Self.message(payloadLength: 3000, using: &rng), maximumDatagramSize: 1200, using: &rng)
        var second = try UDPFragmenter.fragment(
            try Self.message(payloadLength: 3000, using: &rng), maximumDatagramSize: 1200, using: &rng)
        if second[0].packetID == first[0].packetID { for index in second.indices { second[index].packetID &+= 1 } }
        var reassembler = UDPReassembler()
        #expect(reassembler.add(first[0]) == nil)
        #expect(reassembler.add(first[1]) == nil)
        #expect(reassembler.add(second[0]) == nil)  // drops first[0...1]
        #expect(reassembler.add(first[2]) == nil)  // drops second[0], starts over with first[2]
        #expect(reassembler.add(second[1]) == nil)
        #expect(reassembler.add(second[1]) == nil)  // duplicate
        #expect(reassembler.add(second[2]) == nil)
        let whole = reassembler.add(second[0])
        #expect(whole?.payload.bytes == second.flatMap(\.payload.bytes))
    }

    @Test("another fragment count with the same packet id discards the partial packet")
    func countChange() throws {
        var rng = SplitMix64(seed: 1)
        let fragments = try UDPFragmenter.fragment(
            try Self.message(payloadLength: 2000, using: &rng), maximumDatagramSize: 1200, using: &rng)
        var reassembler = UDPReassembler()
        var odd = fragments[1]
        odd.fragmentCount = 3
        #expect(reassembler.add(fragments[0]) == nil)
        #expect(reassembler.add(odd) == nil)
        #expect(reassembler.add(fragments[1]) == nil)  // fragment 0 was dropped with the old packet
        #expect(reassembler.add(fragments[0]) != nil)
    }

    @Test("invalid fragment ids and counts are dropped; unfragmented messages pass straight through")
    func invalid() throws {
        var rng = SplitMix64(seed: 1)
        let message = try Self.message(payloadLength: 10, using: &rng)
        var reassembler = UDPReassembler()
        var bad = message
        (bad.packetID, bad.fragmentID, bad.fragmentCount) = (5, 2, 2)
        #expect(reassembler.add(bad) == nil)
        (bad.fragmentID, bad.fragmentCount) = (0, 0)
        #expect(reassembler.add(bad) == nil)
        (bad.fragmentID, bad.fragmentCount) = (0, 2)
        #expect(reassembler.add(bad) == nil)
        #expect(reassembler.add(message) == message)
        (bad.fragmentID, bad.fragmentCount) = (1, 2)
        #expect(reassembler.add(bad)?.payload.bytes == message.payload.bytes + message.payload.bytes)
    }

    @Test("the buffered bytes of a session are capped")
    func memoryCap() throws {
        var rng = SplitMix64(seed: 1)
        let fragments = try UDPFragmenter.fragment(
            try Self.message(payloadLength: 4000, using: &rng), maximumDatagramSize: 1000, using: &rng)
        #expect(fragments.count == 5)
        var reassembler = UDPReassembler(maximumBufferedBytes: 3000)
        for fragment in fragments { #expect(reassembler.add(fragment) == nil) }
        #expect(reassembler.pendingBytes <= 3000)
        var roomy = UDPReassembler(maximumBufferedBytes: 4000)
        #expect(fragments.compactMap { roomy.add($0) }.count == 1)
        #expect(UDPReassembler.defaultMaximumBufferedBytes == 255 * 2048)
    }
}
