/* SPDX-License-Identifier: MIT */
/* build.c: which feeds exist and what each contains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/feed.h>
#include <convene/ical.h>

#include "banned.h"

void cv_feed_options_init(struct cv_feed_options *o)
{
    o->base_url = "http://127.0.0.1:8080";
    o->cancelled_days = 30;
    o->refresh_hours = 12;
}

void cv_feed_set_init(struct cv_feed_set *s)
{
    memset(s, 0, sizeof(*s));
}

void cv_feed_set_release(struct cv_feed_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].title);
        free(s->v[i].data);
    }
    free(s->v);
    cv_feed_set_init(s);
}

const struct cv_feed_file *cv_feed_set_find(const struct cv_feed_set *s, const char *path)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i].path, path) == 0)
            return &s->v[i];
    }
    return NULL;
}

/* Everything a build reads once from the store. */
struct world {
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

static const struct cv_country *member(const struct world *w, const char *iso2)
{
    for (size_t i = 0; iso2 && i < w->members.n; i++) {
        if (strcmp(w->members.v[i].iso2, iso2) == 0)
            return &w->members.v[i];
    }
    return NULL;
}

/* In feeds: events with dates, and cancelled ones only for a while after they were cancelled. */
static bool is_published(const struct world *w, const struct cv_event *e)
{
    if (!cv_event_has_dates(e))
        return false;
    if (e->status != CV_EVENT_CANCELLED)
        return true;
    return cv_ctx_now(w->ctx) - e->revision <= (int64_t)w->opt->cancelled_days * 86400;
}

static const char *region_color(const char *region)
{
    static const struct {
        const char *region, *color;
    } t[] = {
        {"Africa and the Middle East", "darkorange"},
        {"Americas", "seagreen"},
        {"Asia and the Pacific", "steelblue"},
        {"Europe", "royalblue"},
    };
    for (size_t i = 0; region && i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcasecmp(t[i].region, region) == 0)
            return t[i].color;
    }
    return "teal";
}

/* Items of one feed, growing. */
struct items {
    struct cv_ical_item *v;
    size_t n;
    size_t alloc;
};

static int items_add(struct items *it, struct cv_ical_item **ret)
{
    int rc = cv_grow(&it->v, &it->alloc, it->n + 1, sizeof(it->v[0]));
    if (rc < 0)
        return rc;
    memset(&it->v[it->n], 0, sizeof(it->v[0]));
    *ret = &it->v[it->n++];
    return 0;
}

/* Adds @e (index @k) and, when @with_sessions, its sessions. */
static int add_event(const struct world *w, size_t k, bool with_sessions, bool transparent,
                     const struct cv_ical_attendee *who, struct items *it)
{
    const struct cv_event *e = &w->events.v[k];
    struct cv_ical_item *item;
    int rc = items_add(it, &item);
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
        if ((rc = items_add(it, &item)) < 0)
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

/* Renders @items and appends the file to @out, after linting it. */
static int add_file(struct cv_feed_set *out, const char *path, enum cv_feed_kind kind,
                    const char *lang, const char *title, const struct cv_ical_cal *cal,
                    const struct items *items, struct cv_error *err)
{
    struct cv_buf data;
    struct cv_lint_report lint;
    struct cv_feed_file *f;
    int rc;

    cv_buf_init(&data, 256u * 1024 * 1024);
    cv_lint_report_init(&lint);
    rc = cv_ical_write(cal, items->v, items->n, &data, err);
    if (rc < 0) {
        cv_error_at(err, path, 0);
        goto out;
    }
    rc = cv_ical_lint(data.buf, data.len, path, kind == CV_FEED_PERSON ? 0 : CV_LINT_PUBLIC, &lint,
                      err);
    if (rc == 0 && lint.n) {
        rc = cv_error_set(err, CV_EINVAL, "refusing to publish: %s: %s", lint.v[0].rule,
                          lint.v[0].msg);
        cv_error_at(err, path, lint.v[0].line);
    }
    if (rc < 0)
        goto out;
    if ((rc = cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0]))) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    f = &out->v[out->n];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    cv_str_copy(f->lang, sizeof(f->lang), lang);
    f->len = data.len;
    cv_sha256_hex(data.buf, data.len, f->etag + 1);
    f->etag[0] = '"';
    f->etag[CV_SHA256_HEX_SIZE] = '"';
    f->etag[CV_SHA256_HEX_SIZE + 1] = '\0';
    f->events = items->n;
    if (cv_str_set(&f->path, path) < 0 || cv_str_set(&f->title, title) < 0 ||
        !(f->data = cv_buf_detach(&data))) {
        free(f->path);
        free(f->title);
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    out->n++;
out:
    cv_lint_report_release(&lint);
    cv_buf_release(&data);
    return rc;
}

/* The feed's file name: BASE.ics in the first language, BASE-LANG.ics in the others. */
static void feed_name(char *out, size_t size, const char *base, const char *lang, bool first)
{
    if (first)
        snprintf(out, size, "%s.ics", base);
    else
        snprintf(out, size, "%s-%s.ics", base, lang);
}

static const char *earliest_zone(const struct world *w, const char *region)
{
    for (size_t i = 0; i < w->events.n; i++) {
        const struct cv_event *e = &w->events.v[i];
        if (is_published(w, e) && (!region || cv_str_eq(e->region, region)))
            return e->tzid;
    }
    return NULL;
}

static int public_feeds(const struct world *w, const char *lang, bool first,
                        struct cv_feed_set *out, struct cv_error *err)
{
    char path[128], url[512], name[512], slug[65];
    struct items it = {0};
    struct cv_ical_cal cal = {0};
    int rc = 0;

    cal.lang = lang;
    cal.refresh_hours = w->opt->refresh_hours;

    /* The whole programme. */
    feed_name(path, sizeof(path), "programme", lang, first);
    snprintf(url, sizeof(url), "%s/%s", w->opt->base_url, path);
    cal.name = w->prog.name;
    cal.description = w->prog.description;
    cal.url = url;
    cal.color = "teal";
    cal.tzid = earliest_zone(w, NULL);
    for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
        if (is_published(w, &w->events.v[k]))
            rc = add_event(w, k, false, true, NULL, &it);
    }
    if (rc == 0)
        rc = add_file(out, path, CV_FEED_PROGRAMME, lang, cal.name, &cal, &it, err);
    it.n = 0;

    /* One per region: its events and the global ones. */
    for (size_t r = 0; rc == 0 && r < w->events.n; r++) {
        const char *region = w->events.v[r].region;
        bool seen = !region || strcasecmp(region, "Global") == 0;
        for (size_t q = 0; !seen && q < r; q++)
            seen = cv_str_eq(w->events.v[q].region, region);
        if (seen || !cv_slugify(region, slug, sizeof(slug)))
            continue;
        char base[80];
        snprintf(base, sizeof(base), "region-%s", slug);
        feed_name(path, sizeof(path), base, lang, first);
        snprintf(url, sizeof(url), "%s/%s", w->opt->base_url, path);
        snprintf(name, sizeof(name), "%s: %s", w->prog.name, region);
        cal.name = name;
        cal.url = url;
        cal.color = region_color(region);
        cal.tzid = earliest_zone(w, region);
        for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
            const struct cv_event *e = &w->events.v[k];
            bool global = !e->region || strcasecmp(e->region, "Global") == 0;
            if (is_published(w, e) && (global || cv_str_eq(e->region, region)))
                rc = add_event(w, k, false, true, NULL, &it);
        }
        if (rc == 0)
            rc = add_file(out, path, CV_FEED_REGION, lang, cal.name, &cal, &it, err);
        it.n = 0;
    }

    /* One per event, with its sessions. */
    for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
        const struct cv_event *e = &w->events.v[k];
        char base[80];
        snprintf(base, sizeof(base), "event-%s", e->key);
        feed_name(path, sizeof(path), base, lang, first);
        snprintf(url, sizeof(url), "%s/%s", w->opt->base_url, path);
        cal.name = cv_event_title_in(e, lang);
        cal.url = url;
        cal.color = region_color(e->region);
        cal.tzid = e->tzid;
        if (is_published(w, e))
            rc = add_event(w, k, true, true, NULL, &it);
        if (rc == 0)
            rc = add_file(out, path, CV_FEED_EVENT, lang, cal.name, &cal, &it, err);
        it.n = 0;
    }
    free(it.v);
    return rc;
}

static int person_feed(struct cv_store *st, const struct world *w, const struct cv_person *p,
                       struct cv_feed_set *out, struct cv_error *err)
{
    char hash[CV_SHA256_HEX_SIZE], path[128], name[512];
    struct cv_error tokerr;
    struct items it = {0};
    struct cv_ical_cal cal = {0};
    struct cv_milestone ms[64 * CV_MILESTONES_MAX];
    char uids[64 * CV_MILESTONES_MAX][CV_UUID_SIZE + 32];
    size_t nms = 0;
    int rc;

    cv_error_init(&tokerr);
    rc = cv_store_person_token_hash(st, p->email, hash, &tokerr);
    if (rc == CV_ENOTFOUND)
        return 0; /* no token: no private feed */
    if (rc < 0) {
        *err = tokerr;
        return rc;
    }
    const struct cv_country *c = member(w, p->country);
    const char *region = c ? c->region : NULL;
    struct cv_ical_attendee who = {p->email, p->name, p->lang, CV_PARTSTAT_NEEDS_ACTION, p->role};
    bool office = p->role == CV_ROLE_ORGANIZER;

    snprintf(path, sizeof(path), "private/%s.ics", hash);
    snprintf(name, sizeof(name), "%s (%s)", w->prog.name, p->name);
    cal.name = name;
    cal.lang = p->lang;
    cal.tzid = p->tzid;
    cal.refresh_hours = w->opt->refresh_hours;
    cal.color = "teal";
    cal.organizer = w->prog.organizer;
    cal.organizer_name = w->prog.name;
    for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
        const struct cv_event *e = &w->events.v[k];
        if (!is_published(w, e) || !(office || cv_audience_match(e, p, region)))
            continue;
        rc = add_event(w, k, true, false, &who, &it);
        /* The office also sees the chain of deadlines of each event still to come. */
        if (rc == 0 && office && e->status != CV_EVENT_HELD && e->status != CV_EVENT_CANCELLED &&
            nms + CV_MILESTONES_MAX <= sizeof(ms) / sizeof(ms[0])) {
            size_t first = nms;
            nms += cv_milestones_for_event(e, ms + nms);
            for (size_t i = first; rc == 0 && i < nms; i++) {
                struct cv_ical_item *item;
                snprintf(uids[i], sizeof(uids[i]), "%s-%s", e->uid, ms[i].key);
                if ((rc = items_add(&it, &item)) < 0)
                    break;
                item->kind = CV_ITEM_TODO;
                item->event = e;
                item->milestone = &ms[i];
                item->uid = uids[i];
                item->after_uid = i > first ? uids[i - 1] : NULL;
            }
        }
    }
    if (rc == 0)
        rc = add_file(out, path, CV_FEED_PERSON, p->lang, NULL, &cal, &it, err);
    else
        cv_error_set(err, rc, "out of memory");
    for (size_t i = 0; i < nms; i++)
        cv_milestone_release(&ms[i]);
    free(it.v);
    return rc;
}

/* "Venue, City, Country" for an event, from the member list when the country is a member. */
static int locations(struct world *w, struct cv_error *err)
{
    w->locations = calloc(w->events.n ? w->events.n : 1, sizeof(char *));
    if (!w->locations)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    for (size_t k = 0; k < w->events.n; k++) {
        const struct cv_event *e = &w->events.v[k];
        const struct cv_country *c = member(w, e->country);
        struct cv_buf b;
        cv_buf_init(&b, 4096);
        if (e->venue)
            cv_buf_addstr(&b, e->venue);
        if (e->city && (!e->venue || !strstr(e->venue, e->city)))
            cv_buf_addf(&b, "%s%s", b.len ? ", " : "", e->city);
        if (c || e->country)
            cv_buf_addf(&b, "%s%s", b.len ? ", " : "", c ? c->name : e->country);
        w->locations[k] = b.len ? cv_buf_detach(&b) : NULL;
        cv_buf_release(&b);
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

int cv_feed_build(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                  struct cv_feed_set *out, struct cv_error *err)
{
    struct world w;
    int rc;

    memset(&w, 0, sizeof(w));
    w.ctx = ctx;
    w.opt = opt;
    cv_programme_init(&w.prog);
    cv_event_list_init(&w.events);
    cv_session_list_init(&w.sessions);
    cv_person_list_init(&w.people);
    cv_country_list_init(&w.members);
    if (strncmp(opt->base_url, "http://", 7) != 0 && strncmp(opt->base_url, "https://", 8) != 0) {
        rc = cv_error_set(err, CV_EINVAL, "the base URL must start with http:// or https://");
        goto out;
    }
    if ((rc = cv_store_programme_get(st, &w.prog, err)) < 0 ||
        (rc = cv_store_event_list(st, &w.events, err)) < 0 ||
        (rc = cv_store_session_list(st, NULL, &w.sessions, err)) < 0 ||
        (rc = cv_store_person_list(st, &w.people, err)) < 0 ||
        (rc = cv_store_country_list(st, &w.members, err)) < 0 || (rc = locations(&w, err)) < 0)
        goto out;

    const char *langs = w.prog.languages ? w.prog.languages : "en";
    bool first = true;
    for (const char *s = langs; *s && rc == 0;) {
        char lang[8];
        size_t n = strcspn(s, ",");
        if (n > 0 && n < sizeof(lang)) {
            memcpy(lang, s, n);
            lang[n] = '\0';
            rc = public_feeds(&w, lang, first, out, err);
            first = false;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    for (size_t i = 0; rc == 0 && i < w.people.n; i++)
        rc = person_feed(st, &w, &w.people.v[i], out, err);
out:
    for (size_t k = 0; w.locations && k < w.events.n; k++)
        free(w.locations[k]);
    free(w.locations);
    for (size_t i = 0; w.session_locations && i < w.sessions.n; i++)
        free(w.session_locations[i]);
    free(w.session_locations);
    cv_country_list_release(&w.members);
    cv_person_list_release(&w.people);
    cv_session_list_release(&w.sessions);
    cv_event_list_release(&w.events);
    cv_programme_release(&w.prog);
    return rc;
}
