/// The OpenAPI 3.1 contract of the REST API, served at `GET /api/openapi.json`.
///
/// Its one source is `OpenAPI/openapi.json` next to this file: the EmbedAdminAssets build-tool plugin
/// (`Plugins/EmbedAdminAssets`) embeds that file's text as `json` at build time, so the binary needs
/// no resource bundle, and a file that is not JSON fails the build.
public enum OpenAPIDocument {}
