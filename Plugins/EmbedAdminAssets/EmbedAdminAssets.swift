import PackagePlugin

/// Build-tool plugin of `AdminAPI`: embeds `OpenAPI/openapi.json`, the one source of the REST
/// contract, in the module as `OpenAPIDocument.json`, so the binary needs no resource bundle.
///
/// The `embed-openapi` tool (built for the host) checks that the file is JSON and writes
/// `OpenAPIDocument+JSON.swift` into the plugin's work directory; a file that does not parse fails
/// the build. The command runs again whenever the JSON file changes. It reads only the JSON file
/// and writes only below the work directory, so it needs no `--disable-sandbox`.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? any SourceModuleTarget else { return [] }
        // Excluded from the target's sources in Package.swift, so it is named here by path.
        let input = target.directoryURL.appending(path: "OpenAPI/openapi.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+JSON.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(target.name)/OpenAPI/openapi.json",
                executable: try context.tool(named: "embed-openapi").url,
                arguments: [input.path(percentEncoded: false), output.path(percentEncoded: false)],
                // SwiftPM builds host tools with the -Xswiftc/-Xlinker flags of the build too, so
                // `scripts/fuzz` builds this one with AddressSanitizer, whose leak check would fail
                // the command over the buffers a program still holds when it exits.
                environment: ["ASAN_OPTIONS": "detect_leaks=0"],
                inputFiles: [input],
                outputFiles: [output]
            ),
        ]
    }
}
