/* SPDX-License-Identifier: MIT */
/* escape.c: HTML escaping, the set of pages, and writing them beside the feeds. */
#include <stdlib.h>
#include <string.h>

#include <convene/html.h>

#include "banned.h"

/* @return the length of the well-formed UTF-8 sequence at @s (of @n bytes), or 0 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xe0) == 0xc0 ? 2
                 : (s[0] & 0xf0) == 0xe0 ? 3
                 : (s[0] & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (len == 0 || len > n || !cv_utf8_is_valid((const char *)s, len))
        return 0;
    return len;
}

int cv_html_escape(struct cv_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    int rc = 0;
    while (rc == 0 && *p) {
        const char *ref = NULL;
        switch (*p) {
        case '&':
            ref = "&amp;";
            break;
        case '<':
            ref = "&lt;";
            break;
        case '>':
            ref = "&gt;";
            break;
        case '"':
            ref = "&quot;";
            break;
        case '\'':
            ref = "&#39;";
            break;
        case '@':
            ref = "&#64;";
            break;
        default:
            break;
        }
        if (ref) {
            rc = cv_buf_addstr(out, ref);
            p++;
            n--;
            continue;
        }
        if (*p < 0x20 || *p == 0x7f) {
            if (*p == '\t' || *p == '\n')
                rc = cv_buf_addch(out, (char)*p);
            p++;
            n--;
            continue;
        }
        size_t len = utf8_len(p, n);
        if (len == 0) {
            rc = cv_buf_addstr(out, "\xef\xbf\xbd");
            len = 1;
        } else {
            rc = cv_buf_add(out, p, len);
        }
        p += len;
        n -= len;
    }
    return rc;
}

void cv_page_set_init(struct cv_page_set *s)
{
    memset(s, 0, sizeof(*s));
}

void cv_page_set_release(struct cv_page_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].data);
    }
    free(s->v);
    cv_page_set_init(s);
}

const struct cv_page *cv_page_set_find(const struct cv_page_set *s, const char *path)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i].path, path) == 0)
            return &s->v[i];
    }
    return NULL;
}

int cv_html_publish(const struct cv_page_set *pages, const char *dir,
                    struct cv_publish_report *report, struct cv_error *err)
{
    struct cv_publish_file *files = calloc(pages->n + 1, sizeof(*files));
    char **owned = calloc(pages->n + 1, sizeof(*owned));
    int rc = 0;

    if (!files || !owned) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < pages->n; i++) {
        const struct cv_page *pg = &pages->v[i];
        files[i] = (struct cv_publish_file){pg->path, pg->data, pg->len};
        if (!pg->is_private)
            continue;
        /* A published folder names a private file by the hash of its token; so do its links. */
        char hash[CV_SHA256_HEX_SIZE];
        const char *name = pg->path + strlen("private/");
        size_t hl = strcspn(name, ".");
        if (hl != CV_SHA256_HEX_SIZE - 1) {
            rc = cv_error_set(err, CV_EINVAL, "refusing the file name '%s'", pg->path);
            goto out;
        }
        memcpy(hash, name, hl);
        hash[hl] = '\0';
        if (!(owned[i] = cv_feed_fill_token(pg->data, pg->len, hash, &files[i].len))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        files[i].data = owned[i];
    }
    rc = cv_publish_files(files, pages->n, dir, ".html", report, err);
out:
    for (size_t i = 0; owned && i < pages->n; i++)
        free(owned[i]);
    free(owned);
    free(files);
    return rc;
}
