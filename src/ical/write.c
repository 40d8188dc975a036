/* SPDX-License-Identifier: MIT */
/* write.c: writing feeds with libical, one component at a time, in the form real clients read
 * (INTEROP.md): IANA-named VTIMEZONEs cut to the years used, no X-LIC- property, strict folding. */
#include <stdlib.h>
#include <string.h>

#include "ical_int.h"

#include "banned.h"

/* Labels of the links repeated in DESCRIPTION (Thunderbird does not show URL). */
static const char *label(const char *lang, int which)
{
    static const struct {
        const char *lang;
        const char *more, *source, *speakers;
    } t[] = {
        {"en", "More", "Source", "Speakers"},
        {"fr", "Plus", "Source", "Intervenants"},
        {"es", "M\u00e1s", "Fuente", "Ponentes"},
        {"ar", "\u0627\u0644\u0645\u0632\u064a\u062f", "\u0627\u0644\u0645\u0635\u062f\u0631",
         "\u0627\u0644\u0645\u062a\u062d\u062f\u062b\u0648\u0646"},
    };
    size_t i = 0;
    for (size_t k = 0; lang && k < sizeof(t) / sizeof(t[0]); k++) {
        if (strcmp(t[k].lang, lang) == 0)
            i = k;
    }
    return which == 0 ? t[i].more : which == 1 ? t[i].source : t[i].speakers;
}

/* A URI value that may reach libical, which copies URIs verbatim (INTEROP.md). */
static int check_uri(const char *u, const char *what, struct cv_error *err)
{
    if (!u || !cv_uri_is_valid(u))
        return cv_error_set(err, CV_EINVAL, "the %s '%.80s' is not a clean http(s) or mailto: URI",
                            what, u ? u : "");
    return 0;
}

/* RFC 6868 for parameter values: libical 3.0.16 writes '^' as is and a newline raw. */
static int param_text(const char *in, struct cv_buf *out)
{
    cv_buf_reset(out);
    for (const char *p = in; *p; p++) {
        int rc;
        if (*p == '^')
            rc = cv_buf_addstr(out, "^^");
        else if (*p == '\n')
            rc = cv_buf_addstr(out, "^n");
        else if ((unsigned char)*p < 0x20 || *p == 0x7f)
            continue;
        else
            rc = cv_buf_addch(out, *p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/*
 * Appends the serialised @c to @out with libical's folding undone and lines folded again at 75
 * octets, never inside a UTF-8 character, each ending in CRLF.
 */
/* Bytes of the UTF-8 character that starts with @c. */
static size_t char_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Appends one logical line folded at 75 octets between characters, and its CRLF. */
static int fold_line(const char *line, size_t len, struct cv_buf *out)
{
    size_t i = 0, limit = 75; /* the first line holds 75 octets, the others a space and 74 */
    int rc = 0;
    while (rc == 0 && i < len) {
        size_t end = i;
        while (end < len) {
            size_t c = char_len((unsigned char)line[end]);
            if (end + c > len)
                c = len - end;
            if (end - i + c > limit)
                break;
            end += c;
        }
        if (i > 0)
            rc = cv_buf_add(out, "\r\n ", 3);
        if (rc == 0)
            rc = cv_buf_add(out, line + i, end - i);
        i = end;
        limit = 74;
    }
    return rc == 0 ? cv_buf_add(out, "\r\n", 2) : rc;
}

static int emit_text(const char *s, struct cv_buf *out, struct cv_error *err)
{
    struct cv_buf line;
    int rc = 0;
    if (strstr(s, "X-LIC-"))
        return cv_error_set(err, CV_EINVAL, "an X-LIC- property would leave the machine");
    cv_buf_init(&line, CV_BUF_NOLIMIT);
    const char *p = s;
    while (*p && rc == 0) {
        /* One logical line: up to a line break not followed by a fold (libical's folds are
         * undone, since it may fold inside a character). */
        cv_buf_reset(&line);
        for (;;) {
            size_t n = strcspn(p, "\r\n");
            if ((rc = cv_buf_add(&line, p, n)) < 0)
                break;
            p += n;
            if (*p == '\r')
                p++;
            if (*p == '\n')
                p++;
            if (*p == ' ' || *p == '\t') {
                p++;
                continue;
            }
            break;
        }
        if (rc == 0 && line.len)
            rc = fold_line(line.buf, line.len, out);
    }
    cv_buf_release(&line);
    if (rc < 0)
        return cv_error_set(err, rc, rc == CV_ENOMEM ? "out of memory" : "the feed is too large");
    return 0;
}

static int emit(icalcomponent *c, struct cv_buf *out, struct cv_error *err)
{
    char *s = icalcomponent_as_ical_string_r(c);
    if (!s)
        return cv_error_set(err, CV_ENOMEM, "libical could not write a component");
    int rc = emit_text(s, out, err);
    free(s);
    return rc;
}

/*
 * A calendar-level TEXT property libical 3.0.16 does not know (NAME, X-WR-CALNAME): its
 * X-property path escapes only backslashes, so the value goes through libical's TEXT writer
 * as a COMMENT and the line is renamed.
 */
static int emit_text_property(const char *name, const char *value, struct cv_buf *out,
                              struct cv_error *err)
{
    icalproperty *p = icalproperty_new_comment(value);
    char *s = p ? icalproperty_as_ical_string_r(p) : NULL;
    int rc;
    if (p)
        icalproperty_free(p);
    if (!s || strncmp(s, "COMMENT:", 8) != 0) {
        free(s);
        return cv_error_set(err, CV_ENOMEM, "libical could not write %s", name);
    }
    struct cv_buf line;
    cv_buf_init(&line, CV_BUF_NOLIMIT);
    rc = cv_buf_addf(&line, "%s:%s", name, s + 8);
    free(s);
    if (rc == 0)
        rc = emit_text(line.buf, out, err);
    else
        cv_error_set(err, rc, "out of memory");
    cv_buf_release(&line);
    return rc;
}

static struct icaltimetype utc_time(int64_t t)
{
    struct icaltimetype it =
        icaltime_from_timet_with_zone((time_t)(t > 0 ? t : 0), 0, icaltimezone_get_utc_timezone());
    return it;
}

static struct icaltimetype ical_date(const struct cv_date *d)
{
    struct icaltimetype t = icaltime_null_date();
    t.year = d->year;
    t.month = d->month;
    t.day = d->day;
    t.is_date = 1;
    return t;
}

/* A local time in the IANA zone @tzid, as DTSTART/DTEND with TZID=@tzid (no libical prefix). */
/* The zones one feed uses, looked up once each. */
struct zone_cache {
    const char *tzid[16];
    icaltimezone *zone[16];
    size_t n;
};

static icaltimezone *cached_zone(struct zone_cache *zc, const char *tzid)
{
    for (size_t i = 0; i < zc->n; i++) {
        if (strcmp(zc->tzid[i], tzid) == 0)
            return zc->zone[i];
    }
    icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);
    if (zc->n < sizeof(zc->tzid) / sizeof(zc->tzid[0])) {
        zc->tzid[zc->n] = tzid;
        zc->zone[zc->n++] = z;
    }
    return z;
}

static icalproperty *zoned(bool start, int64_t t, const char *tzid, struct zone_cache *zc)
{
    icaltimezone *z = cached_zone(zc, tzid);
    struct icaltimetype it = icaltime_from_timet_with_zone((time_t)t, 0, z);
    it.zone = NULL;
    icalproperty *p = start ? icalproperty_new_dtstart(it) : icalproperty_new_dtend(it);
    icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
    return p;
}

/* The VTIMEZONE of @tzid for [first_year, last_year], named by its IANA id. */
static int write_vtimezone(const char *tzid, int first_year, int last_year, struct cv_buf *out,
                           struct cv_error *err)
{
    icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);
    if (!z || !cv_tz_exists(tzid))
        return cv_error_set(err, CV_EINVAL, "unknown time zone '%s'", tzid);
    icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
    if (!vtz)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    struct cv_date a = {first_year, 1, 1}, b = {last_year + 1, 1, 1};
    icaltimezone_truncate_vtimezone(vtz, utc_time(cv_date_to_days(&a) * 86400),
                                    utc_time(cv_date_to_days(&b) * 86400), 1);
    /* Name it by its IANA id and drop what libical adds (X-LIC-LOCATION, TZUNTIL). */
    icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_ANY_PROPERTY);
    while (p) {
        icalproperty *next = icalcomponent_get_next_property(vtz, ICAL_ANY_PROPERTY);
        icalproperty_kind k = icalproperty_isa(p);
        const char *name = icalproperty_get_property_name(p);
        if (k == ICAL_X_PROPERTY || (name && strcmp(name, "TZUNTIL") == 0)) {
            icalcomponent_remove_property(vtz, p);
            icalproperty_free(p);
        } else if (k == ICAL_TZID_PROPERTY) {
            icalproperty_set_tzid(p, tzid);
        }
        p = next;
    }
    int rc = emit(vtz, out, err);
    icalcomponent_free(vtz);
    return rc;
}

static enum icalproperty_status ical_status(enum cv_event_status s)
{
    switch (s) {
    case CV_EVENT_CONFIRMED:
    case CV_EVENT_HELD:
        return ICAL_STATUS_CONFIRMED;
    case CV_EVENT_CANCELLED:
        return ICAL_STATUS_CANCELLED;
    default:
        return ICAL_STATUS_TENTATIVE;
    }
}

static icalparameter_partstat ical_partstat(enum cv_partstat p)
{
    switch (p) {
    case CV_PARTSTAT_ACCEPTED:
        return ICAL_PARTSTAT_ACCEPTED;
    case CV_PARTSTAT_DECLINED:
        return ICAL_PARTSTAT_DECLINED;
    case CV_PARTSTAT_TENTATIVE:
        return ICAL_PARTSTAT_TENTATIVE;
    case CV_PARTSTAT_DELEGATED:
        return ICAL_PARTSTAT_DELEGATED;
    default:
        return ICAL_PARTSTAT_NEEDSACTION;
    }
}

static int add_attendee(icalcomponent *c, const struct cv_ical_cal *cal,
                        const struct cv_ical_attendee *a, struct cv_buf *cn, struct cv_error *err);

/* ORGANIZER and the @n ATTENDEEs at @a: the one of a private feed or an invitation, everyone
 * invited in the office's feed. */
static int add_people(icalcomponent *c, const struct cv_ical_cal *cal,
                      const struct cv_ical_attendee *a, size_t n, struct cv_error *err)
{
    struct cv_buf cn;
    int rc = 0;

    cv_buf_init(&cn, 1024);
    if (cal->organizer) {
        if ((rc = check_uri(cal->organizer, "organizer", err)) < 0)
            goto out;
        icalproperty *o = icalproperty_new_organizer(cal->organizer);
        if (cal->organizer_name && param_text(cal->organizer_name, &cn) == 0)
            icalproperty_add_parameter(o, icalparameter_new_cn(cn.buf));
        if (cal->organizer_sent_by) {
            if ((rc = check_uri(cal->organizer_sent_by, "SENT-BY address", err)) < 0 ||
                strncmp(cal->organizer_sent_by, "mailto:", 7) != 0) {
                icalproperty_free(o);
                rc = cv_error_set(err, CV_EINVAL, "SENT-BY must be a mailto: address");
                goto out;
            }
            icalproperty_add_parameter(o, icalparameter_new_sentby(cal->organizer_sent_by));
        }
        if (cal->schedule_agent_client)
            icalproperty_add_parameter(o,
                                       icalparameter_new_scheduleagent(ICAL_SCHEDULEAGENT_CLIENT));
        icalcomponent_add_property(c, o);
    }
    for (size_t i = 0; i < (n ? n : 1) && rc == 0; i++)
        rc = add_attendee(c, cal, &a[i], &cn, err);
out:
    cv_buf_release(&cn);
    return rc < 0 ? (err && err->code ? rc : cv_error_set(err, rc, "out of memory")) : 0;
}

/* A DELEGATED-TO or DELEGATED-FROM parameter holding "mailto:@address". */
static int add_delegation(icalproperty *p, bool to, const char *address, struct cv_error *err)
{
    char uri[300];
    snprintf(uri, sizeof(uri), "mailto:%s", address);
    int rc = check_uri(uri, "delegation address", err);
    if (rc == 0)
        icalproperty_add_parameter(p, to ? icalparameter_new_delegatedto(uri)
                                         : icalparameter_new_delegatedfrom(uri));
    return rc;
}

static int add_attendee(icalcomponent *c, const struct cv_ical_cal *cal,
                        const struct cv_ical_attendee *a, struct cv_buf *cn, struct cv_error *err)
{
    char uri[300];
    int rc;
    cv_buf_reset(cn);
    snprintf(uri, sizeof(uri), "mailto:%s", a->email);
    if ((rc = check_uri(uri, "attendee address", err)) < 0)
        goto out;
    icalproperty *p = icalproperty_new_attendee(uri);
    if (a->name && (rc = param_text(a->name, cn)) == 0)
        icalproperty_add_parameter(p, icalparameter_new_cn(cn->buf));
    icalproperty_add_parameter(p, icalparameter_new_role(a->role == CV_ROLE_PRINCIPAL
                                                             ? ICAL_ROLE_CHAIR
                                                             : ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(p, icalparameter_new_partstat(ical_partstat(a->partstat)));
    if (cal->method && strcmp(cal->method, "REQUEST") == 0)
        icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
    icalproperty_add_parameter(p, icalparameter_new_cutype(ICAL_CUTYPE_INDIVIDUAL));
    if (a->lang && cv_lang_is_supported(a->lang))
        icalproperty_add_parameter(p, icalparameter_new_language(a->lang));
    if (cal->schedule_agent_client)
        icalproperty_add_parameter(p, icalparameter_new_scheduleagent(ICAL_SCHEDULEAGENT_CLIENT));
    if ((a->delegated_to && (rc = add_delegation(p, true, a->delegated_to, err)) < 0) ||
        (a->delegated_from && (rc = add_delegation(p, false, a->delegated_from, err)) < 0)) {
        icalproperty_free(p);
        goto out;
    }
    icalcomponent_add_property(c, p);
    rc = 0;
out:
    return rc;
}

/* DESCRIPTION: the text, then the links, each on its own line. */
static int describe(icalcomponent *c, const char *lang, const char *text, const char *speakers,
                    const char *link, const char *source, struct cv_error *err)
{
    struct cv_buf d;
    int rc = 0;
    cv_buf_init(&d, 256 * 1024);
    if (text)
        rc = cv_buf_addstr(&d, text);
    if (rc == 0 && speakers) {
        rc = cv_buf_addf(&d, "%s%s: ", d.len ? "\n\n" : "", label(lang, 2));
        for (const char *p = speakers; rc == 0 && *p; p++)
            rc = *p == '\n' ? cv_buf_addstr(&d, ", ") : cv_buf_addch(&d, *p);
    }
    if (rc == 0 && link)
        rc = cv_buf_addf(&d, "%s%s: %s", d.len ? "\n\n" : "", label(lang, 0), link);
    if (rc == 0 && source && !cv_str_eq(source, link))
        rc = cv_buf_addf(&d, "%s%s: %s", d.len ? (link ? "\n" : "\n\n") : "", label(lang, 1),
                         source);
    if (rc == 0 && d.len)
        icalcomponent_add_property(c, icalproperty_new_description(d.buf));
    cv_buf_release(&d);
    if (rc < 0)
        return cv_error_set(err, rc, rc == CV_ENOMEM ? "out of memory" : "a description too long");
    return 0;
}

static void stamp(icalcomponent *c, int64_t revision, int sequence)
{
    icalcomponent_add_property(c, icalproperty_new_dtstamp(utc_time(revision)));
    icalcomponent_add_property(c, icalproperty_new_lastmodified(utc_time(revision)));
    icalcomponent_add_property(c, icalproperty_new_sequence(sequence));
}

static int write_event(const struct cv_ical_cal *cal, const struct cv_ical_item *it,
                       icalcomponent **ret, struct cv_error *err)
{
    const struct cv_event *e = it->event;
    icalcomponent *c = icalcomponent_new_vevent();
    int rc;

    if (!cv_event_has_dates(e)) {
        icalcomponent_free(c);
        return cv_error_set(err, CV_EINVAL, "event %s has no dates to publish", e->key);
    }
    icalcomponent_add_property(c, icalproperty_new_uid(e->uid));
    stamp(c, e->revision, e->sequence);
    icalcomponent_add_property(c, icalproperty_new_dtstart(ical_date(&e->start)));
    struct cv_date after = cv_date_add_days(&e->end, 1);
    icalcomponent_add_property(c, icalproperty_new_dtend(ical_date(&after)));
    icalcomponent_add_property(c, icalproperty_new_summary(cv_event_title_in(e, cal->lang)));
    if (it->location)
        icalcomponent_add_property(c, icalproperty_new_location(it->location));
    icalcomponent_add_property(c, icalproperty_new_status(ical_status(e->status)));
    icalcomponent_add_property(c, icalproperty_new_class(ICAL_CLASS_PUBLIC));
    icalcomponent_add_property(
        c, icalproperty_new_transp(it->transparent ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
    if ((rc = describe(c, cal->lang, e->description, NULL, it->link, e->source_url, err)) < 0)
        goto fail;
    const char *url = it->link ? it->link : e->source_url;
    if (url) {
        if ((rc = check_uri(url, "event link", err)) < 0)
            goto fail;
        icalcomponent_add_property(c, icalproperty_new_url(url));
    }
    if (it->attendee && (rc = add_people(c, cal, it->attendee, it->nattendees, err)) < 0)
        goto fail;
    *ret = c;
    return 0;
fail:
    icalcomponent_free(c);
    return rc;
}

static int write_session(const struct cv_ical_cal *cal, const struct cv_ical_item *it,
                         struct zone_cache *zc, icalcomponent **ret, struct cv_error *err)
{
    const struct cv_session *s = it->session;
    const struct cv_event *e = it->event;
    icalcomponent *c = icalcomponent_new_vevent();
    int rc;

    if (!s->start) {
        icalcomponent_free(c);
        return cv_error_set(err, CV_EINVAL, "session %s has no time to publish", s->key);
    }
    icalcomponent_add_property(c, icalproperty_new_uid(s->uid));
    /* A session is stamped by whichever changed last: itself or its event. */
    stamp(c, s->revision > e->revision ? s->revision : e->revision, s->sequence);
    icalcomponent_add_property(c, zoned(true, s->start, e->tzid, zc));
    icalcomponent_add_property(c, zoned(false, s->start + (int64_t)s->minutes * 60, e->tzid, zc));
    icalcomponent_add_property(c, icalproperty_new_summary(s->title));
    if (it->location)
        icalcomponent_add_property(c, icalproperty_new_location(it->location));
    icalcomponent_add_property(c, icalproperty_new_status(ical_status(e->status)));
    icalcomponent_add_property(c, icalproperty_new_class(ICAL_CLASS_PUBLIC));
    icalcomponent_add_property(
        c, icalproperty_new_transp(it->transparent ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
    icalproperty *rel = icalproperty_new_relatedto(e->uid);
    icalproperty_add_parameter(rel, icalparameter_new_reltype(ICAL_RELTYPE_PARENT));
    icalcomponent_add_property(c, rel);
    if ((rc = describe(c, cal->lang, s->description, s->speakers, it->link, s->source_url, err)) <
        0)
        goto fail;
    const char *url = it->link ? it->link : s->source_url;
    if (url) {
        if ((rc = check_uri(url, "session link", err)) < 0)
            goto fail;
        icalcomponent_add_property(c, icalproperty_new_url(url));
    }
    if (it->attendee && (rc = add_people(c, cal, it->attendee, it->nattendees, err)) < 0)
        goto fail;
    *ret = c;
    return 0;
fail:
    icalcomponent_free(c);
    return rc;
}

static int write_todo(const struct cv_ical_cal *cal, const struct cv_ical_item *it,
                      icalcomponent **ret, struct cv_error *err)
{
    const struct cv_milestone *m = it->milestone;
    const struct cv_event *e = it->event;
    icalcomponent *c = icalcomponent_new_vtodo();
    int rc;

    if (!it->uid || cv_has_ctl(it->uid) || !cv_date_is_valid(&m->due)) {
        icalcomponent_free(c);
        return cv_error_set(err, CV_EINVAL, "milestone %s has no UID or due date",
                            m->key ? m->key : "");
    }
    icalcomponent_add_property(c, icalproperty_new_uid(it->uid));
    stamp(c, e->revision, e->sequence);
    icalcomponent_add_property(c, icalproperty_new_due(ical_date(&m->due)));
    icalcomponent_add_property(c, icalproperty_new_summary(m->title));
    icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
    icalcomponent_add_property(c, icalproperty_new_class(ICAL_CLASS_CONFIDENTIAL));
    icalproperty *rel = icalproperty_new_relatedto(e->uid);
    icalproperty_add_parameter(rel, icalparameter_new_reltype(ICAL_RELTYPE_PARENT));
    icalcomponent_add_property(c, rel);
    if (it->after_uid) {
        /* RFC 9253: this milestone depends on the one before it in the chain. */
        icalproperty *dep = icalproperty_new_relatedto(it->after_uid);
        icalparameter *rt = icalparameter_new_reltype(ICAL_RELTYPE_X);
        icalparameter_set_xvalue(rt, "DEPENDS-ON");
        icalproperty_add_parameter(dep, rt);
        icalcomponent_add_property(c, dep);
    }
    if ((rc = describe(c, cal->lang, NULL, NULL, it->link, NULL, err)) < 0) {
        icalcomponent_free(c);
        return rc;
    }
    *ret = c;
    return 0;
}

/* The zones the items use and the years they span. */
struct zones {
    const char *v[64];
    size_t n;
    int first_year, last_year;
};

static void zone_add(struct zones *z, const char *tzid)
{
    for (size_t i = 0; i < z->n; i++) {
        if (strcmp(z->v[i], tzid) == 0)
            return;
    }
    if (z->n < sizeof(z->v) / sizeof(z->v[0]))
        z->v[z->n++] = tzid;
}

static void year_add(struct zones *z, int y)
{
    if (!z->first_year || y < z->first_year)
        z->first_year = y;
    if (y > z->last_year)
        z->last_year = y;
}

static int cmp_zone(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cv_ical_write(const struct cv_ical_cal *cal, const struct cv_ical_item *items, size_t n,
                  struct cv_buf *out, struct cv_error *err)
{
    struct zone_cache zc = {0};
    struct zones zones = {0};
    icalcomponent *vcal = NULL;
    char *head = NULL;
    int rc = 0;

    if (cal->url && (rc = check_uri(cal->url, "feed URL", err)) < 0)
        return rc;
    if (cal->tzid && !cv_tz_exists(cal->tzid))
        return cv_error_set(err, CV_EINVAL, "unknown time zone '%s'", cal->tzid);

    for (size_t i = 0; i < n; i++) {
        const struct cv_event *e = items[i].event;
        if (items[i].kind == CV_ITEM_SESSION && items[i].session->start) {
            struct cv_date d = cv_date_from_days(items[i].session->start / 86400);
            zone_add(&zones, e->tzid);
            year_add(&zones, d.year);
        } else if (items[i].kind == CV_ITEM_EVENT && cv_event_has_dates(e)) {
            year_add(&zones, e->start.year);
            year_add(&zones, e->end.year);
        }
    }
    if (cal->tzid) {
        zone_add(&zones, cal->tzid);
        if (!zones.first_year)
            year_add(&zones, 2024);
    }
    qsort(zones.v, zones.n, sizeof(zones.v[0]), cmp_zone);

    /* The calendar's own properties, serialised by libical; its END line is written last. */
    vcal = icalcomponent_new_vcalendar();
    icalcomponent_add_property(vcal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(vcal, icalproperty_new_prodid("-//convene//convene//EN"));
    icalcomponent_add_property(vcal, icalproperty_new_calscale("GREGORIAN"));
    if (cal->method) {
        icalproperty_method m = icalenum_string_to_method(cal->method);
        if (m != ICAL_METHOD_REQUEST && m != ICAL_METHOD_CANCEL && m != ICAL_METHOD_PUBLISH &&
            m != ICAL_METHOD_REPLY && m != ICAL_METHOD_DECLINECOUNTER) {
            rc = cv_error_set(err, CV_EINVAL, "'%s' is not an iTIP method convene sends",
                              cal->method);
            goto out;
        }
        icalcomponent_add_property(vcal, icalproperty_new_method(m));
    }
    struct {
        const char *name, *value;
    } x[] = {
        {"X-WR-TIMEZONE", cal->tzid},
        {"COLOR", cal->color},
    };
    for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
        if (!x[i].value)
            continue;
        if (cv_has_ctl(x[i].value)) {
            rc = cv_error_set(err, CV_EINVAL, "the calendar's %s has a control character",
                              x[i].name);
            goto out;
        }
        icalproperty *p = icalproperty_new_x(x[i].value);
        icalproperty_set_x_name(p, x[i].name);
        icalcomponent_add_property(vcal, p);
    }
    if (cal->refresh_hours > 0) {
        char d[32];
        snprintf(d, sizeof(d), "PT%dH", cal->refresh_hours);
        icalproperty *p = icalproperty_new_x(d);
        icalproperty_set_x_name(p, "REFRESH-INTERVAL");
        icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_DURATION));
        icalcomponent_add_property(vcal, p);
        p = icalproperty_new_x(d);
        icalproperty_set_x_name(p, "X-PUBLISHED-TTL");
        icalcomponent_add_property(vcal, p);
    }
    if (cal->url) {
        icalproperty *p = icalproperty_new_x(cal->url);
        icalproperty_set_x_name(p, "URL");
        icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_URI));
        icalcomponent_add_property(vcal, p);
    }
    {
        struct cv_buf all;
        cv_buf_init(&all, CV_BUF_NOLIMIT);
        rc = emit(vcal, &all, err);
        static const char end[] = "END:VCALENDAR\r\n";
        if (rc == 0 &&
            (all.len < sizeof(end) - 1 || strcmp(all.buf + all.len - (sizeof(end) - 1), end) != 0))
            rc = cv_error_set(err, CV_EINVAL, "libical wrote an unexpected calendar");
        if (rc == 0 && (rc = cv_buf_add(out, all.buf, all.len - (sizeof(end) - 1))) < 0)
            cv_error_set(err, rc, rc == CV_ENOMEM ? "out of memory" : "the feed is too large");
        cv_buf_release(&all);
        if (rc < 0)
            goto out;
    }
    {
        const struct {
            const char *name, *value;
        } t[] = {
            {"NAME", cal->name},
            {"X-WR-CALNAME", cal->name},
            {"X-WR-CALDESC", cal->description},
        };
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
            if (t[i].value && (rc = emit_text_property(t[i].name, t[i].value, out, err)) < 0)
                goto out;
        }
    }
    for (size_t i = 0; i < zones.n; i++) {
        if ((rc = write_vtimezone(zones.v[i], zones.first_year, zones.last_year, out, err)) < 0)
            goto out;
    }
    for (size_t i = 0; i < n; i++) {
        icalcomponent *c = NULL;
        switch (items[i].kind) {
        case CV_ITEM_EVENT:
            rc = write_event(cal, &items[i], &c, err);
            break;
        case CV_ITEM_SESSION:
            rc = write_session(cal, &items[i], &zc, &c, err);
            break;
        case CV_ITEM_TODO:
            rc = write_todo(cal, &items[i], &c, err);
            break;
        }
        if (rc == 0)
            rc = emit(c, out, err);
        if (c)
            icalcomponent_free(c);
        if (rc < 0)
            goto out;
    }
    if ((rc = cv_buf_addstr(out, "END:VCALENDAR\r\n")) < 0)
        cv_error_set(err, rc, rc == CV_ENOMEM ? "out of memory" : "the feed is too large");
out:
    free(head);
    if (vcal)
        icalcomponent_free(vcal);
    return rc;
}
