import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `?offset=&limit=&q=` of a list call: without them the whole list, as the seed's clients
/// expect; with them one page of the entries matching `q` (case-insensitive), and the count of
/// all matching entries in `X-Total-Count`.
struct ListQuery: Sendable {
    var offset = 0
    var limit: Int?
    /// Lower-cased search text; `nil` matches everything.
    var search: String?

    static let totalCountHeader = HTTPField.Name("X-Total-Count")!

    /// - Throws: ``APIError`` 400 for an offset or limit that is not a non-negative integer.
    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        func count(_ name: String) throws -> Int? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw APIError.badRequest("\(name) must be a whole number, 0 or more (not \"\(text)\")", field: name)
            }
            return value
        }
        offset = try count("offset") ?? 0
        limit = try count("limit")
        search = query.get("q").flatMap { $0.isEmpty ? nil : $0.lowercased() }
    }

    /// The entries of `items` matching the search, paged, and how many matched in all.
    /// - Parameter text: the fields of an entry the search looks in.
    func page<T>(_ items: [T], text: (T) -> [String]) -> (page: ArraySlice<T>, total: Int) {
        let matching: [T]
        if let search {
            matching = items.filter { item in text(item).contains { $0.lowercased().contains(search) } }
        } else {
            matching = items
        }
        let start = min(offset, matching.count)
        let end = limit.map { min(matching.count, start + $0) } ?? matching.count
        return (ArraySlice(matching)[start..<end], matching.count)
    }
}

/// A JSON list answer written as it is encoded, a few hundred entries at a time, so a list of a
/// hundred thousand users is never held whole as JSON: `prefix`, the entries separated by
/// commas, `suffix`. Carries the config revision as `ETag` when it has one, and the count of
/// matching entries.
struct StreamedList<Element: Encodable & Sendable>: ResponseGenerator, Sendable {
    var prefix = "["
    var elements: ArraySlice<Element>
    var suffix = "]"
    var total: Int
    var revision: String?

    /// Entries per write: large enough that encoding dominates, small enough to stream.
    static var batchSize: Int { 256 }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[ListQuery.totalCountHeader] = String(total)
        if let revision { headers[.eTag] = "\"\(revision)\"" }
        let (prefix, elements, suffix) = (prefix, elements, suffix)
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let encoder = JSONEncoder()
            var buffer = ByteBuffer(string: prefix)
            var index = elements.startIndex
            while index < elements.endIndex {
                let end = min(elements.endIndex, index + Self.batchSize)
                let encoded = try encoder.encode(Array(elements[index..<end]))  // `[a,b,...]`
                if index > elements.startIndex { buffer.writeString(",") }
                buffer.writeBytes(encoded.dropFirst().dropLast())
                try await writer.write(buffer)
                buffer.clear()
                index = end
            }
            buffer.writeString(suffix)
            try await writer.write(buffer)
            try await writer.finish(nil)
        })
    }
}
