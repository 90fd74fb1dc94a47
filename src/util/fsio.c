/* fsio.c: see fsio.h. */
#include "util/fsio.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int iom_open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    int flags;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int keep = fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) ? EINVAL : errno;
        close(fd);
        errno = keep;
        return -1;
    }
    return fd;
}
