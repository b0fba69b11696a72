import Foundation

/// Runs `/usr/bin/env <arguments>` and returns its exit status and output (stdout then stderr).
@discardableResult
func shell(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

func read(_ url: URL) throws -> [UInt8] {
    try Array(Data(contentsOf: url))
}

func permissions(of url: URL) throws -> UInt32 {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return UInt32((attributes[.posixPermissions] as? NSNumber)?.uint32Value ?? 0)
}


/// Hand-built tar headers, written independently of the Archive module, for inputs its writer
/// refuses to make (links, escaping paths, bad checksums).
enum RawTar {
    /// A 512-byte header. `checksumDelta` is added to the correct checksum to make a bad one.
    static func header(
        name: String, type: Character = "0", size: Int = 0, mode: String = "0000644",
        prefix: String = "", linkName: String = "", magic: String = "ustar\u{0}00", checksumDelta: Int = 0
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte }
        }
        put(name, at: 0)
        put(mode, at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(octal(size, width: 11), at: 124)
        put("00000000000", at: 136)
        block[156] = type.asciiValue ?? 0
        put(linkName, at: 157)
        put(magic, at: 257)
        put(prefix, at: 345)
        setChecksum(&block, delta: checksumDelta)
        return block
    }

    /// Stores the checksum of `block` (plus `delta`) as six octal digits, NUL, space.
    static func setChecksum(_ block: inout [UInt8], delta: Int = 0) {
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) } + delta
        for (i, byte) in (octal(sum, width: 6) + "\u{0} ").utf8.enumerated() { block[148 + i] = byte }
    }

    static func octal(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 8)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `data` padded with zeros to a whole number of blocks.
    static func data(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// The end-of-archive marker.
    static let end = [UInt8](repeating: 0, count: 1024)

    /// A one-file archive.
    static func archive(name: String, type: Character = "0", contents: [UInt8] = [], linkName: String = "") -> [UInt8] {
        header(name: name, type: type, size: type == "0" ? contents.count : 0, linkName: linkName)
            + (type == "0" ? data(contents) : []) + end
    }
}
