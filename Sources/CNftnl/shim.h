#ifndef CNFTNL_SHIM_H
#define CNFTNL_SHIM_H

/* libnftnl + libmnl for the nftables table, and the kernel's netlink headers for rtnetlink
 * (routes, policy rules, links) and TUN devices. glibc's socket headers come first: the kernel's
 * <linux/libc-compat.h> then leaves out its own copies of in_addr and friends, which would
 * otherwise clash with Glibc's in Swift. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
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
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

/* setns(2) is declared by <sched.h> only under _GNU_SOURCE, which the Glibc module is not built
 * with; these two lines are all Swift needs of it. */
extern int setns(int fd, int nstype);
static const int CNftnl_CLONE_NEWNET = 0x40000000;

/* ioctl(2) is variadic and TUNSETIFF an _IOW() expression: Swift can import neither. */
static const unsigned long CNftnl_TUNSETIFF = TUNSETIFF;
static inline int CNftnl_ioctl_ifreq(int fd, unsigned long request, struct ifreq *request_data) {
    return ioctl(fd, request, request_data);
}

#endif
