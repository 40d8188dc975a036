/* SPDX-License-Identifier: MIT */
/* folder.c: serving a published folder instead of the database (convene serve --dir). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_int.h"

#include "banned.h"

#define FILE_MAX (64u * 1024 * 1024)

/* @return ".ics" or ".html" when @name is a file of ours ([a-z0-9][a-z0-9.-]*), else NULL */
static const char *our_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || (strcmp(dot, ".ics") != 0 && strcmp(dot, ".html") != 0) || dot == name)
        return NULL;
    for (const char *p = name; p < dot; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              (*p == '.' && p > name)))
            return NULL;
    }
    return dot;
}

/* Reads @name in @dirfd, never through a link. @return 0, 1 (not a regular file) or < 0. */
static int read_at(int dirfd, const char *name, struct cv_buf *b, int64_t *mtime)
{
    struct stat sb;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int rc = 0;
    if (fd < 0)
        return errno == ELOOP ? 1 : CV_EIO;
    if (fstat(fd, &sb) < 0) {
        close(fd);
        return CV_EIO;
    }
    if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size > FILE_MAX) {
        close(fd);
        return 1;
    }
    *mtime = (int64_t)sb.st_mtim.tv_sec;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = CV_EIO;
            break;
        }
        if (n == 0)
            break;
        if ((rc = cv_buf_add(b, chunk, (size_t)n)) < 0)
            break;
    }
    close(fd);
    return rc;
}

static int load(int dirfd, const char *dir, bool priv, struct cv_site *out, struct cv_error *err)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *de;
    struct cv_buf b;
    int rc = 0;

    if (!d) {
        if (fd >= 0)
            close(fd);
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "cannot list the folder: %s", strerror(errno));
    }
    cv_buf_init(&b, FILE_MAX);
    while (rc == 0 && (de = readdir(d))) {
        const char *ext = our_ext(de->d_name);
        char path[512];
        int64_t mtime = 0;
        size_t hl = ext ? (size_t)(ext - de->d_name) : 0;
        if (!ext || (priv && hl != CV_SHA256_HEX_SIZE - 1))
            continue;
        cv_buf_reset(&b);
        int r = read_at(dirfd, de->d_name, &b, &mtime);
        if (r == 1)
            continue;
        if (r < 0) {
            cv_error_at(err, dir, 0);
            rc = cv_error_set(err, r, "cannot read %s", de->d_name);
            break;
        }
        snprintf(path, sizeof(path), "%s%s", priv ? "private/" : "", de->d_name);
        bool html = strcmp(ext, ".html") == 0;
        char *data = b.buf;
        size_t len = b.len;
        char *filled = NULL;
        if (priv && html) {
            /* A published person's page links their feed by the hash of the token; served,
             * it links it by the token of the request. */
            char hash[CV_SHA256_HEX_SIZE];
            struct cv_buf t;
            memcpy(hash, de->d_name, hl);
            hash[hl] = '\0';
            cv_buf_init(&t, CV_BUF_NOLIMIT);
            if (cv_buf_add_replaced(&t, b.buf, b.len, hash, CV_FEED_TOKEN_MARKER) < 0)
                rc = CV_ENOMEM;
            len = t.len;
            data = filled = cv_buf_detach(&t);
            if (!filled)
                rc = CV_ENOMEM;
        }
        if (rc == 0 && (rc = cv_site_add(out, path, data, len, html ? TYPE_HTML : TYPE_CALENDAR,
                                         priv, priv && html)) == 0)
            out->v[out->n - 1].modified = mtime;
        free(filled);
        if (rc < 0)
            cv_error_set(err, rc, "out of memory");
    }
    closedir(d);
    cv_buf_release(&b);
    return rc;
}

int http_site_load_dir(const char *dir, struct cv_site *out, struct cv_error *err)
{
    int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;
    if (top < 0) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, errno == ENOENT ? CV_ENOTFOUND : CV_EIO,
                            "cannot open the folder: %s; give the folder convene publish wrote",
                            strerror(errno));
    }
    rc = load(top, dir, false, out, err);
    int priv = openat(top, "private", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (rc == 0 && priv >= 0)
        rc = load(priv, dir, true, out, err);
    if (priv >= 0)
        close(priv);
    close(top);
    return rc;
}
