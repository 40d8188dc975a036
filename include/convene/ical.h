/* SPDX-License-Identifier: MIT */
/* convene/ical.h: reading iCalendar (RFC 5545) into model values, with limits on untrusted
 * input. */
#ifndef CONVENE_ICAL_H
#define CONVENE_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
 * Parses @data once in a child process under CPU-time and memory limits, so that a fault of
 * libical on hostile input (RELIABILITY.md L3) ends the child, not the caller. Call it before
 * reading untrusted input in the caller's process.
 * @return 0 when the child parsed it (with or without errors: the reading functions report
 * those), CV_EPARSE when the child crashed or hit a limit, CV_EIO when no child could start
 */
int cv_ical_probe(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
                  struct cv_error *err);

/*
 * Reads a programme calendar (see calendars/README.md): the programme from the VCALENDAR, one
 * event per VEVENT, and one session per VEVENT that names its event with X-CONVENE-EVENT
 * (timed, with a TZID of the IANA database). Every event and session is validated.
 * @param sessions  receives the sessions; NULL refuses a file that has any
 * @return 0 with @prog (initialised by the caller) filled and the events and sessions appended;
 * CV_ELIMIT, CV_EPARSE or CV_EINVAL with @err's file and line set; CV_ENOMEM. On failure the
 * caller releases what was filled.
 */
int cv_ical_read_programme(const char *data, size_t len, const char *name,
                           const struct cv_ical_limits *lim, struct cv_programme *prog,
                           struct cv_event_list *events, struct cv_session_list *sessions,
                           struct cv_error *err);

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

/*
 * Reads the busy times of a calendar between the instants @from and @to: every VEVENT that is
 * not TRANSPARENT nor CANCELLED (its RRULE expanded inside the range, at most
 * lim->max_instances times; times with a TZID converted through the calendar's VTIMEZONE or the
 * IANA zone of that name; all-day events as whole UTC days) and every FREEBUSY period of a
 * VFREEBUSY that is not FBTYPE=FREE.
 * @return 0 with the times appended to *@v (of *@n, capacity *@alloc; the caller frees *@v);
 * CV_ELIMIT, CV_EPARSE (with @err's file and line) or CV_ENOMEM
 */
int cv_ical_read_busy(const char *data, size_t len, const char *name,
                      const struct cv_ical_limits *lim, int64_t from, int64_t to,
                      struct cv_interval **v, size_t *n, size_t *alloc, struct cv_error *err);

/* ---- iTIP messages received (RFC 5546 REPLY, COUNTER) ---------------------------------------- */

/* One ATTENDEE of a received iTIP message; addresses without "mailto:". */
struct cv_itip_attendee {
    char *email;
    char *name; /* CN, or NULL */
    enum cv_partstat partstat;
    bool has_partstat;
    char *delegated_to;   /* the first DELEGATED-TO address, or NULL */
    char *delegated_from; /* the first DELEGATED-FROM address, or NULL */
    char *sent_by;        /* SENT-BY, or NULL */
};

/* What a received iTIP message says about its first VEVENT. */
struct cv_itip_message {
    char *method;        /* METHOD of the VCALENDAR, or NULL when it has none */
    char *uid;           /* NULL when missing */
    char *recurrence_id; /* the date of RECURRENCE-ID as YYYY-MM-DD, or NULL */
    int sequence;        /* SEQUENCE, 0 when absent (RFC 5545 3.8.7.4) */
    int64_t dtstamp;     /* DTSTAMP in UTC seconds, 0 when absent */
    char *organizer;     /* or NULL: Outlook leaves it out of replies */
    struct cv_itip_attendee *attendees;
    size_t nattendees;
    size_t alloc;
    char *proposal; /* COUNTER: "DTSTART..DTEND, LOCATION: ..., COMMENT: ..." as proposed */
};

void cv_itip_message_init(struct cv_itip_message *m);
void cv_itip_message_release(struct cv_itip_message *m);

/*
 * Reads a received iTIP message (untrusted: the limits of @lim first, any X-LIC-ERROR refused):
 * METHOD, and of the first VEVENT its UID, RECURRENCE-ID, SEQUENCE, DTSTAMP, ORGANIZER and
 * every ATTENDEE with PARTSTAT, DELEGATED-TO, DELEGATED-FROM and SENT-BY. A CAL-ADDRESS that is
 * not mailto: with a plain address is refused.
 * @return 0 with @out (initialised by the caller) filled; CV_ELIMIT, CV_EPARSE (no VEVENT, a
 * bad address; with @err's file and line) or CV_ENOMEM
 */
int cv_ical_read_itip(const char *data, size_t len, const char *name,
                      const struct cv_ical_limits *lim, struct cv_itip_message *out,
                      struct cv_error *err);

/* ---- writing ----------------------------------------------------------------------------------
 */

/* What a calendar file says about itself (RFC 7986 and the X-WR- properties clients read). */
struct cv_ical_cal {
    const char *name;        /* NAME and X-WR-CALNAME */
    const char *description; /* X-WR-CALDESC */
    const char *url;         /* URL of the feed itself (http or https) */
    const char *color;       /* COLOR: a CSS3 colour name */
    const char *tzid;        /* X-WR-TIMEZONE: the zone clients show it in; may be NULL */
    const char *lang;        /* the language of titles: "en", "fr", "es", "ar" */
    int refresh_hours;       /* REFRESH-INTERVAL and X-PUBLISHED-TTL */
    const char *organizer;   /* "mailto:" of the office; written only with an attendee */
    const char *organizer_name;
    bool schedule_agent_client;    /* RFC 6638: SCHEDULE-AGENT=CLIENT on ORGANIZER and ATTENDEE,
                                    * for CalDAV servers, since convene sends the mail itself */
    const char *method;            /* iTIP (RFC 5546): "REQUEST", "CANCEL", "REPLY" or
                                    * "DECLINECOUNTER" writes METHOD (and, for REQUEST,
                                    * RSVP=TRUE on the attendee); NULL for a feed */
    const char *organizer_sent_by; /* "mailto:" of whoever sends for the organizer, or NULL */
};

/* The one person a private feed is for, with their answer. */
struct cv_ical_attendee {
    const char *email;
    const char *name;
    const char *lang;
    enum cv_partstat partstat;
    enum cv_role role;
    const char *delegated_to;   /* DELEGATED-TO address (RFC 5546 3.2.2.3), or NULL */
    const char *delegated_from; /* DELEGATED-FROM address, or NULL */
};

enum cv_ical_item_kind {
    CV_ITEM_EVENT,   /* an event as an all-day span */
    CV_ITEM_SESSION, /* a timed session in the event's zone */
    CV_ITEM_TODO,    /* a milestone as a VTODO */
};

/* One component to write. Pointers are borrowed. */
struct cv_ical_item {
    enum cv_ical_item_kind kind;
    const struct cv_event *event;            /* the event, or the session's or milestone's event */
    const struct cv_session *session;        /* CV_ITEM_SESSION */
    const struct cv_milestone *milestone;    /* CV_ITEM_TODO */
    const char *uid;                         /* CV_ITEM_TODO: its UID */
    const char *after_uid;                   /* CV_ITEM_TODO: the milestone it follows, or NULL */
    const char *location;                    /* LOCATION, or NULL */
    const char *link;                        /* a page about it: URL, repeated in DESCRIPTION */
    const struct cv_ical_attendee *attendee; /* private feeds only */
    size_t nattendees;                       /* how many at @attendee (0 counts as 1) */
    bool transparent;                        /* TRANSP:TRANSPARENT (public feeds) */
};

/*
 * Writes a VCALENDAR with a VTIMEZONE (named by its IANA id, cut to the years used, in the
 * form Outlook reads) for every zone used, then each item, one component at a time. DTSTAMP
 * and LAST-MODIFIED come from the revision, so the same data gives the same bytes. Lines end
 * in CRLF and are folded at 75 octets between UTF-8 characters; no X-LIC- property is written.
 * URI and CAL-ADDRESS values with a control character or an unknown scheme are refused.
 * @return 0 with the text appended to @out; CV_EINVAL (a bad value, named in @err), CV_ELIMIT
 * or CV_ENOMEM
 */
int cv_ical_write(const struct cv_ical_cal *cal, const struct cv_ical_item *items, size_t n,
                  struct cv_buf *out, struct cv_error *err);

/*
 * Checks an iTIP message (RFC 5546) as it will leave: @data parses with libical without any
 * X-LIC-ERROR, METHOD is @method, and every property the method requires is there, in the
 * numbers it allows: by libical's icalrestriction_check(), except for DECLINECOUNTER, which is
 * checked against RFC 5546 3.2.8's table (libical 3.0.16 still uses RFC 2446's, which forbids
 * the ATTENDEE RFC 5546 requires).
 * @return 0, or CV_EINVAL naming the first violation (CV_ENOMEM)
 */
int cv_ical_itip_check(const char *data, size_t len, const char *method, struct cv_error *err);

/* ---- linting ------------------------------------------------------------------------------------
 */

/* One rule broken, at a line (0 when the whole file). */
struct cv_lint_issue {
    long line;
    char rule[32];
    char msg[200];
};

struct cv_lint_report {
    struct cv_lint_issue *v;
    size_t n;
    size_t alloc;
};

void cv_lint_report_init(struct cv_lint_report *r);
void cv_lint_report_release(struct cv_lint_report *r);

/* What kind of file the rules are applied to. */
#define CV_LINT_PUBLIC 1u /* a public feed: no ATTENDEE, no personal address */

/*
 * Checks @data against the rules of INTEROP.md: CRLF line ends, lines of at most 75 octets
 * folded between UTF-8 characters, valid UTF-8, a VTIMEZONE for every TZID used and no other
 * TZID prefix than the IANA id, no floating DATE-TIME, UID, DTSTAMP and DTSTART on every event,
 * no X-LIC- property, calendar NAME/X-WR-CALNAME, REFRESH-INTERVAL and X-PUBLISHED-TTL, no CR/LF
 * or bad scheme in URI values, METHOD only at calendar level, and, with CV_LINT_PUBLIC, no
 * ATTENDEE nor mailto: address. Every issue found is appended to @report.
 * @return 0 when it could check the file (issues or not), CV_EPARSE when it is not iCalendar at
 * all (then @err says why), CV_ENOMEM
 */
int cv_ical_lint(const char *data, size_t len, const char *name, unsigned flags,
                 struct cv_lint_report *report, struct cv_error *err);

#endif
