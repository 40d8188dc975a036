/* SPDX-License-Identifier: MIT */
/* iofail.c: an LD_PRELOAD shim that fails the k-th write, sync or truncate of the files whose
 * path contains $IOFAIL_MATCH (the database, its WAL and -shm) with EIO, once or from then on
 * (RELIABILITY.md D4, after SQLite's own I/O-error loop). It sits below SQLite and convene, so
 * the binaries under test are the shipped ones.
 *
 *   IOFAIL_MATCH=name.db IOFAIL_AT=k [IOFAIL_MODE=once|always] [IOFAIL_COUNT=file]
 *
 * IOFAIL_COUNT names a file that receives, at exit, how many such operations the process made
 * (a run without IOFAIL_AT tells the test how far k must go). */
/* open and open64 both defined here: no redirection of one to the other. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.h"

#define MAX_FD 1024

static char tracked[MAX_FD];
static long ops, fail_at = -1;
static int always;
static const char *match;

static void init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    match = getenv("IOFAIL_MATCH");
    const char *at = getenv("IOFAIL_AT");
    if (at && *at)
        fail_at = strtol(at, NULL, 10);
    const char *mode = getenv("IOFAIL_MODE");
    always = mode && strcmp(mode, "always") == 0;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("IOFAIL_COUNT");
    if (!path)
        return;
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%ld\n", __atomic_load_n(&ops, __ATOMIC_SEQ_CST));
        fclose(f);
    }
}

/* One more operation on a tracked file: @return whether it must fail. */
static int injected(int fd)
{
    init();
    if (fd < 0 || fd >= MAX_FD || !tracked[fd])
        return 0;
    /* Counted from any thread (libcurl resolves names in one). */
    long n = __atomic_add_fetch(&ops, 1, __ATOMIC_SEQ_CST);
    if (fail_at > 0 && (n == fail_at || (always && n > fail_at))) {
        errno = EIO;
        return 1;
    }
    return 0;
}

static int track(int fd, const char *path)
{
    init();
    if (fd >= 0 && fd < MAX_FD)
        tracked[fd] = match && *match && path && strstr(path, match) != NULL;
    return fd;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    NEXT(open);
    return track(real_open(path, flags, mode), path);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    NEXT(open64);
    return track(real_open64(path, flags, mode), path);
}

int openat(int dir, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    NEXT(openat);
    return track(real_openat(dir, path, flags, mode), path);
}

int close(int fd)
{
    if (fd >= 0 && fd < MAX_FD)
        tracked[fd] = 0;
    NEXT(close);
    return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    NEXT(write);
    return injected(fd) ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    NEXT(pwrite);
    return injected(fd) ? -1 : real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    NEXT(pwrite64);
    return injected(fd) ? -1 : real_pwrite64(fd, buf, n, off);
}

int fsync(int fd)
{
    NEXT(fsync);
    return injected(fd) ? -1 : real_fsync(fd);
}

int fdatasync(int fd)
{
    NEXT(fdatasync);
    return injected(fd) ? -1 : real_fdatasync(fd);
}

int ftruncate(int fd, off_t len)
{
    NEXT(ftruncate);
    return injected(fd) ? -1 : real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
    NEXT(ftruncate64);
    return injected(fd) ? -1 : real_ftruncate64(fd, len);
}
