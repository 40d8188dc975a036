/* SPDX-License-Identifier: MIT */
/* bench_data.h: loading the generated programme (gen.c's TSV) and timing, shared by the C
 * contenders. Header-only: each bench program is one translation unit. */
#ifndef BENCH_DATA_H
#define BENCH_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    F_KIND,
    F_UID,
    F_KEY,
    F_EKEY,
    F_EUID,
    F_TZID,
    F_START,
    F_END,
    F_STATUS,
    F_SEQ,
    F_SUMMARY,
    F_LOCATION,
    F_DESC,
    F_URL,
    F_COUNT
};

struct bench_row {
    char *f[F_COUNT];
};

struct bench_data {
    char *text; /* the file, unescaped in place; rows point into it */
    struct bench_row *rows;
    size_t n;
    long long dtstamp;
};

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a whole file into a NUL-terminated heap buffer. */
static char *bench_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t alloc = 1 << 20, n = 0;
    char *buf = malloc(alloc);
    for (;;) {
        if (!buf)
            break;
        if (n + 1 >= alloc) {
            char *nb = realloc(buf, alloc *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, alloc - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f) && buf) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: cannot read\n", path);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Undoes gen.c's escaping of one field in place. */
static inline void bench_unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* @return 0, or -1 with a message on stderr */
static inline int bench_load(const char *path, struct bench_data *d)
{
    memset(d, 0, sizeof(*d));
    if (!(d->text = bench_slurp(path, NULL)))
        return -1;
    char *p = d->text;
    char *nl = strchr(p, '\n');
    long long n = 0;
    if (strncmp(p, "#convene-bench\t", 15) != 0 || !nl ||
        sscanf(p + 15, "%lld\t%lld", &n, &d->dtstamp) != 2 || n < 1) {
        fprintf(stderr, "%s: not a file of gen\n", path);
        return -1;
    }
    p = nl + 1;
    d->rows = calloc((size_t)n, sizeof(*d->rows));
    if (!d->rows)
        return -1;
    while (*p && d->n < (size_t)n) {
        struct bench_row *r = &d->rows[d->n];
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        for (int i = 0; i < F_COUNT; i++) {
            r->f[i] = p;
            char *tab = strchr(p, '\t');
            if (!tab && i < F_COUNT - 1) {
                fprintf(stderr, "%s: row %zu has too few fields\n", path, d->n + 1);
                return -1;
            }
            if (tab) {
                *tab = '\0';
                p = tab + 1;
            }
            bench_unescape(r->f[i]);
        }
        d->n++;
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (d->n != (size_t)n) {
        fprintf(stderr, "%s: %zu rows, the header says %lld\n", path, d->n, n);
        return -1;
    }
    return 0;
}

static inline void bench_free(struct bench_data *d)
{
    free(d->rows);
    free(d->text);
    memset(d, 0, sizeof(*d));
}

/* FNV-1a of @s: readers sum these over UIDs and titles, so all of them can be compared. */
static inline unsigned bench_fnv(const char *s)
{
    unsigned h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
