import Addressing
import YAMLDocument

extension ConfigValidator {
    /// Exit path fields of one entry (users, proxies, rules, WireGuard peers): syntax of
    /// `exit_via` and each `exit_paths` entry, the mode, and the aggregate rule (reference-api §6.3).
    mutating func checkExit(via: String, paths: [String], mode: String, at entry: YAMLPath) {
        checkExitPath(via, at: entry.appending(key: "exit_via"))
        var parsed: [(text: String, path: ExitPath)] = []
        for (i, text) in paths.enumerated() {
            if let path = checkExitPath(text, at: entry.appending(key: "exit_paths").appending(index: i)), !path.isDirect {
                parsed.append((text, path))
            }
        }
        let modePath = entry.appending(key: "exit_mode")
        checkEnum(ExitMode.self, mode, at: modePath, what: "exit mode")
        // reference-api §6.3: bonding needs every path to end at the same node.
        if ExitMode(spelling: mode) == .aggregate, parsed.count >= 2, let first = parsed.first {
            for other in parsed.dropFirst() where other.path.lastHop != first.path.lastHop {
                error(modePath, "aggregate mode requires all paths to reach the same exit node, but "
                    + "\(Self.quote(first.text)) and \(Self.quote(other.text)) end at different nodes; "
                    + "use paths with the same last hop or another exit mode")
                break
            }
        }
    }

    /// One exit path; `nil` when it does not parse (the error is recorded).
    @discardableResult
    mutating func checkExitPath(_ text: String, at path: YAMLPath) -> ExitPath? {
        switch ExitPath.parse(text, selfNames: selfNames) {
        case .success(let exitPath): return exitPath
        case .failure(let failure):
            error(path, "\(Self.quote(text)) \(failure.reason)")
            return nil
        }
    }

    /// `fallback` of users and rules (DECISIONS #14).
    mutating func checkFallback(_ value: String, at path: YAMLPath) {
        checkEnum(ExitFallback.self, value, at: path, what: "fallback")
    }
}
