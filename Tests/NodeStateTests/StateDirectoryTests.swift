import TestSupport
import Foundation
import NodeState
import Testing

@Suite("State directory")
struct StateDirectoryTests {
    @Test("the node id is created once, as 8 lowercase hex characters, and read back on reopen")
    func nodeIDStable() async throws {
        try await withTemporaryDirectory { tmp in
            let path = tmp.child("state").path
            let first = try StateDirectory(path: path)
            #expect(StateDirectory.isValidNodeID(first.nodeID))
            #expect(try String(contentsOf: first.nodeIDURL, encoding: .utf8) == first.nodeID)
            let second = try StateDirectory(path: path)
            #expect(second.nodeID == first.nodeID)

            let attributes = try FileManager.default.attributesOfItem(atPath: first.nodeIDURL.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
            let dirAttributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((dirAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o750)
        }
    }

    @Test("a node id file with a trailing newline is accepted")
    func trailingNewline() async throws {
        try await withTemporaryDirectory { tmp in
            try Data("0a1b2c3d\n".utf8).write(to: tmp.child("node-id"))
            #expect(try StateDirectory(path: tmp.url.path).nodeID == "0a1b2c3d")
        }
    }

    @Test("a malformed node id file is an error naming the path and the expected form",
          arguments: ["", "ABCDEF12", "12345", "0a1b2c3d4", "zzzzzzzz", "0a1b 2c3"])
    func malformedNodeID(content: String) async throws {
        try await withTemporaryDirectory { tmp in
            let file = tmp.child("node-id")
            try Data(content.utf8).write(to: file)
            let error = #expect(throws: MalformedNodeIDError.self) {
                try StateDirectory(path: tmp.url.path)
            }
            let text = error.map { String(describing: $0) } ?? ""
            #expect(text.contains(file.path))
            #expect(text.contains("8 lowercase hex characters"))
            // The file is left for the operator to look at.
            #expect(try String(contentsOf: file, encoding: .utf8) == content)
        }
    }

    @Test("paths of the TLS store and the database lie inside the directory")
    func paths() async throws {
        try await withTemporaryDirectory { tmp in
            let dir = try StateDirectory(path: tmp.url.path)
            #expect(dir.tlsURL.lastPathComponent == "tls")
            #expect(dir.databaseURL.deletingLastPathComponent().path == dir.url.path)
            #expect(dir.tlsURL.deletingLastPathComponent().path == dir.url.path)
        }
    }
}
