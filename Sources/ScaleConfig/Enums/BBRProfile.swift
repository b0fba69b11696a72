/// The congestion-control tuning of an outbound peer (`clients[].bbr_profile`).
public enum BBRProfile: String, ConfigEnum {
    /// The engine's default tuning (spelled `""`).
    case automatic = ""
    /// Standard BBR.
    case standard
    /// Slower probing, gentler on shared links.
    case conservative
    /// Faster probing for lossy long-distance links.
    case aggressive
}
