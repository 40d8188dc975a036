/* SPDX-License-Identifier: MIT */
/* build.c: which feeds exist and what each contains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/feed.h>
#include <convene/ical.h>

#include "feed_int.h"

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

/* Renders @items and appends the file to @out, after linting it. */
static int add_file(struct cv_feed_set *out, const char *path, enum cv_feed_kind kind,
                    const char *lang, const char *title, const struct cv_ical_cal *cal,
                    const struct feed_items *items, struct cv_error *err)
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

static const char *earliest_zone(const struct feed_world *w, const char *region)
{
    for (size_t i = 0; i < w->events.n; i++) {
        const struct cv_event *e = &w->events.v[i];
        if (feed_is_published(w, e) && (!region || cv_str_eq(e->region, region)))
            return e->tzid;
    }
    return NULL;
}

static int public_feeds(const struct feed_world *w, const char *lang, bool first,
                        struct cv_feed_set *out, struct cv_error *err)
{
    char path[128], url[512], name[512], slug[65];
    struct feed_items it = {0};
    struct cv_ical_cal cal = {0};
    int rc = 0;

    cal.lang = lang;
    cal.refresh_hours = w->opt->refresh_hours;

    /* The whole programme. */
    feed_name(path, sizeof(path), "programme", lang, first);
    snprintf(url, sizeof(url), "%s/%s", w->opt->base_url, path);
    /* Named in the feed's language where the programme has a name in it, else in English. */
    const char *prog_name = cv_programme_name_in(&w->prog, lang);
    cal.name = prog_name;
    cal.description = w->prog.description;
    cal.url = url;
    cal.color = "teal";
    cal.tzid = earliest_zone(w, NULL);
    for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
        if (feed_is_published(w, &w->events.v[k]))
            rc = feed_add_event(w, k, false, true, NULL, &it);
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
        snprintf(name, sizeof(name), "%s: %s", prog_name, cv_region_name_in(region, lang));
        cal.name = name;
        cal.url = url;
        cal.color = region_color(region);
        cal.tzid = earliest_zone(w, region);
        for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
            const struct cv_event *e = &w->events.v[k];
            bool global = !e->region || strcasecmp(e->region, "Global") == 0;
            if (feed_is_published(w, e) && (global || cv_str_eq(e->region, region)))
                rc = feed_add_event(w, k, false, true, NULL, &it);
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
        if (feed_is_published(w, e))
            rc = feed_add_event(w, k, true, true, NULL, &it);
        if (rc == 0)
            rc = add_file(out, path, CV_FEED_EVENT, lang, cal.name, &cal, &it, err);
        it.n = 0;
    }
    free(it.v);
    return rc;
}

/* The ATTENDEE lines of one event in a private feed, kept until the feed is written. */
struct feed_people {
    struct cv_attendance_list *lists; /* one per event, the office's */
    struct cv_ical_attendee **who;
    struct cv_store_invitation *own; /* one per event, the person's own */
    size_t n, alloc_l, alloc_w, alloc_o;
};

static void feed_people_release(struct feed_people *fp)
{
    for (size_t i = 0; i < fp->n; i++) {
        cv_attendance_list_release(&fp->lists[i]);
        free(fp->who[i]);
        cv_store_invitation_release(&fp->own[i]);
    }
    free(fp->lists);
    free(fp->who);
    free(fp->own);
    memset(fp, 0, sizeof(*fp));
}

/*
 * The attendees @p's private feed shows on @e: their own line with the PARTSTAT of their last
 * reply; for the office, everyone invited with theirs (the office's private view of who comes).
 */
static int feed_people_of(struct cv_store *st, const struct cv_person *p, const struct cv_event *e,
                          bool office, struct feed_people *fp, const struct cv_ical_attendee **ret,
                          size_t *n, struct cv_error *err)
{
    if (cv_grow(&fp->lists, &fp->alloc_l, fp->n + 1, sizeof(fp->lists[0])) < 0 ||
        cv_grow(&fp->who, &fp->alloc_w, fp->n + 1, sizeof(fp->who[0])) < 0 ||
        cv_grow(&fp->own, &fp->alloc_o, fp->n + 1, sizeof(fp->own[0])) < 0)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    struct cv_attendance_list *l = &fp->lists[fp->n];
    struct cv_store_invitation *own = &fp->own[fp->n];
    cv_attendance_list_init(l);
    cv_store_invitation_init(own);
    fp->who[fp->n] = NULL;
    fp->n++;
    int rc = office ? cv_store_attendance(st, e->key, l, err) : 0;
    if (rc < 0)
        return rc;
    size_t count = office && l->n ? l->n : 1;
    struct cv_ical_attendee *who = calloc(count, sizeof(*who));
    if (!who)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    fp->who[fp->n - 1] = who;
    if (office && l->n) {
        for (size_t i = 0; i < l->n; i++) {
            const struct cv_attendance_row *r = &l->v[i];
            who[i] = (struct cv_ical_attendee){.email = r->person.email,
                                               .name = r->person.name,
                                               .lang = r->person.lang,
                                               .partstat = r->partstat,
                                               .role = r->person.role,
                                               .delegated_to = r->delegated_to};
        }
        *ret = who;
        *n = l->n;
        return 0;
    }
    rc = cv_store_invitation_get(st, p->email, e->key, own, err);
    if (rc < 0 && rc != CV_ENOTFOUND)
        return rc;
    who[0] = (struct cv_ical_attendee){.email = p->email,
                                       .name = p->name,
                                       .lang = p->lang,
                                       .partstat =
                                           rc == 0 ? own->inv.partstat : CV_PARTSTAT_NEEDS_ACTION,
                                       .role = p->role,
                                       .delegated_to = rc == 0 ? own->delegated_to : NULL};
    *ret = who;
    *n = 1;
    return 0;
}

static int person_feed(struct cv_store *st, const struct feed_world *w, const struct cv_person *p,
                       struct cv_feed_set *out, struct cv_error *err)
{
    char hash[CV_SHA256_HEX_SIZE], path[128], name[512];
    struct cv_error tokerr;
    struct feed_items it = {0};
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
    const struct cv_country *c = feed_member(w, p->country);
    const char *region = c ? c->region : NULL;
    bool office = p->role == CV_ROLE_ORGANIZER;
    struct feed_people fp = {0};

    snprintf(path, sizeof(path), "private/%s.ics", hash);
    snprintf(name, sizeof(name), "%s (%s)", cv_programme_name_in(&w->prog, p->lang), p->name);
    cal.name = name;
    cal.lang = p->lang;
    cal.tzid = p->tzid;
    cal.refresh_hours = w->opt->refresh_hours;
    cal.color = "teal";
    cal.organizer = w->prog.organizer;
    cal.organizer_name = w->prog.name;
    for (size_t k = 0; rc == 0 && k < w->events.n; k++) {
        const struct cv_event *e = &w->events.v[k];
        if (!feed_is_published(w, e) || !(office || cv_audience_match(e, p, region)))
            continue;
        const struct cv_ical_attendee *who = NULL;
        size_t nwho = 0;
        if ((rc = feed_people_of(st, p, e, office, &fp, &who, &nwho, err)) < 0)
            break;
        size_t first_item = it.n;
        rc = feed_add_event(w, k, true, false, who, &it);
        for (size_t i = first_item; i < it.n; i++)
            it.v[i].nattendees = nwho;
        /* The office also sees the chain of deadlines of each event still to come. */
        if (rc == 0 && office && e->status != CV_EVENT_HELD && e->status != CV_EVENT_CANCELLED &&
            nms + CV_MILESTONES_MAX <= sizeof(ms) / sizeof(ms[0])) {
            size_t first = nms;
            nms += cv_milestones_for_event(e, ms + nms);
            for (size_t i = first; rc == 0 && i < nms; i++) {
                struct cv_ical_item *item;
                snprintf(uids[i], sizeof(uids[i]), "%s-%s", e->uid, ms[i].key);
                if ((rc = feed_items_add(&it, &item)) < 0)
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
    else if (!err || !err->code)
        cv_error_set(err, rc, "out of memory");
    feed_people_release(&fp);
    for (size_t i = 0; i < nms; i++)
        cv_milestone_release(&ms[i]);
    free(it.v);
    return rc;
}

int cv_feed_build(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                  struct cv_feed_set *out, struct cv_error *err)
{
    struct feed_world w;
    int rc = feed_world_load(st, ctx, opt, &w, err);
    if (rc < 0)
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
    feed_world_release(&w);
    return rc;
}
