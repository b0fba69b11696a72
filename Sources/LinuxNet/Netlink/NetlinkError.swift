import Foundation
import SystemCalls

/// A netlink exchange that failed: a system call, the kernel's refusal, or an answer we could not
/// read.
public enum NetlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A system call failed with `errno`.
    case system(String, Int32)
    /// The kernel refused a request with `errno`, and its own words when it gave any.
    case refused(Int32, message: String)
    /// An answer that does not parse (lengths out of bounds).
    case malformedAnswer(String)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .refused(let code, let message):
            "the kernel refused: \(String(cString: strerror(code)))\(message.isEmpty ? "" : " (\(message))")"
        case .malformedAnswer(let what): "malformed netlink answer: \(what)"
        }
    }

    /// The kernel's errno, for callers that expect one (`EEXIST`, `ENOENT`).
    public var code: Int32? {
        switch self {
        case .system(_, let code), .refused(let code, _): code
        case .malformedAnswer: nil
        }
    }
}

extension NetlinkError {
    /// Runs `body`, reporting a failed system call as ``system(_:_:)`` with `subject` (a path,
    /// `netlink`) beside the call's name: `recv(netlink) failed: …`.
    @discardableResult
    static func call<T>(on subject: String, _ body: () throws(SystemCallError) -> T) throws(NetlinkError) -> T {
        do {
            return try body()
        } catch {
            throw .system("\(error.call)(\(subject))", error.errno)
        }
    }
}
