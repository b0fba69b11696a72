#define _GNU_SOURCE
#include "CSystemShim.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <sys/ioctl.h>

struct cmsghdr *CSystemShim_CMSG_FIRSTHDR(const struct msghdr *message) {
    return CMSG_FIRSTHDR(message);
}

struct cmsghdr *CSystemShim_CMSG_NXTHDR(const struct msghdr *message, const struct cmsghdr *header) {
    /* glibc's CMSG_NXTHDR takes non-const pointers but writes through neither. */
    return CMSG_NXTHDR((struct msghdr *)message, (struct cmsghdr *)header);
}

const void *CSystemShim_CMSG_DATA(const struct cmsghdr *header) {
    return CMSG_DATA(header);
}

size_t CSystemShim_CMSG_SPACE(size_t payloadLength) {
    return CMSG_SPACE(payloadLength);
}

size_t CSystemShim_CMSG_LEN(size_t payloadLength) {
    return CMSG_LEN(payloadLength);
}

int CSystemShim_setns_network(int fd) {
    return setns(fd, CLONE_NEWNET);
}

const unsigned long CSystemShim_TUNSETIFF = TUNSETIFF;

int CSystemShim_ioctl_ifreq(int fd, unsigned long request, struct ifreq *argument) {
    return ioctl(fd, request, argument);
}

int CSystemShim_fcntl_int(int fd, int command, int argument) {
    return fcntl(fd, command, argument);
}
