/* SPDX-License-Identifier: MIT */
/* feed_int.h: what the feed module's files share; no other module includes it. */
#ifndef CV_FEED_INT_H
#define CV_FEED_INT_H

#include <convene/feed.h>
#include <convene/ical.h>

/* Everything a build reads once from the store. */
struct feed_world {
    struct cv_ctx *ctx;
    const struct cv_feed_options *opt;
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_session_list sessions;
    struct cv_person_list people;
    struct cv_country_list members;
    char **locations;         /* per event */
    char **session_locations; /* per session: "Room, Venue, City, Country" */
};

/* Items of one feed, growing. */
struct feed_items {
    struct cv_ical_item *v;
    size_t n;
    size_t alloc;
};

/* Reads everything a build needs from the store. On failure @w is released. */
int feed_world_load(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                    struct feed_world *w, struct cv_error *err);
void feed_world_release(struct feed_world *w);
/* The member country @iso2, or NULL. */
const struct cv_country *feed_member(const struct feed_world *w, const char *iso2);
/* In feeds: events with dates, and cancelled ones only for a while after they were cancelled. */
bool feed_is_published(const struct feed_world *w, const struct cv_event *e);
int feed_items_add(struct feed_items *it, struct cv_ical_item **ret);
/* Adds event @k and, when @with_sessions, its timed sessions. */
int feed_add_event(const struct feed_world *w, size_t k, bool with_sessions, bool transparent,
                   const struct cv_ical_attendee *who, struct feed_items *it);

#endif
