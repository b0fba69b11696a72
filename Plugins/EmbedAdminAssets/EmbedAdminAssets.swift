import Foundation
import PackagePlugin

/// Build-tool plugin of `AdminAPI`: embeds the REST contract (`OpenAPI/openapi.json`) and the web
/// UI (`WebUI/`) in the module as Swift string constants, so the binary needs no resource bundle
/// and an upgrade can never pair an old UI with a new API.
///
/// The `embed-assets` tool (built for the host) checks the JSON, reads the UI's text files and
/// writes one Swift file per asset set into the plugin's work directory; a JSON document that does
/// not parse, or a UI file that is not UTF-8 text, fails the build. The commands run again whenever
/// an input changes. They read only those inputs and write only below the work directory, so they
/// need no `--disable-sandbox`.
@main
struct EmbedAdminAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? any SourceModuleTarget else { return [] }
        let tool = try context.tool(named: "embed-assets").url
        // SwiftPM builds host tools with the -Xswiftc/-Xlinker flags of the build too, so
        // `scripts/fuzz` builds this one with AddressSanitizer, whose leak check would fail the
        // command over the buffers a program still holds when it exits.
        let environment = ["ASAN_OPTIONS": "detect_leaks=0"]
        // Both inputs are excluded from the target's sources in Package.swift, so they are named here by path.
        let openAPI = target.directoryURL.appending(path: "OpenAPI/openapi.json")
        let openAPIOutput = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+JSON.swift")
        let webUI = target.directoryURL.appending(path: "WebUI")
        let webUIFiles = Self.files(below: webUI)
        let webUIOutput = context.pluginWorkDirectoryURL.appending(path: "WebUIAssets+Files.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(target.name)/OpenAPI/openapi.json",
                executable: tool,
                arguments: ["openapi", openAPI.path(percentEncoded: false), openAPIOutput.path(percentEncoded: false)],
                environment: environment,
                inputFiles: [openAPI],
                outputFiles: [openAPIOutput]
            ),
            .buildCommand(
                displayName: "Embedding \(target.name)/WebUI (\(webUIFiles.count) files)",
                executable: tool,
                arguments: ["webui", webUI.path(percentEncoded: false), webUIOutput.path(percentEncoded: false)]
                    + webUIFiles.map { $0.relative },
                environment: environment,
                inputFiles: webUIFiles.map(\.url),
                outputFiles: [webUIOutput]
            ),
        ]
    }

    /// The regular files below `directory`, sorted, with their paths relative to it; dot files
    /// (editor swap files, lint configuration) are not part of the UI.
    static func files(below directory: URL) -> [(url: URL, relative: String)] {
        let root = directory.standardizedFileURL.path(percentEncoded: false)
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [(URL, String)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path(percentEncoded: false)
            guard path.hasPrefix(root) else { continue }
            found.append((url, String(path.dropFirst(root.count).drop { $0 == "/" })))
        }
        return found.sorted { $0.1 < $1.1 }
    }
}
