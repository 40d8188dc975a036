/* SPDX-License-Identifier: MIT */
/* country.c: struct cv_country, an OGP member government. */
#include <stdlib.h>
#include <string.h>

#include <convene/model.h>

#include "banned.h"

void cv_country_init(struct cv_country *c)
{
    memset(c, 0, sizeof(*c));
}

void cv_country_release(struct cv_country *c)
{
    free(c->name);
    free(c->region);
    free(c->capital);
    free(c->tzid);
    free(c->confidence);
    free(c->source_url);
    cv_country_init(c);
}

bool cv_country_equal(const struct cv_country *a, const struct cv_country *b)
{
    return strcmp(a->iso2, b->iso2) == 0 && cv_str_eq(a->name, b->name) &&
           cv_str_eq(a->region, b->region) && cv_str_eq(a->capital, b->capital) &&
           cv_str_eq(a->tzid, b->tzid) && a->weekend == b->weekend &&
           cv_str_eq(a->confidence, b->confidence) && cv_str_eq(a->source_url, b->source_url);
}

void cv_country_list_init(struct cv_country_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_country_list_release(struct cv_country_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_country_release(&l->v[i]);
    free(l->v);
    cv_country_list_init(l);
}

int cv_country_list_add(struct cv_country_list *l, struct cv_country **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_country_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}

const struct cv_country *cv_country_list_find(const struct cv_country_list *l, const char *iso2)
{
    for (size_t i = 0; iso2 && i < l->n; i++) {
        if (strcmp(l->v[i].iso2, iso2) == 0)
            return &l->v[i];
    }
    return NULL;
}

int cv_event_location(const struct cv_event *e, const struct cv_country_list *members, char **ret)
{
    const struct cv_country *c = cv_country_list_find(members, e->country);
    const char *country = c ? c->name : e->country;
    struct cv_buf b;
    int rc = 0;
    *ret = NULL;
    cv_buf_init(&b, 4096);
    if (e->venue)
        rc = cv_buf_addstr(&b, e->venue);
    if (rc == 0 && e->city && (!e->venue || !strstr(e->venue, e->city)))
        rc = cv_buf_addf(&b, "%s%s", b.len ? ", " : "", e->city);
    if (rc == 0 && country)
        rc = cv_buf_addf(&b, "%s%s", b.len ? ", " : "", country);
    if (rc == 0 && b.len && !(*ret = cv_buf_detach(&b)))
        rc = CV_ENOMEM;
    cv_buf_release(&b);
    return rc < 0 ? CV_ENOMEM : 0;
}
