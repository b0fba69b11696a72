package import Addressing
package import NIOHTTP1
package import Routing

/// How ``HTTPProxyHandler`` reads a request head, for other targets of the package (the parser
/// fuzzer): the same functions the handler calls, with no connection around them.
package enum HTTPProxyRequestHead {
    /// The target a CONNECT request names, or `nil` when the handler answers 400.
    package static func connectTarget(_ head: HTTPRequestHead) -> Target? {
        HTTPProxyHandler.connectTarget(head.uri)
    }

    /// The target and origin-form URI a request to forward names, or `nil` when the handler
    /// answers 400.
    package static func forwardDestination(_ head: HTTPRequestHead) -> (target: Target, originForm: String)? {
        HTTPProxyHandler.destination(of: head).map { (target: $0.0, originForm: $0.1) }
    }

    /// The credentials of the head's `Proxy-Authorization` header.
    package static func credentials(_ head: HTTPRequestHead) -> ProxyCredentials.Parsed {
        ProxyCredentials.parse(head.headers.first(name: "proxy-authorization"))
    }
}
