/* SPDX-License-Identifier: MIT */
/* test_ical.c: reading programme and reference calendars, the limits on hostile input
 * (RELIABILITY.md L1, L4-L6, I2) and loading the shipped calendars into a store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <convene/error.h>
#include <convene/core.h>
#include <convene/util.h>
#include <convene/model.h>
#include <convene/store.h>
#include <convene/ical.h>
#include <convene/load.h>

#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_FILE (16u * 1024 * 1024)

/* ---- helpers --------------------------------------------------------------------------------- */

/* The source tree, from the environment the test setup gives; NULL skips the test. */
static const char *source_root(void)
{
    const char *r = getenv("CONVENE_SOURCE_ROOT");
    return r && *r ? r : NULL;
}

/* Skips the calling test when the source tree is unknown; call it before allocating. */
#define REQUIRE_ROOT()                                                                             \
    do {                                                                                           \
        if (!source_root())                                                                        \
            skip();                                                                                \
    } while (0)

static void shipped_path(const char *rel, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/calendars/%s", source_root(), rel);
    assert_true(n > 0 && (size_t)n < size);
}

/* Reads calendars/@rel into @out (initialised here; the caller releases it). */
static void read_shipped(const char *rel, struct cv_buf *out)
{
    char path[4096];
    struct cv_error err;
    shipped_path(rel, path, sizeof(path));
    cv_buf_init(out, MAX_FILE);
    cv_error_init(&err);
    int rc = cv_file_read(path, MAX_FILE, out, &err);
    if (rc != 0)
        fail_msg("%s: %d %s", path, rc, err.msg);
}

/* The CPU time this (single-threaded) test has used, printed beside the hostile inputs. No test
 * asserts on it: the limits that bound the work are counts (lines, octets, occurrences, iterator
 * steps) checked by their error codes, and the readers' own CPU guard (0.1 s a rule) is not a
 * figure a shared machine can assert. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void assert_date(const struct cv_date *d, int y, int m, int day)
{
    assert_int_equal(d->year, y);
    assert_int_equal(d->month, m);
    assert_int_equal(d->day, day);
}

/* Reads @text as a programme with @lim (NULL: defaults); @return the code, @err filled. */
static int programme(const char *text, const struct cv_ical_limits *lim, struct cv_error *err,
                     struct cv_programme *prog, struct cv_event_list *events)
{
    struct cv_ical_limits def;
    if (!lim) {
        cv_ical_limits_init(&def);
        lim = &def;
    }
    cv_programme_init(prog);
    cv_event_list_init(events);
    cv_error_init(err);
    return cv_ical_read_programme(text, strlen(text), "test.ics", lim, prog, events, NULL, err);
}

/* Reads @text as a programme and expects @code at @line; releases everything. */
static void programme_fails(const char *text, const struct cv_ical_limits *lim, int code, long line)
{
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_error err;
    int rc = programme(text, lim, &err, &prog, &events);
    if (rc != code || err.line != line)
        fail_msg("expected %d at line %ld, got %d at line %ld: %s", code, line, rc, err.line,
                 err.msg);
    assert_int_equal(err.code, code);
    assert_string_equal(err.file, "test.ics");
    assert_true(err.msg[0] != '\0');
    cv_event_list_release(&events);
    cv_programme_release(&prog);
}

static int refcal(const char *text, const struct cv_ical_limits *lim, struct cv_error *err,
                  struct cv_refcal *out)
{
    struct cv_ical_limits def;
    if (!lim) {
        cv_ical_limits_init(&def);
        lim = &def;
    }
    cv_refcal_init(out);
    cv_error_init(err);
    return cv_ical_read_refcal(text, strlen(text), "ref.ics", lim, out, err);
}

static void refcal_fails(const char *text, const struct cv_ical_limits *lim, int code, long line)
{
    struct cv_refcal c;
    struct cv_error err;
    int rc = refcal(text, lim, &err, &c);
    if (rc != code || err.line != line)
        fail_msg("expected %d at line %ld, got %d at line %ld: %s", code, line, rc, err.line,
                 err.msg);
    assert_int_equal(err.code, code);
    assert_string_equal(err.file, "ref.ics");
    cv_refcal_release(&c);
}

/* A precheck with @lim and the expected code and line. */
static void precheck(const char *data, size_t len, const struct cv_ical_limits *lim, int code,
                     long line)
{
    struct cv_error err;
    cv_error_init(&err);
    int rc = cv_ical_precheck(data, len, "pre.ics", lim, &err);
    if (rc != code || (code != 0 && err.line != line))
        fail_msg("expected %d at line %ld, got %d at line %ld: %s", code, line, rc, err.line,
                 err.msg);
    if (code != 0) {
        assert_int_equal(err.code, code);
        assert_string_equal(err.file, "pre.ics");
    }
}

/* Lines 1-7: a valid programme calendar's header. */
#define PROG_HEAD                                                                                  \
    "BEGIN:VCALENDAR\r\n"                                                                          \
    "VERSION:2.0\r\n"                                                                              \
    "PRODID:-//convene tests//EN\r\n"                                                              \
    "X-WR-CALNAME:Test programme\r\n"                                                              \
    "X-CONVENE-KEY:test-programme\r\n"                                                             \
    "X-CONVENE-ORGANIZER:mailto:office@example.org\r\n"                                            \
    "X-CONVENE-LANGUAGES:en\r\n"

/* Seven lines: a valid event. */
#define EVENT(key, uid)                                                                            \
    "BEGIN:VEVENT\r\n"                                                                             \
    "UID:" uid "\r\n"                                                                              \
    "DTSTAMP:20261126T000000Z\r\n"                                                                 \
    "SUMMARY:Event " key "\r\n"                                                                    \
    "X-CONVENE-KEY:" key "\r\n"                                                                    \
    "X-CONVENE-TZID:Africa/Nairobi\r\n"                                                            \
    "END:VEVENT\r\n"

#define END_CAL "END:VCALENDAR\r\n"

/* Lines 1-5: a reference calendar's header. */
#define REF_HEAD                                                                                   \
    "BEGIN:VCALENDAR\r\n"                                                                          \
    "VERSION:2.0\r\n"                                                                              \
    "PRODID:-//convene tests//EN\r\n"                                                              \
    "X-WR-CALNAME:Test reference\r\n"                                                              \
    "X-CONVENE-KEY:test-ref\r\n"

/* ---- the shipped programme ------------------------------------------------------------------- */

struct expect_event {
    const char *key;
    const char *uid;
    enum cv_event_kind kind;
    enum cv_event_status status;
    const char *region;
    const char *city;
    const char *country;
    const char *tzid;
    const char *venue;
    struct cv_date start, end;
    struct cv_date wstart, wend;
    int days;
    bool scenario;
    const char *inside;
    const char *url;
};

static const struct expect_event shipped[] = {
    {"africa-regional-meeting",
     "61d4b765-001a-4ac9-950d-13a44526072b",
     CV_KIND_REGIONAL_MEETING,
     CV_EVENT_HELD,
     "Africa and the Middle East",
     "Nairobi",
     "KE",
     "Africa/Nairobi",
     "Radisson Blu Hotel, Upper Hill, Nairobi",
     {2025, 3, 25},
     {2025, 3, 27},
     {2024, 1, 8},
     {2024, 9, 20},
     3,
     false,
     NULL,
     "https://opengovernment.go.ke/faqs"},
    {"middle-east-regional-meeting",
     "97571f2b-8975-41bf-85c5-c333dcd6c620",
     CV_KIND_REGIONAL_MEETING,
     CV_EVENT_PROPOSED,
     "Africa and the Middle East",
     "Amman",
     "JO",
     "Asia/Amman",
     NULL,
     {0, 0, 0},
     {0, 0, 0},
     {2024, 2, 5},
     {2024, 6, 28},
     2,
     true,
     NULL,
     NULL},
    {"americas-regional-meeting",
     "c084cbf1-c339-40ae-bc9b-c7a630e34f15",
     CV_KIND_REGIONAL_MEETING,
     CV_EVENT_HELD,
     "Americas",
     "Brasilia",
     "BR",
     "America/Sao_Paulo",
     "Instituto Serzedello Correa, Brasilia",
     {2024, 12, 3},
     {2024, 12, 6},
     {2024, 1, 8},
     {2024, 9, 20},
     4,
     false,
     NULL,
     "https://2024.abrelatam.org/en/selection-methodology"},
    {"unga79-leaders-event",
     "b6771411-9cd7-4876-ab1d-0b974dcff78e",
     CV_KIND_LEADERS_EVENT,
     CV_EVENT_PROPOSED,
     "Global",
     "New York",
     "US",
     "America/New_York",
     NULL,
     {0, 0, 0},
     {0, 0, 0},
     {2024, 9, 24},
     {2024, 9, 30},
     1,
     false,
     "unga79-general-debate",
     "https://datos.gob.es/en/noticia/spain-co-chair-open-government-partnership-central-role-"
     "open-data"},
    {"asia-pacific-regional-meeting",
     "bb5e3742-faba-4737-ba62-cb445389cb13",
     CV_KIND_REGIONAL_MEETING,
     CV_EVENT_HELD,
     "Asia and the Pacific",
     "Taguig City (Metro Manila)",
     "PH",
     "Asia/Manila",
     "Grand Hyatt Manila, Taguig City",
     {2025, 2, 5},
     {2025, 2, 7},
     {2025, 1, 13},
     {2025, 3, 28},
     3,
     false,
     NULL,
     "https://ogpasiapacific.org/Agenda"},
};

static void assert_same_date(const struct cv_date *got, const struct cv_date *want)
{
    assert_int_equal(got->year, want->year);
    assert_int_equal(got->month, want->month);
    assert_int_equal(got->day, want->day);
}

static void test_shipped_programme(void **state)
{
    struct cv_buf buf;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_session_list ses;
    struct cv_ical_limits lim;
    struct cv_error err;
    (void)state;

    REQUIRE_ROOT();
    read_shipped("ogp-programme.ics", &buf);
    cv_ical_limits_init(&lim);
    cv_programme_init(&prog);
    cv_event_list_init(&ev);
    cv_session_list_init(&ses);
    cv_error_init(&err);
    int rc =
        cv_ical_read_programme(buf.buf, buf.len, "ogp-programme.ics", &lim, &prog, &ev, &ses, &err);
    if (rc != 0)
        fail_msg("%d at %s:%ld: %s", rc, err.file, err.line, err.msg);

    assert_string_equal(prog.key, "ogp-cochairs-2023-2024");
    assert_string_equal(prog.name,
                        "OGP co-chairs' programme 2023-2024 (Government of Kenya and Blair "
                        "Glencorse)");
    /* Its name in French as OGP's own French page gives it, in Spanish with the Partnership's
     * official name; none in Arabic (no source gives it): the English one there. */
    assert_int_equal(prog.nnames, 2);
    assert_string_equal(cv_programme_name_in(&prog, "fr"),
                        "Programme des coprésidents de l'OGP 2023-2024 : gouvernement du Kenya et "
                        "Blair Glencorse");
    assert_string_equal(cv_programme_name_in(&prog, "es"),
                        "Programa de los copresidentes de la Alianza para el Gobierno Abierto "
                        "(OGP) 2023-2024 (Gobierno de Kenia y Blair Glencorse)");
    assert_false(cv_programme_has_name_in(&prog, "ar"));
    assert_string_equal(cv_programme_name_in(&prog, "ar"), prog.name);
    assert_string_equal(prog.organizer, "mailto:cochair-office@example.org");
    assert_string_equal(prog.languages, "en,fr,es,ar");
    assert_non_null(prog.description);
    assert_int_equal(strncmp(prog.description,
                             "The regional meetings and the leaders' event of the OGP co-chairs' "
                             "programme 2023-2024, as convene plans them. Facts come from",
                             125),
                     0);
    assert_non_null(strstr(prog.description, "are sourced); planning windows are planning "
                                             "assumptions, not sourced dates."));

    assert_int_equal(ev.n, 5);
    for (size_t i = 0; i < 5; i++) {
        const struct expect_event *x = &shipped[i];
        const struct cv_event *e = &ev.v[i];
        assert_string_equal(e->key, x->key);
        assert_string_equal(e->uid, x->uid);
        assert_int_equal(e->kind, x->kind);
        assert_int_equal(e->status, x->status);
        assert_string_equal(e->region, x->region);
        assert_string_equal(e->city, x->city);
        assert_string_equal(e->country, x->country);
        assert_string_equal(e->tzid, x->tzid);
        if (x->venue)
            assert_string_equal(e->venue, x->venue);
        else
            assert_null(e->venue);
        assert_same_date(&e->start, &x->start);
        assert_same_date(&e->end, &x->end);
        assert_same_date(&e->window_start, &x->wstart);
        assert_same_date(&e->window_end, &x->wend);
        assert_int_equal(e->days, x->days);
        assert_int_equal(e->scenario, x->scenario);
        if (x->inside)
            assert_string_equal(e->inside, x->inside);
        else
            assert_null(e->inside);
        if (x->url)
            assert_string_equal(e->source_url, x->url);
        else
            assert_null(e->source_url);
        assert_int_equal(e->sequence, 0);
        assert_true(e->revision == INT64_C(1795651200)); /* DTSTAMP 2026-11-26T00:00:00Z */
        assert_int_equal(e->ntitles, 3);
        assert_non_null(e->description);
        assert_int_equal(cv_event_validate(e, NULL), 0);
    }
    assert_false(cv_event_has_dates(&ev.v[3]));
    assert_true(cv_event_has_dates(&ev.v[0]));

    /* Titles: unfolded across multi-byte characters, unescaped. */
    assert_string_equal(ev.v[0].title, "2025 OGP Africa & Middle East Regional Meeting: "
                                       "Rebuilding Trust through Open Government");
    assert_string_equal(cv_event_title_in(&ev.v[0], "fr"),
                        "Réunion régionale OGP Afrique et Moyen-Orient 2025 : rétablir la "
                        "confiance par le gouvernement ouvert");
    assert_string_equal(cv_event_title_in(&ev.v[0], "ar"),
                        "الاجتماع الإقليمي لأفريقيا والشرق الأوسط لشراكة "
                        "الحكومة المفتوحة 2025: إعادة بناء الثقة من خلال "
                        "الحكومة المفتوحة");
    assert_string_equal(ev.v[1].title,
                        "OGP Middle East regional meeting (planning scenario, candidate host: "
                        "Jordan)");
    assert_string_equal(cv_event_title_in(&ev.v[1], "fr"),
                        "Réunion régionale OGP Moyen-Orient (scénario de planification, hôte "
                        "candidat : Jordanie)");
    assert_string_equal(cv_event_title_in(&ev.v[1], "es"),
                        "Reunión regional de OGP en Oriente Medio (escenario de planificación, "
                        "anfitrión candidato: Jordania)");
    assert_string_equal(cv_event_title_in(&ev.v[4], "es"),
                        "Reunión regional de OGP para Asia y el Pacífico 2025");
    assert_string_equal(cv_event_title_in(&ev.v[4], "ar"),
                        "الاجتماع الإقليمي لآسيا والمحيط الهادئ لشراكة الحكومة "
                        "المفتوحة 2025");
    assert_int_equal(strncmp(ev.v[0].description,
                             "Sourced: Nairobi, Radisson Blu Hotel Upper Hill, 25-27 March 2025, "
                             "theme 'Rebuilding Trust through Open Government', held (over 500 "
                             "participants).",
                             strlen("Sourced: Nairobi, Radisson Blu Hotel Upper Hill, 25-27 March "
                                    "2025, theme 'Rebuilding Trust through Open Government', held "
                                    "(over 500 participants).")),
                     0);
    assert_non_null(strstr(ev.v[0].description, "the following year; the co-chairs'"));

    /* The sessions are not events; their times are in the event's zone. */
    assert_int_equal(ses.n, 2);
    assert_string_equal(ses.v[0].event_key, "africa-regional-meeting");
    assert_string_equal(ses.v[0].key, "opening-plenary");
    assert_string_equal(ses.v[0].title, "Opening Plenary & Gala Dinner");
    assert_true(ses.v[0].start == INT64_C(1742911200)); /* 2025-03-25T14:00:00Z = 17:00 EAT */
    assert_int_equal(ses.v[0].minutes, 240);
    assert_int_equal(ses.v[0].track, CV_TRACK_PLENARY);
    assert_string_equal(ses.v[0].room, "Garden");
    assert_string_equal(ses.v[0].speakers, "President William Ruto\nOGP CEO Aidan Eyakuze");
    assert_string_equal(ses.v[1].event_key, "asia-pacific-regional-meeting");
    assert_true(ses.v[1].start == INT64_C(1738803600)); /* 2025-02-06T01:00:00Z = 09:00 PST */
    assert_int_equal(ses.v[1].minutes, 150);
    assert_string_equal(ses.v[1].room, "Ballroom II and III");

    /* Without a session list, a file with sessions is refused. */
    struct cv_programme p2;
    struct cv_event_list ev2;
    cv_programme_init(&p2);
    cv_event_list_init(&ev2);
    assert_int_equal(
        cv_ical_read_programme(buf.buf, buf.len, "ogp-programme.ics", &lim, &p2, &ev2, NULL, &err),
        CV_EINVAL);
    assert_true(err.line > 0);
    cv_event_list_release(&ev2);
    cv_programme_release(&p2);

    cv_session_list_release(&ses);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
    cv_buf_release(&buf);
}

/* ---- the shipped reference calendars --------------------------------------------------------- */

struct expect_cal {
    const char *file;
    const char *key;
    const char *scope;
    enum cv_meaning meaning;
    size_t entries;
};

static const struct expect_cal shipped_cals[] = {
    {"holidays-br.ics", "holidays-br", "country:BR", CV_MEANING_BLACKOUT, 20},
    {"holidays-jo.ics", "holidays-jo", "country:JO", CV_MEANING_BLACKOUT, 18},
    {"holidays-ke.ics", "holidays-ke", "country:KE", CV_MEANING_BLACKOUT, 28},
    {"holidays-ph.ics", "holidays-ph", "country:PH", CV_MEANING_BLACKOUT, 42},
    {"holidays-us.ics", "holidays-us", "country:US", CV_MEANING_BLACKOUT, 26},
    {"ogp-global-summit-2025.ics", "ogp-global-summit-2025", "all", CV_MEANING_AVOID, 1},
    {"ramadan-eid.ics", "ramadan-eid", "all", CV_MEANING_AVOID, 6},
    {"unga79.ics", "unga79", "all", CV_MEANING_BLACKOUT, 3},
};

#define NSHIPPED_CALS   (sizeof(shipped_cals) / sizeof(shipped_cals[0]))
#define SHIPPED_ENTRIES 144

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_shipped_refcals(void **state)
{
    char dirpath[4096];
    char *names[64];
    size_t n = 0;
    (void)state;

    REQUIRE_ROOT();
    shipped_path("reference", dirpath, sizeof(dirpath));
    DIR *d = opendir(dirpath);
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".ics") == 0) {
            assert_true(n < 64);
            names[n] = strdup(de->d_name);
            assert_non_null(names[n++]);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_name);
    assert_int_equal(n, NSHIPPED_CALS);

    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[300];
        struct cv_buf buf;
        struct cv_refcal c;
        struct cv_ical_limits lim;
        struct cv_error err;
        const struct expect_cal *x = &shipped_cals[i];

        assert_string_equal(names[i], x->file);
        snprintf(rel, sizeof(rel), "reference/%s", names[i]);
        read_shipped(rel, &buf);
        cv_ical_limits_init(&lim);
        cv_refcal_init(&c);
        cv_error_init(&err);
        int rc = cv_ical_read_refcal(buf.buf, buf.len, rel, &lim, &c, &err);
        if (rc != 0)
            fail_msg("%s: %d at line %ld: %s", rel, rc, err.line, err.msg);
        assert_string_equal(c.key, x->key);
        assert_string_equal(c.scope, x->scope);
        assert_int_equal(c.meaning, x->meaning);
        assert_int_equal(c.n, x->entries);
        assert_non_null(c.name);
        assert_non_null(c.sources);
        assert_int_equal(strncmp(c.sources, "https://", 8), 0);
        assert_int_equal(cv_refcal_validate(&c, NULL), 0);
        for (size_t j = 0; j < c.n; j++) {
            assert_non_null(c.entries[j].key);
            assert_non_null(c.entries[j].uid);
            assert_non_null(c.entries[j].confidence);
            assert_true(c.entries[j].first.year == 2024 || c.entries[j].first.year == 2025);
        }
        total += c.n;

        if (strcmp(x->key, "unga79") == 0) {
            assert_int_equal(c.meaning, CV_MEANING_BLACKOUT);
            assert_string_equal(c.entries[0].key, "unga79-high-level-week");
            assert_string_equal(c.entries[0].summary, "UNGA 79 high-level week");
            assert_date(&c.entries[0].first, 2024, 9, 22);
            assert_date(&c.entries[0].last, 2024, 9, 30);
            assert_string_equal(c.entries[0].confidence, "inferred");
            assert_string_equal(c.entries[0].category, "SUMMIT");
            assert_date(&c.entries[1].first, 2024, 9, 22);
            assert_date(&c.entries[1].last, 2024, 9, 23);
            /* Four X-CONVENE-SOURCE lines, one per line of sources. */
            size_t lines = 1;
            for (const char *p = c.sources; *p; p++)
                lines += *p == '\n';
            assert_int_equal(lines, 4);
        }
        if (strcmp(x->key, "ramadan-eid") == 0) {
            size_t blackouts = 0;
            for (size_t j = 0; j < c.n; j++)
                blackouts +=
                    c.entries[j].has_meaning && c.entries[j].meaning == CV_MEANING_BLACKOUT;
            assert_int_equal(blackouts, 4);
        }
        cv_refcal_release(&c);
        cv_buf_release(&buf);
        free(names[i]);
    }
    assert_int_equal(total, SHIPPED_ENTRIES);
}

/* ---- hostile input: shape -------------------------------------------------------------------- */

static void test_not_icalendar(void **state)
{
    (void)state;
    programme_fails("Dear organiser,\nplease find the programme attached.\n", NULL, CV_EPARSE, 1);
    programme_fails("{\"calendar\": {\"events\": [{\"title\": \"x\"}]}}\n", NULL, CV_EPARSE, 1);
    programme_fails("", NULL, CV_EPARSE, 1);
    programme_fails("\r\n\r\n", NULL, CV_EPARSE, 1);
    programme_fails("VERSION:2.0\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NULL, CV_EPARSE, 1);
    programme_fails("BEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n", NULL, CV_EPARSE, 1);
    refcal_fails("<html><body>Not found</body></html>\n", NULL, CV_EPARSE, 1);

    /* A byte-order mark is allowed before BEGIN:VCALENDAR. */
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;
    assert_int_equal(
        programme("\xef\xbb\xbf" PROG_HEAD EVENT("bom", "u-bom") END_CAL, NULL, &err, &prog, &ev),
        0);
    assert_int_equal(ev.n, 1);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
}

static void test_truncated(void **state)
{
    (void)state;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;

    /* Ends inside a VEVENT (line 8), in the middle of line 10. */
    assert_int_equal(
        programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:cut he", NULL, &err, &prog, &ev),
        CV_EPARSE);
    assert_int_equal(err.line, 10);
    assert_string_equal(err.file, "test.ics");
    assert_non_null(strstr(err.msg, "VEVENT"));
    assert_non_null(strstr(err.msg, "line 8"));
    assert_int_equal(ev.n, 0);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    /* Ends after the event, without END:VCALENDAR. */
    assert_int_equal(programme(PROG_HEAD EVENT("e1", "u1"), NULL, &err, &prog, &ev), CV_EPARSE);
    assert_int_equal(err.line, 14);
    assert_non_null(strstr(err.msg, "VCALENDAR"));
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    refcal_fails(REF_HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\n", NULL, CV_EPARSE, 7);
}

static void test_end_mismatch(void **state)
{
    (void)state;
    programme_fails(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nEND:VTODO\r\n" END_CAL, NULL, CV_EPARSE,
                    10);
    /* END before BEGIN. */
    programme_fails("BEGIN:VCALENDAR\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", NULL,
                    CV_EPARSE, 2);
    /* END:VCALENDAR too early, inside a VEVENT. */
    programme_fails(PROG_HEAD "BEGIN:VEVENT\r\n" END_CAL "END:VEVENT\r\n", NULL, CV_EPARSE, 9);
    /* Anything after the calendar, including a second calendar. */
    programme_fails(PROG_HEAD EVENT("e1", "u1") END_CAL "BEGIN:VCALENDAR\r\n" END_CAL, NULL,
                    CV_EPARSE, 16);
    /* BEGIN and END without a name. */
    programme_fails(PROG_HEAD "BEGIN:\r\nEND:\r\n" END_CAL, NULL, CV_EPARSE, 8);

    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;
    assert_int_equal(programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nEND:VTODO\r\n" END_CAL, NULL,
                               &err, &prog, &ev),
                     CV_EPARSE);
    assert_non_null(strstr(err.msg, "END:VTODO does not close BEGIN:VEVENT"));
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
}

static void test_unparsable_property(void **state)
{
    (void)state;
    /* A content line without ':' on line 10. */
    programme_fails(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nFOO;BAR\r\nX-CONVENE-KEY:e1\r\n"
                              "END:VEVENT\r\n" END_CAL,
                    NULL, CV_EPARSE, 10);
    /* A name with characters a name cannot have, on line 11. */
    programme_fails(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:x\r\nX_BAD NAME:v\r\n"
                              "END:VEVENT\r\n" END_CAL,
                    NULL, CV_EPARSE, 11);
    /* Lines of only ':' or ';'. */
    programme_fails(PROG_HEAD ":value\r\n" END_CAL, NULL, CV_EPARSE, 8);
    programme_fails(PROG_HEAD "SUMMARY\r\n" END_CAL, NULL, CV_EPARSE, 8);

    /* A value libical refuses (X-LIC-ERROR): the error names the line when it can. */
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;
    int rc = programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:x\r\n"
                                 "DTSTART;VALUE=DATE:2024XX01\r\nX-CONVENE-KEY:e1\r\n"
                                 "X-CONVENE-TZID:UTC\r\nEND:VEVENT\r\n" END_CAL,
                       NULL, &err, &prog, &ev);
    assert_int_equal(rc, CV_EPARSE);
    assert_int_equal(err.code, CV_EPARSE);
    assert_string_equal(err.file, "test.ics");
    assert_int_equal(err.line, 11);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
}

static void test_long_line(void **state)
{
    (void)state;
    const size_t big = 10u * 1024 * 1024;
    static const char head[] = "BEGIN:VCALENDAR\r\nX-BIG:";
    static const char tail[] = "\r\nEND:VCALENDAR\r\n";
    size_t len = strlen(head) + big + strlen(tail);
    char *data = malloc(len + 1);
    struct cv_ical_limits lim;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;

    assert_non_null(data);
    memcpy(data, head, strlen(head));
    memset(data + strlen(head), 'a', big);
    memcpy(data + strlen(head) + big, tail, strlen(tail) + 1);

    /* With the size limit raised, the line limit catches it, on line 2. */
    cv_ical_limits_init(&lim);
    lim.max_bytes = 64u * 1024 * 1024;
    cv_programme_init(&prog);
    cv_event_list_init(&ev);
    cv_error_init(&err);
    assert_int_equal(cv_ical_read_programme(data, len, "big.ics", &lim, &prog, &ev, NULL, &err),
                     CV_ELIMIT);
    assert_int_equal(err.code, CV_ELIMIT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, "big.ics");

    /* With the defaults, the size limit, before reading a line. */
    cv_ical_limits_init(&lim);
    cv_error_init(&err);
    assert_int_equal(cv_ical_read_programme(data, len, "big.ics", &lim, &prog, &ev, NULL, &err),
                     CV_ELIMIT);
    assert_int_equal(err.line, 0);

    /* A line exactly at the limit passes the precheck; one octet more does not. */
    cv_ical_limits_init(&lim);
    lim.max_line = 40;
    precheck("BEGIN:VCALENDAR\r\nX-A:012345678901234567890123456789012345\r\nEND:VCALENDAR\r\n",
             strlen("BEGIN:VCALENDAR\r\nX-A:012345678901234567890123456789012345\r\n"
                    "END:VCALENDAR\r\n"),
             &lim, 0, 0);
    precheck("BEGIN:VCALENDAR\r\nX-A:0123456789012345678901234567890123456\r\nEND:VCALENDAR\r\n",
             strlen("BEGIN:VCALENDAR\r\nX-A:0123456789012345678901234567890123456\r\n"
                    "END:VCALENDAR\r\n"),
             &lim, CV_ELIMIT, 2);

    cv_event_list_release(&ev);
    cv_programme_release(&prog);
    free(data);
}

static void test_max_bytes(void **state)
{
    (void)state;
    static const char text[] = PROG_HEAD EVENT("e1", "u1") END_CAL;
    const size_t len = sizeof(text) - 1;
    struct cv_ical_limits lim;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;

    cv_ical_limits_init(&lim);
    lim.max_bytes = len - 1;
    cv_programme_init(&prog);
    cv_event_list_init(&ev);
    cv_error_init(&err);
    assert_int_equal(cv_ical_read_programme(text, len, "t.ics", &lim, &prog, &ev, NULL, &err),
                     CV_ELIMIT);
    assert_int_equal(err.code, CV_ELIMIT);
    assert_string_equal(err.file, "t.ics");
    assert_int_equal(ev.n, 0);
    assert_null(prog.key);

    lim.max_bytes = len;
    assert_int_equal(cv_ical_read_programme(text, len, "t.ics", &lim, &prog, &ev, NULL, &err), 0);
    assert_int_equal(ev.n, 1);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    struct cv_refcal c;
    lim.max_bytes = 10;
    cv_refcal_init(&c);
    assert_int_equal(cv_ical_read_refcal(text, len, "t.ics", &lim, &c, &err), CV_ELIMIT);
    cv_refcal_release(&c);
}

/* @depth nested components below VCALENDAR's level: X-N1 ... X-Nn. */
static char *nested(size_t depth)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    for (size_t i = 1; i <= depth; i++)
        assert_int_equal(i == 1 ? cv_buf_addstr(&b, "BEGIN:VCALENDAR\r\n")
                                : cv_buf_addf(&b, "BEGIN:X-N%zu\r\n", i),
                         0);
    for (size_t i = depth; i >= 1; i--)
        assert_int_equal(i == 1 ? cv_buf_addstr(&b, "END:VCALENDAR\r\n")
                                : cv_buf_addf(&b, "END:X-N%zu\r\n", i),
                         0);
    return cv_buf_detach(&b);
}

static void test_depth(void **state)
{
    (void)state;
    struct cv_ical_limits lim;
    char *s;

    cv_ical_limits_init(&lim);
    lim.max_depth = 3;
    programme_fails("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nBEGIN:VALARM\r\nBEGIN:X-DEEP\r\n"
                    "END:X-DEEP\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                    &lim, CV_ELIMIT, 4);
    s = nested(3);
    precheck(s, strlen(s), &lim, 0, 0);
    free(s);

    /* The default depth (8). */
    cv_ical_limits_init(&lim);
    s = nested(8);
    precheck(s, strlen(s), &lim, 0, 0);
    free(s);
    s = nested(9);
    precheck(s, strlen(s), &lim, CV_ELIMIT, 9);
    programme_fails(s, NULL, CV_ELIMIT, 9);
    free(s);

    /* A limit set past the checker's own stack is still enforced safely. */
    lim.max_depth = 1000;
    s = nested(200);
    precheck(s, strlen(s), &lim, CV_ELIMIT, 17);
    free(s);
}

static void test_count_limits(void **state)
{
    (void)state;
    struct cv_ical_limits lim;

    /* Components: VCALENDAR and two VEVENTs fit 3; a third VEVENT (line 6) does not. */
    static const char comps3[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n"
                                 "BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    static const char comps4[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n"
                                 "BEGIN:VEVENT\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n"
                                 "END:VCALENDAR\r\n";
    cv_ical_limits_init(&lim);
    lim.max_components = 3;
    precheck(comps3, strlen(comps3), &lim, 0, 0);
    precheck(comps4, strlen(comps4), &lim, CV_ELIMIT, 6);
    programme_fails(comps4, &lim, CV_ELIMIT, 6);

    /* Properties in one component: 5 fit, the sixth (line 8) does not. */
    static const char props5[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-A:1\r\nX-B:2\r\nX-C:3\r\n"
                                 "X-D:4\r\nX-E:5\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    static const char props6[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-A:1\r\nX-B:2\r\nX-C:3\r\n"
                                 "X-D:4\r\nX-E:5\r\nX-F:6\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    cv_ical_limits_init(&lim);
    lim.max_properties = 5;
    precheck(props5, strlen(props5), &lim, 0, 0);
    precheck(props6, strlen(props6), &lim, CV_ELIMIT, 8);
    programme_fails(props6, &lim, CV_ELIMIT, 8);

    /* Parameters on one line: 2 fit, 3 do not; a ';' inside quotes is not a parameter. */
    static const char params2[] = "BEGIN:VCALENDAR\r\nX-A;P1=a;P2=b:v\r\nEND:VCALENDAR\r\n";
    static const char params3[] = "BEGIN:VCALENDAR\r\nX-A;P1=a;P2=b;P3=c:v\r\nEND:VCALENDAR\r\n";
    static const char quoted[] = "BEGIN:VCALENDAR\r\nX-A;P1=\"a;b;c;d:e\":v\r\nEND:VCALENDAR\r\n";
    cv_ical_limits_init(&lim);
    lim.max_params = 2;
    precheck(params2, strlen(params2), &lim, 0, 0);
    precheck(params3, strlen(params3), &lim, CV_ELIMIT, 2);
    programme_fails(params3, &lim, CV_ELIMIT, 2);
    lim.max_params = 1;
    precheck(quoted, strlen(quoted), &lim, 0, 0);

    /* The defaults: 101 parameters are too many. */
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_buf_addstr(&b, "BEGIN:VCALENDAR\r\nX-A"), 0);
    for (int i = 0; i < 101; i++)
        assert_int_equal(cv_buf_addf(&b, ";P%d=x", i), 0);
    assert_int_equal(cv_buf_addstr(&b, ":v\r\nEND:VCALENDAR\r\n"), 0);
    cv_ical_limits_init(&lim);
    precheck(b.buf, b.len, &lim, CV_ELIMIT, 2);
    cv_buf_release(&b);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "caf\xc3",          /* truncated sequence */
        "caf\xe9 au lait",  /* Latin-1 */
        "\xc0\xaf",         /* overlong '/' */
        "\xed\xa0\x80",     /* a surrogate */
        "\xf4\x90\x80\x80", /* past U+10FFFF */
        "\xff\xfe",         /* not UTF-8 at all */
    };
    char text[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text),
                 PROG_HEAD "BEGIN:VEVENT\r\nSUMMARY:%s\r\nEND:VEVENT\r\n" END_CAL, bad[i]);
        programme_fails(text, NULL, CV_EPARSE, 9);
    }

    /* A NUL inside a line. */
    static const char nul[] = "BEGIN:VCALENDAR\r\nX-A:a\0b\r\nEND:VCALENDAR\r\n";
    struct cv_ical_limits lim;
    cv_ical_limits_init(&lim);
    precheck(nul, sizeof(nul) - 1, &lim, CV_EPARSE, 2);

    /* Invalid UTF-8 inside a folded continuation: the physical line is named. */
    programme_fails(PROG_HEAD
                    "BEGIN:VEVENT\r\nSUMMARY:ok\r\n so far \xc3\x28\r\nEND:VEVENT\r\n" END_CAL,
                    NULL, CV_EPARSE, 10);
}

static void test_bad_folding(void **state)
{
    (void)state;
    programme_fails(" BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NULL, CV_EPARSE, 1);
    programme_fails("\tBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NULL, CV_EPARSE, 1);
    /* A blank line ends the content line; a continuation after it continues nothing. */
    programme_fails(PROG_HEAD "\r\n X-CONVENE-KEY:x\r\n" END_CAL, NULL, CV_EPARSE, 9);

    /* Good folding, also of a BEGIN line, is accepted. */
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;
    assert_int_equal(programme(PROG_HEAD "BEG\r\n IN:VEV\r\n ENT\r\nUID:u1\r\nSUMMARY:Fol\r\n ded"
                                         "\r\nX-CONVENE-KEY:fo\r\n lded\r\nX-CONVENE-TZID:UTC\r\n"
                                         "END:VEVENT\r\n" END_CAL,
                               NULL, &err, &prog, &ev),
                     0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.v[0].key, "folded");
    assert_string_equal(ev.v[0].title, "Folded");
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
}

/* ---- reference entries and RRULEs ------------------------------------------------------------ */

/* A reference calendar with one VEVENT (its BEGIN on line 6) holding @props. */
static char *one_entry(const char *props)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_buf_addf(&b,
                                 REF_HEAD "BEGIN:VEVENT\r\nUID:entry-1\r\nSUMMARY:Entry\r\n%s"
                                          "END:VEVENT\r\n" END_CAL,
                                 props),
                     0);
    return cv_buf_detach(&b);
}

static int read_entry(const char *props, const struct cv_ical_limits *lim, struct cv_refcal *c,
                      struct cv_error *err)
{
    char *text = one_entry(props);
    int rc = refcal(text, lim, err, c);
    free(text);
    return rc;
}

static void test_rrule_yearly(void **state)
{
    (void)state;
    struct cv_refcal c;
    struct cv_error err;

    /* From 1995: only 2000 to 2040 are kept. */
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:19950704\r\nDTEND;VALUE=DATE:19950705\r\n"
                                "RRULE:FREQ=YEARLY\r\n",
                                NULL, &c, &err),
                     0);
    assert_int_equal(c.n, 41);
    for (size_t i = 0; i < c.n; i++) {
        assert_date(&c.entries[i].first, 2000 + (int)i, 7, 4);
        assert_date(&c.entries[i].last, 2000 + (int)i, 7, 4);
        assert_string_equal(c.entries[i].summary, "Entry");
        assert_string_equal(c.entries[i].uid, "entry-1");
    }
    cv_refcal_release(&c);

    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=YEARLY;COUNT=3\r\n", NULL, &c, &err),
        0);
    assert_int_equal(c.n, 3);
    assert_date(&c.entries[0].first, 2024, 1, 1);
    assert_date(&c.entries[1].first, 2025, 1, 1);
    assert_date(&c.entries[2].first, 2026, 1, 1);
    assert_date(&c.entries[2].last, 2026, 1, 1);
    cv_refcal_release(&c);

    /* COUNT counts the occurrences before 2000 too. */
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:19990101\r\nRRULE:FREQ=YEARLY;COUNT=3\r\n", NULL, &c, &err),
        0);
    assert_int_equal(c.n, 2);
    assert_date(&c.entries[0].first, 2000, 1, 1);
    assert_date(&c.entries[1].first, 2001, 1, 1);
    cv_refcal_release(&c);

    /* UNTIL, multi-day occurrences and keys per occurrence. */
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20381231\r\nDTEND;VALUE=DATE:20390102\r\n"
                                "RRULE:FREQ=YEARLY;UNTIL=20401231\r\nX-CONVENE-KEY:new-year\r\n",
                                NULL, &c, &err),
                     0);
    assert_int_equal(c.n, 3);
    assert_date(&c.entries[0].first, 2038, 12, 31);
    assert_date(&c.entries[0].last, 2039, 1, 1);
    assert_date(&c.entries[2].first, 2040, 12, 31);
    assert_date(&c.entries[2].last, 2041, 1, 1);
    assert_string_equal(c.entries[0].key, "new-year-20381231");
    assert_string_equal(c.entries[1].key, "new-year-20391231");
    assert_string_equal(c.entries[2].key, "new-year-20401231");
    assert_int_equal(cv_refcal_validate(&c, NULL), 0);
    cv_refcal_release(&c);
}

/* The recurrence set is RRULE and RDATE minus EXDATE (RFC 5545 section 3.8.5). */
static void test_rrule_exdate(void **state)
{
    (void)state;
    struct cv_refcal c;
    struct cv_error err;
    char got[2][64] = {"", ""};
    size_t n[2];

    /* Read both, release, then compare: a failure leaks nothing. */
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=YEARLY;COUNT=3\r\n"
                                "EXDATE;VALUE=DATE:20250101\r\n",
                                NULL, &c, &err),
                     0);
    n[0] = c.n;
    for (size_t i = 0; i < c.n && i < 3; i++) {
        char d[CV_DATE_SIZE];
        cv_date_format(&c.entries[i].first, d);
        snprintf(got[0] + strlen(got[0]), sizeof(got[0]) - strlen(got[0]), "%s%s", i ? " " : "", d);
    }
    cv_refcal_release(&c);
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=YEARLY;COUNT=2\r\n"
                                "RDATE;VALUE=DATE:20240704\r\n",
                                NULL, &c, &err),
                     0);
    n[1] = c.n;
    for (size_t i = 0; i < c.n && i < 3; i++) {
        char d[CV_DATE_SIZE];
        cv_date_format(&c.entries[i].first, d);
        snprintf(got[1] + strlen(got[1]), sizeof(got[1]) - strlen(got[1]), "%s%s", i ? " " : "", d);
    }
    cv_refcal_release(&c);

    print_message("EXDATE: %zu entries (%s); RDATE: %zu entries (%s)\n", n[0], got[0], n[1],
                  got[1]);
    assert_string_equal(got[0], "2024-01-01 2026-01-01");
    assert_int_equal(n[0], 2);
    assert_string_equal(got[1], "2024-01-01 2024-07-04 2025-01-01");
    assert_int_equal(n[1], 3);
}

static void test_rrule_refused(void **state)
{
    (void)state;
    static const char *const rules[] = {
        "RRULE:FREQ=SECONDLY\r\n",
        "RRULE:FREQ=MINUTELY;COUNT=2\r\n",
        "RRULE:FREQ=HOURLY;INTERVAL=24\r\n",
    };
    char props[256];
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        struct cv_refcal c;
        struct cv_error err;
        snprintf(props, sizeof(props), "DTSTART:20240101T000000Z\r\n%s", rules[i]);
        assert_int_equal(read_entry(props, NULL, &c, &err), CV_EINVAL);
        assert_int_equal(err.line, 6);
        assert_string_equal(err.file, "ref.ics");
        assert_non_null(strstr(err.msg, "DAILY"));
        cv_refcal_release(&c);
    }
}

static void test_rrule_limits(void **state)
{
    (void)state;
    struct cv_refcal c;
    struct cv_error err;
    struct cv_ical_limits lim;

    /* Daily for ever from 2000: over 1,000 occurrences, refused fast. */
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:20000101\r\nRRULE:FREQ=DAILY\r\n", NULL, &c, &err),
        CV_ELIMIT);
    assert_int_equal(err.code, CV_ELIMIT);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.msg, "1000"));
    cv_refcal_release(&c);

    /* Exactly the limit is accepted; one more is not. */
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20000101\r\nRRULE:FREQ=DAILY;COUNT=1000\r\n",
                                NULL, &c, &err),
                     0);
    assert_int_equal(c.n, 1000);
    assert_date(&c.entries[0].first, 2000, 1, 1);
    assert_date(&c.entries[999].first, 2002, 9, 26);
    cv_refcal_release(&c);
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20000101\r\nRRULE:FREQ=DAILY;COUNT=1001\r\n",
                                NULL, &c, &err),
                     CV_ELIMIT);
    cv_refcal_release(&c);

    /* A lowered limit. */
    cv_ical_limits_init(&lim);
    lim.max_instances = 5;
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=WEEKLY\r\n", &lim, &c, &err),
        CV_ELIMIT);
    cv_refcal_release(&c);
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n", &lim, &c, &err),
        0);
    assert_int_equal(c.n, 5);
    assert_date(&c.entries[4].first, 2024, 1, 29);
    cv_refcal_release(&c);

    /* Daily from 1900: a long walk before 2000 is cut short, not waited for. */
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:19000101\r\nRRULE:FREQ=DAILY\r\n", NULL, &c, &err),
        CV_ELIMIT);
    assert_non_null(strstr(err.msg, "too long"));
    cv_refcal_release(&c);
}

/* Rules that never match or match in storms: any answer, but quickly and without a crash. */
static void test_rrule_hostile(void **state)
{
    (void)state;
    static const char *const rules[] = {
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n",
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31;BYDAY=MO\r\n",
        "RRULE:FREQ=DAILY;BYSETPOS=1,2,3,4,5,6,7,8,9,10,-1,-2,-3,-4,-5\r\n",
        "RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=-1,1,2,3,4,5,6,7,8,9\r\n",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=-31,-30,-29,1,2,3;BYSETPOS=-1,1\r\n",
        "RRULE:FREQ=WEEKLY;INTERVAL=0\r\n",
        "RRULE:FREQ=YEARLY;INTERVAL=1000000;COUNT=5\r\n",
        "RRULE:FREQ=YEARLY;UNTIL=19991231\r\n",
        "RRULE:FREQ=DAILY;COUNT=-1\r\n",
        "RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU\r\n",
        "RRULE:FREQ=YEARLY;BYYEARDAY=366,-366\r\n",
    };
    char props[256];
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        struct cv_refcal c;
        struct cv_error err;
        snprintf(props, sizeof(props), "DTSTART;VALUE=DATE:20000229\r\n%s", rules[i]);
        double t0 = now_s();
        int rc = read_entry(props, NULL, &c, &err);
        double took = now_s() - t0;
        print_message("%.*s: rc %d, %zu entries, %.1f ms\n", (int)strcspn(rules[i], "\r"), rules[i],
                      rc, c.n, took * 1000);
        assert_true(rc == 0 || rc == CV_EINVAL || rc == CV_ELIMIT || rc == CV_EPARSE);
        if (rc == 0) {
            assert_true(c.n <= 1000);
            assert_int_equal(cv_refcal_validate(&c, NULL), 0);
            for (size_t j = 0; j < c.n; j++)
                assert_true(c.entries[j].first.year >= 2000 && c.entries[j].first.year <= 2040);
        } else {
            assert_int_equal(err.code, rc);
        }
        cv_refcal_release(&c);
    }
}

static void test_entry_dates(void **state)
{
    (void)state;
    static const struct {
        const char *props;
        struct cv_date first, last;
    } cases[] = {
        /* DTEND is exclusive. */
        {"DTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240103\r\n",
         {2024, 1, 1},
         {2024, 1, 2}},
        {"DTSTART;VALUE=DATE:20240229\r\n", {2024, 2, 29}, {2024, 2, 29}},
        {"DTSTART;VALUE=DATE:20240101\r\nDURATION:P3D\r\n", {2024, 1, 1}, {2024, 1, 3}},
        {"DTSTART;VALUE=DATE:20240101\r\nDURATION:P1W\r\n", {2024, 1, 1}, {2024, 1, 7}},
        /* Timed entries cover the days they touch. */
        {"DTSTART:20240101T090000Z\r\nDTEND:20240101T170000Z\r\n", {2024, 1, 1}, {2024, 1, 1}},
        {"DTSTART:20240101T090000\r\nDTEND:20240102T000000\r\n", {2024, 1, 1}, {2024, 1, 1}},
        {"DTSTART:20240101T220000\r\nDTEND:20240102T020000\r\n", {2024, 1, 1}, {2024, 1, 2}},
        {"DTSTART:20240101T090000Z\r\n", {2024, 1, 1}, {2024, 1, 1}},
        /* Past 2038. */
        {"DTSTART;VALUE=DATE:20391231\r\nDTEND;VALUE=DATE:20400102\r\n",
         {2039, 12, 31},
         {2040, 1, 1}},
        {"DTSTART;VALUE=DATE:21000228\r\nDTEND;VALUE=DATE:21000301\r\n",
         {2100, 2, 28},
         {2100, 2, 28}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cv_refcal c;
        struct cv_error err;
        int rc = read_entry(cases[i].props, NULL, &c, &err);
        if (rc != 0)
            fail_msg("case %zu: %d %s", i, rc, err.msg);
        assert_int_equal(c.n, 1);
        if (cv_date_cmp(&c.entries[0].first, &cases[i].first) != 0 ||
            cv_date_cmp(&c.entries[0].last, &cases[i].last) != 0)
            fail_msg("case %zu: got %d-%d-%d..%d-%d-%d", i, c.entries[0].first.year,
                     c.entries[0].first.month, c.entries[0].first.day, c.entries[0].last.year,
                     c.entries[0].last.month, c.entries[0].last.day);
        cv_refcal_release(&c);
    }

    /* No DTSTART; more than a year long: refused at the VEVENT's line. */
    struct cv_refcal c;
    struct cv_error err;
    assert_int_equal(read_entry("DTEND;VALUE=DATE:20240103\r\n", NULL, &c, &err), CV_EINVAL);
    assert_int_equal(err.line, 6);
    cv_refcal_release(&c);
    assert_int_equal(
        read_entry("DTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20260101\r\n", NULL, &c, &err),
        CV_EINVAL);
    assert_int_equal(err.line, 6);
    cv_refcal_release(&c);

    /* The calendar's defaults and its key from the file name. */
    static const char nokey[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
                                "UID:a\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:A\r\n"
                                "END:VEVENT\r\nEND:VCALENDAR\r\n";
    struct cv_ical_limits lim;
    cv_ical_limits_init(&lim);
    cv_refcal_init(&c);
    assert_int_equal(
        cv_ical_read_refcal(nokey, strlen(nokey), "/some/dir/Holidays KE 2041.ics", &lim, &c, &err),
        0);
    assert_string_equal(c.key, "holidays-ke-2041");
    assert_string_equal(c.name, "holidays-ke-2041");
    assert_string_equal(c.scope, "all");
    assert_int_equal(c.meaning, CV_MEANING_BLACKOUT);
    assert_null(c.sources);
    assert_null(c.description);
    assert_int_equal(c.n, 1);
    assert_null(c.entries[0].key);
    assert_false(c.entries[0].has_meaning);
    cv_refcal_release(&c);

    /* An unknown meaning names its line. */
    refcal_fails(REF_HEAD "X-CONVENE-MEANING:sometimes\r\n" END_CAL, NULL, CV_EINVAL, 6);
    /* Entry keys unique. */
    refcal_fails(REF_HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:A\r\n"
                          "X-CONVENE-KEY:same\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
                          "DTSTART;VALUE=DATE:20240102\r\nSUMMARY:B\r\nX-CONVENE-KEY:same\r\n"
                          "END:VEVENT\r\n" END_CAL,
                 NULL, CV_EINVAL, 0);
}

/* ---- injection (I2) -------------------------------------------------------------------------- */

static void test_injection(void **state)
{
    (void)state;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;

    int rc = programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u-inj\r\n"
                                 "SUMMARY:Budget\\, law \\; order \\\\ END:VEVENT text\r\n"
                                 "DESCRIPTION:one\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil\\, two "
                                 "\\\\n not a newline\\; three\\N four\r\n"
                                 "LOCATION:Room \"A\"\\; floor 2\\, west wing: END:VEVENT\r\n"
                                 "X-CONVENE-KEY:inj\r\nX-CONVENE-TZID:UTC\r\n"
                                 "X-CONVENE-CITY:abc\r\n END:VEVENT\r\n"
                                 "END:VEVENT\r\n" END_CAL,
                       NULL, &err, &prog, &ev);
    if (rc != 0)
        fail_msg("%d at line %ld: %s", rc, err.line, err.msg);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.v[0].key, "inj");
    assert_string_equal(ev.v[0].uid, "u-inj");
    assert_string_equal(ev.v[0].title, "Budget, law ; order \\ END:VEVENT text");
    assert_string_equal(ev.v[0].description,
                        "one\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil, two \\n not a newline; "
                        "three\n four");
    assert_string_equal(ev.v[0].venue, "Room \"A\"; floor 2, west wing: END:VEVENT");
    assert_string_equal(ev.v[0].city, "abcEND:VEVENT");
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    /* The same in a reference entry. */
    struct cv_refcal c;
    assert_int_equal(read_entry("DTSTART;VALUE=DATE:20240101\r\n"
                                "DESCRIPTION:x\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected\r\n"
                                "CATEGORIES:PUBLIC-HOLIDAY\r\n",
                                NULL, &c, &err),
                     0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.entries[0].summary, "Entry");
    assert_string_equal(c.entries[0].description, "x\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected");
    assert_string_equal(c.entries[0].category, "PUBLIC-HOLIDAY");
    cv_refcal_release(&c);

    /* A control character smuggled into a one-line field is refused, not stored. */
    rc = programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:two\\nlines\r\n"
                             "X-CONVENE-KEY:e1\r\nX-CONVENE-TZID:UTC\r\nEND:VEVENT\r\n" END_CAL,
                   NULL, &err, &prog, &ev);
    assert_int_equal(rc, CV_EINVAL);
    assert_int_equal(err.line, 8);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    /* A trailing backslash (CVE-2026-111269 in later libical): no crash, any answer. */
    rc = programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:ends in \\\r\n"
                             "DESCRIPTION:\\\r\nX-CONVENE-KEY:e1\r\nX-CONVENE-TZID:UTC\r\n"
                             "END:VEVENT\r\n" END_CAL,
                   NULL, &err, &prog, &ev);
    assert_true(rc == 0 || rc == CV_EPARSE || rc == CV_EINVAL);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
}

/* Counts (and names) a value that is not UTF-8, with its bytes in hex. */
static void check_utf8(const char *what, const char *s, int *bad)
{
    char hex[200] = "";
    if (!s || cv_utf8_is_valid(s, strlen(s)))
        return;
    for (size_t i = 0, n = 0; s[i] && n + 4 < sizeof(hex); i++)
        n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%02x ", (unsigned char)s[i]);
    print_message("%s was read as invalid UTF-8: %s\n", what, hex);
    (*bad)++;
}

/*
 * A backslash before a non-ASCII character is not an RFC 5545 escape. Whatever the reader makes
 * of it, what it returns must still be UTF-8 (text is UTF-8 everywhere in convene): refusing the
 * file is fine, storing half a character is not.
 */
static void test_escape_keeps_utf8(void **state)
{
    (void)state;
    struct cv_refcal c;
    struct cv_error err;
    int bad = 0;

    int rc = read_entry("DTSTART;VALUE=DATE:20240410\r\nCATEGORIES:F\\été\r\n"
                        "DESCRIPTION:Fin du je\\ûne\r\n",
                        NULL, &c, &err);
    assert_true(rc == 0 || rc == CV_EINVAL || rc == CV_EPARSE);
    for (size_t i = 0; rc == 0 && i < c.n; i++) {
        check_utf8("entry CATEGORIES", c.entries[i].category, &bad);
        check_utf8("entry DESCRIPTION", c.entries[i].description, &bad);
    }
    cv_refcal_release(&c);

    rc = refcal(REF_HEAD "BEGIN:VEVENT\r\nUID:e\r\nDTSTART;VALUE=DATE:20240410\r\n"
                         "SUMMARY:Eid\\، al-Fitr\r\nEND:VEVENT\r\n" END_CAL,
                NULL, &err, &c);
    assert_true(rc == 0 || rc == CV_EINVAL || rc == CV_EPARSE);
    for (size_t i = 0; rc == 0 && i < c.n; i++)
        check_utf8("entry SUMMARY", c.entries[i].summary, &bad);
    cv_refcal_release(&c);

    rc = refcal("BEGIN:VCALENDAR\r\nX-WR-CALNAME:F\\êtes\r\nX-WR-CALDESC:\\été\r\n"
                "X-CONVENE-KEY:fetes\r\n" END_CAL,
                NULL, &err, &c);
    assert_true(rc == 0 || rc == CV_EINVAL || rc == CV_EPARSE);
    if (rc == 0) {
        check_utf8("calendar X-WR-CALNAME", c.name, &bad);
        check_utf8("calendar X-WR-CALDESC", c.description, &bad);
    }
    cv_refcal_release(&c);

    struct cv_programme prog;
    struct cv_event_list ev;
    rc = programme("BEGIN:VCALENDAR\r\nX-WR-CALNAME:Programme\r\nX-CONVENE-KEY:p\r\n"
                   "X-CONVENE-ORGANIZER:mailto:o@example.org\r\nX-CONVENE-LANGUAGES:en\r\n"
                   "X-WR-CALDESC:R\\éunions\r\n" EVENT("e1", "u1") END_CAL,
                   NULL, &err, &prog, &ev);
    assert_true(rc == 0 || rc == CV_EINVAL || rc == CV_EPARSE);
    if (rc == 0)
        check_utf8("programme X-WR-CALDESC", prog.description, &bad);
    cv_event_list_release(&ev);
    cv_programme_release(&prog);
    assert_int_equal(bad, 0);
}

static void test_titles_language(void **state)
{
    (void)state;
    struct cv_programme prog;
    struct cv_event_list ev;
    struct cv_error err;

    int rc = programme(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:Meeting\\, Paris\r\n"
                                 "X-CONVENE-TITLE;LANGUAGE=fr:Réunion\\, Paris et Lyon\\; 2041\r\n"
                                 "X-CONVENE-TITLE;LANGUAGE=es:Reunión\\, París\r\n"
                                 "X-CONVENE-TITLE;LANGUAGE=ar:اجتماع، باريس\r\n"
                                 "X-CONVENE-KEY:paris\r\nX-CONVENE-TZID:Europe/Paris\r\n"
                                 "X-CONVENE-DAYS:2\r\nX-CONVENE-KIND:side-event\r\n"
                                 "X-CONVENE-STATUS:tentative\r\nSEQUENCE:4\r\n"
                                 "LAST-MODIFIED:20410101T000000Z\r\nEND:VEVENT\r\n" END_CAL,
                       NULL, &err, &prog, &ev);
    if (rc != 0)
        fail_msg("%d at line %ld: %s", rc, err.line, err.msg);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.v[0].title, "Meeting, Paris");
    assert_int_equal(ev.v[0].ntitles, 3);
    assert_string_equal(cv_event_title_in(&ev.v[0], "fr"), "Réunion, Paris et Lyon; 2041");
    assert_string_equal(cv_event_title_in(&ev.v[0], "es"), "Reunión, París");
    assert_int_equal(ev.v[0].days, 2);
    assert_int_equal(ev.v[0].kind, CV_KIND_SIDE_EVENT);
    assert_int_equal(ev.v[0].status, CV_EVENT_TENTATIVE);
    assert_int_equal(ev.v[0].sequence, 4);
    assert_true(ev.v[0].revision == INT64_C(2240611200));
    cv_event_list_release(&ev);
    cv_programme_release(&prog);

    /* A language convene does not write, and none at all: refused at the event's line. */
    programme_fails(PROG_HEAD EVENT("e0", "u0") "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:x\r\n"
                                                "X-CONVENE-TITLE;LANGUAGE=de:Treffen\r\n"
                                                "X-CONVENE-KEY:e1\r\nX-CONVENE-TZID:UTC\r\n"
                                                "END:VEVENT\r\n" END_CAL,
                    NULL, CV_EINVAL, 15);
    programme_fails(PROG_HEAD "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:x\r\n"
                              "X-CONVENE-TITLE:Sans langue\r\nX-CONVENE-KEY:e1\r\n"
                              "X-CONVENE-TZID:UTC\r\nEND:VEVENT\r\n" END_CAL,
                    NULL, CV_EINVAL, 8);
}

static void test_programme_errors(void **state)
{
    (void)state;
    /* The second event (BEGIN:VEVENT on line 15) is wrong in one way each. */
    static const char *const bad[] = {
        /* no X-CONVENE-KEY */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-TZID:UTC\r\nEND:VEVENT\r\n",
        /* an unknown zone */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\n"
        "X-CONVENE-TZID:Mars/Olympus_Mons\r\nEND:VEVENT\r\n",
        /* no zone at all */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nEND:VEVENT\r\n",
        /* a zone that walks out of the zone folder */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\n"
        "X-CONVENE-TZID:../../etc/passwd\r\nEND:VEVENT\r\n",
        /* DTSTART as a DATE-TIME */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "DTSTART:20240101T090000Z\r\nEND:VEVENT\r\n",
        /* DTEND not after DTSTART */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "DTSTART;VALUE=DATE:20240105\r\nDTEND;VALUE=DATE:20240105\r\nEND:VEVENT\r\n",
        /* dates of 3 days, length 2 */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "DTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240104\r\nX-CONVENE-DAYS:2\r\n"
        "END:VEVENT\r\n",
        /* length 0 */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "X-CONVENE-DAYS:0\r\nEND:VEVENT\r\n",
        /* an unknown kind */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "X-CONVENE-KIND:party\r\nEND:VEVENT\r\n",
        /* a window that is not a date */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "X-CONVENE-WINDOW-START:soon\r\nX-CONVENE-WINDOW-END:20240101\r\nEND:VEVENT\r\n",
        /* the first event's key again */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e1\r\nX-CONVENE-TZID:UTC\r\n"
        "END:VEVENT\r\n",
        /* the first event's UID again */
        "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "END:VEVENT\r\n",
        /* no UID */
        "BEGIN:VEVENT\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\nEND:VEVENT\r\n",
        /* a source that is not http(s) */
        "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:x\r\nX-CONVENE-KEY:e2\r\nX-CONVENE-TZID:UTC\r\n"
        "URL:javascript:alert(1)\r\nEND:VEVENT\r\n",
    };
    char text[1024];
    struct cv_ical_limits lim;
    cv_ical_limits_init(&lim);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cv_programme prog;
        struct cv_event_list ev;
        struct cv_error err;
        int n = snprintf(text, sizeof(text), PROG_HEAD EVENT("e1", "u1") "%s" END_CAL, bad[i]);
        assert_true(n > 0 && (size_t)n < sizeof(text));
        cv_programme_init(&prog);
        cv_event_list_init(&ev);
        cv_error_init(&err);
        int rc = cv_ical_read_programme(text, strlen(text), "bad-programme.ics", &lim, &prog, &ev,
                                        NULL, &err);
        if (rc != CV_EINVAL || err.line != 15)
            fail_msg("case %zu: expected %d at line 15, got %d at line %ld: %s", i, CV_EINVAL, rc,
                     err.line, err.msg);
        assert_int_equal(err.code, CV_EINVAL);
        assert_string_equal(err.file, "bad-programme.ics");
        cv_event_list_release(&ev);
        cv_programme_release(&prog);
    }

    /* The programme's name in another language: X-CONVENE-NAME;LANGUAGE=xx, read with the
     * calendar; without a language, in English (X-WR-CALNAME is that one) or in an unknown
     * one: refused at its line (an empty one libical refuses itself). */
    struct cv_programme named;
    struct cv_event_list nev;
    struct cv_error nerr;
    assert_int_equal(programme(PROG_HEAD "X-CONVENE-NAME;LANGUAGE=fr:Programme d\\,essai\r\n"
                                         "X-CONVENE-NAME;LANGUAGE=ar:برنامج تجريبي\r\n" EVENT(
                                             "e1", "u1") END_CAL,
                               NULL, &nerr, &named, &nev),
                     0);
    assert_string_equal(cv_programme_name_in(&named, "fr"), "Programme d,essai");
    assert_string_equal(cv_programme_name_in(&named, "ar"), "برنامج تجريبي");
    assert_string_equal(cv_programme_name_in(&named, "es"), "Test programme");
    cv_event_list_release(&nev);
    cv_programme_release(&named);
    programme_fails(PROG_HEAD "X-CONVENE-NAME:Nameless\r\n" EVENT("e1", "u1") END_CAL, NULL,
                    CV_EINVAL, 8);
    programme_fails(PROG_HEAD "X-CONVENE-NAME;LANGUAGE=en:English\r\n" EVENT("e1", "u1") END_CAL,
                    NULL, CV_EINVAL, 8);
    programme_fails(PROG_HEAD "X-CONVENE-NAME;LANGUAGE=de:Programm\r\n" EVENT("e1", "u1") END_CAL,
                    NULL, CV_EINVAL, 8);

    /* The calendar itself: no VEVENT; no organizer; a bad language list. */
    programme_fails(PROG_HEAD END_CAL, NULL, CV_EINVAL, 0);
    programme_fails("BEGIN:VCALENDAR\r\nX-WR-CALNAME:P\r\nX-CONVENE-KEY:p\r\n"
                    "X-CONVENE-LANGUAGES:en\r\n" EVENT("e1", "u1") END_CAL,
                    NULL, CV_EINVAL, 1);
    programme_fails(
        "BEGIN:VCALENDAR\r\nX-WR-CALNAME:P\r\nX-CONVENE-KEY:p\r\n"
        "X-CONVENE-ORGANIZER:mailto:o@example.org\r\nX-CONVENE-LANGUAGES:en\\,xx\r\n" EVENT(
            "e1", "u1") END_CAL,
        NULL, CV_EINVAL, 1);
}

/* ---- L1 on a small scale: mutations of the shipped programme --------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static size_t rng_below(struct rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* Start offsets of the lines of @b. */
static size_t line_starts(const struct cv_buf *b, size_t *starts, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len && n < max; i++) {
        if (i == 0 || b->buf[i - 1] == '\n')
            starts[n++] = i;
    }
    return n;
}

static void mutate(struct rng *r, const struct cv_buf *base, struct cv_buf *out, int kind)
{
    static size_t starts[4096];
    size_t nlines = line_starts(base, starts, 4096);
    cv_buf_reset(out);
    switch (kind) {
    case 0: { /* bit flips */
        assert_int_equal(cv_buf_add(out, base->buf, base->len), 0);
        size_t flips = 1 + rng_below(r, 8);
        for (size_t i = 0; i < flips; i++)
            out->buf[rng_below(r, out->len)] ^= (char)(1u << rng_below(r, 8));
        break;
    }
    case 1: /* truncation */
        assert_int_equal(cv_buf_add(out, base->buf, rng_below(r, base->len)), 0);
        break;
    case 2: { /* a duplicated line */
        size_t l = rng_below(r, nlines);
        size_t end = l + 1 < nlines ? starts[l + 1] : base->len;
        assert_int_equal(cv_buf_add(out, base->buf, end), 0);
        assert_int_equal(cv_buf_add(out, base->buf + starts[l], end - starts[l]), 0);
        assert_int_equal(cv_buf_add(out, base->buf + end, base->len - end), 0);
        break;
    }
    default: { /* a deleted line and a flipped byte */
        size_t l = rng_below(r, nlines);
        size_t end = l + 1 < nlines ? starts[l + 1] : base->len;
        assert_int_equal(cv_buf_add(out, base->buf, starts[l]), 0);
        assert_int_equal(cv_buf_add(out, base->buf + end, base->len - end), 0);
        if (out->len)
            out->buf[rng_below(r, out->len)] ^= 0x20;
    }
    }
}

static void test_mutations(void **state)
{
    (void)state;
    struct cv_buf base, m;
    struct rng r = {0xc0ffee};
    struct cv_ical_limits lim;
    size_t ok = 0, failed = 0, by_code[32] = {0};

    REQUIRE_ROOT();
    read_shipped("ogp-programme.ics", &base);
    cv_buf_init(&m, CV_BUF_NOLIMIT);
    cv_ical_limits_init(&lim);
    for (int i = 0; i < 200; i++) {
        struct cv_programme prog;
        struct cv_event_list ev;
        struct cv_session_list ses;
        struct cv_error err;
        mutate(&r, &base, &m, i % 4);
        cv_programme_init(&prog);
        cv_event_list_init(&ev);
        cv_session_list_init(&ses);
        cv_error_init(&err);
        int rc = cv_ical_read_programme(m.buf, m.len, "mutant.ics", &lim, &prog, &ev, &ses, &err);
        assert_true(rc <= 0 && rc > -32);
        if (rc == 0) {
            ok++;
            assert_true(ev.n >= 1 && ev.n <= 5);
            for (size_t j = 0; j < ev.n; j++)
                assert_int_equal(cv_event_validate(&ev.v[j], NULL), 0);
        } else {
            failed++;
            by_code[-rc]++;
            if (err.code != rc || strcmp(err.file, "mutant.ics") != 0 || !err.msg[0])
                fail_msg("mutation %d: rc %d but err.code %d, file '%s', msg '%s'", i, rc, err.code,
                         err.file, err.msg);
        }
        cv_session_list_release(&ses);
        cv_event_list_release(&ev);
        cv_programme_release(&prog);
    }
    print_message("mutations: %zu read, %zu refused (parse %zu, invalid %zu, limit %zu)\n", ok,
                  failed, by_code[-CV_EPARSE], by_code[-CV_EINVAL], by_code[-CV_ELIMIT]);
    assert_int_equal(ok + failed, 200);
    assert_true(ok > 0);
    assert_true(failed > 0);
    assert_int_equal(by_code[-CV_ENOMEM], 0);

    /* Reference calendars too. */
    struct cv_buf ref;
    read_shipped("reference/unga79.ics", &ref);
    for (int i = 0; i < 100; i++) {
        struct cv_refcal c;
        struct cv_error err;
        mutate(&r, &ref, &m, i % 4);
        cv_refcal_init(&c);
        cv_error_init(&err);
        int rc = cv_ical_read_refcal(m.buf, m.len, "mutant-ref.ics", &lim, &c, &err);
        assert_true(rc <= 0 && rc > -32);
        if (rc < 0)
            assert_int_equal(err.code, rc);
        else
            assert_int_equal(cv_refcal_validate(&c, NULL), 0);
        cv_refcal_release(&c);
    }
    cv_buf_release(&ref);
    cv_buf_release(&m);
    cv_buf_release(&base);
}

/* ---- loading into a store -------------------------------------------------------------------- */

struct fx {
    char dir[256];
    char db[300];
    struct cv_ctx *ctx;
    struct cv_store *st;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof(f->dir), "%s/cv-ical-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/convene.db", f->dir);
    assert_int_equal(cv_ctx_new(&f->ctx, NULL), 0);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &f->st, NULL), 0);
    *state = f;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    cv_store_free(f->st);
    cv_ctx_free(f->ctx);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void calendars_dir(char *out, size_t size)
{
    int n = snprintf(out, size, "%s/calendars", source_root());
    assert_true(n > 0 && (size_t)n < size);
}

static void assert_counts(struct cv_store *st, long events, long people, long countries,
                          long refcals, long refentries)
{
    struct cv_store_counts c;
    assert_int_equal(cv_store_counts(st, &c, NULL), 0);
    assert_int_equal(c.events, events);
    assert_int_equal(c.people, people);
    assert_int_equal(c.countries, countries);
    assert_int_equal(c.refcals, refcals);
    assert_int_equal(c.refentries, refentries);
}

static void assert_first_load(const struct cv_load_report *r)
{
    assert_int_equal(r->programme, CV_UPSERT_INSERTED);
    assert_int_equal(r->events.added, 5);
    assert_int_equal(r->events.updated, 0);
    assert_int_equal(r->events.unchanged, 0);
    assert_int_equal(r->events.kept, 0);
    assert_int_equal(r->sessions.added, 2);
    assert_int_equal(r->members.added, 75);
    assert_int_equal(r->members.updated, 0);
    assert_int_equal(r->refcals.added, NSHIPPED_CALS);
    assert_int_equal(r->refcals.updated, 0);
    assert_int_equal(r->refentries, SHIPPED_ENTRIES);
    assert_false(cv_load_report_is_noop(r));
}

static void assert_noop_load(const struct cv_load_report *r, size_t kept)
{
    assert_true(cv_load_report_is_noop(r));
    assert_int_equal(r->programme, CV_UPSERT_UNCHANGED);
    assert_int_equal(r->events.added, 0);
    assert_int_equal(r->events.unchanged, 5 - kept);
    assert_int_equal(r->events.kept, kept);
    assert_int_equal(r->sessions.added, 0);
    assert_int_equal(r->sessions.unchanged, 2);
    assert_int_equal(r->members.unchanged, 75);
    assert_int_equal(r->members.added + r->members.updated, 0);
    assert_int_equal(r->refcals.unchanged, NSHIPPED_CALS);
    assert_int_equal(r->refcals.added + r->refcals.updated, 0);
}

static char *file_bytes(const char *path, size_t *len)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_file_read(path, MAX_FILE * 4, &b, NULL), 0);
    *len = b.len;
    return cv_buf_detach(&b);
}

static void test_load_dir(void **state)
{
    struct fx *f = *state;
    struct cv_load_report rep;
    struct cv_error err;
    char dir[4096];

    REQUIRE_ROOT();
    calendars_dir(dir, sizeof(dir));
    cv_error_init(&err);
    int rc = cv_load_calendars(f->st, dir, &rep, &err);
    if (rc != 0)
        fail_msg("%d at %s:%ld: %s", rc, err.file, err.line, err.msg);
    assert_first_load(&rep);
    assert_counts(f->st, 5, 0, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);

    struct cv_programme p;
    cv_programme_init(&p);
    assert_int_equal(cv_store_programme_get(f->st, &p, NULL), 0);
    assert_string_equal(p.key, "ogp-cochairs-2023-2024");
    cv_programme_release(&p);
    struct cv_event e;
    cv_event_init(&e);
    assert_int_equal(cv_store_event_get(f->st, "unga79-leaders-event", &e, NULL), 0);
    assert_string_equal(e.inside, "unga79-general-debate");
    assert_false(cv_event_has_dates(&e));
    cv_event_release(&e);
    struct cv_refcal c;
    cv_refcal_init(&c);
    assert_int_equal(cv_store_refcal_get(f->st, "unga79", &c, NULL), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.entries[0].key, "unga79-high-level-week");
    cv_refcal_release(&c);

    /* The second run changes nothing, not a byte of the file. */
    size_t len0, len1;
    char *before = file_bytes(f->db, &len0);
    assert_int_equal(cv_load_calendars(f->st, dir, &rep, &err), 0);
    assert_noop_load(&rep, 0);
    assert_int_equal(rep.refentries, SHIPPED_ENTRIES);
    char *after = file_bytes(f->db, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);

    /* The compiled-in copies are the same files. */
    assert_int_equal(cv_load_calendars(f->st, NULL, &rep, &err), 0);
    assert_noop_load(&rep, 0);
    assert_counts(f->st, 5, 0, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
}

static void test_load_embedded(void **state)
{
    struct fx *f = *state;
    struct cv_load_report rep;
    struct cv_error err;

    cv_error_init(&err);
    int rc = cv_load_calendars(f->st, NULL, &rep, &err);
    if (rc != 0)
        fail_msg("%d at %s:%ld: %s", rc, err.file, err.line, err.msg);
    assert_first_load(&rep);
    assert_counts(f->st, 5, 0, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
    assert_int_equal(cv_load_calendars(f->st, NULL, &rep, &err), 0);
    assert_noop_load(&rep, 0);

    struct cv_country_list l;
    cv_country_list_init(&l);
    assert_int_equal(cv_store_country_list(f->st, &l, NULL), 0);
    assert_int_equal(l.n, 75);
    bool jordan = false;
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].iso2, "JO") == 0) {
            jordan = true;
            assert_string_equal(l.v[i].tzid, "Asia/Amman");
            assert_int_equal(l.v[i].weekend, CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6));
            assert_string_equal(l.v[i].confidence, "inferred");
        }
    }
    assert_true(jordan);
    cv_country_list_release(&l);
}

static void test_load_keeps_edits(void **state)
{
    struct fx *f = *state;
    struct cv_load_report rep;
    struct cv_event e;
    char dir[4096];

    REQUIRE_ROOT();
    calendars_dir(dir, sizeof(dir));
    assert_int_equal(cv_load_calendars(f->st, dir, &rep, NULL), 0);

    cv_event_init(&e);
    assert_int_equal(cv_store_event_get(f->st, "africa-regional-meeting", &e, NULL), 0);
    assert_int_equal(cv_str_set(&e.title, "Africa meeting, as the planner renamed it"), 0);
    e.sequence = 1;
    assert_int_equal(cv_store_event_update(f->st, &e, NULL), 0);
    cv_event_release(&e);

    assert_int_equal(cv_load_calendars(f->st, dir, &rep, NULL), 0);
    assert_noop_load(&rep, 1);
    assert_int_equal(cv_load_calendars(f->st, NULL, &rep, NULL), 0);
    assert_int_equal(rep.events.kept, 1);

    cv_event_init(&e);
    assert_int_equal(cv_store_event_get(f->st, "africa-regional-meeting", &e, NULL), 0);
    assert_string_equal(e.title, "Africa meeting, as the planner renamed it");
    assert_int_equal(e.sequence, 1);
    cv_event_release(&e);
    assert_counts(f->st, 5, 0, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Copies calendars/@rel to @dir/@rel. */
static void copy_shipped(const char *rel, const char *dir)
{
    struct cv_buf b;
    char path[4096];
    read_shipped(rel, &b);
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    write_file(path, b.buf, b.len);
    cv_buf_release(&b);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* A failing load leaves the database as it was. */
static void test_load_atomic(void **state)
{
    struct fx *f = *state;
    struct cv_load_report rep;
    struct cv_error err;
    struct cv_programme p;
    char cal[400], path[500];

    REQUIRE_ROOT();
    snprintf(cal, sizeof(cal), "%s/cal", f->dir);
    assert_int_equal(mkdir(cal, 0700), 0);
    copy_shipped("ogp-programme.ics", cal);

    /* No member list. */
    cv_error_init(&err);
    assert_int_equal(cv_load_calendars(f->st, cal, &rep, &err), CV_ENOTFOUND);
    assert_true(ends_with(err.file, "/ogp-members.csv"));
    assert_counts(f->st, 0, 0, 0, 0, 0);
    cv_programme_init(&p);
    assert_int_equal(cv_store_programme_get(f->st, &p, NULL), CV_ENOTFOUND);
    cv_programme_release(&p);

    /* No reference folder. */
    copy_shipped("ogp-members.csv", cal);
    assert_int_equal(cv_load_calendars(f->st, cal, &rep, &err), CV_ENOTFOUND);
    assert_counts(f->st, 0, 0, 0, 0, 0);

    /* A damaged reference calendar after a good one: nothing is kept. */
    snprintf(path, sizeof(path), "%s/reference", cal);
    assert_int_equal(mkdir(path, 0700), 0);
    copy_shipped("reference/unga79.ics", cal);
    static const char damaged[] = "BEGIN:VCALENDAR\r\nX-CONVENE-KEY:zz\r\nBEGIN:VEVENT\r\n"
                                  "DTSTART;VALUE=DATE:20240101\r\n";
    snprintf(path, sizeof(path), "%s/reference/zz-damaged.ics", cal);
    write_file(path, damaged, sizeof(damaged) - 1);
    cv_error_init(&err);
    assert_int_equal(cv_load_calendars(f->st, cal, &rep, &err), CV_EPARSE);
    assert_true(ends_with(err.file, "/reference/zz-damaged.ics"));
    assert_int_equal(err.line, 4);
    assert_counts(f->st, 0, 0, 0, 0, 0);

    /* Repaired: loads. */
    assert_int_equal(remove(path), 0);
    assert_int_equal(cv_load_calendars(f->st, cal, &rep, &err), 0);
    assert_int_equal(rep.events.added, 5);
    assert_int_equal(rep.refcals.added, 1);
    assert_int_equal(rep.refentries, 3);
    assert_counts(f->st, 5, 0, 75, 1, 3);

    /* A read-only handle cannot load, and says so. */
    struct cv_store *ro = NULL;
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &ro, NULL), 0);
    cv_error_init(&err);
    assert_int_equal(cv_load_calendars(ro, NULL, &rep, &err), CV_EREADONLY);
    assert_counts(ro, 5, 0, 75, 1, 3);
    cv_store_free(ro);
}

static int load_people(struct fx *f, const char *csv, const char *name, unsigned flags,
                       struct cv_import_report *rep, struct cv_error *err)
{
    cv_import_report_release(rep);
    cv_error_init(err);
    return cv_load_people(f->st, csv, strlen(csv), name, flags, rep, err);
}

static void test_load_people(void **state)
{
    struct fx *f = *state;
    struct cv_import_report rep;
    struct cv_error err;
    struct cv_person p;

    assert_int_equal(cv_load_calendars(f->st, NULL, &(struct cv_load_report){0}, NULL), 0);
    cv_import_report_init(&rep);

    static const char two[] = "Name,E-mail,Language,Country\r\n"
                              "Ada Sample,ada@example.org,fr,KE\r\n"
                              "Bo Sample,bo@example.org,es-MX,br\r\n";
    assert_int_equal(load_people(f, two, "two.csv", 0, &rep, &err), 0);
    assert_int_equal(rep.read, 2);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 0);
    assert_int_equal(rep.skipped, 0);
    cv_person_init(&p);
    assert_int_equal(cv_store_person_get(f->st, "ada@example.org", &p, NULL), 0);
    assert_string_equal(p.name, "Ada Sample");
    assert_string_equal(p.lang, "fr");
    assert_string_equal(p.country, "KE");
    assert_string_equal(p.tzid, "Africa/Nairobi"); /* the capital's zone */
    assert_string_equal(p.delegation.country, "KE");
    assert_int_equal(p.delegation.kind, CV_DELEGATION_GOVERNMENT);
    assert_int_equal(p.role, CV_ROLE_DELEGATE);
    cv_person_release(&p);
    assert_int_equal(cv_store_person_get(f->st, "bo@example.org", &p, NULL), 0);
    assert_string_equal(p.lang, "es");
    assert_string_equal(p.country, "BR");
    assert_string_equal(p.tzid, "America/Sao_Paulo");
    cv_person_release(&p);
    assert_counts(f->st, 5, 2, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);

    /* Again: unchanged. */
    assert_int_equal(load_people(f, two, "two.csv", 0, &rep, &err), 0);
    assert_int_equal(rep.read, 2);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 2);

    /* Another case of the address is the same person. */
    static const char renamed[] = "name,email,language,country\n"
                                  "Ada Sample-Otieno,ADA@Example.org,fr,KE\n"
                                  "Bo Sample,bo@example.org,es,BR\n";
    assert_int_equal(load_people(f, renamed, "renamed.csv", 0, &rep, &err), 0);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.unchanged, 1);
    assert_counts(f->st, 5, 2, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
    assert_int_equal(cv_store_person_get(f->st, "ada@example.org", &p, NULL), 0);
    assert_string_equal(p.name, "Ada Sample-Otieno");
    cv_person_release(&p);

    /* A bad row fails the file: the good row before it is not stored either. */
    static const char bad[] = "name,email\nCy Sample,cy@example.org\nBad Row,not-an-email\n";
    assert_int_equal(load_people(f, bad, "bad.csv", 0, &rep, &err), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.file, "bad.csv");
    assert_counts(f->st, 5, 2, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
    assert_int_equal(cv_store_person_get(f->st, "cy@example.org", &p, NULL), CV_ENOTFOUND);
    cv_person_release(&p);

    static const char twice[] = "name,email\nCy Sample,cy@example.org\nCy Again,CY@example.org\n";
    assert_int_equal(load_people(f, twice, "twice.csv", 0, &rep, &err), CV_EINVAL);
    assert_int_equal(err.line, 3);
    static const char narrow[] = "name,email,language\nCy Sample,cy@example.org\n";
    assert_int_equal(load_people(f, narrow, "narrow.csv", 0, &rep, &err), CV_EINVAL);
    assert_int_equal(err.line, 2);
    static const char noemail[] = "name,phone\nCy Sample,+254 700 000000\n";
    assert_int_equal(load_people(f, noemail, "noemail.csv", 0, &rep, &err), CV_EPARSE);
    assert_int_equal(err.line, 1);
    static const char unclosed[] = "name,email\n\"Cy Sample,cy@example.org\n";
    assert_int_equal(load_people(f, unclosed, "unclosed.csv", 0, &rep, &err), CV_EPARSE);
    assert_string_equal(err.file, "unclosed.csv");
    assert_counts(f->st, 5, 2, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);

    /* Skipping invalid rows instead. */
    assert_int_equal(load_people(f, bad, "bad.csv", CV_IMPORT_SKIP_INVALID, &rep, &err), 0);
    assert_int_equal(rep.read, 2);
    assert_int_equal(rep.imported, 1);
    assert_int_equal(rep.skipped, 1);
    assert_int_equal(rep.nskips, 1);
    assert_int_equal(rep.skips[0].line, 3);
    assert_counts(f->st, 5, 3, 75, NSHIPPED_CALS, SHIPPED_ENTRIES);
    cv_import_report_release(&rep);
}

static void test_load_refcal(void **state)
{
    struct fx *f = *state;
    struct cv_refcal out, got;
    struct cv_error err;
    enum cv_upsert how = (enum cv_upsert)99;
    static const char text[] = REF_HEAD "X-CONVENE-SCOPE:all\r\nX-CONVENE-MEANING:blackout\r\n"
                                        "BEGIN:VEVENT\r\nUID:d1\r\nSUMMARY:Founders' Day\r\n"
                                        "DTSTART;VALUE=DATE:20410301\r\nX-CONVENE-KEY:founders-2041"
                                        "\r\nEND:VEVENT\r\n" END_CAL;
    const size_t len = sizeof(text) - 1;
    const enum cv_meaning avoid = CV_MEANING_AVOID, prefer = CV_MEANING_PREFER;

    /* As written. */
    cv_refcal_init(&out);
    cv_error_init(&err);
    assert_int_equal(
        cv_load_refcal(f->st, text, len, "mine.ics", NULL, NULL, NULL, &out, &how, &err), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    assert_string_equal(out.key, "test-ref");
    assert_string_equal(out.scope, "all");
    assert_int_equal(out.meaning, CV_MEANING_BLACKOUT);
    assert_int_equal(out.n, 1);
    assert_date(&out.entries[0].first, 2041, 3, 1);
    cv_refcal_release(&out);

    /* Overridden scope, meaning and key: a second calendar. */
    how = (enum cv_upsert)99;
    assert_int_equal(cv_load_refcal(f->st, text, len, "mine.ics", "country:KE", &avoid,
                                    "override-key", &out, &how, &err),
                     0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    assert_string_equal(out.key, "override-key");
    assert_string_equal(out.scope, "country:KE");
    assert_int_equal(out.meaning, CV_MEANING_AVOID);
    cv_refcal_init(&got);
    assert_int_equal(cv_store_refcal_get(f->st, "override-key", &got, NULL), 0);
    assert_true(cv_refcal_equal(&out, &got));
    assert_string_equal(got.scope, "country:KE");
    assert_int_equal(got.meaning, CV_MEANING_AVOID);
    cv_refcal_release(&got);
    cv_refcal_release(&out);
    assert_counts(f->st, 0, 0, 0, 2, 2);

    /* The same again: unchanged. */
    assert_int_equal(cv_load_refcal(f->st, text, len, "mine.ics", "country:KE", &avoid,
                                    "override-key", &out, &how, &err),
                     0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    cv_refcal_release(&out);

    /* The meaning only: the first calendar is updated. */
    assert_int_equal(
        cv_load_refcal(f->st, text, len, "mine.ics", NULL, &prefer, NULL, &out, &how, &err), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    cv_refcal_release(&out);
    cv_refcal_init(&got);
    assert_int_equal(cv_store_refcal_get(f->st, "test-ref", &got, NULL), 0);
    assert_int_equal(got.meaning, CV_MEANING_PREFER);
    assert_string_equal(got.scope, "all");
    cv_refcal_release(&got);

    /* Bad overrides are refused and store nothing. */
    cv_refcal_init(&out);
    cv_error_init(&err);
    assert_int_equal(
        cv_load_refcal(f->st, text, len, "mine.ics", "planet:Mars", NULL, "mars", &out, &how, &err),
        CV_EINVAL);
    assert_string_equal(err.file, "mine.ics");
    cv_refcal_release(&out);
    assert_int_equal(
        cv_load_refcal(f->st, text, len, "mine.ics", NULL, NULL, "Not A Key", &out, &how, &err),
        CV_EINVAL);
    cv_refcal_release(&out);
    assert_counts(f->st, 0, 0, 0, 2, 2);

    /* Hostile input through the loader. */
    assert_int_equal(cv_load_refcal(f->st, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", 31, "cut.ics",
                                    NULL, NULL, NULL, &out, &how, &err),
                     CV_EPARSE);
    cv_refcal_release(&out);
    assert_counts(f->st, 0, 0, 0, 2, 2);
}

/* RFC 5546 3.2.8: convene's own DECLINECOUNTER table (libical 3.0.16 applies RFC 2446's, which
 * refuses the ATTENDEE RFC 5546 requires). A valid message passes; each required line taken out,
 * or a line the table forbids or limits put in, fails and is named. */
static const char *const declinecounter_lines[] = {
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//convene//test//EN",
    "METHOD:DECLINECOUNTER",
    "BEGIN:VEVENT",
    "UID:0b9e2b7a-1c1d-4e5f-8a9b-0c1d2e3f4a5b",
    "DTSTAMP:20400102T030405Z",
    "ORGANIZER;CN=Office:mailto:office@example.org",
    "ATTENDEE;CN=Ana;PARTSTAT=ACCEPTED;LANGUAGE=es:mailto:ana@example.org",
    "SEQUENCE:2",
    "DTSTART;VALUE=DATE:20400301",
    "DTEND;VALUE=DATE:20400303",
    "SUMMARY:Regional meeting",
    "COMMENT:The dates stay.",
    "X-CONVENE-TEST:1",
    "END:VEVENT",
    "END:VCALENDAR",
};
#define DC_NLINES (sizeof(declinecounter_lines) / sizeof(declinecounter_lines[0]))

/* The message without line @skip (-1: none), with @extra put in after line @at. */
static void declinecounter_text(struct cv_buf *b, int skip, int at, const char *extra)
{
    cv_buf_reset(b);
    for (int i = 0; i < (int)DC_NLINES; i++) {
        if (i != skip)
            cv_buf_addf(b, "%s\r\n", declinecounter_lines[i]);
        if (i == at)
            cv_buf_addf(b, "%s\r\n", extra);
    }
}

static void test_declinecounter_check(void **state)
{
    struct cv_buf b;
    struct cv_error err;
    (void)state;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    declinecounter_text(&b, -1, -1, NULL);
    cv_error_init(&err);
    assert_int_equal(cv_ical_itip_check(b.buf, b.len, "DECLINECOUNTER", &err), 0);
    /* Two attendees (RFC 5546: "MUST for all attendees") and no SEQUENCE (0) pass too. */
    declinecounter_text(&b, 9, 8, "ATTENDEE;CN=Bo:mailto:bo@example.org");
    assert_int_equal(cv_ical_itip_check(b.buf, b.len, "DECLINECOUNTER", &err), 0);

    /* Each required line taken out. */
    static const struct {
        const char *prefix, *named;
    } required[] = {
        {"METHOD:", "METHOD"},       {"UID:", "UID"},           {"DTSTAMP:", "DTSTAMP"},
        {"ORGANIZER;", "ORGANIZER"}, {"ATTENDEE;", "ATTENDEE"},
    };
    for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
        int skip = -1;
        for (int i = 0; i < (int)DC_NLINES; i++) {
            if (strncmp(declinecounter_lines[i], required[r].prefix, strlen(required[r].prefix)) ==
                0)
                skip = i;
        }
        assert_true(skip >= 0);
        declinecounter_text(&b, skip, -1, NULL);
        cv_error_init(&err);
        assert_int_equal(cv_ical_itip_check(b.buf, b.len, "DECLINECOUNTER", &err), CV_EINVAL);
        assert_non_null(strstr(err.msg, required[r].named));
    }
    /* No VEVENT at all. */
    cv_buf_reset(&b);
    for (int i = 0; i < (int)DC_NLINES; i++) {
        if (i < 4 || i == (int)DC_NLINES - 1)
            cv_buf_addf(&b, "%s\r\n", declinecounter_lines[i]);
    }
    cv_error_init(&err);
    assert_int_equal(cv_ical_itip_check(b.buf, b.len, "DECLINECOUNTER", &err), CV_EINVAL);
    assert_non_null(strstr(err.msg, "VEVENT"));

    /* What the table limits or forbids. */
    static const struct {
        int at;
        const char *line, *named;
    } extra[] = {
        {6, "DTSTAMP:20400102T030406Z", "DTSTAMP"},
        {7, "ORGANIZER:mailto:other@example.org", "ORGANIZER"},
        {9, "SEQUENCE:3", "SEQUENCE"},
        {11, "DURATION:P1D", "DTEND and DURATION"},
        {14, "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT5M\r\nEND:VALARM",
         "VALARM"},
        {15, "BEGIN:VTODO\r\nUID:x\r\nDTSTAMP:20400102T030405Z\r\nEND:VTODO", "VTODO"},
    };
    for (size_t r = 0; r < sizeof(extra) / sizeof(extra[0]); r++) {
        declinecounter_text(&b, -1, extra[r].at, extra[r].line);
        cv_error_init(&err);
        assert_int_equal(cv_ical_itip_check(b.buf, b.len, "DECLINECOUNTER", &err), CV_EINVAL);
        assert_non_null(strstr(err.msg, extra[r].named));
    }
    /* The METHOD must be the one asked for. */
    declinecounter_text(&b, -1, -1, NULL);
    assert_int_equal(cv_ical_itip_check(b.buf, b.len, "REQUEST", &err), CV_EINVAL);
    cv_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_programme),
        cmocka_unit_test(test_shipped_refcals),
        cmocka_unit_test(test_not_icalendar),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_end_mismatch),
        cmocka_unit_test(test_unparsable_property),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_max_bytes),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_count_limits),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bad_folding),
        cmocka_unit_test(test_rrule_yearly),
        cmocka_unit_test(test_rrule_exdate),
        cmocka_unit_test(test_rrule_refused),
        cmocka_unit_test(test_rrule_limits),
        cmocka_unit_test(test_rrule_hostile),
        cmocka_unit_test(test_entry_dates),
        cmocka_unit_test(test_injection),
        cmocka_unit_test(test_escape_keeps_utf8),
        cmocka_unit_test(test_titles_language),
        cmocka_unit_test(test_programme_errors),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_declinecounter_check),
        cmocka_unit_test_setup_teardown(test_load_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_embedded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_keeps_edits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_people, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_refcal, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
