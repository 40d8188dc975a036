/* SPDX-License-Identifier: MIT */
/* convene/ical.h: reading iCalendar (RFC 5545) into model values, with limits on untrusted
 * input. */
#ifndef CONVENE_ICAL_H
#define CONVENE_ICAL_H

#include <stddef.h>

#include <convene/error.h>
#include <convene/model.h>

/* Limits applied before and while parsing input that may be hostile (RELIABILITY.md L4, L5). */
struct cv_ical_limits {
    size_t max_bytes;      /* whole input */
    size_t max_line;       /* one physical line, in octets */
    size_t max_components; /* BEGIN lines */
    size_t max_properties; /* content lines in one component */
    size_t max_params;     /* parameters on one content line */
    size_t max_depth;      /* component nesting */
    size_t max_errors;     /* X-LIC-ERROR properties tolerated before giving up (reporting) */
    size_t max_instances;  /* occurrences one RRULE may expand to */
};

/* Default limits: 1 MiB, 8,192-octet lines, 10,000 components and properties, 100 parameters,
 * depth 8, 1,000 occurrences. */
void cv_ical_limits_init(struct cv_ical_limits *l);

/*
 * Checks the shape of @data before libical sees it: the size, each line's length and
 * encoding, that it is iCalendar (BEGIN:VCALENDAR first), balanced BEGIN/END, the counts.
 * @param name  the file name, for messages
 * @return 0, or CV_ELIMIT / CV_EPARSE with @err's file and line set
 */
int cv_ical_precheck(const char *data, size_t len, const char *name,
                     const struct cv_ical_limits *lim, struct cv_error *err);

/*
 * Reads a programme calendar (see calendars/README.md): the programme from the VCALENDAR and
 * one event per VEVENT. Every event is validated.
 * @return 0 with @prog (initialised by the caller) filled and the events appended to @events;
 * CV_ELIMIT, CV_EPARSE or CV_EINVAL with @err's file and line set; CV_ENOMEM. On failure the
 * caller releases what was filled.
 */
int cv_ical_read_programme(const char *data, size_t len, const char *name,
                           const struct cv_ical_limits *lim, struct cv_programme *prog,
                           struct cv_event_list *events, struct cv_error *err);

/*
 * Reads a reference calendar: all-day or timed VEVENTs become dated entries (RRULEs expanded
 * from 2000 to 2040, at most lim->max_instances each). Scope and meaning come from the
 * X-CONVENE-SCOPE and X-CONVENE-MEANING properties ("all" and "blackout" when absent); the key
 * from X-CONVENE-KEY, else from @name.
 * @return as cv_ical_read_programme(); @out is initialised by the caller
 */
int cv_ical_read_refcal(const char *data, size_t len, const char *name,
                        const struct cv_ical_limits *lim, struct cv_refcal *out,
                        struct cv_error *err);

#endif
