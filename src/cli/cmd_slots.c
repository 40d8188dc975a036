/* SPDX-License-Identifier: MIT */
/* cmd_slots.c: `convene slots`: call times across time zones, fairest first. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene slots --with EMAIL,... --duration MINUTES --between DATE..DATE\n"
    "                     [--busy [EMAIL=]FILE|URL]... [--recurring N] [--hours HH:MM-HH:MM]\n"
    "                     [--day HH:MM-HH:MM] [--step MINUTES] [--count N]\n\n"
    "Finds times for a call inside every participant's day (--day, 07:00-22:00 in their own\n"
    "zone, DST included), off their weekend and their busy times, ranked by fairness: the sum\n"
    "of the squared minutes each one spends outside working hours (--hours, 09:00-17:00).\n"
    "Each slot is shown in every participant's local time. --recurring N picks one call a week\n"
    "for N weeks, rotating the early and late hours so that no one carries them all.\n\n"
    "  --busy FILE|URL        busy times for everyone (iCalendar VEVENT or VFREEBUSY)\n"
    "  --busy EMAIL=FILE|URL  busy times of one participant\n"
    "  --step MINUTES         between candidate starts (default 30)\n"
    "  --count N              how many slots to show (default 10)\n";

#define MAX_PEOPLE 5000
#define MAX_BUSY   64

static int parse_hours(const char *s, int *a, int *b)
{
    int h1, m1, h2, m2;
    char tail;
    if (sscanf(s, "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 < 0 || h1 > 24 || h2 < 0 ||
        h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
        return -1;
    *a = h1 * 60 + m1;
    *b = h2 * 60 + m2;
    return *b > *a && *b <= 24 * 60 ? 0 : -1;
}

/* Reads one --busy source into @list: a file, or an http(s)/webcal URL. */
static int read_busy(const char *src, int64_t from, int64_t to, struct cv_interval **v, size_t *n,
                     size_t *alloc)
{
    struct cv_ical_limits lim;
    struct cv_buf data;
    struct cv_error err;
    int rc = 0;

    cv_ical_limits_init(&lim);
    cv_error_init(&err);
    cv_buf_init(&data, CV_BUF_NOLIMIT);
    if (strstr(src, "://")) {
        struct cv_http_limits hl;
        struct cv_http_response resp;
        cv_http_limits_init(&hl);
        cv_http_response_init(&resp, hl.max_bytes);
        rc = cv_http_request("GET", src, NULL, NULL, 0, &hl, &resp, &err);
        if (rc == 0 && resp.status != 200) {
            rc = cv_error_set(&err, resp.status >= 500 ? CV_ETEMP : CV_EHTTP,
                              "the server answered HTTP %ld", resp.status);
            cv_error_at(&err, src, 0);
        }
        if (rc == 0)
            rc = cv_buf_add(&data, resp.body.buf, resp.body.len);
        cv_http_response_release(&resp);
        if (rc < 0) {
            rc = cli_fail(&err);
            goto out;
        }
    } else if ((rc = cli_read_input(src, lim.max_bytes, &data))) {
        goto out;
    }
    if (cv_ical_probe(data.buf, data.len, src, &lim, &err) < 0 ||
        cv_ical_read_busy(data.buf, data.len, src, &lim, from, to, v, n, alloc, &err) < 0)
        rc = cli_fail(&err);
out:
    cv_buf_release(&data);
    return rc;
}

static void print_local(const struct cv_tz *tz, int64_t t, int minutes)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int off = cv_tz_offset(tz, t);
    int64_t local = t + off;
    int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    struct cv_date d = cv_date_from_days(day);
    int64_t sec = local - day * 86400;
    int64_t end = sec + (int64_t)minutes * 60;
    char date[CV_DATE_SIZE];
    cv_date_format(&d, date);
    printf("%s %s %02d:%02d-%02d:%02d (UTC%+03d:%02d)", days[cv_date_weekday(&d) - 1], date,
           (int)(sec / 3600), (int)(sec / 60 % 60), (int)(end / 3600 % 24), (int)(end / 60 % 60),
           off / 3600, abs(off) / 60 % 60);
}

int cmd_slots(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"with", required_argument, NULL, 'w'},
        {"duration", required_argument, NULL, 'd'},
        {"between", required_argument, NULL, 'b'},
        {"busy", required_argument, NULL, 'B'},
        {"recurring", required_argument, NULL, 'r'},
        {"hours", required_argument, NULL, 'H'},
        {"day", required_argument, NULL, 'D'},
        {"step", required_argument, NULL, 's'},
        {"count", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *with = NULL, *busy_src[MAX_BUSY];
    size_t nbusy_src = 0;
    int work_a = 9 * 60, work_b = 17 * 60, day_a = 7 * 60, day_b = 22 * 60;
    struct cv_slot_input in;
    struct cv_slot_result r;
    struct cv_slot_person *sp = NULL;
    struct cv_person *people = NULL;
    struct cv_tz **tzs = NULL;
    struct cv_interval **busy = NULL;
    size_t *nbusy = NULL, *abusy = NULL, n = 0;
    struct cv_country_list countries;
    struct cv_store *st = NULL;
    struct cv_error err;
    long v;
    int c, rc;

    cv_slot_input_init(&in);
    optind = 1;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'w':
            with = optarg;
            break;
        case 'd':
            if (cv_parse_long(optarg, 5, 24 * 60, &v) < 0)
                return cli_usage_error("slots", "--duration takes 5 to 1440 minutes");
            in.minutes = (int)v;
            break;
        case 'b':
            if (cv_date_range_parse(optarg, &in.first, &in.last) < 0)
                return cli_usage_error("slots", "--between takes DATE..DATE");
            break;
        case 'B':
            if (nbusy_src == MAX_BUSY)
                return cli_usage_error("slots", "at most %d --busy sources", MAX_BUSY);
            busy_src[nbusy_src++] = optarg;
            break;
        case 'r':
            if (cv_parse_long(optarg, 1, 104, &v) < 0)
                return cli_usage_error("slots", "--recurring takes 1 to 104 weeks");
            in.recurring = (int)v;
            break;
        case 'H':
            if (parse_hours(optarg, &work_a, &work_b) < 0)
                return cli_usage_error("slots", "--hours takes HH:MM-HH:MM");
            break;
        case 'D':
            if (parse_hours(optarg, &day_a, &day_b) < 0)
                return cli_usage_error("slots", "--day takes HH:MM-HH:MM");
            break;
        case 's':
            if (cv_parse_long(optarg, 5, 240, &v) < 0)
                return cli_usage_error("slots", "--step takes 5 to 240 minutes");
            in.step = (int)v;
            break;
        case 'c':
            if (cv_parse_long(optarg, 1, 1000, &v) < 0)
                return cli_usage_error("slots", "--count takes 1 to 1000");
            in.max_results = (size_t)v;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("slots", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("slots", "unexpected argument '%s'", argv[optind]);
    if (!with || !in.minutes || !cv_date_is_set(&in.first))
        return cli_usage_error("slots", "give --with, --duration and --between");

    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_slot_result_init(&r);
    cv_country_list_init(&countries);
    people = calloc(MAX_PEOPLE, sizeof(*people));
    sp = calloc(MAX_PEOPLE, sizeof(*sp));
    tzs = calloc(MAX_PEOPLE, sizeof(*tzs));
    busy = calloc(MAX_PEOPLE, sizeof(*busy));
    nbusy = calloc(MAX_PEOPLE, sizeof(*nbusy));
    abusy = calloc(MAX_PEOPLE, sizeof(*abusy));
    if (!people || !sp || !tzs || !busy || !nbusy || !abusy) {
        rc = cli_error(EXIT_OSERR, "out of memory");
        goto out;
    }
    if ((rc = cv_store_country_list(st, &countries, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    for (const char *s = with; *s && rc == 0;) {
        char email[256];
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof(email) || n == MAX_PEOPLE) {
            rc = cli_usage_error("slots", "--with takes up to %d addresses separated by commas",
                                 MAX_PEOPLE);
            break;
        }
        memcpy(email, s, len);
        email[len] = '\0';
        s += len + (s[len] == ',');
        cv_person_init(&people[n]);
        if ((rc = cv_store_person_get(st, email, &people[n], &err)) < 0) {
            rc = cli_fail(&err);
            break;
        }
        if (!people[n].tzid) {
            rc = cli_error(EXIT_DATAERR, "%s has no time zone; import it with one", email);
            break;
        }
        if ((rc = cv_tz_load(people[n].tzid, &tzs[n], &err)) < 0) {
            rc = cli_fail(&err);
            break;
        }
        sp[n].email = people[n].email;
        sp[n].tz = tzs[n];
        sp[n].day_start = day_a;
        sp[n].day_end = day_b;
        sp[n].work_start = work_a;
        sp[n].work_end = work_b;
        sp[n].rest_days = CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7);
        for (size_t k = 0; k < countries.n; k++) {
            if (cv_str_eq(countries.v[k].iso2, people[n].country) && countries.v[k].weekend)
                sp[n].rest_days = countries.v[k].weekend;
        }
        n++;
    }
    if (rc)
        goto out;
    int64_t from = cv_date_to_days(&in.first) * 86400 - 86400;
    int64_t to = (cv_date_to_days(&in.last) + 2) * 86400;
    for (size_t b = 0; b < nbusy_src && rc == 0; b++) {
        const char *eq = strchr(busy_src[b], '=');
        const char *src = busy_src[b];
        size_t who = SIZE_MAX;
        if (eq && !strstr(busy_src[b], "://")) {
            for (size_t k = 0; k < n; k++) {
                if (strlen(people[k].email) == (size_t)(eq - busy_src[b]) &&
                    strncasecmp(people[k].email, busy_src[b], (size_t)(eq - busy_src[b])) == 0)
                    who = k;
            }
            if (who == SIZE_MAX) {
                rc = cli_usage_error("slots", "--busy %s names no one of --with", busy_src[b]);
                break;
            }
            src = eq + 1;
        }
        for (size_t k = 0; k < n && rc == 0; k++) {
            if (who == SIZE_MAX || who == k)
                rc = read_busy(src, from, to, &busy[k], &nbusy[k], &abusy[k]);
        }
    }
    if (rc)
        goto out;
    for (size_t k = 0; k < n; k++) {
        sp[k].busy = busy[k];
        sp[k].nbusy = nbusy[k];
    }
    in.people = sp;
    in.n = n;
    if ((rc = cv_slots_find(&in, &r, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (r.n == 0) {
        printf("no time fits: %zu participants, %d-minute call between their %02d:%02d and "
               "%02d:%02d\n",
               n, in.minutes, day_a / 60, day_a % 60, day_b / 60, day_b % 60);
        rc = cli_error(EXIT_DATAERR, "no slot fits every participant; widen --day or --between");
        goto out;
    }
    printf("%zu start%s fit every participant; %s:\n", r.candidates, r.candidates == 1 ? "" : "s",
           in.recurring ? "one call a week, the odd hours rotating" : "the fairest first");
    for (size_t i = 0; i < r.n; i++) {
        char when[CV_TIME_SIZE];
        cv_time_format_utc(r.v[i].start, when);
        printf("\n%zu. %s (fairness %ld: the sum of squared minutes outside working hours)\n",
               i + 1, when, r.v[i].score);
        for (size_t k = 0; k < n; k++) {
            printf("   %-36s ", sp[k].email);
            print_local(tzs[k], r.v[i].start, in.minutes);
            if (r.v[i].burden[k])
                printf("  %d min outside hours", r.v[i].burden[k]);
            putchar('\n');
        }
    }
    if (in.recurring) {
        printf("\nminutes outside working hours over the %d calls:\n", in.recurring);
        for (size_t k = 0; k < n; k++)
            printf("   %-36s %ld\n", sp[k].email, r.total[k]);
    }
    rc = 0;
out:
    for (size_t k = 0; people && k < n + 1 && k < MAX_PEOPLE; k++) {
        cv_person_release(&people[k]);
        if (tzs)
            cv_tz_free(tzs[k]);
        if (busy)
            free(busy[k]);
    }
    free(people);
    free(sp);
    free(tzs);
    free(busy);
    free(nbusy);
    free(abusy);
    cv_slot_result_release(&r);
    cv_country_list_release(&countries);
    cv_store_free(st);
    return rc;
}
