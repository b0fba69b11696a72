import RuleEngine
import Inbounds
import NIOCore
import TestSupport
import Testing

/// The name a captured client asks for, read from its first bytes; bad bytes are never a crash.
@Suite struct HostSnifferTests {
    /// A TLS 1.3-style ClientHello record naming `name`, with a few other extensions around it.
    static func clientHello(serverName name: String?, recordLength: Int? = nil) -> ByteBuffer {
        var extensions = ByteBuffer()
        extensions.writeInteger(UInt16(0x000a)); extensions.writeInteger(UInt16(4)); extensions.writeBytes([0, 2, 0, 0x1d])
        if let name {
            let bytes = Array(name.utf8)
            extensions.writeInteger(UInt16(0)); extensions.writeInteger(UInt16(bytes.count + 5))
            extensions.writeInteger(UInt16(bytes.count + 3)); extensions.writeInteger(UInt8(0))
            extensions.writeInteger(UInt16(bytes.count)); extensions.writeBytes(bytes)
        }
        extensions.writeInteger(UInt16(0x002b)); extensions.writeInteger(UInt16(3)); extensions.writeBytes([2, 3, 4])
        var body = ByteBuffer()
        body.writeBytes([3, 3]); body.writeBytes([UInt8](repeating: 7, count: 32))
        body.writeInteger(UInt8(32)); body.writeBytes([UInt8](repeating: 1, count: 32))
        body.writeInteger(UInt16(4)); body.writeBytes([0x13, 0x01, 0x13, 0x02])
        body.writeBytes([1, 0])
        body.writeInteger(UInt16(extensions.readableBytes)); body.writeBuffer(&extensions)
        var handshake = ByteBuffer()
        handshake.writeInteger(UInt8(1)); handshake.writeInteger(UInt8(0)); handshake.writeInteger(UInt16(body.readableBytes))
        handshake.writeBuffer(&body)
        var record = ByteBuffer()
        record.writeBytes([0x16, 3, 1]); record.writeInteger(UInt16(recordLength ?? handshake.readableBytes))
        record.writeBuffer(&handshake)
        return record
    }

    @Test func aClientHelloNamesItsServer() {
        #expect(HostSniffer.sniff(Self.clientHello(serverName: "WWW.Example.com.")) == .host("www.example.com"))
        #expect(HostSniffer.sniff(Self.clientHello(serverName: nil)) == .noHost)
        #expect(HostSniffer.sniff(Self.clientHello(serverName: "10.0.0.1")) == .noHost, "an address is no host name")
    }

    @Test func aClientHelloCutAnywhereAsksForMoreUntilItIsWhole() {
        let whole = Self.clientHello(serverName: "site.test")
        for length in 1..<whole.readableBytes {
            #expect(HostSniffer.sniff(whole.getSlice(at: 0, length: length)!) == .needMoreBytes, "cut at \(length)")
        }
    }

    @Test func anHTTPRequestNamesItsHost() {
        let request = ByteBuffer(string: "GET /a HTTP/1.1\r\nUser-Agent: x\r\nhost: Site.Test:8080\r\n\r\n")
        #expect(HostSniffer.sniff(request) == .host("site.test"))
        #expect(HostSniffer.sniff(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: site.te")) == .needMoreBytes)
        #expect(HostSniffer.sniff(ByteBuffer(string: "GE")) == .needMoreBytes)
        #expect(HostSniffer.sniff(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2\r\n")) == .noHost)
        #expect(HostSniffer.sniff(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n")) == .noHost)
        #expect(HostSniffer.sniff(ByteBuffer(string: "GET / HTTP/1.0\r\n\r\n")) == .noHost)
    }

    @Test func lyingLengthsAndEndlessHeadsEndInNoHost() {
        #expect(HostSniffer.sniff(Self.clientHello(serverName: "a.test", recordLength: 2)) == .noHost)
        var huge = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        huge.writeString(String(repeating: "X-Pad: y\r\n", count: 2000))
        #expect(HostSniffer.sniff(huge) == .noHost, "past the limit without an end of head")
        var record = ByteBuffer(bytes: [0x16, 3, 1, 0xff, 0xff])
        record.writeBytes([UInt8](repeating: 1, count: HostSniffer.limit))
        #expect(HostSniffer.sniff(record) == .noHost)
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 0x5e1)
        let hello = Array(Self.clientHello(serverName: "fuzz.test").readableBytesView)
        for round in 0..<20_000 {
            var bytes = round % 2 == 0 ? hello : (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0, !bytes.isEmpty {
                for _ in 0..<3 { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next()) }
            }
            _ = HostSniffer.sniff(ByteBuffer(bytes: bytes))
        }
    }
}
