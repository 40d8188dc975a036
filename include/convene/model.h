/* SPDX-License-Identifier: MIT */
/* convene/model.h: the domain values (programme, event, session, venue, room, person,
 * delegation, invitation, milestone, member country, reference calendar) and their rules. */
#ifndef CONVENE_MODEL_H
#define CONVENE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/error.h>
#include <convene/util.h>

/*
 * Every value here is a transparent struct with _init/_release: _init leaves it empty (strings
 * NULL, dates unset), _release frees what it owns and leaves it initialised. Strings are
 * heap copies owned by the struct; set them with cv_str_set().
 */

/* ---- programme ------------------------------------------------------------------------------- */

/* A title in another language than the main (English) one: an event's title, the programme's
 * name. */
struct cv_title {
    char lang[8];
    char *text;
};

struct cv_programme {
    struct cv_date planning_date; /* when planning starts: invitation lead times count from it */
    char *key;                    /* slug */
    char *name;                   /* English */
    struct cv_title *names;       /* the name in other languages (fr, es, ar), each at most once */
    size_t nnames;
    char *organizer; /* the office mailbox, "mailto:..." */
    char *languages; /* "en,fr,es,ar" */
    char *description;
};

void cv_programme_init(struct cv_programme *p);
void cv_programme_release(struct cv_programme *p);
/* @return 0, or CV_EINVAL with the reason in @err */
int cv_programme_validate(const struct cv_programme *p, struct cv_error *err);
/* @return the name in @lang, else the English one (borrowed; NULL only when there is none) */
const char *cv_programme_name_in(const struct cv_programme *p, const char *lang);
/* @return true when @p has a name of its own in @lang ("en": the main name), false when
 * cv_programme_name_in() falls back to English */
bool cv_programme_has_name_in(const struct cv_programme *p, const char *lang);
/*
 * Sets the name in @lang ("en" or NULL: the main name; fr, es or ar: a translation, removed when
 * @text is NULL or ""). @return 0, CV_EINVAL (another language) or CV_ENOMEM (unchanged)
 */
int cv_programme_set_name(struct cv_programme *p, const char *lang, const char *text);
/* @return true when @a and @b hold the same values (the names by language, in any order) */
bool cv_programme_equal(const struct cv_programme *a, const struct cv_programme *b);

/* ---- event ----------------------------------------------------------------------------------- */

enum cv_event_kind {
    CV_KIND_REGIONAL_MEETING,
    CV_KIND_LEADERS_EVENT,
    CV_KIND_SUMMIT,
    CV_KIND_CALL,
    CV_KIND_SIDE_EVENT,
};

enum cv_event_status {
    CV_EVENT_PROPOSED,
    CV_EVENT_TENTATIVE,
    CV_EVENT_CONFIRMED,
    CV_EVENT_CANCELLED,
    CV_EVENT_HELD,
};

struct cv_event {
    char *key;               /* slug, unique */
    char *uid;               /* random UUID, stable forever */
    char *title;             /* English */
    struct cv_title *titles; /* other languages */
    size_t ntitles;
    enum cv_event_kind kind;
    char *region; /* OGP region */
    char *city;
    char *country; /* ISO 3166 alpha-2 */
    char *venue;   /* may be NULL */
    char *tzid;    /* the venue's IANA zone */
    enum cv_event_status status;
    struct cv_date window_start; /* inclusive; unset when none */
    struct cv_date window_end;
    int days;             /* length in days, >= 1 */
    struct cv_date start; /* fixed dates (inclusive); unset until placed */
    struct cv_date end;
    int sequence;
    int64_t revision; /* UTC seconds of the last change */
    char *source_url;
    char *description;
    char *inside;   /* key of a reference entry it must fall inside, or NULL */
    bool scenario;  /* a planning scenario no source reports */
    char *audience; /* who is invited (cv_audience_match()); NULL: by kind and region */
    /* Planning data (see convene event set --help and the sched module). */
    int lead_days;               /* invitation lead time; 0: by kind (60, or 120 for leaders) */
    char *blackouts;             /* reference keys (entries or calendars) the event must avoid */
    char *avoids;                /* reference keys it should avoid (soft) */
    unsigned prefer_weekdays;    /* CV_WEEKDAY_BIT mask of preferred first days; 0: Tue-Wed */
    struct cv_date prefer_first; /* preferred dates, inclusive; unset when none */
    struct cv_date prefer_last;
    /* The venue's day (convene plan EVENT --timetable). */
    int opens_min;  /* minutes after local midnight; 0: 09:00 */
    int closes_min; /* 0: 18:00 */
    char *breaks;   /* "12:30-13:30,15:30-15:45": lunch, prayer, other breaks */
};

void cv_event_init(struct cv_event *e);
void cv_event_release(struct cv_event *e);
/* Deep-copies @src into @dst (initialised). @return 0 or CV_ENOMEM (then @dst is released). */
int cv_event_copy(struct cv_event *dst, const struct cv_event *src);
/* @return the title in @lang, else the English one; never NULL for a valid event */
const char *cv_event_title_in(const struct cv_event *e, const char *lang);
/* Sets the title in @lang ("en" sets the main title; another language's is removed when @text
 * is NULL or ""). @return 0, CV_EINVAL or CV_ENOMEM. */
int cv_event_set_title(struct cv_event *e, const char *lang, const char *text);
/*
 * Checks the event's own rules: key, UID, title, zone (in the zone database), country code,
 * days, window and dates in order, fixed dates of @days length, text free of control
 * characters. @return 0, or CV_EINVAL with the reason in @err
 */
int cv_event_validate(const struct cv_event *e, struct cv_error *err);
/*
 * @return true when @a and @b differ in time, place or status: the changes that raise SEQUENCE
 * (RFC 5546 section 2.1.4)
 */
bool cv_event_is_material_change(const struct cv_event *a, const struct cv_event *b);
/* @return true when @a and @b hold the same values, SEQUENCE and revision included */
bool cv_event_equal(const struct cv_event *a, const struct cv_event *b);
/* @return true when the event's dates are fixed */
bool cv_event_has_dates(const struct cv_event *e);

const char *cv_event_kind_name(enum cv_event_kind k);
int cv_event_kind_parse(const char *s, enum cv_event_kind *out);
const char *cv_event_status_name(enum cv_event_status s);
int cv_event_status_parse(const char *s, enum cv_event_status *out);

struct cv_event_list {
    struct cv_event *v;
    size_t n;
    size_t alloc;
};

void cv_event_list_init(struct cv_event_list *l);
void cv_event_list_release(struct cv_event_list *l);
/* Appends an initialised event and returns it through *@ret. @return 0 or CV_ENOMEM. */
int cv_event_list_add(struct cv_event_list *l, struct cv_event **ret);

/* ---- venue, room, session -------------------------------------------------------------------- */

struct cv_venue {
    char *name;
    char *city;
    char *country;
    char *tzid;
    int opens_min; /* minutes after local midnight, e.g. 540 for 09:00 */
    int closes_min;
};

struct cv_room {
    char *event_key;
    char *name;
    int capacity;
};

struct cv_room_list {
    struct cv_room *v;
    size_t n;
    size_t alloc;
};

void cv_room_list_init(struct cv_room_list *l);
void cv_room_list_release(struct cv_room_list *l);
int cv_room_list_add(struct cv_room_list *l, struct cv_room **ret);

/* A speaker's preferences at one event's timetable: soft, with a weight. */
struct cv_speaker_pref {
    char *event_key;
    char *name;           /* as in the sessions' speakers; compared without case */
    char *days;           /* preferred dates "YYYY-MM-DD,...", or NULL: any day */
    int from_min, to_min; /* preferred hours, venue local minutes after midnight; 0, 0: any */
    int weight;           /* the cost of each session of theirs outside them, 1 to 1000 */
    char *not_on;         /* hard: dates "YYYY-MM-DD,..." they cannot come, or NULL */
    int not_before;       /* hard: no session of theirs starts before (local minutes); 0: none */
};

struct cv_speaker_pref_list {
    struct cv_speaker_pref *v;
    size_t n;
    size_t alloc;
};

void cv_speaker_pref_init(struct cv_speaker_pref *p);
void cv_speaker_pref_release(struct cv_speaker_pref *p);
void cv_speaker_pref_list_init(struct cv_speaker_pref_list *l);
void cv_speaker_pref_list_release(struct cv_speaker_pref_list *l);
int cv_speaker_pref_list_add(struct cv_speaker_pref_list *l, struct cv_speaker_pref **ret);

/*
 * Parses a list of daily spans "HH:MM-HH:MM,..." into minutes after midnight: up to @max spans
 * into @from and @to. @return the number of spans, or CV_EINVAL
 */
int cv_spans_parse(const char *s, int *from, int *to, int max);

enum cv_track {
    CV_TRACK_PLENARY,
    CV_TRACK_DIGITAL,
    CV_TRACK_CLIMATE,
    CV_TRACK_INCLUSION,
    CV_TRACK_LOCAL,
};

/* An agenda item of an event. Its local times are in the event's zone. */
struct cv_session {
    char *event_key;
    char *key; /* slug, unique within the event */
    char *uid; /* random UUID, stable */
    char *title;
    enum cv_track track;
    int minutes;
    int min_capacity;
    int64_t start;  /* UTC seconds; 0 until timetabled */
    char *room;     /* room name, or NULL */
    char *speakers; /* names, one per line, or NULL */
    char *description;
    char *source_url;
    int sequence;
    int64_t revision;
};

void cv_venue_init(struct cv_venue *v);
void cv_venue_release(struct cv_venue *v);
void cv_room_init(struct cv_room *r);
void cv_room_release(struct cv_room *r);
void cv_session_init(struct cv_session *s);
void cv_session_release(struct cv_session *s);
/* Checks key, UID, title, length, text. @return 0 or CV_EINVAL with @err. */
int cv_session_validate(const struct cv_session *s, struct cv_error *err);
bool cv_session_equal(const struct cv_session *a, const struct cv_session *b);

struct cv_session_list {
    struct cv_session *v;
    size_t n;
    size_t alloc;
};

void cv_session_list_init(struct cv_session_list *l);
void cv_session_list_release(struct cv_session_list *l);
int cv_session_list_add(struct cv_session_list *l, struct cv_session **ret);

const char *cv_track_name(enum cv_track t);
int cv_track_parse(const char *s, enum cv_track *out);

/* ---- people ---------------------------------------------------------------------------------- */

enum cv_delegation_kind {
    CV_DELEGATION_GOVERNMENT,
    CV_DELEGATION_CIVIL_SOCIETY,
    CV_DELEGATION_LOCAL,
    CV_DELEGATION_OTHER,
};

enum cv_role {
    CV_ROLE_DELEGATE,
    CV_ROLE_SPEAKER,
    CV_ROLE_PRINCIPAL,
    CV_ROLE_ORGANIZER,
};

/* A delegation: the people one member government, civil society or local member sends. */
struct cv_delegation {
    char country[3];
    enum cv_delegation_kind kind;
};

struct cv_person {
    char *email; /* the key, compared without case */
    char *name;
    char *lang;    /* "en", "fr", "es" or "ar" */
    char *country; /* ISO 3166 alpha-2, or NULL */
    struct cv_delegation delegation;
    enum cv_role role;
    char *tzid;
};

void cv_person_init(struct cv_person *p);
void cv_person_release(struct cv_person *p);
/* Checks email, name, language, zone and country. @return 0 or CV_EINVAL with @err. */
int cv_person_validate(const struct cv_person *p, struct cv_error *err);
/* @return true when @a and @b hold the same values (email compared without case) */
bool cv_person_equal(const struct cv_person *a, const struct cv_person *b);

const char *cv_delegation_kind_name(enum cv_delegation_kind k);
int cv_delegation_kind_parse(const char *s, enum cv_delegation_kind *out);
const char *cv_role_name(enum cv_role r);
int cv_role_parse(const char *s, enum cv_role *out);

struct cv_person_list {
    struct cv_person *v;
    size_t n;
    size_t alloc;
};

void cv_person_list_init(struct cv_person_list *l);
void cv_person_list_release(struct cv_person_list *l);
int cv_person_list_add(struct cv_person_list *l, struct cv_person **ret);

/* ---- audience: who an event invites ---------------------------------------------------------- */

/*
 * Checks an audience filter: terms separated by commas, any of which admits a person:
 * "all", "region" (the event's own OGP region; everyone for a Global event), "region:NAME",
 * "country:XX", "lang:xx", "role:ROLE", "delegation:KIND", "email:ADDRESS".
 * @return 0 or CV_EINVAL with the bad term in @err
 */
int cv_audience_check(const char *filter, struct cv_error *err);

/*
 * @return true when @p is in @e's audience. Without an audience, a regional meeting invites
 * the members of its region, any other event everyone; principals and organizers are in every
 * audience. @region is the OGP region of @p's country (NULL when unknown).
 */
bool cv_audience_match(const struct cv_event *e, const struct cv_person *p, const char *region);

/* @return the OGP region @region ("Americas", as stored) named in @lang (fr, es, ar), else
 * @region itself (English, or a region convene has no words for); borrowed */
const char *cv_region_name_in(const char *region, const char *lang);

/*
 * @return true when @p matches one of the terms of @filter (checked by cv_audience_check()), as
 * written: unlike cv_audience_match(), principals and organizers match only the terms they fit
 */
bool cv_audience_filter_match(const char *filter, const struct cv_event *e,
                              const struct cv_person *p, const char *region);

/* ---- invitation, milestone ------------------------------------------------------------------- */

enum cv_partstat {
    CV_PARTSTAT_NEEDS_ACTION,
    CV_PARTSTAT_ACCEPTED,
    CV_PARTSTAT_DECLINED,
    CV_PARTSTAT_TENTATIVE,
    CV_PARTSTAT_DELEGATED,
};

struct cv_invitation {
    char *email;
    char *event_key;
    enum cv_role role;
    enum cv_partstat partstat;
    int sequence_sent; /* -1 before the first message */
    int64_t replied;   /* UTC seconds, 0 before any reply */
};

struct cv_milestone {
    char *key;
    char *event_key;
    char *title;
    int days_before;  /* before the event's first day */
    char *depends_on; /* key of the milestone it follows, or NULL */
    struct cv_date due;
};

/* How many milestones cv_milestones_for_event() writes at most. */
#define CV_MILESTONES_MAX 6

/*
 * The planning deadlines of an event, chained backward from its first day: venue contract,
 * save-the-date, invitations (earlier for a leaders' event, which invites heads of state), visa
 * letters, registration close, final agenda. Each depends on the one before it.
 * @return how many were written to @out (0 for an event without dates); the caller releases each
 */
size_t cv_milestones_for_event(const struct cv_event *e,
                               struct cv_milestone out[CV_MILESTONES_MAX]);

void cv_invitation_init(struct cv_invitation *i);
void cv_invitation_release(struct cv_invitation *i);
void cv_milestone_init(struct cv_milestone *m);
void cv_milestone_release(struct cv_milestone *m);
const char *cv_partstat_name(enum cv_partstat p);
int cv_partstat_parse(const char *s, enum cv_partstat *out);

/* ---- member countries ------------------------------------------------------------------------ */

struct cv_country {
    char iso2[3];
    char *name;
    char *region;
    char *capital;
    char *tzid;
    unsigned weekend; /* CV_WEEKDAY_BIT mask */
    char *confidence; /* "sourced" or "inferred" */
    char *source_url;
};

void cv_country_init(struct cv_country *c);
void cv_country_release(struct cv_country *c);
bool cv_country_equal(const struct cv_country *a, const struct cv_country *b);

struct cv_country_list {
    struct cv_country *v;
    size_t n;
    size_t alloc;
};

void cv_country_list_init(struct cv_country_list *l);
void cv_country_list_release(struct cv_country_list *l);
int cv_country_list_add(struct cv_country_list *l, struct cv_country **ret);
/* @return the member whose ISO code is @iso2 (borrowed), or NULL (also for @iso2 NULL) */
const struct cv_country *cv_country_list_find(const struct cv_country_list *l, const char *iso2);

/*
 * Where @e takes place, as its LOCATION and invitations give it: "Venue, City, Country", the
 * city left out when the venue names it, the country by its name when it is in @members.
 * @return 0 with *@ret a new string (the caller frees it), NULL when @e names no place;
 * CV_ENOMEM
 */
int cv_event_location(const struct cv_event *e, const struct cv_country_list *members, char **ret);

/* ---- reference calendars --------------------------------------------------------------------- */

enum cv_meaning {
    CV_MEANING_BLACKOUT,
    CV_MEANING_AVOID,
    CV_MEANING_PREFER,
};

/* One dated entry: a holiday, an observance, a summit. */
struct cv_refentry {
    char *uid;
    char *key; /* optional slug events refer to */
    char *summary;
    struct cv_date first; /* inclusive */
    struct cv_date last;  /* inclusive */
    bool has_meaning;     /* overrides the calendar's meaning */
    enum cv_meaning meaning;
    char *confidence;
    char *url;
    char *category;
    char *description;
};

struct cv_refcal {
    char *key;
    char *name;
    char *scope; /* "all", "country:KE" or "region:Americas" */
    enum cv_meaning meaning;
    char *sources; /* URLs, one per line */
    char *description;
    char *fetched_from; /* the http(s) URL it was imported from, or NULL */
    char *etag;         /* the validators of that transfer, for the next conditional GET */
    char *last_modified;
    struct cv_refentry *entries;
    size_t n;
    size_t alloc;
};

void cv_refentry_init(struct cv_refentry *e);
void cv_refentry_release(struct cv_refentry *e);
void cv_refcal_init(struct cv_refcal *c);
void cv_refcal_release(struct cv_refcal *c);
int cv_refcal_add_entry(struct cv_refcal *c, struct cv_refentry **ret);
/* Checks key, scope, entries (dates in order, keys unique). @return 0 or CV_EINVAL. */
int cv_refcal_validate(const struct cv_refcal *c, struct cv_error *err);
/* @return true when @a and @b hold the same calendar and entries, in the same order */
bool cv_refcal_equal(const struct cv_refcal *a, const struct cv_refcal *b);
/* @return 0 when @s is "all", "country:XX" or "region:NAME"; CV_EINVAL otherwise */
int cv_scope_check(const char *s);
const char *cv_meaning_name(enum cv_meaning m);
int cv_meaning_parse(const char *s, enum cv_meaning *out);

struct cv_refcal_list {
    struct cv_refcal *v;
    size_t n;
    size_t alloc;
};

void cv_refcal_list_init(struct cv_refcal_list *l);
void cv_refcal_list_release(struct cv_refcal_list *l);
int cv_refcal_list_add(struct cv_refcal_list *l, struct cv_refcal **ret);

/* ---- importing from spreadsheets ------------------------------------------------------------- */

/* One row left out of an import, and why. */
struct cv_import_skip {
    long line;
    char reason[200];
};

struct cv_import_report {
    size_t read;      /* data rows read */
    size_t imported;  /* new rows */
    size_t updated;   /* existing rows changed */
    size_t unchanged; /* existing rows already equal */
    size_t skipped;
    struct cv_import_skip *skips;
    size_t nskips;
    size_t alloc;
};

void cv_import_report_init(struct cv_import_report *r);
void cv_import_report_release(struct cv_import_report *r);
/* Records a skipped row. @return 0 or CV_ENOMEM. */
int cv_import_report_skip(struct cv_import_report *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Skip rows with invalid values (and report them) instead of refusing the whole file. */
#define CV_IMPORT_SKIP_INVALID 1u

/*
 * Reads a delegate list exported from a spreadsheet: RFC 4180 CSV with a header row naming
 * (in any order, any case) name, email, language, country, delegation, role and time zone
 * ("timezone", "time zone" or "tz"). name and email are required columns; language defaults to
 * "en", delegation to "government", role to "delegate", zone to the country's capital zone
 * from @members when known. A blank row is skipped; an email seen twice, an invalid value or a
 * row of the wrong width fails the whole file unless CV_IMPORT_SKIP_INVALID is set, in which
 * case the row is skipped and reported.
 * @param name   the file name, for messages
 * @param members known member countries (for default zones); may be NULL
 * @return 0 with the people appended to @out and @report->read/skipped counted; CV_EPARSE or
 * CV_EINVAL (with @err's file and line set) or CV_ENOMEM. On failure @out may hold part of
 * the rows: the caller releases it.
 */
int cv_people_parse_csv(const char *data, size_t len, const char *name,
                        const struct cv_country_list *members, unsigned flags,
                        struct cv_person_list *out, struct cv_import_report *report,
                        struct cv_error *err);

/*
 * Reads the member list (`calendars/ogp-members.csv` format). Any invalid row fails the file.
 * @return 0, CV_EPARSE or CV_EINVAL (with @err's line) or CV_ENOMEM
 */
int cv_countries_parse_csv(const char *data, size_t len, const char *name,
                           struct cv_country_list *out, struct cv_error *err);

#endif
