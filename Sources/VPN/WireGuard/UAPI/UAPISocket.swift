import CNftnl  // SOCK_STREAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Glibc
import SystemCalls

/// One request and its answer over a userspace WireGuard device's control socket
/// (`/var/run/wireguard/<name>.sock`).
enum UAPISocket {
    /// An answer longer than this is refused: thousands of peers fit many times over.
    static let answerLimit = 16 << 20
    /// How long the device may take to answer.
    static let timeoutMilliseconds: Int32 = 3000

    /// Sends `request` and returns the answer, which ends with an empty line.
    static func exchange(_ request: String, at path: String) throws(UAPIError) -> String {
        do {
            let socket = try Posix.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            defer { try? Posix.close(socket) }
            try Posix.connect(socket, to: try Posix.unixAddress(path))
            try Posix.writeAll(socket, Array(request.utf8))
            var answer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while !answer.ends(with: [10, 10]) {
                var ready = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
                guard try Posix.poll(&ready, timeout: timeoutMilliseconds) > 0 else {
                    throw UAPIError.unreachable("no answer within \(timeoutMilliseconds) ms")
                }
                let count = try Posix.read(socket, into: &chunk)
                guard count > 0 else { throw UAPIError.unreachable("the device closed the socket mid-answer") }
                answer += chunk[..<count]
                guard answer.count <= answerLimit else { throw UAPIError.unreachable("the answer exceeds \(answerLimit) bytes") }
            }
            return String(decoding: answer, as: UTF8.self)
        } catch let error as UAPIError {
            throw error
        } catch {
            throw .unreachable("\(path): \(error)")
        }
    }
}

extension [UInt8] {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix) }
}
