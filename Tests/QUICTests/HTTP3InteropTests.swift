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

            try await connection.openHTTP3ControlStream()

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

    /// Starts gtlsserver on a free UDP port, once it owns that port: another test may take a
    /// port between our check and gtlsserver's bind, so a server that could not bind is replaced.
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
        for _ in 0..<3 {
            let port = try await freeUDPPort()
            let process = try ChildProcess(gtlsserver, ["-q", "-d", documents.path, "127.0.0.1", "\(port)", key, certificate])
            _ = await eventually(within: .seconds(30)) { owns(process.processIdentifier, udpPort: port) || !process.isRunning }
            if process.isRunning, owns(process.processIdentifier, udpPort: port) { return (process, port) }
            process.signal(SIGKILL)
        }
        throw QUICError(.engine, "gtlsserver could not bind a UDP port in three tries")
    }

    /// Connects with a handshake deadline generous enough for a machine loaded by the suite.
    static func connect(port: Int) async throws -> QUICConnection {
        var configuration = QUICConfiguration()
        configuration.handshakeTimeout = .seconds(20)
        return try await QUICClient.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port), serverName: "localhost",
                                            insecure: true, configuration: configuration, logger: Logger(label: "quic-test"))
    }

    /// Whether process `pid` holds a UDP socket bound to `port` (`/proc/net/udp` names the
    /// socket's inode; the process's descriptors link to `socket:[inode]`).
    static func owns(_ pid: Int32, udpPort port: Int) -> Bool {
        let table = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
        let suffix = ":" + String(format: "%04X", port)
        let inodes = table.split(separator: "\n").compactMap { line -> String? in
            let columns = line.split(separator: " ")
            return columns.count > 9 && columns[1].hasSuffix(suffix) ? String(columns[9]) : nil
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let sockets = Set(descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") })
        return inodes.contains { sockets.contains("socket:[\($0)]") }
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
