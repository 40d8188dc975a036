/* SPDX-License-Identifier: MIT */
/* world.c: what feeds are made of, read once from the store. */
#include <stdlib.h>
#include <string.h>

#include "feed_int.h"

#include "banned.h"

const struct cv_country *feed_member(const struct feed_world *w, const char *iso2)
{
    return cv_country_list_find(&w->members, iso2);
}

/* In feeds: events with dates, and cancelled ones only for a while after they were cancelled. */
bool feed_is_published(const struct feed_world *w, const struct cv_event *e)
{
    if (!cv_event_has_dates(e))
        return false;
    if (e->status != CV_EVENT_CANCELLED)
        return true;
    return cv_ctx_now(w->ctx) - e->revision <= (int64_t)w->opt->cancelled_days * 86400;
}

int feed_items_add(struct feed_items *it, struct cv_ical_item **ret)
{
    int rc = cv_grow(&it->v, &it->alloc, it->n + 1, sizeof(it->v[0]));
    if (rc < 0)
        return rc;
    memset(&it->v[it->n], 0, sizeof(it->v[0]));
    *ret = &it->v[it->n++];
    return 0;
}

/* Adds @e (index @k) and, when @with_sessions, its sessions. */
int feed_add_event(const struct feed_world *w, size_t k, bool with_sessions, bool transparent,
                   const struct cv_ical_attendee *who, struct feed_items *it)
{
    const struct cv_event *e = &w->events.v[k];
    struct cv_ical_item *item;
    int rc = feed_items_add(it, &item);
    if (rc < 0)
        return rc;
    item->kind = CV_ITEM_EVENT;
    item->event = e;
    item->location = w->locations[k];
    item->transparent = transparent;
    item->attendee = who;
    for (size_t i = 0; with_sessions && i < w->sessions.n; i++) {
        const struct cv_session *s = &w->sessions.v[i];
        if (!cv_str_eq(s->event_key, e->key) || !s->start)
            continue;
        if ((rc = feed_items_add(it, &item)) < 0)
            return rc;
        item->kind = CV_ITEM_SESSION;
        item->event = e;
        item->session = s;
        item->location = w->session_locations[i];
        item->transparent = transparent;
        item->attendee = who;
    }
    return 0;
}

/* "Venue, City, Country" for each event (cv_event_location), "Room, ..." for each session. */
static int locations(struct feed_world *w, struct cv_error *err)
{
    w->locations = calloc(w->events.n ? w->events.n : 1, sizeof(char *));
    if (!w->locations)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    for (size_t k = 0; k < w->events.n; k++) {
        if (cv_event_location(&w->events.v[k], &w->members, &w->locations[k]) < 0)
            return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    w->session_locations = calloc(w->sessions.n ? w->sessions.n : 1, sizeof(char *));
    if (!w->session_locations)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->sessions.n; i++) {
        const struct cv_session *s = &w->sessions.v[i];
        const char *where = NULL;
        for (size_t k = 0; k < w->events.n && !where; k++) {
            if (cv_str_eq(w->events.v[k].key, s->event_key))
                where = w->locations[k];
        }
        struct cv_buf b;
        cv_buf_init(&b, 4096);
        if (s->room)
            cv_buf_addstr(&b, s->room);
        if (where)
            cv_buf_addf(&b, "%s%s", b.len ? ", " : "", where);
        w->session_locations[i] = b.len ? cv_buf_detach(&b) : NULL;
        cv_buf_release(&b);
    }
    return 0;
}

int feed_world_load(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                    struct feed_world *w, struct cv_error *err)
{
    int rc;
    memset(w, 0, sizeof(*w));
    w->ctx = ctx;
    w->opt = opt;
    cv_programme_init(&w->prog);
    cv_event_list_init(&w->events);
    cv_session_list_init(&w->sessions);
    cv_person_list_init(&w->people);
    cv_country_list_init(&w->members);
    if (strncmp(opt->base_url, "http://", 7) != 0 && strncmp(opt->base_url, "https://", 8) != 0)
        rc = cv_error_set(err, CV_EINVAL, "the base URL must start with http:// or https://");
    else if ((rc = cv_store_programme_get(st, &w->prog, err)) < 0 ||
             (rc = cv_store_event_list(st, &w->events, err)) < 0 ||
             (rc = cv_store_session_list(st, NULL, &w->sessions, err)) < 0 ||
             (rc = cv_store_person_list(st, &w->people, err)) < 0 ||
             (rc = cv_store_country_list(st, &w->members, err)) < 0)
        ;
    else
        rc = locations(w, err);
    if (rc < 0)
        feed_world_release(w);
    return rc;
}

void feed_world_release(struct feed_world *w)
{
    for (size_t k = 0; w->locations && k < w->events.n; k++)
        free(w->locations[k]);
    free(w->locations);
    for (size_t i = 0; w->session_locations && i < w->sessions.n; i++)
        free(w->session_locations[i]);
    free(w->session_locations);
    w->locations = w->session_locations = NULL;
    cv_country_list_release(&w->members);
    cv_person_list_release(&w->people);
    cv_session_list_release(&w->sessions);
    cv_event_list_release(&w->events);
    cv_programme_release(&w->prog);
}
