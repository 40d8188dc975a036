/* SPDX-License-Identifier: MIT */
/* cmd_speaker.c: `convene speaker prefer|list`: speakers' preferred days and hours at an event,
 * soft costs of its timetable. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene speaker prefer EVENT NAME [--days DAY,...] [--hours HH:MM-HH:MM]\n"
    "                              [--weight N] [--not-on DAY,...] [--not-before HH:MM]\n"
    "       convene speaker list EVENT\n\n"
    "A speaker's preferences for an event's timetable (convene plan EVENT --timetable): the\n"
    "days (dates YYYY-MM-DD, or day numbers 1, 2, ... of an event with dates) and the hours\n"
    "(the venue's local time) they prefer. Each session of theirs placed outside them costs\n"
    "the weight (1 to 1000, default 10; a track in parallel costs 20). NAME is spelled as in\n"
    "the sessions' --speakers, without regard to case. --not-on and --not-before are hard:\n"
    "no session of theirs on those days, or starting before that hour. Preferring again\n"
    "replaces the last.\n";

#define MAX_DAYS 31

/* Turns "2024-05-16,2" into "2024-05-16,2024-05-17" in @out; day numbers need @e's dates.
 * @return 0, or an exit code (printed). */
static int days_to_iso(const char *s, const struct cv_event *e, struct cv_buf *out)
{
    int n = 0;
    if (!*s)
        return cli_usage_error("speaker", "--days takes dates (YYYY-MM-DD) or day numbers");
    while (*s) {
        size_t len = strcspn(s, ",");
        char one[16], iso[CV_DATE_SIZE];
        struct cv_date d;
        long num;
        if (len == 0 || len >= sizeof(one) || ++n > MAX_DAYS)
            return cli_usage_error("speaker",
                                   "--days takes up to %d dates (YYYY-MM-DD) or day "
                                   "numbers, separated by commas",
                                   MAX_DAYS);
        memcpy(one, s, len);
        one[len] = '\0';
        if (cv_date_parse(one, &d) == 0) {
            if (cv_event_has_dates(e) && (cv_date_to_days(&d) < cv_date_to_days(&e->start) ||
                                          cv_date_to_days(&d) > cv_date_to_days(&e->end))) {
                char a[CV_DATE_SIZE], b[CV_DATE_SIZE];
                cv_date_format(&e->start, a);
                cv_date_format(&e->end, b);
                return cli_error(EXIT_DATAERR,
                                 "%s is not a day of %s (%s to %s); give a date inside it or a "
                                 "day number",
                                 one, e->key, a, b);
            }
        } else if (cv_parse_long(one, 1, 366, &num) == 0) {
            if (!cv_event_has_dates(e))
                return cli_error(EXIT_DATAERR,
                                 "%s has no dates yet, so day %ld means nothing; give dates "
                                 "(YYYY-MM-DD)",
                                 e->key, num);
            if (num > e->days)
                return cli_error(EXIT_DATAERR, "%s has %d day%s; give day numbers 1 to %d", e->key,
                                 e->days, e->days == 1 ? "" : "s", e->days);
            d = cv_date_add_days(&e->start, num - 1);
        } else {
            return cli_usage_error("speaker",
                                   "'%s' is neither a date (YYYY-MM-DD) nor a day number", one);
        }
        cv_date_format(&d, iso);
        if (cv_buf_addf(out, "%s%s", out->len ? "," : "", iso) < 0)
            return cli_error(EXIT_OSERR, "out of memory");
        s += len + (s[len] != '\0');
    }
    return 0;
}

/* days_to_iso() into *@dst (replaced, freed by the caller). @return 0, or an exit code. */
static int parse_days(const char *s, const struct cv_event *e, char **dst)
{
    struct cv_buf iso;
    cv_buf_init(&iso, 4096);
    int rc = days_to_iso(s, e, &iso);
    if (rc == 0 && cv_str_set(dst, iso.buf) < 0)
        rc = cli_error(EXIT_OSERR, "out of memory");
    cv_buf_release(&iso);
    return rc;
}

static int speaker_prefer(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"days", required_argument, NULL, 'd'},       {"hours", required_argument, NULL, 'h'},
        {"weight", required_argument, NULL, 'w'},     {"not-on", required_argument, NULL, 'n'},
        {"not-before", required_argument, NULL, 'b'}, {0},
    };
    struct cv_speaker_pref p;
    struct cv_event e;
    struct cv_store *st = NULL;
    struct cv_error err;
    const char *days_arg = NULL, *not_on_arg = NULL;
    long v;
    int c, rc = 0;

    if (argc < 4)
        return cli_usage_error("speaker", "'speaker prefer' takes EVENT NAME and options");
    cv_speaker_pref_init(&p);
    cv_event_init(&e);
    cv_error_init(&err);
    p.weight = 10;
    optind = 4;
    while (rc == 0 && (c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            days_arg = optarg;
            break;
        case 'h':
            if (cv_spans_parse(optarg, &p.from_min, &p.to_min, 1) != 1)
                rc = cli_usage_error("speaker", "--hours takes one span HH:MM-HH:MM, e.g. "
                                                "13:00-18:00");
            break;
        case 'n':
            not_on_arg = optarg;
            break;
        case 'b': {
            char span[16];
            int to;
            if (strlen(optarg) != 5 || snprintf(span, sizeof(span), "%s-24:00", optarg) < 0 ||
                cv_spans_parse(span, &p.not_before, &to, 1) != 1 || p.not_before == 0)
                rc = cli_usage_error("speaker", "--not-before takes a time HH:MM after 00:00, "
                                                "e.g. 11:00");
            break;
        }
        case 'w':
            if (cv_parse_long(optarg, 1, 1000, &v) < 0)
                rc = cli_usage_error("speaker", "--weight takes 1 to 1000");
            p.weight = (int)v;
            break;
        default:
            rc = cli_usage_error("speaker", "bad option");
        }
    }
    if (rc)
        goto out;
    if (optind != argc) {
        rc = cli_usage_error("speaker", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (!days_arg && !p.to_min && !not_on_arg && !p.not_before) {
        rc = cli_usage_error("speaker", "give --days, --hours, --not-on or --not-before");
        goto out;
    }
    if (!*argv[3] || strchr(argv[3], ';') || cv_has_ctl(argv[3])) {
        rc = cli_usage_error("speaker", "NAME is one speaker, as in a session's --speakers");
        goto out;
    }
    if ((rc = cv_str_set(&p.event_key, argv[2])) < 0 || (rc = cv_str_set(&p.name, argv[3])) < 0) {
        rc = cli_error(EXIT_OSERR, "out of memory");
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    if ((rc = cv_store_event_get(st, p.event_key, &e, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((days_arg && (rc = parse_days(days_arg, &e, &p.days))) ||
        (not_on_arg && (rc = parse_days(not_on_arg, &e, &p.not_on))))
        goto out;
    rc = cv_store_begin(st, &err);
    if (rc == 0)
        rc = cv_store_speaker_pref_put(st, &p, &err);
    if (rc == 0)
        rc = cv_store_commit(st, &err);
    if (rc < 0) {
        cv_store_rollback(st);
        rc = cli_fail(&err);
        goto out;
    }
    printf("speaker %s at %s", p.name, p.event_key);
    if (p.to_min || p.days) {
        printf(" prefers");
        if (p.to_min)
            printf(" %02d:%02d-%02d:%02d", p.from_min / 60, p.from_min % 60, p.to_min / 60,
                   p.to_min % 60);
        if (p.days)
            printf(" on %s", p.days);
        printf(", weight %d", p.weight);
    }
    if (p.not_on)
        printf("%s cannot come on %s", p.to_min || p.days ? ";" : "", p.not_on);
    if (p.not_before)
        printf("%s cannot start before %02d:%02d", p.to_min || p.days || p.not_on ? ";" : "",
               p.not_before / 60, p.not_before % 60);
    printf("\n");
out:
    cv_event_release(&e);
    cv_speaker_pref_release(&p);
    cv_store_free(st);
    return rc;
}

static int speaker_list(int argc, char **argv, struct cli *cli)
{
    struct cv_speaker_pref_list l;
    struct cv_store *st = NULL;
    struct cv_error err;
    int rc;

    if (argc != 3)
        return cli_usage_error("speaker", "'speaker list' takes an EVENT");
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_speaker_pref_list_init(&l);
    rc = cv_store_speaker_pref_list(st, argv[2], &l, &err);
    if (rc < 0)
        rc = cli_fail(&err);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        const struct cv_speaker_pref *p = &l.v[i];
        char hours[48] = "any time";
        if (p->to_min)
            snprintf(hours, sizeof(hours), "%02d:%02d-%02d:%02d", p->from_min / 60,
                     p->from_min % 60, p->to_min / 60, p->to_min % 60);
        printf("%-32s %-12s %-32s weight %d", p->name, hours, p->days ? p->days : "any day",
               p->weight);
        if (p->not_on)
            printf("; cannot come on %s", p->not_on);
        if (p->not_before)
            printf("; cannot start before %02d:%02d", p->not_before / 60, p->not_before % 60);
        printf("\n");
    }
    cv_speaker_pref_list_release(&l);
    cv_store_free(st);
    return rc;
}

int cmd_speaker(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "prefer") == 0)
        return speaker_prefer(argc, argv, cli);
    if (strcmp(argv[1], "list") == 0)
        return speaker_list(argc, argv, cli);
    return cli_usage_error("speaker", "unknown subcommand '%s'", argv[1]);
}
