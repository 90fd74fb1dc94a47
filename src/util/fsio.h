/*
 * fsio.h: opening a local file a user names, for reading.
 *
 * iom_open_regular opens path read-only without blocking on a FIFO (O_NONBLOCK at the open,
 * cleared once the file is known to be regular: review 47 saw every reader that refused
 * non-regular files hang forever on a FIFO, because open(2) waits for a writer before the
 * check could run). Returns the descriptor (the caller closes it), or -1 with errno set:
 * EINVAL when path is not a regular file (a FIFO, a device, a directory), else open's errno.
 */
#ifndef IOM_UTIL_FSIO_H
#define IOM_UTIL_FSIO_H

int iom_open_regular(const char *path);

#endif
