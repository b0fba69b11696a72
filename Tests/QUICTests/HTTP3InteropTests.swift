import Crypto
import Foundation
import Hysteria
import Logging
import NIOCore
import NIOPosix
import QUIC
import Testing
import TestSupport

/// Our client against ngtcp2's sample HTTP/3 server: handshake, streams, flow control and timers
/// checked against a peer nobody here wrote.
@Suite("QUIC client against gtlsserver")
struct HTTP3InteropTests {
    static let gtlsserver = "/usr/sbin/gtlsserver"
    static let openssl = ExternalTool.path("openssl")

    @Test("a 1 MiB file fetched over HTTP/3 arrives whole, byte for byte",
          .enabled(if: FileManager.default.isExecutableFile(atPath: gtlsserver) && openssl != nil,
                   "needs gtlsserver (ngtcp2-server) and openssl"),
          .timeLimit(.minutes(1)))
    func fetchesFile() async throws {
        try await withTemporaryDirectory { directory in
            let body = Self.content(count: 1 << 20)
            let server = try await Self.startServer(in: directory, serving: body)
            defer { server.process.signal(SIGKILL) }  // only matters when an expectation threw first
            let connection = try await Self.connect(port: server.port)
            #expect(try await connection.negotiatedALPN() == "h3")

            let control = try await connection.openUnidirectionalStream()
            var preface = ByteBuffer()
            HTTP3Frame.writeControlStreamPreface(to: &preface)
            try await control.write(preface)

            let request = try await connection.openBidirectionalStream()
            var fields = ByteBuffer()
            QPACKEncoder.encode(HTTP3Request(method: "GET", scheme: "https", authority: "localhost", path: "/file").fields, into: &fields)
            var headers = ByteBuffer()
            HTTP3Frame.headers(fields).write(to: &headers)
            try await request.write(headers, finish: true)

            let response = try await Self.readResponse(request)
            #expect(response.status == 200)
            #expect(response.byteCount == body.count)
            #expect(response.digest == Array(SHA256.hash(data: body)))
            await connection.close()
            server.process.signal(SIGINT)  // gtlsserver ignores SIGTERM; finish kills it if SIGINT is not enough
            await server.process.finish(within: .seconds(5))
        }
    }

    /// Bytes that differ from one position to the next, so a reordered or repeated chunk shows.
    static func content(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 11)) }
    }

    static func startServer(in directory: TemporaryDirectory, serving body: [UInt8]) async throws -> (process: ChildProcess, port: Int) {
        let documents = directory.child("htdocs")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try Data(body).write(to: documents.appendingPathComponent("file"))
        let key = directory.child("key.pem").path, certificate = directory.child("cert.pem").path
        let generated = try await ChildProcess.run(openssl ?? "openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
        ])
        try #require(generated.status == 0, "openssl: \(generated.stderr)")
        let port = try await freeUDPPort()
        let process = try ChildProcess(gtlsserver, ["-q", "-d", documents.path, "127.0.0.1", "\(port)", key, certificate])
        return (process, port)
    }

    /// Connects once the server has bound its socket (a loaded machine may take a while to start
    /// it), with a handshake deadline generous enough for the same load.
    static func connect(port: Int) async throws -> QUICConnection {
        try #require(await eventually(within: .seconds(30)) { isBoundUDP(port: port) }, "gtlsserver never bound port \(port)")
        var configuration = QUICConfiguration()
        configuration.handshakeTimeout = .seconds(20)
        return try await QUICClient.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port), serverName: "localhost",
                                            insecure: true, configuration: configuration, logger: Logger(label: "quic-test"))
    }

    /// Whether a UDP socket is bound to `port` on this host (`/proc/net/udp` lists it in hex).
    static func isBoundUDP(port: Int) -> Bool {
        let table = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
        let suffix = ":" + String(format: "%04X", port)
        return table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first?.hasSuffix(suffix) == true }
    }

    static func freeUDPPort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        return try #require(channel.localAddress?.port)
    }

    static func readResponse(_ stream: QUICStream) async throws -> (status: Int?, byteCount: Int, digest: [UInt8]) {
        var reader = HTTP3FrameReader()
        var pending = ByteBuffer()
        var status: Int?
        var count = 0
        var hasher = SHA256()
        while let chunk = try await stream.read() {
            pending.writeImmutableBuffer(chunk)
            while let frame = try reader.next(from: &pending) {
                switch frame {
                case .headers(let block):
                    status = try HTTP3Response(fields: QPACKDecoder().decode(block)).status
                case .data(let data):
                    count += data.readableBytes
                    data.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                case .settings, .goaway, .unknown:
                    continue
                }
            }
        }
        return (status, count, Array(hasher.finalize()))
    }
}
