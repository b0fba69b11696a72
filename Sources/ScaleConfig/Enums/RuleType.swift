/// What a routing rule's targets are (`rules[].type`).
public enum RuleType: String, ConfigEnum {
    /// IP addresses, CIDRs and ranges `a.b.c.d-e.f.g.h`.
    case ip
    /// Domain names.
    case domain
}
