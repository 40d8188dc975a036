/* SPDX-License-Identifier: MIT */
/* cmd_lint.c: `convene lint`: check .ics files against the rules real clients impose. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene lint [--public] FILE.ics...\n\n"
    "Checks each file against the rules of INTEROP.md (CRLF, 75-octet folding between UTF-8\n"
    "characters, a VTIMEZONE for every TZID and no libical prefix, no floating times, UID,\n"
    "DTSTAMP and DTSTART, no X-LIC- property, NAME/X-WR-CALNAME, REFRESH-INTERVAL and\n"
    "X-PUBLISHED-TTL, clean URIs, METHOD only at the top) and prints each violation as\n"
    "FILE:LINE: RULE: what is wrong. Exit 0 when every file is clean, 65 otherwise.\n\n"
    "  --public   also refuse ATTENDEE lines and mailto: addresses (a public feed)\n";

#define MAX_LINT_BYTES (256u * 1024 * 1024)

int cmd_lint(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"public", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    unsigned flags = 0;
    int c, worst = 0;

    (void)cli;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c != 'p')
            return cli_usage_error("lint", "bad option");
        flags |= CV_LINT_PUBLIC;
    }
    if (optind == argc)
        return cli_usage_error("lint", "name at least one .ics file");
    for (int i = optind; i < argc; i++) {
        struct cv_buf data;
        struct cv_lint_report rep;
        struct cv_error err;
        cv_buf_init(&data, CV_BUF_NOLIMIT);
        cv_lint_report_init(&rep);
        cv_error_init(&err);
        int rc = cli_read_input(argv[i], MAX_LINT_BYTES, &data);
        if (rc == 0 && cv_ical_lint(data.buf, data.len, argv[i], flags, &rep, &err) < 0)
            rc = cli_fail(&err);
        for (size_t k = 0; k < rep.n; k++) {
            if (rep.v[k].line)
                printf("%s:%ld: %s: %s\n", argv[i], rep.v[k].line, rep.v[k].rule, rep.v[k].msg);
            else
                printf("%s: %s: %s\n", argv[i], rep.v[k].rule, rep.v[k].msg);
        }
        if (rc == 0 && rep.n)
            rc = EXIT_DATAERR;
        if (rc && !worst)
            worst = rc;
        cv_lint_report_release(&rep);
        cv_buf_release(&data);
    }
    return worst;
}
