/* SPDX-License-Identifier: MIT */
/* cmd_event.c: `convene event list|show|add|set|cancel`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene event list [--format table|csv|tsv]\n"
    "       convene event show KEY\n"
    "       convene event add KEY --title TEXT --city CITY --country CC --tz ZONE [options]\n"
    "       convene event set KEY [options]\n"
    "       convene event cancel KEY\n\n"
    "options of add and set:\n"
    "  --title TEXT           the English title\n"
    "  --title-in LANG:TEXT   the title in fr, es or ar (an empty TEXT removes it)\n"
    "  --kind KIND            regional-meeting, leaders-event, summit, call, side-event\n"
    "  --status STATUS        proposed, tentative, confirmed, cancelled, held\n"
    "  --region REGION        the OGP region\n"
    "  --city CITY, --country CC (ISO 3166 alpha-2), --venue TEXT\n"
    "  --tz ZONE              the venue's IANA time zone, such as Africa/Nairobi\n"
    "  --window DATE..DATE    where the scheduler may place it (inclusive); --no-window\n"
    "  --days N               its length in days\n"
    "  --dates DATE..DATE     fix its dates (sets --days); --no-dates\n"
    "  --url URL              the source of its facts\n"
    "  --description TEXT     notes\n"
    "  --inside KEY           a reference entry it must fall inside; --no-inside\n"
    "  --scenario, --no-scenario   mark it as a planning scenario or not\n"
    "  --audience FILTER      who is invited: all, region, region:NAME, country:XX, lang:xx,\n"
    "                         role:ROLE, delegation:KIND, email:ADDR (comma = or); --no-audience\n"
    "planning data (convene plan):\n"
    "  --lead-days N          invitation lead time from the planning date (default 60, 120 for\n"
    "                         a leaders' event)\n"
    "  --blackout KEYS        reference entries or calendars it must stay out of (hard), such as\n"
    "                         ramadan-2024; --no-blackout\n"
    "  --avoid KEYS           reference entries or calendars it should stay out of (soft);\n"
    "                         --no-avoid\n"
    "  --prefer-weekdays DAYS preferred first days, such as tue,wed (default tue,wed,thu)\n"
    "  --prefer-dates D..D    preferred dates (soft); --no-prefer-dates\n"
    "the venue's day (convene plan EVENT --timetable):\n"
    "  --hours HH:MM-HH:MM    opening hours (default 09:00-18:00)\n"
    "  --breaks SPANS         lunch, prayer and other breaks: 12:30-13:30,15:30-15:45;\n"
    "                         --no-breaks\n\n"
    "A change of dates, place, zone or status raises the event's SEQUENCE, so that calendar\n"
    "clients take the update.\n";

enum {
    OPT_TITLE = 256,
    OPT_TITLE_IN,
    OPT_KIND,
    OPT_STATUS,
    OPT_REGION,
    OPT_CITY,
    OPT_COUNTRY,
    OPT_VENUE,
    OPT_TZ,
    OPT_WINDOW,
    OPT_NO_WINDOW,
    OPT_DAYS,
    OPT_DATES,
    OPT_NO_DATES,
    OPT_URL,
    OPT_DESCRIPTION,
    OPT_INSIDE,
    OPT_NO_INSIDE,
    OPT_SCENARIO,
    OPT_NO_SCENARIO,
    OPT_FORMAT,
    OPT_HELP,
    OPT_AUDIENCE,
    OPT_NO_AUDIENCE,
    OPT_LEAD,
    OPT_BLACKOUT,
    OPT_NO_BLACKOUT,
    OPT_AVOID,
    OPT_NO_AVOID,
    OPT_PREFER_DAYS,
    OPT_PREFER_DATES,
    OPT_NO_PREFER_DATES,
    OPT_HOURS,
    OPT_BREAKS,
    OPT_NO_BREAKS,
};

static const struct option edit_opts[] = {
    {"title", required_argument, NULL, OPT_TITLE},
    {"title-in", required_argument, NULL, OPT_TITLE_IN},
    {"kind", required_argument, NULL, OPT_KIND},
    {"status", required_argument, NULL, OPT_STATUS},
    {"region", required_argument, NULL, OPT_REGION},
    {"city", required_argument, NULL, OPT_CITY},
    {"country", required_argument, NULL, OPT_COUNTRY},
    {"venue", required_argument, NULL, OPT_VENUE},
    {"tz", required_argument, NULL, OPT_TZ},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"no-window", no_argument, NULL, OPT_NO_WINDOW},
    {"days", required_argument, NULL, OPT_DAYS},
    {"dates", required_argument, NULL, OPT_DATES},
    {"no-dates", no_argument, NULL, OPT_NO_DATES},
    {"url", required_argument, NULL, OPT_URL},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"inside", required_argument, NULL, OPT_INSIDE},
    {"no-inside", no_argument, NULL, OPT_NO_INSIDE},
    {"scenario", no_argument, NULL, OPT_SCENARIO},
    {"no-scenario", no_argument, NULL, OPT_NO_SCENARIO},
    {"help", no_argument, NULL, OPT_HELP},
    {"audience", required_argument, NULL, OPT_AUDIENCE},
    {"no-audience", no_argument, NULL, OPT_NO_AUDIENCE},
    {"lead-days", required_argument, NULL, OPT_LEAD},
    {"blackout", required_argument, NULL, OPT_BLACKOUT},
    {"no-blackout", no_argument, NULL, OPT_NO_BLACKOUT},
    {"avoid", required_argument, NULL, OPT_AVOID},
    {"no-avoid", no_argument, NULL, OPT_NO_AVOID},
    {"prefer-weekdays", required_argument, NULL, OPT_PREFER_DAYS},
    {"prefer-dates", required_argument, NULL, OPT_PREFER_DATES},
    {"no-prefer-dates", no_argument, NULL, OPT_NO_PREFER_DATES},
    {"hours", required_argument, NULL, OPT_HOURS},
    {"breaks", required_argument, NULL, OPT_BREAKS},
    {"no-breaks", no_argument, NULL, OPT_NO_BREAKS},
    {0},
};

/* Applies the options of add/set to @e. @return 0, 1 for --help, or an exit code. */
static int apply_options(int argc, char **argv, const char *verb, struct cv_event *e)
{
    int c, rc = 0;
    long n;

    optind = 3; /* after "event VERB KEY" */
    while (rc == 0 && (c = getopt_long(argc, argv, "+", edit_opts, NULL)) != -1) {
        switch (c) {
        case OPT_TITLE:
            rc = cv_event_set_title(e, "en", optarg);
            break;
        case OPT_TITLE_IN: {
            const char *colon = strchr(optarg, ':');
            char lang[8];
            if (!colon || (size_t)(colon - optarg) >= sizeof(lang))
                return cli_usage_error("event", "--title-in takes LANG:TEXT, such as fr:Titre");
            memcpy(lang, optarg, (size_t)(colon - optarg));
            lang[colon - optarg] = '\0';
            if (!cv_lang_is_supported(lang) || strcmp(lang, "en") == 0)
                return cli_usage_error("event", "--title-in: language '%s' is not fr, es or ar",
                                       lang);
            rc = cv_event_set_title(e, lang, colon + 1);
            break;
        }
        case OPT_KIND:
            if (cv_event_kind_parse(optarg, &e->kind) < 0)
                return cli_usage_error("event", "unknown kind '%s'", optarg);
            break;
        case OPT_STATUS:
            if (cv_event_status_parse(optarg, &e->status) < 0)
                return cli_usage_error("event", "unknown status '%s'", optarg);
            break;
        case OPT_REGION:
            rc = cv_str_set(&e->region, *optarg ? optarg : NULL);
            break;
        case OPT_CITY:
            rc = cv_str_set(&e->city, *optarg ? optarg : NULL);
            break;
        case OPT_COUNTRY:
            rc = cv_str_set(&e->country, *optarg ? optarg : NULL);
            break;
        case OPT_VENUE:
            rc = cv_str_set(&e->venue, *optarg ? optarg : NULL);
            break;
        case OPT_TZ:
            rc = cv_str_set(&e->tzid, optarg);
            break;
        case OPT_WINDOW:
            if (cv_date_range_parse(optarg, &e->window_start, &e->window_end) < 0)
                return cli_usage_error("event", "--window takes DATE..DATE, such as "
                                                "2024-03-01..2024-06-30");
            break;
        case OPT_NO_WINDOW:
            memset(&e->window_start, 0, sizeof(e->window_start));
            memset(&e->window_end, 0, sizeof(e->window_end));
            break;
        case OPT_DAYS:
            if (cv_parse_long(optarg, 1, 366, &n) < 0)
                return cli_usage_error("event", "--days takes a number from 1 to 366");
            e->days = (int)n;
            break;
        case OPT_DATES:
            if (cv_date_range_parse(optarg, &e->start, &e->end) < 0)
                return cli_usage_error("event", "--dates takes DATE..DATE, such as "
                                                "2024-05-14..2024-05-16");
            e->days = (int)(cv_date_to_days(&e->end) - cv_date_to_days(&e->start) + 1);
            break;
        case OPT_NO_DATES:
            memset(&e->start, 0, sizeof(e->start));
            memset(&e->end, 0, sizeof(e->end));
            break;
        case OPT_URL:
            rc = cv_str_set(&e->source_url, *optarg ? optarg : NULL);
            break;
        case OPT_DESCRIPTION:
            rc = cv_str_set(&e->description, *optarg ? optarg : NULL);
            break;
        case OPT_INSIDE:
            rc = cv_str_set(&e->inside, optarg);
            break;
        case OPT_NO_INSIDE:
            rc = cv_str_set(&e->inside, NULL);
            break;
        case OPT_SCENARIO:
        case OPT_NO_SCENARIO:
            e->scenario = c == OPT_SCENARIO;
            break;
        case OPT_AUDIENCE:
            rc = cv_str_set(&e->audience, optarg);
            break;
        case OPT_NO_AUDIENCE:
            rc = cv_str_set(&e->audience, NULL);
            break;
        case OPT_LEAD:
            if (cv_parse_long(optarg, 0, 730, &n) < 0)
                return cli_usage_error("event", "--lead-days takes 0 to 730");
            e->lead_days = (int)n;
            break;
        case OPT_BLACKOUT:
        case OPT_NO_BLACKOUT:
            rc = cv_str_set(&e->blackouts, c == OPT_BLACKOUT ? optarg : NULL);
            break;
        case OPT_AVOID:
        case OPT_NO_AVOID:
            rc = cv_str_set(&e->avoids, c == OPT_AVOID ? optarg : NULL);
            break;
        case OPT_PREFER_DAYS:
            if (cv_weekdays_parse(optarg, &e->prefer_weekdays) < 0)
                return cli_usage_error("event", "--prefer-weekdays takes days such as tue,wed");
            break;
        case OPT_PREFER_DATES:
            if (cv_date_range_parse(optarg, &e->prefer_first, &e->prefer_last) < 0)
                return cli_usage_error("event", "--prefer-dates takes DATE..DATE");
            break;
        case OPT_HOURS: {
            int from[1], to[1];
            if (cv_spans_parse(optarg, from, to, 1) != 1)
                return cli_usage_error("event", "--hours takes HH:MM-HH:MM");
            e->opens_min = from[0];
            e->closes_min = to[0];
            break;
        }
        case OPT_BREAKS:
        case OPT_NO_BREAKS:
            rc = cv_str_set(&e->breaks, c == OPT_BREAKS ? optarg : NULL);
            break;
        case OPT_NO_PREFER_DATES:
            memset(&e->prefer_first, 0, sizeof(e->prefer_first));
            memset(&e->prefer_last, 0, sizeof(e->prefer_last));
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            return 1;
        default:
            return cli_usage_error("event", "bad option for 'event %s'", verb);
        }
    }
    if (rc < 0)
        return cli_error(rc == CV_ENOMEM ? EXIT_OSERR : EXIT_DATAERR, "bad value: %s",
                         cv_strerror(rc));
    if (optind != argc)
        return cli_usage_error("event", "unexpected argument '%s'", argv[optind]);
    return 0;
}

static int event_list(int argc, char **argv, struct cli *cli)
{
    enum cli_format fmt = CLI_TABLE;
    struct cv_event_list events;
    struct cv_store *st = NULL;
    struct cli_table t;
    struct cv_error err;
    int rc;

    if ((rc = cli_list_options(argc, argv, "event", usage_text, &fmt)))
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;

    cv_error_init(&err);
    cv_event_list_init(&events);
    rc = cv_store_event_list(st, &events, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (fmt == CLI_TABLE) {
        static const char *const head[] = {"KEY", "STATUS", "WHEN", "HOST", "ZONE", "TITLE"};
        cli_table_init(&t, 6);
        for (size_t i = 0; i < 6; i++)
            cli_table_add(&t, head[i]);
        for (size_t i = 0; i < events.n; i++) {
            const struct cv_event *e = &events.v[i];
            char when[96], host[160];
            cli_event_when(e, when, sizeof(when));
            snprintf(host, sizeof(host), "%s%s%s", e->city ? e->city : "", e->country ? ", " : "",
                     e->country ? e->country : "");
            cli_table_add(&t, e->key);
            cli_table_add(&t, cv_event_status_name(e->status));
            cli_table_add(&t, when);
            cli_table_add(&t, host);
            cli_table_add(&t, e->tzid);
            cli_table_add(&t, e->title);
        }
        cli_table_print(&t, fmt, 44, stdout);
    } else {
        static const char *const head[] = {
            "key",     "title", "kind",     "status",       "region",     "city",
            "country", "venue", "tzid",     "window_start", "window_end", "days",
            "start",   "end",   "sequence", "uid",          "scenario",   "source_url"};
        const size_t ncols = sizeof(head) / sizeof(head[0]);
        cli_table_init(&t, ncols);
        for (size_t i = 0; i < ncols; i++)
            cli_table_add(&t, head[i]);
        for (size_t i = 0; i < events.n; i++) {
            const struct cv_event *e = &events.v[i];
            char ws[CV_DATE_SIZE], we[CV_DATE_SIZE], s[CV_DATE_SIZE], en[CV_DATE_SIZE];
            char days[16], seq[16];
            cv_date_format(&e->window_start, ws);
            cv_date_format(&e->window_end, we);
            cv_date_format(&e->start, s);
            cv_date_format(&e->end, en);
            snprintf(days, sizeof(days), "%d", e->days);
            snprintf(seq, sizeof(seq), "%d", e->sequence);
            const char *row[] = {e->key,
                                 e->title,
                                 cv_event_kind_name(e->kind),
                                 cv_event_status_name(e->status),
                                 e->region,
                                 e->city,
                                 e->country,
                                 e->venue,
                                 e->tzid,
                                 ws,
                                 we,
                                 days,
                                 s,
                                 en,
                                 seq,
                                 e->uid,
                                 e->scenario ? "yes" : "no",
                                 e->source_url};
            for (size_t k = 0; k < ncols; k++)
                cli_table_add(&t, row[k]);
        }
        cli_table_print(&t, fmt, 0, stdout);
    }
    cli_table_release(&t);
    rc = 0;
out:
    cv_event_list_release(&events);
    cv_store_free(st);
    return rc;
}

static void show_field(const char *name, const char *value)
{
    if (value && *value)
        printf("%-13s %s\n", name, value);
}

static int event_show(int argc, char **argv, struct cli *cli)
{
    struct cv_store *st = NULL;
    struct cv_event e;
    struct cv_error err;
    char a[CV_DATE_SIZE], b[CV_DATE_SIZE], buf[160];
    int rc;

    if (argc == 3 && strcmp(argv[2], "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc != 3)
        return cli_usage_error("event", "'event show' takes one event key");
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_event_init(&e);
    rc = cv_store_event_get(st, argv[2], &e, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    show_field("key", e.key);
    show_field("title", e.title);
    for (size_t i = 0; i < e.ntitles; i++) {
        snprintf(buf, sizeof(buf), "title (%s)", e.titles[i].lang);
        show_field(buf, e.titles[i].text);
    }
    show_field("kind", cv_event_kind_name(e.kind));
    snprintf(buf, sizeof(buf), "%s%s", cv_event_status_name(e.status),
             e.scenario ? " (planning scenario)" : "");
    show_field("status", buf);
    show_field("region", e.region);
    snprintf(buf, sizeof(buf), "%s%s%s", e.city ? e.city : "", e.country ? ", " : "",
             e.country ? e.country : "");
    show_field("host", buf);
    show_field("venue", e.venue);
    show_field("zone", e.tzid);
    if (cv_date_is_set(&e.window_start)) {
        cv_date_format(&e.window_start, a);
        cv_date_format(&e.window_end, b);
        snprintf(buf, sizeof(buf), "%s..%s", a, b);
        show_field("window", buf);
    }
    snprintf(buf, sizeof(buf), "%d", e.days);
    show_field("days", buf);
    if (cv_event_has_dates(&e)) {
        cv_date_format(&e.start, a);
        cv_date_format(&e.end, b);
        snprintf(buf, sizeof(buf), "%s..%s", a, b);
        show_field("dates", buf);
    } else {
        show_field("dates", "not placed yet");
    }
    show_field("inside", e.inside);
    show_field("blackouts", e.blackouts);
    show_field("avoids", e.avoids);
    show_field("audience", e.audience                           ? e.audience
                           : e.kind == CV_KIND_REGIONAL_MEETING ? "region (the default)"
                                                                : "all (the default)");
    snprintf(buf, sizeof(buf), "%d%s",
             e.lead_days                       ? e.lead_days
             : e.kind == CV_KIND_LEADERS_EVENT ? 120
                                               : 60,
             e.lead_days ? "" : " (the default)");
    show_field("lead days", buf);
    char wd[40];
    cv_weekdays_format(e.prefer_weekdays ? e.prefer_weekdays : 0x0e, wd, sizeof(wd));
    snprintf(buf, sizeof(buf), "%s%s", wd, e.prefer_weekdays ? "" : " (the default)");
    show_field("prefer days", buf);
    int opens = e.opens_min ? e.opens_min : 540, closes = e.closes_min ? e.closes_min : 1080;
    snprintf(buf, sizeof(buf), "%02d:%02d-%02d:%02d%s%s", opens / 60, opens % 60, closes / 60,
             closes % 60, e.breaks ? ", breaks " : "", e.breaks ? e.breaks : "");
    show_field("venue hours", buf);
    if (cv_date_is_set(&e.prefer_first)) {
        cv_date_format(&e.prefer_first, a);
        cv_date_format(&e.prefer_last, b);
        snprintf(buf, sizeof(buf), "%s..%s", a, b);
        show_field("prefer dates", buf);
    }
    show_field("uid", e.uid);
    snprintf(buf, sizeof(buf), "%d", e.sequence);
    show_field("sequence", buf);
    char t[CV_TIME_SIZE];
    cv_time_format_utc(e.revision, t);
    show_field("revised", t);
    show_field("source", e.source_url);
    if (e.description) {
        printf("\n");
        /* Printed as is: the description may hold several lines. */
        for (const char *p = e.description; *p; p++)
            putchar(*p == '\t' ? ' ' : *p);
        printf("\n");
    }
    rc = 0;
out:
    cv_event_release(&e);
    cv_store_free(st);
    return rc;
}

/* Stores @e (new or changed) in one transaction. */
static int save(struct cli *cli, struct cv_store *st, const struct cv_event *e, bool insert)
{
    struct cv_error err;
    cv_error_init(&err);
    (void)cli;
    int rc = cv_store_begin(st, &err);
    if (rc == 0)
        rc = insert ? cv_store_event_insert(st, e, &err) : cv_store_event_update(st, e, &err);
    if (rc == 0)
        rc = cv_store_commit(st, &err);
    if (rc < 0) {
        cv_store_rollback(st);
        return cli_fail(&err);
    }
    return 0;
}

static int event_add(int argc, char **argv, struct cli *cli)
{
    struct cv_store *st = NULL;
    struct cv_event e;
    struct cv_error err;
    char uid[CV_UUID_SIZE];
    int rc;

    if (argc < 3 || argv[2][0] == '-') {
        if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        return cli_usage_error("event", "'event add' needs a KEY first");
    }
    cv_event_init(&e);
    cv_error_init(&err);
    rc = cv_str_set(&e.key, argv[2]);
    if (rc == 0 && (rc = cv_ctx_new_uid(cli->ctx, uid)) == 0)
        rc = cv_str_set(&e.uid, uid);
    if (rc < 0) {
        rc = cli_error(EXIT_OSERR, "cannot make a UID: %s", cv_strerror(rc));
        goto out;
    }
    rc = apply_options(argc, argv, "add", &e);
    if (rc) {
        rc = rc == 1 ? 0 : rc;
        goto out;
    }
    if (!e.title || !e.tzid || !e.city || !e.country) {
        rc = cli_usage_error("event", "'event add' needs --title, --city, --country and --tz");
        goto out;
    }
    e.revision = cv_ctx_now(cli->ctx);
    if (cv_event_validate(&e, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    if ((rc = save(cli, st, &e, true)) == 0)
        printf("added event %s (UID %s)\n", e.key, e.uid);
out:
    cv_event_release(&e);
    cv_store_free(st);
    return rc;
}

/* Lists what differs between @a and @b, the words a planner would use. */
static void describe_changes(const struct cv_event *a, const struct cv_event *b, char *out,
                             size_t size)
{
    struct {
        bool changed;
        const char *what;
    } f[] = {
        {cv_date_cmp(&a->start, &b->start) || cv_date_cmp(&a->end, &b->end), "dates"},
        {a->status != b->status, "status"},
        {!cv_str_eq(a->city, b->city) || !cv_str_eq(a->country, b->country) ||
             !cv_str_eq(a->venue, b->venue),
         "place"},
        {!cv_str_eq(a->tzid, b->tzid), "zone"},
        {cv_date_cmp(&a->window_start, &b->window_start) ||
             cv_date_cmp(&a->window_end, &b->window_end),
         "window"},
        {a->days != b->days, "days"},
        {!cv_str_eq(a->title, b->title) || a->ntitles != b->ntitles, "title"},
        {a->kind != b->kind || !cv_str_eq(a->region, b->region), "kind/region"},
        {!cv_str_eq(a->description, b->description) || !cv_str_eq(a->source_url, b->source_url),
         "notes"},
        {!cv_str_eq(a->inside, b->inside) || a->scenario != b->scenario ||
             a->lead_days != b->lead_days || !cv_str_eq(a->blackouts, b->blackouts) ||
             !cv_str_eq(a->avoids, b->avoids) || a->prefer_weekdays != b->prefer_weekdays ||
             cv_date_cmp(&a->prefer_first, &b->prefer_first) ||
             cv_date_cmp(&a->prefer_last, &b->prefer_last),
         "planning"},
        {!cv_str_eq(a->audience, b->audience), "audience"},
    };
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (!f[i].changed)
            continue;
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "", f[i].what);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
}

/* set and cancel: load, change, raise SEQUENCE on a material change, store. */
static int event_change(int argc, char **argv, struct cli *cli, bool cancel)
{
    struct cv_store *st = NULL;
    struct cv_event old, e;
    struct cv_error err;
    char what[256];
    int rc;

    if (argc < 3 || argv[2][0] == '-') {
        if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        return cli_usage_error("event", "'event %s' needs an event KEY", cancel ? "cancel" : "set");
    }
    cv_event_init(&old);
    cv_event_init(&e);
    cv_error_init(&err);
    if (cancel && argc != 3) {
        rc = cli_usage_error("event", "'event cancel' takes only a KEY");
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    rc = cv_store_event_get(st, argv[2], &old, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cv_event_copy(&e, &old)) < 0) {
        rc = cli_error(EXIT_OSERR, "out of memory");
        goto out;
    }
    if (cancel) {
        e.status = CV_EVENT_CANCELLED;
    } else {
        rc = apply_options(argc, argv, "set", &e);
        if (rc) {
            rc = rc == 1 ? 0 : rc;
            goto out;
        }
    }
    if (cv_event_equal(&old, &e)) {
        printf("event %s: nothing changed (SEQUENCE %d)\n", e.key, e.sequence);
        rc = 0;
        goto out;
    }
    if (cv_event_is_material_change(&old, &e))
        e.sequence = old.sequence + 1;
    e.revision = cv_ctx_now(cli->ctx);
    describe_changes(&old, &e, what, sizeof(what));
    if ((rc = save(cli, st, &e, false)) == 0) {
        if (e.sequence != old.sequence)
            printf("event %s: %s changed; SEQUENCE %d -> %d\n", e.key, what, old.sequence,
                   e.sequence);
        else
            printf("event %s: %s changed; SEQUENCE stays %d\n", e.key, what, e.sequence);
    }
out:
    cv_event_release(&e);
    cv_event_release(&old);
    cv_store_free(st);
    return rc;
}

int cmd_event(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "list") == 0)
        return event_list(argc, argv, cli);
    if (strcmp(argv[1], "show") == 0)
        return event_show(argc, argv, cli);
    if (strcmp(argv[1], "add") == 0)
        return event_add(argc, argv, cli);
    if (strcmp(argv[1], "set") == 0)
        return event_change(argc, argv, cli, false);
    if (strcmp(argv[1], "cancel") == 0)
        return event_change(argc, argv, cli, true);
    return cli_usage_error("event", "unknown subcommand '%s'", argv[1]);
}
