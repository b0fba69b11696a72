import CNftnl
import Glibc

/// Owners of libnftnl objects: each frees its object when it goes, and no pointer leaves the
/// netlink layer. libnftnl copies strings and data it is given, so callers pass Swift values.

/// A `struct nftnl_table`.
final class NftnlTable {
    let pointer: OpaquePointer

    init(name: String) throws {
        guard let pointer = nftnl_table_alloc() else { throw NetlinkError.system("allocate nftnl table", ENOMEM) }
        self.pointer = pointer
        nftnl_table_set_str(pointer, attribute(NFTNL_TABLE_NAME), name)
    }

    deinit { nftnl_table_free(pointer) }
}

/// A `struct nftnl_chain`.
final class NftnlChain {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = nftnl_chain_alloc() else { throw NetlinkError.system("allocate nftnl chain", ENOMEM) }
        self.pointer = pointer
    }

    deinit { nftnl_chain_free(pointer) }
}

/// A `struct nftnl_set`, with the elements added to it (which it owns and frees).
final class NftnlSet {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = nftnl_set_alloc() else { throw NetlinkError.system("allocate nftnl set", ENOMEM) }
        self.pointer = pointer
    }

    deinit { nftnl_set_free(pointer) }

    /// Adds an element keyed by `key`, with `flags` and an optional timeout; the set takes it.
    func addElement(key: [UInt8], flags: UInt32 = 0, timeoutMilliseconds: UInt64? = nil) throws {
        guard let element = nftnl_set_elem_alloc() else { throw NetlinkError.system("allocate nftnl set element", ENOMEM) }
        key.withUnsafeBytes { _ = nftnl_set_elem_set(element, attribute(NFTNL_SET_ELEM_KEY), $0.baseAddress, UInt32($0.count)) }
        if flags != 0 { nftnl_set_elem_set_u32(element, attribute(NFTNL_SET_ELEM_FLAGS), flags) }
        if let timeoutMilliseconds { nftnl_set_elem_set_u64(element, attribute(NFTNL_SET_ELEM_TIMEOUT), timeoutMilliseconds) }
        nftnl_set_elem_add(pointer, element)
    }
}

/// A `struct nftnl_rule`, with the expressions added to it (which it owns and frees).
final class NftnlRule {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = nftnl_rule_alloc() else { throw NetlinkError.system("allocate nftnl rule", ENOMEM) }
        self.pointer = pointer
    }

    deinit { nftnl_rule_free(pointer) }

    /// Appends expression `name` configured by `configure`; the rule takes it.
    func addExpression(_ name: String, _ configure: (OpaquePointer) -> Void) throws {
        guard let expression = nftnl_expr_alloc(name) else {
            throw NetlinkError.system("allocate nftnl expression \(name)", ENOMEM)
        }
        configure(expression)
        nftnl_rule_add_expr(pointer, expression)
    }
}
