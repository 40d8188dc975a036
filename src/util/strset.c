/* SPDX-License-Identifier: MIT */
/* strset.c: a set of strings (open addressing, FNV-1a), for duplicate checks in linear time. */
#include <stdlib.h>
#include <string.h>

#include <convene/util.h>

#include "banned.h"

void cv_strset_init(struct cv_strset *s)
{
    memset(s, 0, sizeof(*s));
}

void cv_strset_release(struct cv_strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i]);
    free(s->slots);
    cv_strset_init(s);
}

static uint64_t hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* The slot of @k, or of the empty slot where it would go. */
static size_t find(const struct cv_strset *s, const char *k)
{
    size_t i = (size_t)hash(k) & (s->cap - 1);
    while (s->slots[i] && strcmp(s->slots[i], k) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

bool cv_strset_has(const struct cv_strset *s, const char *k)
{
    return s->cap && s->slots[find(s, k)] != NULL;
}

int cv_strset_add(struct cv_strset *s, const char *k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **old = s->slots;
        size_t oldcap = s->cap;
        s->slots = calloc(cap, sizeof(char *));
        if (!s->slots) {
            s->slots = old;
            return CV_ENOMEM;
        }
        s->cap = cap;
        for (size_t i = 0; i < oldcap; i++) {
            if (old[i])
                s->slots[find(s, old[i])] = old[i];
        }
        free(old);
    }
    size_t i = find(s, k);
    if (s->slots[i])
        return 0;
    if (!(s->slots[i] = strdup(k)))
        return CV_ENOMEM;
    s->n++;
    return 1;
}
