/* SPDX-License-Identifier: MIT */
/* transport.c: where messages go: an SMTP server, or a folder of .eml files (the default, and
 * what `convene demo` uses). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_int.h"

#include "banned.h"

struct cv_transport {
    char *dir;            /* a folder, or */
    struct cv_smtp *smtp; /* a server */
};

int cv_transport_file_new(const char *dir, struct cv_transport **ret, struct cv_error *err)
{
    struct cv_transport *t;
    *ret = NULL;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "cannot create the mail folder: %s", strerror(errno));
    }
    struct stat sb;
    if (lstat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "not a folder");
    }
    t = calloc(1, sizeof(*t));
    if (!t || !(t->dir = strdup(dir))) {
        free(t);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    *ret = t;
    return 0;
}

int cv_transport_smtp_new(const struct cv_smtp_options *o, struct cv_transport **ret,
                          struct cv_error *err)
{
    struct cv_transport *t = calloc(1, sizeof(*t));
    *ret = NULL;
    if (!t)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    int rc = cv_smtp_new(o, &t->smtp, err);
    if (rc < 0) {
        free(t);
        return rc;
    }
    *ret = t;
    return 0;
}

void cv_transport_free(struct cv_transport *t)
{
    if (!t)
        return;
    cv_smtp_free(t->smtp);
    free(t->dir);
    free(t);
}

long cv_transport_connections(const struct cv_transport *t)
{
    return t->smtp ? cv_smtp_connections(t->smtp) : 0;
}

/* Writes all of @len bytes to @fd. */
static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* MESSAGE-ID.eml: the ID without its angle brackets, other characters than [A-Za-z0-9.-]
 * turned into '_', so that the name stays inside the folder. */
static int file_send(struct cv_transport *t, const char *message_id, const char *data, size_t len,
                     struct cv_smtp_result *res, struct cv_error *err)
{
    char name[300], path[4096], tmp[4200];
    size_t j = 0;
    for (const char *p = message_id; *p && j + 5 < sizeof(name); p++) {
        if (*p == '<' || *p == '>')
            continue;
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || (*p == '.' && j > 0);
        name[j++] = ok ? *p : '_';
    }
    name[j] = '\0';
    if (!j)
        return cv_error_set(err, CV_EINVAL, "a message without a Message-ID");
    snprintf(path, sizeof(path), "%s/%s.eml", t->dir, name);
    snprintf(tmp, sizeof(tmp), "%s/.%s.eml.tmp", t->dir, name);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        cv_error_at(err, tmp, 0);
        return cv_error_set(err, CV_EIO, "cannot write the message: %s", strerror(e));
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        cv_error_at(err, path, 0);
        return cv_error_set(err, CV_EIO, "cannot write the message: %s", strerror(e));
    }
    int dfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    res->outcome = CV_SMTP_SENT;
    snprintf(res->reply, sizeof(res->reply), "written to %.480s", path);
    return 0;
}

int mail_transport_send(struct cv_transport *t, const char *message_id, const char *from,
                        const char *to, const char *data, size_t len, struct cv_smtp_result *res,
                        struct cv_error *err)
{
    memset(res, 0, sizeof(*res));
    if (t->smtp)
        return cv_smtp_send(t->smtp, from, to, data, len, res, err);
    if (!cv_email_is_valid(from) || !cv_email_is_valid(to))
        return cv_error_set(err, CV_EINVAL, "'%.80s' is not a plain address",
                            cv_email_is_valid(from) ? to : from);
    return file_send(t, message_id, data, len, res, err);
}
