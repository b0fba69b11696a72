import CYAML

/// One libyaml event, copied out of C memory.
struct ParseEvent {
    enum Kind {
        case streamStart, streamEnd, documentStart, documentEnd
        case alias
        case scalar(text: String, style: YAMLScalar.Style, tag: String?)
        case sequenceStart(tag: String?, isFlow: Bool)
        case sequenceEnd
        case mappingStart(tag: String?, isFlow: Bool)
        case mappingEnd
    }
    var kind: Kind
    var anchor: String?
    /// libyaml marks: 0-based line and column (columns in characters).
    var start: (line: Int, column: Int)
    var end: (line: Int, column: Int)
}

/// The libyaml parser: the only place that touches its C structures.
///
/// Owns one `yaml_parser_t` for one pass over one text and frees it on deinit.
final class EventReader {
    private var parser = yaml_parser_t()
    private let input: UnsafeMutableBufferPointer<UInt8>

    init(bytes: [UInt8]) {
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_initialize(&parser)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(&parser)
        input.deallocate()
    }

    /// The next event, or a syntax error with libyaml's own explanation and position.
    func next() throws(ParseFailure) -> ParseEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
            let context = parser.context.map { String(cString: $0) }
            let mark = parser.problem_mark
            throw ParseFailure(
                message: context.map { "\(problem) \($0)" } ?? problem,
                line: Int(mark.line), column: Int(mark.column))
        }
        defer { yaml_event_delete(&event) }
        let start = (Int(event.start_mark.line), Int(event.start_mark.column))
        let end = (Int(event.end_mark.line), Int(event.end_mark.column))
        func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        let kind: ParseEvent.Kind
        var anchor: String?
        switch event.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_ALIAS_EVENT: kind = .alias
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: YAMLScalar.Style
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            anchor = string(s.anchor)
            kind = .scalar(text: text, style: style, tag: string(s.tag))
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            anchor = string(s.anchor)
            kind = .sequenceStart(tag: string(s.tag), isFlow: s.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            anchor = string(m.anchor)
            kind = .mappingStart(tag: string(m.tag), isFlow: m.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        default: kind = .streamEnd
        }
        return ParseEvent(kind: kind, anchor: anchor, start: start, end: end)
    }
}

/// libyaml's complaint about the text, with its 0-based position.
struct ParseFailure: Error {
    var message: String
    var line: Int
    var column: Int
}
