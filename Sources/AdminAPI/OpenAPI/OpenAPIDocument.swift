import Foundation
import HTTPTypes
import Hummingbird
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler
/// The OpenAPI document of this API.
enum OpenAPIDocument {
    static let json = #"{"openapi":"3.1.0","info":{"title":"hy2scale","version":"0.1.0"},"paths":{}}"#
}
