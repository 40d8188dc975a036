/* SPDX-License-Identifier: MIT */
/* powercut.c: an LD_PRELOAD shim that turns SIGKILL into a power cut for the files whose path
 * contains $POWERCUT_MATCH (the database and its WAL; not the -shm index, which SQLite rebuilds):
 * their writes stay in this process's memory until an fsync or fdatasync of that file (through
 * any descriptor), as they would stay in a disk's volatile cache, so a killed process loses
 * exactly what was never synced (RELIABILITY.md D2, after SQLite's test6.c crash VFS). Reads and
 * sizes see the unsynced writes, like the page cache. A normal exit writes them (the cut comes
 * later, or never).
 *
 *   POWERCUT_MATCH=name.db [POWERCUT_NORMAL=1]
 *
 * POWERCUT_NORMAL=1 ignores the syncs made through read-only descriptors (convene's deferred
 * syncs, store/sync.c): what synchronous=NORMAL would give (RELIABILITY.md D3). */
/* open and open64 both defined here: no redirection of one to the other. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define MAX_FD    1024
#define MAX_FILES 8

struct pending {
    off_t off;
    size_t len;
    char *data;
};

struct file {
    char path[4096];
    struct pending *v;
    size_t n, alloc;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct file files[MAX_FILES];
static int nfiles;
static signed char fd_file[MAX_FD]; /* index into files + 1, 0 when not tracked */
static char fd_rdonly[MAX_FD];

static struct file *file_of(int fd)
{
    return fd >= 0 && fd < MAX_FD && fd_file[fd] ? &files[fd_file[fd] - 1] : NULL;
}

static int track(int fd, const char *path, int flags)
{
    const char *match = getenv("POWERCUT_MATCH");
    size_t len = path ? strlen(path) : 0;
    if (fd < 0 || fd >= MAX_FD)
        return fd;
    fd_file[fd] = 0;
    if (!match || !*match || !path || !strstr(path, match) || len >= sizeof(files[0].path) ||
        (len > 4 && strcmp(path + len - 4, "-shm") == 0))
        return fd;
    pthread_mutex_lock(&mu);
    int i = 0;
    while (i < nfiles && strcmp(files[i].path, path) != 0)
        i++;
    if (i == nfiles && nfiles < MAX_FILES)
        memcpy(files[nfiles++].path, path, len + 1);
    if (i < nfiles) {
        fd_file[fd] = (signed char)(i + 1);
        fd_rdonly[fd] = (flags & O_ACCMODE) == O_RDONLY;
    }
    pthread_mutex_unlock(&mu);
    return fd;
}

/* Writes @f's pending writes to disk and syncs them. Called with mu held. */
static int flush(struct file *f)
{
    NEXT(pwrite64);
    NEXT(fdatasync);
    NEXT(open);
    NEXT(close);
    if (!f->n)
        return 0;
    int fd = real_open(f->path, O_WRONLY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < f->n; i++) {
        if (real_pwrite64(fd, f->v[i].data, f->v[i].len, f->v[i].off) != (ssize_t)f->v[i].len)
            rc = -1;
    }
    if (rc == 0)
        rc = real_fdatasync(fd);
    if (fd >= 0)
        real_close(fd);
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].data);
    f->n = 0;
    return rc;
}

__attribute__((destructor)) static void at_exit(void)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < nfiles; i++)
        flush(&files[i]);
    pthread_mutex_unlock(&mu);
}

/* The end of @f's data: the file on disk or its furthest pending write. Called with mu held. */
static off_t pending_end(const struct file *f, off_t size)
{
    for (size_t i = 0; i < f->n; i++) {
        if (f->v[i].off + (off_t)f->v[i].len > size)
            size = f->v[i].off + (off_t)f->v[i].len;
    }
    return size;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    NEXT(open);
    return track(real_open(path, flags, mode), path, flags);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    NEXT(open64);
    return track(real_open64(path, flags, mode), path, flags);
}

int close(int fd)
{
    NEXT(close);
    if (fd >= 0 && fd < MAX_FD)
        fd_file[fd] = 0;
    return real_close(fd);
}

static ssize_t keep(struct file *f, const void *buf, size_t n, off_t off)
{
    char *copy = malloc(n ? n : 1);
    if (!copy)
        return -1;
    memcpy(copy, buf, n);
    pthread_mutex_lock(&mu);
    if (f->n == f->alloc) {
        size_t a = f->alloc ? 2 * f->alloc : 64;
        struct pending *v = realloc(f->v, a * sizeof(*v));
        if (!v) {
            pthread_mutex_unlock(&mu);
            free(copy);
            return -1;
        }
        f->v = v;
        f->alloc = a;
    }
    f->v[f->n++] = (struct pending){off, n, copy};
    pthread_mutex_unlock(&mu);
    return (ssize_t)n;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    NEXT(pwrite64);
    struct file *f = file_of(fd);
    return f ? keep(f, buf, n, off) : real_pwrite64(fd, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return pwrite64(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
    NEXT(pread64);
    struct file *f = file_of(fd);
    ssize_t got = real_pread64(fd, buf, n, off);
    if (!f || got < 0)
        return got;
    memset((char *)buf + got, 0, n - (size_t)got);
    pthread_mutex_lock(&mu);
    off_t end = off + got;
    for (size_t i = 0; i < f->n; i++) {
        const struct pending *p = &f->v[i];
        off_t a = p->off > off ? p->off : off;
        off_t b = p->off + (off_t)p->len < off + (off_t)n ? p->off + (off_t)p->len : off + (off_t)n;
        if (a < b) {
            memcpy((char *)buf + (a - off), p->data + (a - p->off), (size_t)(b - a));
            if (b > end)
                end = b;
        }
    }
    pthread_mutex_unlock(&mu);
    return end - off;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    return pread64(fd, buf, n, off);
}

int fstat64(int fd, struct stat64 *st)
{
    NEXT(fstat64);
    struct file *f = file_of(fd);
    int rc = real_fstat64(fd, st);
    if (rc == 0 && f) {
        pthread_mutex_lock(&mu);
        st->st_size = pending_end(f, st->st_size);
        pthread_mutex_unlock(&mu);
    }
    return rc;
}

int fstat(int fd, struct stat *st)
{
    NEXT(fstat);
    struct file *f = file_of(fd);
    int rc = real_fstat(fd, st);
    if (rc == 0 && f) {
        pthread_mutex_lock(&mu);
        st->st_size = pending_end(f, st->st_size);
        pthread_mutex_unlock(&mu);
    }
    return rc;
}

/* A truncation is metadata: it happens at once; pending writes past it are cut. */
int ftruncate64(int fd, off64_t len)
{
    NEXT(ftruncate64);
    struct file *f = file_of(fd);
    if (f) {
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < f->n; i++) {
            if (f->v[i].off >= len)
                f->v[i].len = 0;
            else if (f->v[i].off + (off_t)f->v[i].len > len)
                f->v[i].len = (size_t)(len - f->v[i].off);
        }
        pthread_mutex_unlock(&mu);
    }
    return real_ftruncate64(fd, len);
}

int ftruncate(int fd, off_t len)
{
    return ftruncate64(fd, len);
}

static int sync_file(int fd)
{
    struct file *f = file_of(fd);
    const char *normal = getenv("POWERCUT_NORMAL");
    const char *slow = getenv("POWERCUT_SYNC_MS");
    if (!f)
        return 1;
    if (normal && *normal == '1' && fd_rdonly[fd])
        return 0; /* synchronous=NORMAL: only SQLite's own syncs (checkpoints) */
    if (slow && *slow) {
        /* A slow disk: a sender that does not wait for its sync gets ahead of it, and a cut
         * then finds several delivered messages unmarked. */
        long ms = strtol(slow, NULL, 10);
        struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
        while (nanosleep(&d, &d) < 0 && errno == EINTR) {
        }
    }
    pthread_mutex_lock(&mu);
    int rc = flush(f);
    pthread_mutex_unlock(&mu);
    return rc;
}

int fdatasync(int fd)
{
    NEXT(fdatasync);
    int rc = sync_file(fd);
    return rc == 1 ? real_fdatasync(fd) : rc;
}

int fsync(int fd)
{
    NEXT(fsync);
    int rc = sync_file(fd);
    return rc == 1 ? real_fsync(fd) : rc;
}
