/* SPDX-License-Identifier: MIT */
/* publish.c: writing feeds to a folder: atomic, only when the bytes change, never through a
 * symbolic link, never outside the folder (RELIABILITY.md D8, I5). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <convene/feed.h>

#include "banned.h"

char *cv_feed_fill_token(const char *data, size_t len, const char *with, size_t *outlen)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    if (cv_buf_add_replaced(&b, data, len, CV_FEED_TOKEN_MARKER, with) < 0) {
        cv_buf_release(&b);
        return NULL;
    }
    *outlen = b.len;
    return cv_buf_detach(&b);
}

void cv_publish_report_init(struct cv_publish_report *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_publish_report_release(struct cv_publish_report *r)
{
    for (size_t i = 0; i < r->nwritten; i++)
        free(r->written[i]);
    for (size_t i = 0; i < r->nremoved; i++)
        free(r->removed[i]);
    free(r->written);
    free(r->removed);
    cv_publish_report_init(r);
}

static int note(char ***list, size_t *n, size_t *alloc, const char *path)
{
    int rc = cv_grow(list, alloc, *n + 1, sizeof(char *));
    if (rc < 0)
        return rc;
    if (!((*list)[*n] = strdup(path)))
        return CV_ENOMEM;
    (*n)++;
    return 0;
}

static int io_error(struct cv_error *err, const char *dir, const char *path, const char *what)
{
    char where[4096];
    int e = errno;
    snprintf(where, sizeof(where), "%s/%s", dir, path);
    cv_error_at(err, where, 0);
    return cv_error_set(err, CV_EIO, "cannot %s: %s", what, strerror(e));
}

/* A name this module writes: [a-z0-9-]+.ics, [a-z0-9-]+.json. */
static bool is_our_name(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n <= e || strcmp(name + n - e, ext) != 0)
        return false;
    for (size_t i = 0; i < n - e; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* Opens (creating) the subfolder @name of @dirfd without following a link. */
static int open_subdir(int dirfd, const char *name)
{
    if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* @return 1 when @name in @dirfd holds exactly @len bytes at @data, 0 otherwise. */
static int same_bytes(int dirfd, const char *name, const char *data, size_t len)
{
    struct stat sb;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int same = 0;
    if (fd < 0)
        return 0;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len) {
        char buf[65536];
        size_t off = 0;
        same = 1;
        while (off < len) {
            ssize_t r = read(fd, buf, sizeof(buf));
            if (r <= 0 || memcmp(buf, data + off, (size_t)r) != 0) {
                same = 0;
                break;
            }
            off += (size_t)r;
        }
    }
    close(fd);
    return same;
}

/* Writes @name in @dirfd through a temporary file, fsync and rename. */
static int write_atomic(int dirfd, const char *dir, const char *name, const char *data, size_t len,
                        struct cv_error *err)
{
    char tmp[256];
    unsigned char rnd[8];
    char hex[17];

    if (cv_random_bytes(rnd, sizeof(rnd)) < 0)
        return cv_error_set(err, CV_EIO, "the system's random source failed");
    cv_hex(rnd, sizeof(rnd), hex);
    snprintf(tmp, sizeof(tmp), ".%s.%s.tmp", name, hex);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_error(err, dir, name, "create a temporary file");
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int rc = io_error(err, dir, name, "write");
            close(fd);
            unlinkat(dirfd, tmp, 0);
            return rc;
        }
        off += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        int rc = io_error(err, dir, name, "sync");
        unlinkat(dirfd, tmp, 0);
        return rc;
    }
    /* rename replaces a link planted at @name without following it. */
    if (renameat(dirfd, tmp, dirfd, name) < 0) {
        int rc = io_error(err, dir, name, "rename into place");
        unlinkat(dirfd, tmp, 0);
        return rc;
    }
    return 0;
}

/* Appends @s as a JSON string. */
static int json_str(struct cv_buf *b, const char *s)
{
    int rc = cv_buf_addch(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++) {
        if (*p == '"' || *p == '\\')
            rc = cv_buf_addf(b, "\\%c", *p);
        else if (*p < 0x20)
            rc = cv_buf_addf(b, "\\u%04x", *p);
        else
            rc = cv_buf_addch(b, (char)*p);
    }
    return rc == 0 ? cv_buf_addch(b, '"') : rc;
}

static int index_json(const struct cv_feed_set *set, struct cv_buf *b)
{
    static const char *const kinds[] = {"programme", "region", "event", "private"};
    int rc = cv_buf_addstr(b, "{\n  \"generator\": \"convene\",\n  \"feeds\": [\n");
    size_t last = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (set->v[i].kind != CV_FEED_PERSON)
            last = i;
    }
    /* Public feeds only: the name of a private file is as good as its address to a static
     * server, so the index never lists one. */
    for (size_t i = 0; rc == 0 && i < set->n; i++) {
        const struct cv_feed_file *f = &set->v[i];
        if (f->kind == CV_FEED_PERSON)
            continue;
        rc = cv_buf_addstr(b, "    {\"path\": ");
        if (rc == 0)
            rc = json_str(b, f->path);
        if (rc == 0)
            rc = cv_buf_addf(b, ", \"kind\": \"%s\", \"lang\": \"%s\", \"etag\": ", kinds[f->kind],
                             f->lang);
        if (rc == 0)
            rc = json_str(b, f->etag);
        if (rc == 0)
            rc = cv_buf_addf(b, ", \"bytes\": %zu, \"components\": %zu", f->len, f->events);
        if (rc == 0 && f->title) {
            rc = cv_buf_addstr(b, ", \"title\": ");
            if (rc == 0)
                rc = json_str(b, f->title);
        }
        if (rc == 0)
            rc = cv_buf_addstr(b, i < last ? "},\n" : "}\n");
    }
    return rc == 0 ? cv_buf_addstr(b, "  ]\n}\n") : rc;
}

/* Removes the files of ours ending in @ext in @dirfd that are not in @keep. */
static int prune(int dirfd, const char *dir, const char *prefix, const char *ext,
                 const struct cv_strset *keep, struct cv_publish_report *r, struct cv_error *err)
{
    char path[512];
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    int rc = 0;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return io_error(err, dir, prefix, "list");
    }
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        if (!is_our_name(de->d_name, ext))
            continue;
        snprintf(path, sizeof(path), "%s%s", prefix, de->d_name);
        if (cv_strset_has(keep, path))
            continue;
        if (unlinkat(dirfd, de->d_name, 0) < 0)
            rc = io_error(err, dir, path, "remove");
        else
            rc = note(&r->removed, &r->nremoved, &r->alloc_r, path);
    }
    closedir(d);
    return rc;
}

/* Writes @files into the open folder @top (and its private/ @priv), then prunes. */
static int publish_into(int top, int priv, const char *dir, const struct cv_publish_file *files,
                        size_t n, const char *ext, struct cv_publish_report *report,
                        struct cv_error *err)
{
    struct cv_strset keep;
    int rc = 0;

    cv_strset_init(&keep);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct cv_publish_file *f = &files[i];
        bool is_private = strncmp(f->path, "private/", 8) == 0;
        const char *name = is_private ? f->path + 8 : f->path;
        if (!is_our_name(name, ext)) {
            rc = cv_error_set(err, CV_EINVAL, "refusing the file name '%s'", f->path);
            break;
        }
        if ((rc = cv_strset_add(&keep, f->path)) < 0) {
            cv_error_set(err, rc, "out of memory");
            break;
        }
        rc = 0;
        int fd = is_private ? priv : top;
        if (same_bytes(fd, name, f->data, f->len)) {
            report->unchanged++;
            continue;
        }
        rc = write_atomic(fd, dir, name, f->data, f->len, err);
        if (rc == 0)
            rc = note(&report->written, &report->nwritten, &report->alloc_w, f->path);
    }
    if (rc == 0)
        rc = prune(top, dir, "", ext, &keep, report, err);
    if (rc == 0)
        rc = prune(priv, dir, "private/", ext, &keep, report, err);
    cv_strset_release(&keep);
    return rc;
}

/* Opens @dir (created when missing) and its private/ without following a link there. */
static int open_folder(const char *dir, int *top, int *priv, struct cv_error *err)
{
    *top = *priv = -1;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "cannot create the folder: %s", strerror(errno));
    }
    *top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*top < 0) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "cannot open the folder: %s", strerror(errno));
    }
    *priv = open_subdir(*top, "private");
    if (*priv < 0)
        return io_error(err, dir, "private", "open (a link or not a folder?)");
    return 0;
}

static void close_folder(int top, int priv)
{
    if (priv >= 0)
        close(priv);
    if (top >= 0)
        close(top);
}

int cv_publish_files(const struct cv_publish_file *files, size_t n, const char *dir,
                     const char *ext, struct cv_publish_report *report, struct cv_error *err)
{
    int top, priv;
    int rc = open_folder(dir, &top, &priv, err);
    if (rc == 0)
        rc = publish_into(top, priv, dir, files, n, ext, report, err);
    if (rc == 0 && (fsync(priv) < 0 || fsync(top) < 0))
        rc = io_error(err, dir, "", "sync the folder");
    close_folder(top, priv);
    return rc;
}

int cv_feed_publish(const struct cv_feed_set *set, const char *dir,
                    struct cv_publish_report *report, struct cv_error *err)
{
    struct cv_buf idx;
    struct cv_publish_file *files = calloc(set->n + 1, sizeof(*files));
    int top = -1, priv = -1, rc = 0;

    cv_buf_init(&idx, CV_BUF_NOLIMIT);
    if (!files)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    for (size_t i = 0; i < set->n; i++)
        files[i] = (struct cv_publish_file){set->v[i].path, set->v[i].data, set->v[i].len};
    if ((rc = open_folder(dir, &top, &priv, err)) < 0)
        goto out;
    rc = publish_into(top, priv, dir, files, set->n, ".ics", report, err);
    if (rc == 0 && (rc = index_json(set, &idx)) < 0)
        cv_error_set(err, rc, "out of memory");
    if (rc == 0 && !same_bytes(top, "index.json", idx.buf, idx.len)) {
        rc = write_atomic(top, dir, "index.json", idx.buf, idx.len, err);
        if (rc == 0)
            rc = note(&report->written, &report->nwritten, &report->alloc_w, "index.json");
    }
    if (rc == 0 && (fsync(priv) < 0 || fsync(top) < 0))
        rc = io_error(err, dir, "", "sync the folder");
out:
    close_folder(top, priv);
    cv_buf_release(&idx);
    free(files);
    return rc;
}
