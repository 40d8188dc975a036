/* SPDX-License-Identifier: MIT */
/* cmd_calendar.c: `convene calendar import FILE` and `convene calendar list`. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene calendar import [--scope SCOPE] [--meaning MEANING] [--key KEY] FILE|URL\n"
    "       convene calendar list [--format table|csv|tsv]\n\n"
    "import reads a reference calendar: public holidays, observances, summits. Its days count\n"
    "for the scheduler by scope and meaning; a calendar of the same key is replaced. A URL\n"
    "(http://, https://, webcal://) is fetched with limits (1 MiB, 60 s, 5 redirects); a\n"
    "calendar fetched before is asked for with its ETag and Last-Modified, so an unchanged one\n"
    "transfers nothing.\n\n"
    "  --scope SCOPE       all, country:XX (ISO code) or region:NAME (an OGP region);\n"
    "                      default: the file's X-CONVENE-SCOPE, else all\n"
    "  --meaning MEANING   blackout (never), avoid (a penalty) or prefer;\n"
    "                      default: the file's X-CONVENE-MEANING, else blackout\n"
    "  --key KEY           the calendar's key; default: X-CONVENE-KEY, else the file name\n";

static int calendar_import(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"scope", required_argument, NULL, 's'},
        {"meaning", required_argument, NULL, 'm'},
        {"key", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *scope = NULL, *key = NULL;
    enum cv_meaning meaning;
    bool has_meaning = false;
    struct cv_ical_limits lim;
    struct cv_store *st = NULL;
    struct cv_refcal cal;
    struct cv_buf data;
    struct cv_error err;
    enum cv_upsert how;
    int c, rc;

    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (cv_scope_check(optarg) < 0)
                return cli_usage_error("calendar", "--scope takes all, country:XX or "
                                                   "region:NAME");
            scope = optarg;
            break;
        case 'm':
            if (cv_meaning_parse(optarg, &meaning) < 0)
                return cli_usage_error("calendar", "--meaning takes blackout, avoid or prefer");
            has_meaning = true;
            break;
        case 'k':
            if (!cv_slug_is_valid(optarg))
                return cli_usage_error("calendar", "--key takes a slug such as holidays-ke");
            key = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("calendar", "bad option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("calendar", "'calendar import' takes one .ics file");
    const char *path = argv[optind];

    cv_error_init(&err);
    cv_ical_limits_init(&lim);
    cv_buf_init(&data, CV_BUF_NOLIMIT);
    cv_refcal_init(&cal);
    bool is_url = strstr(path, "://") != NULL;
    size_t transferred = 0;
    if (!is_url && (rc = cli_read_input(path, lim.max_bytes, &data)))
        goto out;
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    if (is_url)
        rc = cv_load_refcal_url(st, path, scope, has_meaning ? &meaning : NULL, key, &cal, &how,
                                &transferred, &err);
    else
        rc = cv_load_refcal(st, data.buf, data.len, path, scope, has_meaning ? &meaning : NULL, key,
                            &cal, &how, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    printf("%s: calendar %s %s: %zu entries (scope %s, meaning %s)\n", path, cal.key,
           how == CV_UPSERT_INSERTED  ? "imported"
           : how == CV_UPSERT_UPDATED ? "replaced"
                                      : "unchanged",
           cal.n, cal.scope, cv_meaning_name(cal.meaning));
    if (is_url)
        printf("%s: %zu bytes transferred%s\n", path, transferred,
               transferred == 0 ? " (not modified since the last import)" : "");
out:
    cv_refcal_release(&cal);
    cv_buf_release(&data);
    cv_store_free(st);
    return rc;
}

static int calendar_list(int argc, char **argv, struct cli *cli)
{
    enum cli_format fmt = CLI_TABLE;
    struct cv_refcal_list cals;
    struct cv_store *st = NULL;
    struct cli_table t;
    struct cv_error err;
    int rc;

    if ((rc = cli_list_options(argc, argv, "calendar", usage_text, &fmt)))
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_refcal_list_init(&cals);
    rc = cv_store_refcal_list(st, &cals, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    static const char *const head_csv[] = {"key",   "scope", "meaning", "entries",
                                           "first", "last",  "name"};
    static const char *const head_table[] = {"KEY",   "SCOPE", "MEANING", "ENTRIES",
                                             "FIRST", "LAST",  "NAME"};
    const char *const *head = fmt == CLI_TABLE ? head_table : head_csv;
    cli_table_init(&t, 7);
    for (size_t i = 0; i < 7; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < cals.n; i++) {
        const struct cv_refcal *cal = &cals.v[i];
        char n[24], first[CV_DATE_SIZE] = "", last[CV_DATE_SIZE] = "";
        struct cv_date lo = {0}, hi = {0};
        for (size_t k = 0; k < cal->n; k++) {
            if (!cv_date_is_set(&lo) || cv_date_cmp(&cal->entries[k].first, &lo) < 0)
                lo = cal->entries[k].first;
            if (!cv_date_is_set(&hi) || cv_date_cmp(&cal->entries[k].last, &hi) > 0)
                hi = cal->entries[k].last;
        }
        cv_date_format(&lo, first);
        cv_date_format(&hi, last);
        snprintf(n, sizeof(n), "%zu", cal->n);
        cli_table_add(&t, cal->key);
        cli_table_add(&t, cal->scope);
        cli_table_add(&t, cv_meaning_name(cal->meaning));
        cli_table_add(&t, n);
        cli_table_add(&t, first);
        cli_table_add(&t, last);
        cli_table_add(&t, cal->name);
    }
    cli_table_print(&t, fmt, fmt == CLI_TABLE ? 50 : 0, stdout);
    cli_table_release(&t);
    rc = 0;
out:
    cv_refcal_list_release(&cals);
    cv_store_free(st);
    return rc;
}

int cmd_calendar(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "import") == 0)
        return calendar_import(argc, argv, cli);
    if (strcmp(argv[1], "list") == 0)
        return calendar_list(argc, argv, cli);
    return cli_usage_error("calendar", "unknown subcommand '%s'", argv[1]);
}
