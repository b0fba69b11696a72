import Foundation
import ScaleConfig
import Testing

/// Reading a whole config file: what is refused before any decoding.
@Suite struct ConfigFileTests {
    @Test("an empty or comment-only file is refused, never read as an all-defaults config",
          arguments: ["", "\n\n", "# only a comment\n", "   \n# a\n# b\n"])
    func emptyFileRefused(text: String) {
        // Found by the soak test: a reload between an in-place writer's truncate and its write
        // read an empty file, applied it as "no users, no listeners", and ended every flow.
        #expect {
            try ConfigFile.parse(Data(text.utf8), path: "config.yaml", context: testContext)
        } throws: { error in
            let problems = (error as? ConfigFileError)?.errors.map(\.description) ?? []
            return problems.count == 1 && problems[0].hasPrefix("config.yaml:1:1: the file is empty")
        }
    }

    @Test("`{}` asks for all defaults")
    func explicitDefaults() throws {
        let file = try ConfigFile.parse(Data("{}\n".utf8), path: "config.yaml", context: testContext)
        #expect(file.config == Config())
    }
}
