/* SPDX-License-Identifier: MIT */
/* refcal.c: reference calendars (holidays, observances, summits) and their entries. */
#include <stdlib.h>
#include <string.h>

#include <convene/model.h>

#include "banned.h"

void cv_refentry_init(struct cv_refentry *e)
{
    memset(e, 0, sizeof(*e));
}

void cv_refentry_release(struct cv_refentry *e)
{
    free(e->uid);
    free(e->key);
    free(e->summary);
    free(e->confidence);
    free(e->url);
    free(e->category);
    free(e->description);
    cv_refentry_init(e);
}

void cv_refcal_init(struct cv_refcal *c)
{
    memset(c, 0, sizeof(*c));
}

void cv_refcal_release(struct cv_refcal *c)
{
    free(c->key);
    free(c->name);
    free(c->scope);
    free(c->sources);
    free(c->description);
    free(c->fetched_from);
    free(c->etag);
    free(c->last_modified);
    for (size_t i = 0; i < c->n; i++)
        cv_refentry_release(&c->entries[i]);
    free(c->entries);
    cv_refcal_init(c);
}

int cv_refcal_add_entry(struct cv_refcal *c, struct cv_refentry **ret)
{
    int rc = cv_grow(&c->entries, &c->alloc, c->n + 1, sizeof(c->entries[0]));
    if (rc < 0)
        return rc;
    cv_refentry_init(&c->entries[c->n]);
    *ret = &c->entries[c->n++];
    return 0;
}

int cv_scope_check(const char *s)
{
    if (strcmp(s, "all") == 0)
        return 0;
    if (strncmp(s, "country:", 8) == 0)
        return cv_country_code_is_valid(s + 8) ? 0 : CV_EINVAL;
    if (strncmp(s, "region:", 7) == 0)
        return s[7] && !cv_has_ctl(s + 7) ? 0 : CV_EINVAL;
    return CV_EINVAL;
}

/* Text read through libical may be cut inside a character by its unescaping. */
static bool text_ok(const char *s)
{
    return !s || cv_utf8_is_valid(s, strlen(s));
}

int cv_refcal_validate(const struct cv_refcal *c, struct cv_error *err)
{
    if (!c->key || !cv_slug_is_valid(c->key))
        return cv_error_set(err, CV_EINVAL,
                            "the calendar key '%s' is not a slug; use lower-case "
                            "letters, digits and '-'",
                            c->key ? c->key : "");
    if (!c->name || !*c->name || cv_has_ctl(c->name))
        return cv_error_set(err, CV_EINVAL, "calendar %s has no name", c->key);
    if (!text_ok(c->name) || !text_ok(c->description) || !text_ok(c->sources))
        return cv_error_set(err, CV_EINVAL,
                            "calendar %s: its name or description is not valid "
                            "UTF-8",
                            c->key);
    if (!c->scope || cv_scope_check(c->scope) < 0)
        return cv_error_set(err, CV_EINVAL,
                            "calendar %s: scope '%s' is not all, country:XX or region:NAME", c->key,
                            c->scope ? c->scope : "");
    for (size_t i = 0; i < c->n; i++) {
        const struct cv_refentry *e = &c->entries[i];
        if (!cv_date_is_valid(&e->first) || !cv_date_is_valid(&e->last) ||
            cv_date_cmp(&e->last, &e->first) < 0)
            return cv_error_set(err, CV_EINVAL, "calendar %s: entry '%s' has no valid dates",
                                c->key, e->summary ? e->summary : "");
        if (!e->summary || !*e->summary || cv_has_ctl(e->summary))
            return cv_error_set(err, CV_EINVAL, "calendar %s: an entry has no SUMMARY", c->key);
        if (!text_ok(e->summary) || !text_ok(e->description) || !text_ok(e->category) ||
            !text_ok(e->url) || !text_ok(e->confidence) || !text_ok(e->uid))
            return cv_error_set(err, CV_EINVAL,
                                "calendar %s: entry '%s' has text that is not valid UTF-8 (a "
                                "backslash before a non-ASCII character?)",
                                c->key, e->key ? e->key : "");
        if (e->key && !cv_slug_is_valid(e->key))
            return cv_error_set(err, CV_EINVAL, "calendar %s: entry key '%s' is not a slug", c->key,
                                e->key);
        for (size_t j = 0; e->key && j < i; j++) {
            if (cv_str_eq(c->entries[j].key, e->key))
                return cv_error_set(err, CV_EINVAL, "calendar %s: entry key '%s' is used twice",
                                    c->key, e->key);
        }
    }
    return 0;
}

static bool entry_equal(const struct cv_refentry *a, const struct cv_refentry *b)
{
    return cv_str_eq(a->uid, b->uid) && cv_str_eq(a->key, b->key) &&
           cv_str_eq(a->summary, b->summary) && !cv_date_cmp(&a->first, &b->first) &&
           !cv_date_cmp(&a->last, &b->last) && a->has_meaning == b->has_meaning &&
           (!a->has_meaning || a->meaning == b->meaning) &&
           cv_str_eq(a->confidence, b->confidence) && cv_str_eq(a->url, b->url) &&
           cv_str_eq(a->category, b->category) && cv_str_eq(a->description, b->description);
}

bool cv_refcal_equal(const struct cv_refcal *a, const struct cv_refcal *b)
{
    if (!cv_str_eq(a->key, b->key) || !cv_str_eq(a->name, b->name) ||
        !cv_str_eq(a->scope, b->scope) || a->meaning != b->meaning ||
        !cv_str_eq(a->sources, b->sources) || !cv_str_eq(a->description, b->description) ||
        !cv_str_eq(a->fetched_from, b->fetched_from) || !cv_str_eq(a->etag, b->etag) ||
        !cv_str_eq(a->last_modified, b->last_modified) || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        if (!entry_equal(&a->entries[i], &b->entries[i]))
            return false;
    }
    return true;
}

void cv_refcal_list_init(struct cv_refcal_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_refcal_list_release(struct cv_refcal_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_refcal_release(&l->v[i]);
    free(l->v);
    cv_refcal_list_init(l);
}

int cv_refcal_list_add(struct cv_refcal_list *l, struct cv_refcal **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_refcal_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}
