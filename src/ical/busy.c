/* SPDX-License-Identifier: MIT */
/* busy.c: the busy times of a calendar (VEVENT, VFREEBUSY), for finding call slots. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ical_int.h"

#include "banned.h"

/* UTC seconds of a time: UTC, with its zone, with a TZID of the IANA database, or a date. */
static int64_t to_utc(icalproperty *p, struct icaltimetype t)
{
    const icaltimezone *zone = t.zone;
    if (icaltime_is_utc(t) || t.is_date)
        zone = icaltimezone_get_utc_timezone();
    if (!zone && p) {
        icalparameter *tp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
        const char *tzid = tp ? icalparameter_get_tzid(tp) : NULL;
        if (tzid && cv_tz_exists(tzid))
            zone = icaltimezone_get_builtin_timezone(tzid);
    }
    if (!zone)
        zone = icaltimezone_get_utc_timezone(); /* floating: read as UTC, as Google does */
    return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

static int push(struct cv_interval **v, size_t *n, size_t *alloc, int64_t a, int64_t b)
{
    if (b <= a)
        return 0;
    int rc = cv_grow(v, alloc, *n + 1, sizeof(**v));
    if (rc < 0)
        return rc;
    (*v)[*n].start = a;
    (*v)[(*n)++].end = b;
    return 0;
}

static int event_busy(icalcomponent *e, const struct cv_ical_limits *lim, int64_t from, int64_t to,
                      struct cv_interval **v, size_t *n, size_t *alloc, struct cv_error *err)
{
    if (icalcomponent_get_status(e) == ICAL_STATUS_CANCELLED)
        return 0;
    icalproperty *tp = icalcomponent_get_first_property(e, ICAL_TRANSP_PROPERTY);
    if (tp && icalproperty_get_transp(tp) == ICAL_TRANSP_TRANSPARENT)
        return 0;
    icalproperty *ps = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
    if (!ps)
        return 0;
    struct icaltimetype ds = icalproperty_get_dtstart(ps);
    int64_t s = to_utc(ps, ds), length;
    icalproperty *pe = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY);
    if (pe) {
        length = to_utc(pe, icalproperty_get_dtend(pe)) - s;
    } else {
        struct icaldurationtype d = icalcomponent_get_duration(e);
        length = icaldurationtype_is_null_duration(d) ? (ds.is_date ? 86400 : 0)
                                                      : icaldurationtype_as_int(d);
    }
    if (length <= 0 || length > 366 * 86400)
        return 0;
    icalproperty *rp = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY);
    if (!rp) {
        if (s < to && s + length > from)
            return push(v, n, alloc, s, s + length) < 0
                       ? cv_error_set(err, CV_ENOMEM, "out of memory")
                       : 0;
        return 0;
    }
    icalrecur_iterator *it = icalrecur_iterator_new(icalproperty_get_rrule(rp), ds);
    if (!it)
        return cv_error_set(err, CV_EPARSE, "an RRULE libical cannot expand");
    size_t made = 0, steps = 0;
    clock_t t0 = clock();
    int rc = 0;
    for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
         t = icalrecur_iterator_next(it)) {
        int64_t o = to_utc(ps, t);
        if (o >= to)
            break;
        if (++steps > 100 * lim->max_instances || clock() - t0 > CLOCKS_PER_SEC / 10) {
            rc = cv_error_set(err, CV_ELIMIT, "an RRULE that takes too long to expand");
            break;
        }
        if (o + length <= from)
            continue;
        if (++made > lim->max_instances) {
            rc = cv_error_set(err, CV_ELIMIT, "an RRULE with more than %zu occurrences in range",
                              lim->max_instances);
            break;
        }
        if (push(v, n, alloc, o, o + length) < 0) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            break;
        }
    }
    icalrecur_iterator_free(it);
    return rc;
}

int cv_ical_read_busy(const char *data, size_t len, const char *name,
                      const struct cv_ical_limits *lim, int64_t from, int64_t to,
                      struct cv_interval **v, size_t *n, size_t *alloc, struct cv_error *err)
{
    struct ical_lines lines;
    icalcomponent *root = NULL;
    int rc;

    ical_lines_init(&lines);
    rc = ical_parse(data, len, name, lim, &lines, &root, err);
    for (icalcomponent *e = rc == 0 ? icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT)
                                    : NULL;
         e && rc == 0; e = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
        if (icalcomponent_isa(e) == ICAL_VEVENT_COMPONENT) {
            rc = event_busy(e, lim, from, to, v, n, alloc, err);
        } else if (icalcomponent_isa(e) == ICAL_VFREEBUSY_COMPONENT) {
            for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_FREEBUSY_PROPERTY);
                 p && rc == 0; p = icalcomponent_get_next_property(e, ICAL_FREEBUSY_PROPERTY)) {
                icalparameter *ft = icalproperty_get_first_parameter(p, ICAL_FBTYPE_PARAMETER);
                if (ft && icalparameter_get_fbtype(ft) == ICAL_FBTYPE_FREE)
                    continue;
                struct icalperiodtype per = icalproperty_get_freebusy(p);
                int64_t a = to_utc(NULL, per.start);
                int64_t b = icaltime_is_null_time(per.end)
                                ? a + icaldurationtype_as_int(per.duration)
                                : to_utc(NULL, per.end);
                if (a < to && b > from && push(v, n, alloc, a, b) < 0)
                    rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            }
        }
    }
    if (rc < 0 && err && !err->file[0])
        cv_error_at(err, name, 0);
    if (root)
        icalcomponent_free(root);
    ical_lines_release(&lines);
    return rc;
}
