import Foundation
import Inbounds
import NIOCore
import NIOSSL
import NodeState
import Testing
import TestSupport

private func httpConfig(port: Int, tlsCert: String = "") -> String {
    """
    users:
      - id: u-alice
        username: alice
        password: secret1
        enabled: true
    proxies:
      - id: h1
        protocol: http
        listen: 127.0.0.1:\(port)
        enabled: true\(tlsCert.isEmpty ? "" : "\n    tls_cert: \(tlsCert)")
    """
}

private let curl = ExternalTool.path("curl")

@Suite("HTTP proxy listener", .serialized, .enabled(if: curl != nil, "needs curl"))
struct HTTPProxyTests {
    @Test("plain forwarding keeps the client connection alive across requests, chunked answers included")
    func plainKeepAlive() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0))
        let port = try node.port("proxy/h1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        let base = "http://127.0.0.1:\(server.port)"
        let result = try await ChildProcess.run(curl!, [
            "-sS", "-v", "--max-time", "20", "-x", "http://alice:secret1@127.0.0.1:\(port)",
            "-w", "%{size_download} ",
            "-o", "/dev/null", "\(base)/bytes/100000", "-o", "/dev/null", "\(base)/chunked/54321",
            "-o", "/dev/null", "\(base)/bytes/7",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "100000 54321 7 ")
        #expect(result.stderr.contains("Re-using existing connection") || result.stderr.contains("Reusing existing"),
                "the proxy connection was not kept alive")
        #expect(await eventually { node.counters.total(for: "u-alice").down > 154_000 })
    }

    @Test("request bodies are forwarded, with a length or chunked")
    func requestBodies() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0))
        let port = try node.port("proxy/h1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        let file = node.directory.child("body.bin")
        try Data(repeating: 0x61, count: 123_457).write(to: file)
        for extra in [[String](), ["-H", "Transfer-Encoding: chunked"]] {
            let result = try await ChildProcess.run(curl!, [
                "-sS", "--max-time", "20", "-x", "http://alice:secret1@127.0.0.1:\(port)",
                "--data-binary", "@\(file.path)", "http://127.0.0.1:\(server.port)/length",
            ] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "123457")
        }
    }

    @Test("CONNECT to a local HTTPS server")
    func connectTunnel() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0))
        let port = try node.port("proxy/h1")
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(node.tlsStore.certificateURL(id: "default").path).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: node.tlsStore.keyURL(id: "default").path, format: .pem))))
        let server = try await ByteServer.start(tls: tls)
        defer { Task { await server.stop(); await node.stop() } }
        let result = try await ChildProcess.run(curl!, [
            "-sS", "-k", "-p", "--max-time", "20", "-x", "http://alice:secret1@127.0.0.1:\(port)",
            "-o", "/dev/null", "-w", "%{size_download}", "https://127.0.0.1:\(server.port)/bytes/300000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "300000")
    }

    @Test("an HTTPS proxy: the listener wrapped in TLS from the store")
    func tlsProxy() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0, tlsCert: "default"))
        let port = try node.port("proxy/h1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        let result = try await ChildProcess.run(curl!, [
            "-sS", "--proxy-insecure", "--max-time", "20", "-x", "https://alice:secret1@127.0.0.1:\(port)",
            "-o", "/dev/null", "-w", "%{size_download}", "http://127.0.0.1:\(server.port)/bytes/4096",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "4096")
    }

    @Test("missing or wrong credentials get 407 with Proxy-Authenticate; broken Basic gets 400")
    func authentication() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0))
        let port = try node.port("proxy/h1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        let target = "http://127.0.0.1:\(server.port)/"
        for proxy in ["http://127.0.0.1:\(port)", "http://alice:nope@127.0.0.1:\(port)"] {
            let result = try await ChildProcess.run(curl!, ["-sS", "-i", "--max-time", "10", "-x", proxy, target])
            #expect(result.stdout.hasPrefix("HTTP/1.1 407"), "\(result.stdout)")
            #expect(result.stdout.lowercased().contains("proxy-authenticate: basic"))
        }
        let broken = try await ChildProcess.run(curl!, [
            "-sS", "-i", "--max-time", "10", "-x", "http://127.0.0.1:\(port)",
            "-H", "Proxy-Authorization: Basic !!!notbase64", target,
        ])
        #expect(broken.stdout.hasPrefix("HTTP/1.1 400"), "\(broken.stdout)")
    }

    @Test("malformed requests get an error status or a close, and the listener keeps serving")
    func badRequests() async throws {
        let node = try await InboundTestNode(httpConfig(port: 0))
        let port = try node.port("proxy/h1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        var random = SplitMix64(seed: 0x4771)
        let samples: [[UInt8]] = [
            Array("GARBAGE\r\n\r\n".utf8),
            Array("GET http://x/ HTTP/1.1\r\nHost: \(String(repeating: "a", count: 200_000))\r\n\r\n".utf8),
            Array("CONNECT nowhere HTTP/1.1\r\nProxy-Authorization: Basic YWxpY2U6c2VjcmV0MQ==\r\n\r\n".utf8),
            Array("GET /relative HTTP/1.1\r\nProxy-Authorization: Basic YWxpY2U6c2VjcmV0MQ==\r\n\r\n".utf8),
        ] + (0..<30).map { _ in (0..<Int.random(in: 1...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) } }
        for sample in samples {
            let client = try await RawClient.connect(port: port)
            try await client.send(sample)
            let answer = String(decoding: await client.read(12, within: .seconds(3)), as: UTF8.self)
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 4") || answer.hasPrefix("HTTP/1.1 502"), "\(answer)")
            await client.close()
        }
        let result = try await ChildProcess.run(curl!, [
            "-sS", "--max-time", "10", "-x", "http://alice:secret1@127.0.0.1:\(port)", "http://127.0.0.1:\(server.port)/",
        ])
        #expect(result.stdout == "hello")
    }
}
