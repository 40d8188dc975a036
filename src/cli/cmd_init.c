/* SPDX-License-Identifier: MIT */
/* cmd_init.c: `convene init`: create or upgrade the database and load the shipped programme. */
#include <getopt.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene init [--calendars DIR]\n\n"
    "Creates the database (or upgrades its schema) and loads the shipped OGP programme, the\n"
    "member list and the reference calendars. Without --calendars it uses the copies built\n"
    "into convene; with it, a folder laid out like calendars/. Running it again changes nothing\n"
    "and says so; events you have edited are kept as they are. The programme itself (its name,\n"
    "in English and, with X-CONVENE-NAME;LANGUAGE=fr|es|ar, in other languages; organizer,\n"
    "languages, description) is set from ogp-programme.ics each time: to change it, edit a copy\n"
    "of calendars/ and run 'convene init --calendars DIR'.\n\n"
    "  --calendars DIR   read the calendars from DIR\n";

int cmd_init(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"calendars", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *dir = NULL;
    struct cv_store *st = NULL;
    struct cv_load_report report;
    struct cv_error err;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            dir = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("init", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);

    rc = cli_open_store(cli, CV_STORE_CREATE, &st);
    if (rc)
        return rc;
    cv_error_init(&err);
    rc = cv_load_calendars(st, dir, &report, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
    } else {
        cli_print_load_report(cli, &report, st);
        rc = 0;
    }
    cv_store_free(st);
    return rc;
}
