/// The legacy TUN mode (`tun_mode.mode`).
public enum TunMode: String, ConfigEnum {
    /// Rule targets go through TUN, everything else through the proxy.
    case mixed
    /// All traffic goes through TUN.
    case full

    /// An empty value is left to the migration, which only looks at `enabled`.
    public static var aliases: [String: TunMode] { ["": .mixed] }
}
