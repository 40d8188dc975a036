/* SPDX-License-Identifier: MIT */
/* buf.c: struct cv_buf, the capped growable string, and array growth. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/util.h>

#include "banned.h"

/* Every empty buffer points here, so buf is never NULL and always NUL-terminated. */
static char empty_buf[1];

void cv_buf_init(struct cv_buf *b, size_t max)
{
    b->buf = empty_buf;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
}

void cv_buf_release(struct cv_buf *b)
{
    if (b->alloc)
        free(b->buf);
    cv_buf_init(b, b->max);
}

void cv_buf_reset(struct cv_buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->buf[0] = '\0';
}

/* Makes room for @extra more bytes plus the NUL. */
static int reserve(struct cv_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return CV_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need) {
        if (n > ((size_t)-1) / 2) {
            n = need;
            break;
        }
        n *= 2;
    }
    char *p = b->alloc ? realloc(b->buf, n) : malloc(n);
    if (!p)
        return CV_ENOMEM;
    if (!b->alloc)
        p[0] = '\0';
    b->buf = p;
    b->alloc = n;
    return 0;
}

int cv_buf_add(struct cv_buf *b, const void *data, size_t len)
{
    int rc = reserve(b, len);
    if (rc < 0)
        return rc;
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return 0;
}

int cv_buf_addstr(struct cv_buf *b, const char *s)
{
    return cv_buf_add(b, s, strlen(s));
}

int cv_buf_addch(struct cv_buf *b, char c)
{
    return cv_buf_add(b, &c, 1);
}

int cv_buf_addf(struct cv_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return CV_EINVAL;
    if ((size_t)n < sizeof(small))
        return cv_buf_add(b, small, (size_t)n);

    int rc = reserve(b, (size_t)n);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    n = vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->buf[b->len] = '\0';
        return CV_EINVAL;
    }
    b->len += (size_t)n;
    return 0;
}

int cv_buf_add_replaced(struct cv_buf *b, const char *data, size_t len, const char *from,
                        const char *to)
{
    const char *p = data, *m;
    size_t fl = strlen(from);
    int rc = 0;
    while (rc == 0 && (m = strstr(p, from))) {
        rc = cv_buf_add(b, p, (size_t)(m - p));
        if (rc == 0)
            rc = cv_buf_addstr(b, to);
        p = m + fl;
    }
    return rc == 0 ? cv_buf_add(b, p, len - (size_t)(p - data)) : rc;
}

char *cv_buf_detach(struct cv_buf *b)
{
    char *s;
    if (b->alloc) {
        s = b->buf;
    } else {
        s = malloc(1);
        if (!s)
            return NULL;
        s[0] = '\0';
    }
    cv_buf_init(b, b->max);
    return s;
}

int cv_grow(void *p, size_t *alloc, size_t need, size_t size)
{
    void **arr = p;
    if (need <= *alloc)
        return 0;
    size_t n = *alloc ? *alloc : 8;
    while (n < need) {
        if (n > ((size_t)-1) / 2)
            return CV_ENOMEM;
        n *= 2;
    }
    if (size && n > ((size_t)-1) / size)
        return CV_ENOMEM;
    void *q = realloc(*arr, n * size);
    if (!q)
        return CV_ENOMEM;
    *arr = q;
    *alloc = n;
    return 0;
}
