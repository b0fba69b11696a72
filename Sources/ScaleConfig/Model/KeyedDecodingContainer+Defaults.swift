extension KeyedDecodingContainer {
    /// The value of `key`, or `fallback` when the key is absent or null.
    ///
    /// Always consults the key by name, so a decoder that reports unconsulted keys as unknown
    /// accepts it.
    func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
