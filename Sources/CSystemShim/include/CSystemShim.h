#ifndef CSYSTEMSHIM_H
#define CSYSTEMSHIM_H

/* What Swift cannot import from the C library: function-like macros (CMSG_*, _IOW()
 * expressions), variadic functions (ioctl), and declarations glibc hides behind _GNU_SOURCE
 * (setns). Everything here is prefixed with the module name; SystemCalls is its only user. */

#include <stddef.h>
#include <sys/socket.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/types.h>

/* CMSG_FIRSTHDR, CMSG_NXTHDR, CMSG_DATA, CMSG_SPACE and CMSG_LEN (cmsg(3)): the control
 * message layout and alignment are the C library's, whatever the word size. */
struct cmsghdr *CSystemShim_CMSG_FIRSTHDR(const struct msghdr *message);
struct cmsghdr *CSystemShim_CMSG_NXTHDR(const struct msghdr *message, const struct cmsghdr *header);
const void *CSystemShim_CMSG_DATA(const struct cmsghdr *header);
size_t CSystemShim_CMSG_SPACE(size_t payloadLength);
size_t CSystemShim_CMSG_LEN(size_t payloadLength);

/* setns(2) with CLONE_NEWNET: moves the calling thread into a network namespace. */
int CSystemShim_setns_network(int fd);

/* ioctl(2) with a struct ifreq argument, and the TUNSETIFF request (<linux/if_tun.h>). */
int CSystemShim_ioctl_ifreq(int fd, unsigned long request, struct ifreq *argument);
extern const unsigned long CSystemShim_TUNSETIFF;

/* fcntl(2) with an int argument (F_GETFL, F_SETFL). */
int CSystemShim_fcntl_int(int fd, int command, int argument);

/* posix_spawn(3) of a supervised child: in a session of its own (so a terminal's signals reach
 * only its supervisor), with default signal dispositions and an empty mask, standard input
 * from /dev/null, and no descriptor above standard error. Returns 0 and sets `pid`, or an errno
 * value. */
int CSystemShim_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[]);

#endif
