/* SPDX-License-Identifier: MIT */
/* cmd_feeds.c: `convene feeds status`: who fetched which feed from convene serve, and when. */
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene feeds status [--format table|csv|tsv]\n\n"
    "Lists every file 'convene serve' answered: its fetches (and how many were answered 304\n"
    "Not Modified), the last fetch, its status and the client's User-Agent; a private feed by\n"
    "the address of its owner, never by its token. Feeds that Google Calendar subscribes to\n"
    "get a warning: Google fetches them every 12 to 24 hours whatever the feed asks, so a\n"
    "change can take up to a day to show there (the invitations by mail are what reaches those\n"
    "delegates at once).\n";

int cmd_feeds(int argc, char **argv, struct cli *cli)
{
    enum cli_format fmt = CLI_TABLE;
    struct cv_served_file_list l;
    struct cv_store *st = NULL;
    struct cli_table t;
    struct cv_error err;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "status") != 0)
        return cli_usage_error("feeds", "unknown subcommand '%s'", argv[1]);
    if ((rc = cli_list_options(argc, argv, "feeds", usage_text, &fmt)))
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_served_file_list_init(&l);
    if ((rc = cv_store_served_list(st, &l, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    static const char *const head_table[] = {"FILE",       "OWNER",  "FETCHES", "304",
                                             "LAST FETCH", "STATUS", "CLIENT"};
    static const char *const head_csv[] = {"file",       "owner",       "fetches", "not_modified",
                                           "last_fetch", "last_status", "client"};
    const char *const *head = fmt == CLI_TABLE ? head_table : head_csv;
    cli_table_init(&t, 7);
    for (size_t i = 0; i < 7; i++)
        cli_table_add(&t, head[i]);
    size_t google = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_served_file *f = &l.v[i];
        char fetches[24], nm[24], when[CV_TIME_SIZE], status[8];
        snprintf(fetches, sizeof(fetches), "%ld", f->fetches);
        snprintf(nm, sizeof(nm), "%ld", f->not_modified);
        snprintf(status, sizeof(status), "%d", f->last_status);
        cv_time_format_utc(f->last_fetch, when);
        cli_table_add(&t, f->path);
        cli_table_add(&t, f->email                               ? f->email
                          : strncmp(f->path, "private/", 8) == 0 ? "(revoked)"
                                                                 : "public");
        cli_table_add(&t, fetches);
        cli_table_add(&t, nm);
        cli_table_add(&t, when);
        cli_table_add(&t, status);
        cli_table_add(&t, f->last_agent);
        google += f->google_fetch != 0;
    }
    cli_table_print(&t, fmt, fmt == CLI_TABLE ? 48 : 0, stdout);
    cli_table_release(&t);
    if (fmt == CLI_TABLE) {
        printf("%zu files fetched\n", l.n);
        for (size_t i = 0; i < l.n; i++) {
            const struct cv_served_file *f = &l.v[i];
            char when[CV_TIME_SIZE];
            if (!f->google_fetch)
                continue;
            cv_time_format_utc(f->google_fetch, when);
            printf("warning: %s%s%s is subscribed in Google Calendar (last fetch %s): Google "
                   "refreshes it every 12 to 24 hours, so a change may not show there for up to "
                   "a day\n",
                   f->path, f->email ? " of " : "", f->email ? f->email : "", when);
        }
    }
    rc = 0;
out:
    cv_served_file_list_release(&l);
    cv_store_free(st);
    return rc;
}
