#define _GNU_SOURCE
#include "CSystemShim.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
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

int CSystemShim_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[]) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t all, none;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return result;
    }
    sigfillset(&all);
    sigemptyset(&none);
    result = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    /* Nothing of the node's but its output: a descriptor without close-on-exec (a listening
     * socket, say) would otherwise live on in the child and keep its port. */
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (result == 0) result = posix_spawnattr_setsigdefault(&attributes, &all);
    if (result == 0) result = posix_spawnattr_setsigmask(&attributes, &none);
    if (result == 0) {
        result = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    }
    if (result == 0) result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result;
}
