/* SPDX-License-Identifier: MIT */
/* file.c: reading a whole input file under a size limit. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <convene/util.h>

#include "banned.h"

int cv_file_read(const char *path, size_t max, struct cv_buf *out, struct cv_error *err)
{
    struct stat sb;
    char chunk[65536];
    size_t start = out->len;
    int rc = 0;

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cv_error_at(err, path, 0);
        if (errno == ENOENT)
            return cv_error_set(err, CV_ENOTFOUND, "no such file; check the path");
        return cv_error_set(err, CV_EIO, "cannot open: %s", strerror(errno));
    }
    if (fstat(fd, &sb) < 0) {
        rc = cv_error_set(err, CV_EIO, "cannot read: %s", strerror(errno));
        cv_error_at(err, path, 0);
        goto out;
    }
    if (S_ISDIR(sb.st_mode)) {
        rc = cv_error_set(err, CV_EIO, "cannot read: is a directory");
        cv_error_at(err, path, 0);
        goto out;
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max) {
        rc = cv_error_set(err, CV_ELIMIT,
                          "the file is %jd bytes, over the %zu-byte limit; split it or raise "
                          "the limit",
                          (intmax_t)sb.st_size, max);
        cv_error_at(err, path, 0);
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = cv_error_set(err, CV_EIO, "cannot read: %s", strerror(errno));
            cv_error_at(err, path, 0);
            goto out;
        }
        if (r == 0)
            break;
        if (out->len - start + (size_t)r > max) {
            rc = cv_error_set(err, CV_ELIMIT,
                              "the input is over the %zu-byte limit; split it or raise the "
                              "limit",
                              max);
            cv_error_at(err, path, 0);
            goto out;
        }
        rc = cv_buf_add(out, chunk, (size_t)r);
        if (rc < 0) {
            cv_error_set(err, rc, "cannot hold the file in memory");
            cv_error_at(err, path, 0);
            goto out;
        }
    }
out:
    if (rc < 0) {
        out->len = start;
        if (out->alloc)
            out->buf[start] = '\0';
    }
    close(fd);
    return rc;
}
