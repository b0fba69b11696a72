/// The congestion-control tuning of an outbound peer (`clients[].bbr_profile`).
public enum BBRProfile: String, ConfigEnum {
    /// The engine's default tuning (spelled `""`).
    case automatic = ""
    case standard
    case conservative
    case aggressive
}
