public import NIOCore

extension HTTP3Response {
    /// The masquerade's default body, byte for byte what Go's `http.NotFound` sends (spec §1.7).
    public static let notFoundBody = "404 page not found\n"

    /// The masquerade's default answer to anything but a successful `/auth` (spec §1.7): the head
    /// Go's `http.Error` writes, so a prober sees the same reply as from the official server.
    public static var notFound: HTTP3Response {
        HTTP3Response(
            status: 404,
            headers: [
                HTTP3Field(name: "content-type", value: "text/plain; charset=utf-8"),
                HTTP3Field(name: "x-content-type-options", value: "nosniff"),
                HTTP3Field(name: "content-length", value: String(notFoundBody.utf8.count)),
            ]
        )
    }

    /// Appends the whole 404 (HEADERS, then DATA with ``notFoundBody``) and returns the byte count.
    @discardableResult
    public static func writeNotFound(to buffer: inout ByteBuffer) -> Int {
        notFound.write(body: ByteBuffer(string: notFoundBody), to: &buffer)
    }
}
