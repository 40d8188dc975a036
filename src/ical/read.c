/* SPDX-License-Identifier: MIT */
/* read.c: turning iCalendar components into programmes, events and reference calendars. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ical_int.h"

#include "banned.h"

/* The text of an X- or TEXT property, unescaped; other values in their iCalendar form. */
static const char *prop_text(icalproperty *p)
{
    icalvalue *v = icalproperty_get_value(p);
    if (!v)
        return NULL;
    switch (icalvalue_isa(v)) {
    case ICAL_X_VALUE:
        return icalvalue_get_x(v);
    case ICAL_TEXT_VALUE:
        return icalvalue_get_text(v);
    default:
        return icalproperty_get_value_as_string(p);
    }
}

/* The first X-property named @name in @c, or NULL. */
static icalproperty *x_prop(icalcomponent *c, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
        const char *n = icalproperty_get_x_name(p);
        if (n && strcasecmp(n, name) == 0)
            return p;
    }
    return NULL;
}

static const char *x_text(icalcomponent *c, const char *name)
{
    icalproperty *p = x_prop(c, name);
    const char *s = p ? prop_text(p) : NULL;
    return s && *s ? s : NULL;
}

/* Sets *@dst from an optional text; an empty text leaves NULL. */
static int set_opt(char **dst, const char *s)
{
    return cv_str_set(dst, s && *s ? s : NULL);
}

static int x_date(icalcomponent *c, const char *name, struct cv_date *out, struct cv_error *err)
{
    const char *s = x_text(c, name);
    if (!s)
        return 0;
    if (cv_date_parse(s, out) < 0)
        return cv_error_set(err, CV_EINVAL, "%s '%s' is not a date (YYYYMMDD)", name, s);
    return 0;
}

/* A date from a DATE or DATE-TIME value (its local date); false when null or invalid. */
static bool time_date(struct icaltimetype t, struct cv_date *out)
{
    if (icaltime_is_null_time(t))
        return false;
    struct cv_date d = {t.year, t.month, t.day};
    if (!cv_date_is_valid(&d))
        return false;
    *out = d;
    return true;
}

/* UTC seconds of LAST-MODIFIED, else DTSTAMP, else 0. */
static int64_t revision_of(icalcomponent *c)
{
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_LASTMODIFIED_PROPERTY);
    struct icaltimetype t = icaltime_null_time();
    if (p)
        t = icalproperty_get_lastmodified(p);
    else if ((p = icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY)))
        t = icalproperty_get_dtstamp(p);
    if (icaltime_is_null_time(t))
        return 0;
    return (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
}

static int event_from_vevent(icalcomponent *v, struct cv_event *e, struct cv_error *err)
{
    const char *s;
    int rc;

    if ((rc = set_opt(&e->key, x_text(v, "X-CONVENE-KEY"))) < 0 ||
        (rc = set_opt(&e->uid, icalcomponent_get_uid(v))) < 0 ||
        (rc = set_opt(&e->title, icalcomponent_get_summary(v))) < 0 ||
        (rc = set_opt(&e->region, x_text(v, "X-CONVENE-REGION"))) < 0 ||
        (rc = set_opt(&e->city, x_text(v, "X-CONVENE-CITY"))) < 0 ||
        (rc = set_opt(&e->country, x_text(v, "X-CONVENE-COUNTRY"))) < 0 ||
        (rc = set_opt(&e->venue, icalcomponent_get_location(v))) < 0 ||
        (rc = set_opt(&e->tzid, x_text(v, "X-CONVENE-TZID"))) < 0 ||
        (rc = set_opt(&e->description, icalcomponent_get_description(v))) < 0 ||
        (rc = set_opt(&e->inside, x_text(v, "X-CONVENE-INSIDE"))) < 0 ||
        (rc = set_opt(&e->audience, x_text(v, "X-CONVENE-AUDIENCE"))) < 0 ||
        (rc = set_opt(&e->blackouts, x_text(v, "X-CONVENE-BLACKOUT"))) < 0 ||
        (rc = set_opt(&e->avoids, x_text(v, "X-CONVENE-AVOID"))) < 0)
        return cv_error_set(err, rc, "out of memory");
    if ((s = x_text(v, "X-CONVENE-LEAD-DAYS"))) {
        long lead;
        if (cv_parse_long(s, 0, 730, &lead) < 0)
            return cv_error_set(err, CV_EINVAL,
                                "event %s: X-CONVENE-LEAD-DAYS '%s' is not 0 to 730",
                                e->key ? e->key : "", s);
        e->lead_days = (int)lead;
    }
    if ((s = x_text(v, "X-CONVENE-PREFER-WEEKDAYS")) &&
        cv_weekdays_parse(s, &e->prefer_weekdays) < 0)
        return cv_error_set(err, CV_EINVAL,
                            "event %s: X-CONVENE-PREFER-WEEKDAYS '%s' is not a "
                            "list of days",
                            e->key ? e->key : "", s);
    if ((rc = x_date(v, "X-CONVENE-PREFER-START", &e->prefer_first, err)) < 0 ||
        (rc = x_date(v, "X-CONVENE-PREFER-END", &e->prefer_last, err)) < 0)
        return rc;
    if (!e->key)
        return cv_error_set(err, CV_EINVAL, "an event without X-CONVENE-KEY; give it a key");

    icalproperty *url = icalcomponent_get_first_property(v, ICAL_URL_PROPERTY);
    if (url && (rc = set_opt(&e->source_url, icalproperty_get_url(url))) < 0)
        return cv_error_set(err, rc, "out of memory");

    for (icalproperty *p = icalcomponent_get_first_property(v, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(v, ICAL_X_PROPERTY)) {
        if (strcasecmp(icalproperty_get_x_name(p), "X-CONVENE-TITLE") != 0)
            continue;
        icalparameter *lp = icalproperty_get_first_parameter(p, ICAL_LANGUAGE_PARAMETER);
        const char *lang = lp ? icalparameter_get_language(lp) : NULL;
        if (!lang || !cv_lang_is_supported(lang))
            return cv_error_set(err, CV_EINVAL,
                                "event %s: X-CONVENE-TITLE needs LANGUAGE=fr, es or ar", e->key);
        if ((rc = cv_event_set_title(e, lang, prop_text(p))) < 0)
            return cv_error_set(err, rc, "event %s: bad title", e->key);
    }

    if ((s = x_text(v, "X-CONVENE-KIND")) && cv_event_kind_parse(s, &e->kind) < 0)
        return cv_error_set(err, CV_EINVAL, "event %s: unknown X-CONVENE-KIND '%s'", e->key, s);
    if ((s = x_text(v, "X-CONVENE-STATUS"))) {
        if (cv_event_status_parse(s, &e->status) < 0)
            return cv_error_set(err, CV_EINVAL, "event %s: unknown X-CONVENE-STATUS '%s'", e->key,
                                s);
    } else {
        enum icalproperty_status st = icalcomponent_get_status(v);
        e->status = st == ICAL_STATUS_CONFIRMED   ? CV_EVENT_CONFIRMED
                    : st == ICAL_STATUS_CANCELLED ? CV_EVENT_CANCELLED
                    : st == ICAL_STATUS_TENTATIVE ? CV_EVENT_TENTATIVE
                                                  : CV_EVENT_PROPOSED;
    }
    if ((s = x_text(v, "X-CONVENE-SCENARIO")))
        e->scenario = strcasecmp(s, "TRUE") == 0;
    if ((rc = x_date(v, "X-CONVENE-WINDOW-START", &e->window_start, err)) < 0 ||
        (rc = x_date(v, "X-CONVENE-WINDOW-END", &e->window_end, err)) < 0)
        return rc;

    struct icaltimetype ds = icalcomponent_get_dtstart(v);
    struct icaltimetype de = icalcomponent_get_dtend(v);
    if (!icaltime_is_null_time(ds)) {
        struct cv_date last;
        if (!ds.is_date || !time_date(ds, &e->start))
            return cv_error_set(err, CV_EINVAL,
                                "event %s: DTSTART must be a valid date (VALUE=DATE)", e->key);
        if (icaltime_is_null_time(de)) {
            e->end = e->start;
        } else if (!de.is_date || !time_date(de, &last) || cv_date_cmp(&last, &e->start) <= 0) {
            return cv_error_set(err, CV_EINVAL,
                                "event %s: DTEND must be a date after DTSTART (it is exclusive)",
                                e->key);
        } else {
            e->end = cv_date_add_days(&last, -1);
        }
        e->days = (int)(cv_date_to_days(&e->end) - cv_date_to_days(&e->start) + 1);
    }
    if ((s = x_text(v, "X-CONVENE-DAYS"))) {
        long days;
        if (cv_parse_long(s, 1, 366, &days) < 0)
            return cv_error_set(err, CV_EINVAL, "event %s: X-CONVENE-DAYS '%s' is not 1 to 366",
                                e->key, s);
        e->days = (int)days;
    }
    int seq = icalcomponent_get_sequence(v);
    e->sequence = seq > 0 ? seq : 0;
    e->revision = revision_of(v);
    return cv_event_validate(e, err);
}

/* UTC seconds of a DATE-TIME with a TZID of the IANA database, or in UTC. */
static int utc_of(icalproperty *p, struct icaltimetype t, int64_t *out)
{
    icaltimezone *zone = NULL;
    if (t.is_date || icaltime_is_null_time(t))
        return CV_EINVAL;
    if (icaltime_is_utc(t)) {
        zone = icaltimezone_get_utc_timezone();
    } else {
        icalparameter *tp = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
        const char *tzid = tp ? icalparameter_get_tzid(tp) : NULL;
        if (!tzid || !cv_tz_exists(tzid) || !(zone = icaltimezone_get_builtin_timezone(tzid)))
            return CV_EINVAL;
    }
    *out = (int64_t)icaltime_as_timet_with_zone(t, zone);
    return 0;
}

static int session_from_vevent(icalcomponent *v, struct cv_session *s, struct cv_error *err)
{
    const char *str;
    int rc;

    if ((rc = set_opt(&s->event_key, x_text(v, "X-CONVENE-EVENT"))) < 0 ||
        (rc = set_opt(&s->key, x_text(v, "X-CONVENE-KEY"))) < 0 ||
        (rc = set_opt(&s->uid, icalcomponent_get_uid(v))) < 0 ||
        (rc = set_opt(&s->title, icalcomponent_get_summary(v))) < 0 ||
        (rc = set_opt(&s->room, icalcomponent_get_location(v))) < 0 ||
        (rc = set_opt(&s->description, icalcomponent_get_description(v))) < 0 ||
        (rc = set_opt(&s->speakers, x_text(v, "X-CONVENE-SPEAKERS"))) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (!s->key)
        return cv_error_set(err, CV_EINVAL, "a session without X-CONVENE-KEY; give it a key");
    icalproperty *url = icalcomponent_get_first_property(v, ICAL_URL_PROPERTY);
    if (url && (rc = set_opt(&s->source_url, icalproperty_get_url(url))) < 0)
        return cv_error_set(err, rc, "out of memory");
    if ((str = x_text(v, "X-CONVENE-TRACK")) && cv_track_parse(str, &s->track) < 0)
        return cv_error_set(err, CV_EINVAL, "session %s: unknown X-CONVENE-TRACK '%s'", s->key,
                            str);
    icalproperty *ps = icalcomponent_get_first_property(v, ICAL_DTSTART_PROPERTY);
    icalproperty *pe = icalcomponent_get_first_property(v, ICAL_DTEND_PROPERTY);
    int64_t start, end;
    if (!ps || !pe || utc_of(ps, icalproperty_get_dtstart(ps), &start) < 0 ||
        utc_of(pe, icalproperty_get_dtend(pe), &end) < 0 || end <= start)
        return cv_error_set(err, CV_EINVAL,
                            "session %s: DTSTART and DTEND must be times with an IANA TZID, "
                            "the end after the start",
                            s->key);
    s->start = start;
    s->minutes = (int)((end - start) / 60);
    int seq = icalcomponent_get_sequence(v);
    s->sequence = seq > 0 ? seq : 0;
    s->revision = revision_of(v);
    return cv_session_validate(s, err);
}

/* Adds "@kind@a[/@b]" to @seen. @return 0, CV_ECONFLICT when it was there, or CV_ENOMEM. */
static int once(struct cv_strset *seen, const char *kind, const char *a, const char *b,
                struct cv_error *err)
{
    struct cv_buf k;
    cv_buf_init(&k, CV_BUF_NOLIMIT);
    int rc = cv_buf_addf(&k, "%s%s%s%s", kind, a ? a : "", b ? "/" : "", b ? b : "");
    if (rc == 0)
        rc = cv_strset_add(seen, k.buf);
    cv_buf_release(&k);
    if (rc < 0)
        return cv_error_set(err, rc, "out of memory");
    return rc == 0 ? CV_ECONFLICT : 0;
}

int cv_ical_read_programme(const char *data, size_t len, const char *name,
                           const struct cv_ical_limits *lim, struct cv_programme *prog,
                           struct cv_event_list *events, struct cv_session_list *sessions,
                           struct cv_error *err)
{
    struct cv_strset seen; /* UIDs, event keys, session keys: each once */
    cv_strset_init(&seen);
    struct ical_lines lines;
    icalcomponent *root = NULL;
    size_t index = 0;
    int rc;

    ical_lines_init(&lines);
    rc = ical_parse(data, len, name, lim, &lines, &root, err);
    if (rc < 0)
        goto out;
    if ((rc = set_opt(&prog->key, x_text(root, "X-CONVENE-KEY"))) < 0 ||
        (rc = set_opt(&prog->name, x_text(root, "X-WR-CALNAME"))) < 0 ||
        (rc = set_opt(&prog->organizer, x_text(root, "X-CONVENE-ORGANIZER"))) < 0 ||
        (rc = set_opt(&prog->languages, x_text(root, "X-CONVENE-LANGUAGES"))) < 0 ||
        (rc = set_opt(&prog->description, x_text(root, "X-WR-CALDESC"))) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    /* The name in other languages: X-CONVENE-NAME;LANGUAGE=fr (X-WR-CALNAME is the English
     * one), as an event's X-CONVENE-TITLE. */
    for (icalproperty *p = icalcomponent_get_first_property(root, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(root, ICAL_X_PROPERTY)) {
        if (strcasecmp(icalproperty_get_x_name(p), "X-CONVENE-NAME") != 0)
            continue;
        icalparameter *lp = icalproperty_get_first_parameter(p, ICAL_LANGUAGE_PARAMETER);
        const char *lang = lp ? icalparameter_get_language(lp) : NULL;
        const char *text = prop_text(p);
        if (!lang || !cv_lang_is_supported(lang) || strcmp(lang, "en") == 0 || !text || !*text)
            rc = cv_error_set(err, CV_EINVAL,
                              "X-CONVENE-NAME needs LANGUAGE=fr, es or ar and a name (the "
                              "English one is X-WR-CALNAME)");
        else if ((rc = cv_programme_set_name(prog, lang, text)) < 0)
            cv_error_set(err, rc, "out of memory");
        if (rc < 0) {
            cv_error_at(err, name, ical_find_line(&lines, "X-CONVENE-NAME"));
            goto out;
        }
    }
    if ((rc = x_date(root, "X-CONVENE-PLANNING-DATE", &prog->planning_date, err)) < 0) {
        cv_error_at(err, name, ical_find_line(&lines, "X-CONVENE-PLANNING-DATE"));
        goto out;
    }
    rc = cv_programme_validate(prog, err);
    if (rc < 0) {
        cv_error_at(err, name, 1);
        goto out;
    }
    for (icalcomponent *v = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); v;
         v = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT), index++) {
        struct cv_event *e;
        if (x_text(v, "X-CONVENE-EVENT")) {
            struct cv_session *s;
            if (!sessions) {
                rc = cv_error_set(err, CV_EINVAL, "sessions are not expected here");
            } else if ((rc = cv_session_list_add(sessions, &s)) < 0) {
                cv_error_set(err, rc, "out of memory");
            } else {
                rc = session_from_vevent(v, s, err);
                if (rc == 0) {
                    rc = once(&seen, "u:", s->uid, NULL, err);
                    if (rc == 0)
                        rc = once(&seen, "s:", s->event_key, s->key, err);
                    if (rc == CV_ECONFLICT)
                        rc = cv_error_set(err, CV_EINVAL,
                                          "session %s: its key or UID is used twice", s->key);
                }
            }
            if (rc < 0) {
                cv_error_at(err, name, index < lines.nbegin ? lines.begin_line[index] : 0);
                goto out;
            }
            continue;
        }
        if ((rc = cv_event_list_add(events, &e)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        rc = event_from_vevent(v, e, err);
        if (rc == 0) {
            rc = once(&seen, "u:", e->uid, NULL, err);
            if (rc == 0)
                rc = once(&seen, "k:", e->key, NULL, err);
            if (rc == CV_ECONFLICT)
                rc = cv_error_set(err, CV_EINVAL,
                                  "event %s: its key or UID is used twice; keep them unique",
                                  e->key);
        }
        if (rc < 0) {
            cv_error_at(err, name, index < lines.nbegin ? lines.begin_line[index] : 0);
            goto out;
        }
    }
    if (events->n == 0) {
        rc = cv_error_set(err, CV_EINVAL, "the programme has no VEVENT");
        cv_error_at(err, name, 0);
    }
    for (size_t i = 0; rc == 0 && sessions && i < sessions->n; i++) {
        char probe[160];
        snprintf(probe, sizeof(probe), "k:%s", sessions->v[i].event_key);
        if (!cv_strset_has(&seen, probe)) {
            rc = cv_error_set(err, CV_EINVAL, "session %s names no event of the file ('%s')",
                              sessions->v[i].key, sessions->v[i].event_key);
            cv_error_at(err, name, 0);
        }
    }
out:
    cv_strset_release(&seen);
    if (root)
        icalcomponent_free(root);
    ical_lines_release(&lines);
    return rc;
}

/* First and last day (inclusive) of one occurrence starting at @start, lasting like @v. */
static bool occurrence_days(icalcomponent *v, struct icaltimetype start, struct cv_date *first,
                            struct cv_date *last)
{
    struct icaltimetype ds = icalcomponent_get_dtstart(v);
    struct icaltimetype de = icalcomponent_get_dtend(v);
    int64_t span = 0; /* extra days after the first */

    if (!time_date(start, first))
        return false;
    if (!icaltime_is_null_time(de)) {
        struct cv_date a, b;
        if (!time_date(ds, &a) || !time_date(de, &b))
            return false;
        span = cv_date_to_days(&b) - cv_date_to_days(&a);
        /* DTEND is exclusive: a date, or a time at midnight, ends the day before. */
        if (de.is_date || (de.hour == 0 && de.minute == 0 && de.second == 0))
            span--;
    } else if (!icaldurationtype_is_null_duration(icalcomponent_get_duration(v))) {
        struct icaldurationtype d = icalcomponent_get_duration(v);
        span = (int64_t)d.weeks * 7 + d.days - (ds.is_date ? 1 : 0);
    }
    if (span < 0)
        span = 0;
    if (span > 366)
        return false;
    *last = cv_date_add_days(first, span);
    return true;
}

static int entry_fill(icalcomponent *v, struct cv_refentry *e, struct cv_error *err)
{
    const char *s;
    int rc;
    if ((rc = set_opt(&e->uid, icalcomponent_get_uid(v))) < 0 ||
        (rc = set_opt(&e->key, x_text(v, "X-CONVENE-KEY"))) < 0 ||
        (rc = set_opt(&e->summary, icalcomponent_get_summary(v))) < 0 ||
        (rc = set_opt(&e->confidence, x_text(v, "X-CONVENE-CONFIDENCE"))) < 0 ||
        (rc = set_opt(&e->description, icalcomponent_get_description(v))) < 0)
        return cv_error_set(err, rc, "out of memory");
    icalproperty *p = icalcomponent_get_first_property(v, ICAL_URL_PROPERTY);
    if (p && (rc = set_opt(&e->url, icalproperty_get_url(p))) < 0)
        return cv_error_set(err, rc, "out of memory");
    p = icalcomponent_get_first_property(v, ICAL_CATEGORIES_PROPERTY);
    if (p && (rc = set_opt(&e->category, icalproperty_get_categories(p))) < 0)
        return cv_error_set(err, rc, "out of memory");
    if ((s = x_text(v, "X-CONVENE-MEANING"))) {
        if (cv_meaning_parse(s, &e->meaning) < 0)
            return cv_error_set(err, CV_EINVAL,
                                "unknown X-CONVENE-MEANING '%s'; use blackout, "
                                "avoid or prefer",
                                s);
        e->has_meaning = true;
    }
    return 0;
}

static int cmp_time(const void *a, const void *b)
{
    return icaltime_compare(*(const struct icaltimetype *)a, *(const struct icaltimetype *)b);
}

/* True when @t falls on a day an EXDATE of @v removes. */
static bool is_excluded(icalcomponent *v, struct icaltimetype t)
{
    for (icalproperty *p = icalcomponent_get_first_property(v, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(v, ICAL_EXDATE_PROPERTY)) {
        struct icaltimetype x = icalproperty_get_exdate(p);
        if (x.year == t.year && x.month == t.month && x.day == t.day)
            return true;
    }
    return false;
}

/*
 * Adds the occurrences of one VEVENT to @c: DTSTART, or its RRULE expanded from 2000 to 2040,
 * with the RDATEs added and the EXDATEs removed (RFC 5545 section 3.8.5), at most
 * lim->max_instances in all.
 */
static int add_vevent(icalcomponent *v, const struct cv_ical_limits *lim, struct cv_refcal *c,
                      struct cv_error *err)
{
    struct icaltimetype ds = icalcomponent_get_dtstart(v);
    icalproperty *rp = icalcomponent_get_first_property(v, ICAL_RRULE_PROPERTY);
    const struct cv_date horizon = {2040, 12, 31};
    struct icaltimetype *starts = NULL;
    size_t n = 0, alloc = 0;
    int rc = 0;

    if (icaltime_is_null_time(ds))
        return cv_error_set(err, CV_EINVAL, "an entry without DTSTART");
    if (!rp) {
        if ((rc = cv_grow(&starts, &alloc, 1, sizeof(*starts))) < 0)
            return cv_error_set(err, rc, "out of memory");
        starts[n++] = ds;
    } else {
        struct icalrecurrencetype r = icalproperty_get_rrule(rp);
        if (r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
            r.freq == ICAL_HOURLY_RECURRENCE || r.freq == ICAL_NO_RECURRENCE)
            return cv_error_set(err, CV_EINVAL,
                                "an RRULE finer than DAILY; reference entries repeat by days at "
                                "most");
        icalrecur_iterator *it = icalrecur_iterator_new(r, ds);
        if (!it)
            return cv_error_set(err, CV_EINVAL, "an RRULE libical cannot expand");
        size_t steps = 0;
        clock_t t0 = clock();
        for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            struct cv_date d;
            if (++steps > 10 * lim->max_instances || clock() - t0 > CLOCKS_PER_SEC / 10) {
                rc = cv_error_set(err, CV_ELIMIT, "an RRULE that takes too long to expand");
                break;
            }
            if (!time_date(t, &d) || cv_date_cmp(&d, &horizon) > 0)
                break;
            if (d.year < 2000)
                continue;
            if (n >= lim->max_instances) {
                rc = cv_error_set(err, CV_ELIMIT, "an RRULE with more than %zu occurrences",
                                  lim->max_instances);
                break;
            }
            if ((rc = cv_grow(&starts, &alloc, n + 1, sizeof(*starts))) < 0) {
                cv_error_set(err, rc, "out of memory");
                break;
            }
            starts[n++] = t;
        }
        icalrecur_iterator_free(it);
    }
    for (icalproperty *p = icalcomponent_get_first_property(v, ICAL_RDATE_PROPERTY); rc == 0 && p;
         p = icalcomponent_get_next_property(v, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
        struct icaltimetype t = icaltime_is_null_time(dp.time) ? dp.period.start : dp.time;
        if (icaltime_is_null_time(t))
            continue;
        if (n >= lim->max_instances) {
            rc = cv_error_set(err, CV_ELIMIT, "more than %zu occurrences", lim->max_instances);
            break;
        }
        if ((rc = cv_grow(&starts, &alloc, n + 1, sizeof(*starts))) < 0) {
            cv_error_set(err, rc, "out of memory");
            break;
        }
        starts[n++] = t;
    }
    if (rc == 0 && n > 1)
        qsort(starts, n, sizeof(*starts), cmp_time);
    bool several = rp || n > 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct cv_refentry *e;
        struct cv_date d;
        if (is_excluded(v, starts[i]) || (i > 0 && !cmp_time(&starts[i - 1], &starts[i])) ||
            !time_date(starts[i], &d))
            continue;
        if ((rc = cv_refcal_add_entry(c, &e)) < 0) {
            cv_error_set(err, rc, "out of memory");
            break;
        }
        if ((rc = entry_fill(v, e, err)) < 0)
            break;
        if (several && e->key) {
            /* A key names one day: occurrences get the key with their date. */
            char key[80];
            snprintf(key, sizeof(key), "%.55s-%04d%02d%02d", e->key, d.year, d.month, d.day);
            if ((rc = cv_str_set(&e->key, key)) < 0) {
                cv_error_set(err, rc, "out of memory");
                break;
            }
        }
        if (!occurrence_days(v, starts[i], &e->first, &e->last)) {
            rc = cv_error_set(err, CV_EINVAL, "entry '%s' has no valid dates",
                              e->summary ? e->summary : "");
            break;
        }
    }
    free(starts);
    return rc;
}

int cv_ical_read_refcal(const char *data, size_t len, const char *name,
                        const struct cv_ical_limits *lim, struct cv_refcal *out,
                        struct cv_error *err)
{
    struct ical_lines lines;
    icalcomponent *root = NULL;
    struct cv_buf sources;
    size_t index = 0;
    const char *s;
    int rc;

    ical_lines_init(&lines);
    cv_buf_init(&sources, 64 * 1024);
    rc = ical_parse(data, len, name, lim, &lines, &root, err);
    if (rc < 0)
        goto out;

    if ((s = x_text(root, "X-CONVENE-KEY"))) {
        rc = cv_str_set(&out->key, s);
    } else {
        /* The file's base name without its extension. */
        char slug[65];
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        char stem[128];
        cv_str_copy(stem, sizeof(stem), base);
        char *dot = strrchr(stem, '.');
        if (dot)
            *dot = '\0';
        rc = cv_str_set(&out->key, cv_slugify(stem, slug, sizeof(slug)) ? slug : "calendar");
    }
    if (rc == 0) {
        s = x_text(root, "X-WR-CALNAME");
        rc = cv_str_set(&out->name, s ? s : out->key);
    }
    if (rc == 0)
        rc = cv_str_set(&out->scope, (s = x_text(root, "X-CONVENE-SCOPE")) ? s : "all");
    if (rc == 0)
        rc = set_opt(&out->description, x_text(root, "X-WR-CALDESC"));
    if (rc < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    if ((s = x_text(root, "X-CONVENE-MEANING")) && cv_meaning_parse(s, &out->meaning) < 0) {
        rc = cv_error_set(err, CV_EINVAL,
                          "unknown X-CONVENE-MEANING '%s'; use blackout, avoid "
                          "or prefer",
                          s);
        cv_error_at(err, name, ical_find_line(&lines, "X-CONVENE-MEANING"));
        goto out;
    }
    for (icalproperty *p = icalcomponent_get_first_property(root, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(root, ICAL_X_PROPERTY)) {
        if (strcasecmp(icalproperty_get_x_name(p), "X-CONVENE-SOURCE") != 0 || !prop_text(p))
            continue;
        if ((rc = cv_buf_addf(&sources, "%s%s", sources.len ? "\n" : "", prop_text(p))) < 0) {
            cv_error_set(err, rc, "too many sources");
            goto out;
        }
    }
    if (sources.len && (rc = cv_str_set(&out->sources, sources.buf)) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    for (icalcomponent *v = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); v;
         v = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT), index++) {
        rc = add_vevent(v, lim, out, err);
        if (rc < 0) {
            cv_error_at(err, name, index < lines.nbegin ? lines.begin_line[index] : 0);
            goto out;
        }
    }
    rc = cv_refcal_validate(out, err);
    if (rc < 0)
        cv_error_at(err, name, 0);
out:
    if (root)
        icalcomponent_free(root);
    cv_buf_release(&sources);
    ical_lines_release(&lines);
    return rc;
}
