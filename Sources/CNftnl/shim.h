#ifndef CNFTNL_SHIM_H
#define CNFTNL_SHIM_H

/* libnftnl + libmnl for the nftables table, and the kernel's netlink headers for rtnetlink
 * (routes, policy rules, links), generic netlink (the WireGuard family), xfrm and TUN devices.
 * glibc's socket headers come first: the kernel's <linux/libc-compat.h> then leaves out its own
 * copies of in_addr and friends, which would otherwise clash with Glibc's in Swift. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/fib_rules.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>
#include <linux/xfrm.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#endif
