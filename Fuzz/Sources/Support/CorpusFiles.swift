import Foundation

/// Corpus directories on disk: replaying them through the harnesses (the plain build's regression
/// check) and writing the seeds the committed corpus starts from.
enum CorpusFiles {
    /// Runs every file in `paths` (files, or directories whose files are taken in name order)
    /// through `harness`; false when a path cannot be read. A failed invariant aborts instead.
    static func replay(_ harness: any FuzzHarness.Type, paths: [String]) -> Bool {
        var count = 0
        for path in paths {
            guard let files = files(at: path) else {
                FileOutput.standardError("error: cannot read \(path)\n")
                return false
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileOutput.standardError("error: cannot read \(file)\n")
                    return false
                }
                harness.run(Array(data))
                count += 1
            }
        }
        FileOutput.standardOutput("\(harness.name): \(count) inputs ran\n")
        return true
    }

    /// Replays `directory/<name>` for every harness; a harness without a directory is an error,
    /// so a corpus cannot silently go missing.
    static func replayAll(from directory: String) -> Bool {
        Harnesses.all.allSatisfy { harness in
            replay(harness, paths: [directory + "/" + harness.name])
        }
    }

    /// Writes each harness's seeds as `directory/<name>/seed-<label>`.
    static func writeSeeds(to directory: String) -> Bool {
        for harness in Harnesses.all {
            let folder = directory + "/" + harness.name
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for seed in harness.seeds {
                    try Data(seed.bytes).write(to: URL(fileURLWithPath: folder + "/seed-" + seed.label))
                }
            } catch {
                FileOutput.standardError("error: cannot write seeds to \(folder): \(error)\n")
                return false
            }
            FileOutput.standardOutput("\(harness.name): \(harness.seeds.count) seeds\n")
        }
        return true
    }

    /// The regular files at `path`: the path itself, or a directory's files sorted by name.
    private static func files(at path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [path] }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        return names.sorted().map { path + "/" + $0 }.filter { file in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
