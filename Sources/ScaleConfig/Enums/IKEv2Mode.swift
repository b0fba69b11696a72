/// How IKEv2 clients authenticate (`ikev2.mode`).
public enum IKEv2Mode: String, ConfigEnum {
    /// EAP-MSCHAPv2 with a server certificate signed from `ikev2.cert_id` (the default).
    case mschapv2
    /// A pre-shared key.
    case psk

    /// An empty value means `mschapv2`, as v1.3 reports it.
    public static var aliases: [String: IKEv2Mode] { ["": .mschapv2] }
}
