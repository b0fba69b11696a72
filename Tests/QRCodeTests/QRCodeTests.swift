import Foundation
import QRCode
import Testing

/// A WireGuard client config of realistic size (keys are made up).
let sampleConfig = """
    [Interface]
    PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
    Address = 10.66.0.2/32, fd66::2/128
    DNS = 10.66.0.1

    [Peer]
    PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
    PresharedKey = ZWAs4LnYQkR9cM0P5y8GgT1hN2bV6kE3jXoQ7rL4sUw=
    AllowedIPs = 0.0.0.0/0, ::/0
    Endpoint = relay.example.net:51820
    PersistentKeepalive = 25

    """

/// Where `name` is on `PATH`, if it is.
func executable(named name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

/// Runs `tool` with `arguments`, feeding `input` on stdin; returns exit status and stdout.
func run(_ tool: URL, _ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = tool
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Write stdin on another thread: a large input could otherwise fill both pipes and deadlock.
    let handle = stdin.fileHandleForWriting
    let data = Data(input)
    let writer = Thread {
        handle.write(data)
        try? handle.close()  // the child may have exited already; nothing to report
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

@Suite("QR code matrix")
struct QRMatrixTests {
    @Test("a short text makes a version-1 symbol with the three finder patterns")
    func finderPatterns() throws {
        let matrix = try QRCode.matrix(for: "hy2scale")
        #expect(matrix.version == 1)
        #expect(matrix.size == 21)
        // ISO/IEC 18004 §6.3.3: 7×7 finder patterns in three corners, dark outer ring.
        for (ox, oy) in [(0, 0), (matrix.size - 7, 0), (0, matrix.size - 7)] {
            for i in 0..<7 {
                #expect(matrix.isDark(x: ox + i, y: oy))
                #expect(matrix.isDark(x: ox + i, y: oy + 6))
                #expect(matrix.isDark(x: ox, y: oy + i))
                #expect(matrix.isDark(x: ox + 6, y: oy + i))
            }
            #expect(!matrix.isDark(x: ox + 1, y: oy + 1))
            #expect(matrix.isDark(x: ox + 3, y: oy + 3))
        }
    }

    @Test("a WireGuard config fits, and size grows as 17 + 4 × version")
    func configFits() throws {
        let matrix = try QRCode.matrix(for: sampleConfig)
        #expect(matrix.size == 17 + 4 * matrix.version)
        #expect(matrix.version > 1 && matrix.version <= 40)
    }

    @Test("modules outside the symbol read as light")
    func outsideIsLight() throws {
        let matrix = try QRCode.matrix(for: "x")
        #expect(!matrix.isDark(x: -1, y: 0))
        #expect(!matrix.isDark(x: 0, y: -1))
        #expect(!matrix.isDark(x: matrix.size, y: 0))
        #expect(!matrix.isDark(x: 0, y: matrix.size))
        #expect(!matrix.isDark(x: .min, y: .max))
    }

    @Test("the same text always gives the same symbol")
    func deterministic() throws {
        #expect(try QRCode.matrix(for: sampleConfig) == QRCode.matrix(for: sampleConfig))
    }

    @Test("text of exactly the limit is accepted and makes a version-40 symbol")
    func atLimit() throws {
        // Lower-case letters are not alphanumeric-mode characters, so this is all 8-bit data.
        let text = String(repeating: "z", count: QRCode.maxTextLength)
        let matrix = try QRCode.matrix(for: text)
        #expect(matrix.version == 40)
        #expect(matrix.size == 177)
    }

    @Test("empty text is refused")
    func empty() {
        #expect(throws: QRCodeError(.emptyText, "")) { try QRCode.matrix(for: "") }
        #expect(throws: QRCodeError(.emptyText, "")) { try QRCode.png(for: "") }
    }

    @Test("text over the limit is refused with its length in the message",
          arguments: [QRCode.maxTextLength + 1, 3000, 1 << 20])
    func tooLong(length: Int) {
        let text = String(repeating: "z", count: length)
        let error = #expect(throws: QRCodeError(.textTooLong, "")) { try QRCode.png(for: text) }
        #expect(error?.message.contains("\(length) bytes") == true)
        #expect(error?.message.contains("\(QRCode.maxTextLength)") == true)
    }

    @Test("the limit counts UTF-8 bytes, not characters")
    func multibyte() {
        let text = String(repeating: "é", count: QRCode.maxTextLength / 2 + 1)  // 2 bytes each
        #expect(throws: QRCodeError(.textTooLong, "")) { try QRCode.matrix(for: text) }
    }

    @Test("text with a NUL character is refused rather than cut short")
    func nul() {
        #expect(throws: QRCodeError(.textContainsNUL, "")) { try QRCode.matrix(for: "a\u{0}b") }
    }
}

@Suite("QR code PNG")
struct QRCodePNGTests {
    @Test("the PNG has the signature, IHDR/IDAT/IEND in order, and correct chunk CRCs")
    func chunksAndCRCs() throws {
        let png = try QRCode.png(for: sampleConfig)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = try PNGReader.chunks(png)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for chunk in chunks {
            #expect(chunk.storedCRC == chunk.computedCRC, "CRC of \(chunk.type)")
        }
        #expect(chunks.last?.data.isEmpty == true)
    }

    @Test("decoding the PNG gives back the matrix, scaled, inside a white border",
          arguments: [(8, 4), (1, 0), (3, 2), (5, 7)])
    func pixelsMatchMatrix(scale: Int, border: Int) throws {
        let matrix = try QRCode.matrix(for: sampleConfig)
        let image = try PNGReader.decode(QRCode.png(for: sampleConfig, scale: scale, border: border))
        let side = (matrix.size + 2 * border) * scale
        #expect(image.width == side && image.height == side)
        var mismatches = 0
        for y in 0..<side {
            for x in 0..<side {
                let module = matrix.isDark(x: x / scale - border, y: y / scale - border)
                if image.isBlack(x: x, y: y) != module { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        if border > 0 {
            var blackEdges = 0
            for i in 0..<side {
                for (x, y) in [(i, 0), (0, i), (i, side - 1), (side - 1, i)] where image.isBlack(x: x, y: y) {
                    blackEdges += 1
                }
            }
            #expect(blackEdges == 0)
        }
    }

    @Test("an image larger than one stored block (64 KiB) still decodes")
    func multiBlock() throws {
        // (177 + 8) modules × 8 px = 1480 px; 186 bytes per row × 1480 rows ≈ 270 KiB of image data.
        let text = String(repeating: "z", count: QRCode.maxTextLength)
        let image = try PNGReader.decode(QRCode.png(for: text))
        #expect(image.width == 1480)
    }

    @Test("scale and border out of range are refused")
    func badParameters() {
        #expect(throws: QRCodeError(.invalidScale, "")) { try QRCode.png(for: "x", scale: 0) }
        #expect(throws: QRCodeError(.invalidScale, "")) { try QRCode.png(for: "x", scale: -3) }
        #expect(throws: QRCodeError(.invalidScale, "")) { try QRCode.png(for: "x", scale: Int.max) }
        #expect(throws: QRCodeError(.invalidBorder, "")) { try QRCode.png(for: "x", border: -1) }
        #expect(throws: QRCodeError(.invalidBorder, "")) { try QRCode.png(for: "x", border: Int.max) }
    }

    @Test("an image wider than the limit is refused before it is drawn")
    func tooWide() {
        let text = String(repeating: "z", count: QRCode.maxTextLength)  // 177 modules
        let error = #expect(throws: QRCodeError(.imageTooLarge, "")) { try QRCode.png(for: text, scale: 32) }
        #expect(error?.message.contains("\((177 + 8) * 32)") == true)
    }

    @Test("Python's zlib accepts the image data and the chunk CRCs",
          .enabled(if: executable(named: "python3") != nil, "python3 is not on PATH"))
    func pythonInflates() throws {
        let png = try QRCode.png(for: sampleConfig, scale: 2, border: 4)
        let script = """
            import sys, struct, zlib
            d = sys.stdin.buffer.read()
            assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            i, idat, w = 8, b'', 0
            while i < len(d):
                n, t = struct.unpack('>I4s', d[i:i+8]); body = d[i+8:i+8+n]
                assert struct.unpack('>I', d[i+8+n:i+12+n])[0] == zlib.crc32(t + body) & 0xffffffff
                if t == b'IHDR': w = struct.unpack('>I', body[:4])[0]
                if t == b'IDAT': idat += body
                i += 12 + n
            print(w, len(zlib.decompress(idat)))
            """
        let python = try #require(executable(named: "python3"))
        let result = try run(python, ["-c", script], input: png)
        #expect(result.status == 0)
        let matrix = try QRCode.matrix(for: sampleConfig)
        let side = (matrix.size + 8) * 2
        let expected = "\(side) \(((side + 7) / 8 + 1) * side)"
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test("zbarimg reads the text back from the PNG",
          .enabled(if: executable(named: "zbarimg") != nil, "zbarimg is not installed (Debian package zbar-tools)"))
    func zbarRoundTrip() throws {
        let zbarimg = try #require(executable(named: "zbarimg"))
        let png = try QRCode.png(for: sampleConfig)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hy2scale-qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }  // best effort: a leftover temp file harms nothing
        let result = try run(zbarimg, ["--quiet", "--raw", "-Sbinary", file.path])
        #expect(result.status == 0)
        #expect(result.output == sampleConfig || result.output == sampleConfig + "\n")
    }
}
