/// Rule userdata as nft writes it: type-length-value records (one byte each for type and
/// length), the comment being record NFTNL_UDATA_RULE_COMMENT (0) with a NUL-terminated string.
enum RuleUserdata {
    static let commentType: UInt8 = 0

    /// The comment in `bytes`, or `nil` when there is none or the records are malformed.
    static func comment(in bytes: [UInt8]) -> String? {
        var offset = 0
        while offset + 2 <= bytes.count {
            let type = bytes[offset], length = Int(bytes[offset + 1])
            let end = offset + 2 + length
            guard end <= bytes.count else { return nil }
            if type == commentType {
                let text = bytes[(offset + 2)..<end].prefix { $0 != 0 }
                return String(decoding: text, as: UTF8.self)
            }
            offset = end
        }
        return nil
    }
}
