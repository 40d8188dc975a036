/* SPDX-License-Identifier: MIT */
/* ical_int.h: what the ical module's files share; no other module includes it. */
#ifndef CV_ICAL_INT_H
#define CV_ICAL_INT_H

#include <libical/ical.h>

#include <convene/ical.h>

/* Where the content lines and components of a checked input start, for messages. */
struct ical_lines {
    struct cv_buf text; /* unfolded content lines, each ending in '\n' */
    long *line_of;      /* physical line number of each content line */
    size_t n;
    size_t alloc;
    long *begin_line; /* line of each BEGIN:VEVENT, in file order */
    size_t nbegin;
    size_t begin_alloc;
};

void ical_lines_init(struct ical_lines *l);
void ical_lines_release(struct ical_lines *l);

/* The checks of cv_ical_precheck(), recording the lines in @lines (may be NULL). */
int ical_precheck(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
                  struct ical_lines *lines, struct cv_error *err);

/* @return the physical line of the first content line containing @needle, or 0. */
long ical_find_line(const struct ical_lines *l, const char *needle);

/*
 * Parses checked input with libical and refuses any X-LIC-ERROR (naming its line).
 * @return 0 with *@ret a VCALENDAR the caller frees with icalcomponent_free(), or CV_EPARSE /
 * CV_ENOMEM with @err filled
 */
int ical_parse(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
               struct ical_lines *lines, icalcomponent **ret, struct cv_error *err);

#endif
