/* SPDX-License-Identifier: MIT */
/* pagecache.c: the pages `convene serve` drew on request (PAGE?tz=ZONE), kept for one snapshot
 * of the site, a bounded number of them, the least recently used going first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <convene/http.h>

#include "banned.h"

#define KEY_MAX 256 /* path, a NUL, zone, a NUL */

struct page_slot {
    char key[KEY_MAX]; /* "PATH\0ZONE\0"; key[0] == '\0': the slot is empty */
    size_t keylen;
    char *data;
    size_t len;
    char etag[CV_SHA256_HEX_SIZE + 2];
    unsigned long used; /* the tick of its last hit or put: the smallest goes first */
};

struct cv_page_cache {
    pthread_mutex_t lock; /* everything below */
    struct page_slot *v;
    size_t max, n;
    unsigned long tick;
};

int cv_page_cache_new(size_t max, struct cv_page_cache **ret)
{
    struct cv_page_cache *c;
    *ret = NULL;
    if (max == 0)
        return CV_EINVAL;
    if (!(c = calloc(1, sizeof(*c))) || !(c->v = calloc(max, sizeof(c->v[0])))) {
        free(c);
        return CV_ENOMEM;
    }
    c->max = max;
    pthread_mutex_init(&c->lock, NULL);
    *ret = c;
    return 0;
}

void cv_page_cache_free(struct cv_page_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->max; i++)
        free(c->v[i].data);
    free(c->v);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Writes "PATH\0ZONE\0" into @key. @return its length, or 0 when it does not fit */
static size_t make_key(char key[KEY_MAX], const char *path, const char *zone)
{
    size_t p = strlen(path), z = strlen(zone);
    if (p + z + 2 > KEY_MAX)
        return 0;
    memcpy(key, path, p + 1);
    memcpy(key + p + 1, zone, z + 1);
    return p + z + 2;
}

/* Under the lock. @return the slot holding @key, or NULL */
static struct page_slot *find(struct cv_page_cache *c, const char *key, size_t keylen)
{
    for (size_t i = 0; i < c->max; i++) {
        struct page_slot *s = &c->v[i];
        if (s->key[0] && s->keylen == keylen && memcmp(s->key, key, keylen) == 0)
            return s;
    }
    return NULL;
}

int cv_page_cache_get(struct cv_page_cache *c, const char *path, const char *zone, char **ret_data,
                      size_t *ret_len, char etag[CV_SHA256_HEX_SIZE + 2])
{
    char key[KEY_MAX];
    size_t keylen = make_key(key, path, zone);
    int rc = CV_ENOTFOUND;
    if (!keylen)
        return rc;
    pthread_mutex_lock(&c->lock);
    struct page_slot *s = find(c, key, keylen);
    if (s) {
        /* A copy: the slot may be evicted or replaced as soon as the lock is let go. */
        char *copy = malloc(s->len + 1);
        if (!copy) {
            rc = CV_ENOMEM;
        } else {
            memcpy(copy, s->data, s->len);
            copy[s->len] = '\0';
            *ret_data = copy;
            *ret_len = s->len;
            memcpy(etag, s->etag, sizeof(s->etag));
            s->used = ++c->tick;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int cv_page_cache_put(struct cv_page_cache *c, const char *path, const char *zone, const char *data,
                      size_t len, const char *etag)
{
    char key[KEY_MAX];
    size_t keylen = make_key(key, path, zone);
    if (!keylen || len > CV_PAGE_CACHE_BODY || strlen(etag) >= CV_SHA256_HEX_SIZE + 2)
        return 0;
    /* Copied before the lock is taken: the lock covers bookkeeping only. */
    char *copy = malloc(len + 1);
    if (!copy)
        return CV_ENOMEM;
    memcpy(copy, data, len);
    copy[len] = '\0';

    pthread_mutex_lock(&c->lock);
    struct page_slot *s = find(c, key, keylen);
    if (!s) {
        /* An empty slot, else the least recently used one. */
        s = &c->v[0];
        for (size_t i = 0; i < c->max && s->key[0]; i++) {
            if (!c->v[i].key[0] || c->v[i].used < s->used)
                s = &c->v[i];
        }
        if (!s->key[0])
            c->n++;
        memcpy(s->key, key, keylen);
        s->keylen = keylen;
    }
    char *old = s->data;
    s->data = copy;
    s->len = len;
    memcpy(s->etag, etag, strlen(etag) + 1);
    s->used = ++c->tick;
    pthread_mutex_unlock(&c->lock);
    free(old);
    return 0;
}

size_t cv_page_cache_count(struct cv_page_cache *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->n;
    pthread_mutex_unlock(&c->lock);
    return n;
}
