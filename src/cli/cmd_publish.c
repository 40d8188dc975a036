/* SPDX-License-Identifier: MIT */
/* cmd_publish.c: `convene publish`: write every feed to a folder. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene publish [--out DIR] [--base-url URL] [--cancelled-days N]\n"
    "                       [--caldav URL [--caldav-user USER]]\n\n"
    "Writes the public feeds (the programme, each OGP region, each event with its sessions, in\n"
    "each language of the programme) at the top of DIR, the private feed of each person with a\n"
    "token under DIR/private/, and DIR/index.json with each feed's ETag. A file is rewritten\n"
    "only when its bytes change, atomically; the changes are listed. Every feed is checked\n"
    "against the rules of 'convene lint' first, and nothing is published if one fails. The\n"
    "pages go beside them: index.html (the programme's timeline), event-KEY.html (each\n"
    "timetable), subscribe.html, in each language (-fr, -es, -ar), and each person's page\n"
    "under DIR/private/, named like their feed.\n\n"
    "  --out DIR            the folder (default: ./feeds)\n"
    "  --base-url URL       where the feeds are served (default: http://127.0.0.1:8080)\n"
    "  --cancelled-days N   how long a cancelled event stays as CANCELLED (default: 30)\n"
    "  --caldav URL         also keep this CalDAV collection in step: each public event and\n"
    "                       session as a resource, conditional PUTs, DELETE of removed ones\n"
    "  --caldav-user USER   its user; the password comes from $CONVENE_CALDAV_PASSWORD or the\n"
    "                       file named by $CONVENE_CALDAV_PASSWORD_FILE (mode 0600), never from\n"
    "                       the command line\n";

int cmd_publish(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"base-url", required_argument, NULL, 'b'},
        {"cancelled-days", required_argument, NULL, 'c'},
        {"caldav", required_argument, NULL, 'd'},
        {"caldav-user", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *dir = "feeds";
    const char *caldav = NULL, *caldav_user = NULL;
    struct cv_buf password;
    struct cv_feed_options opt;
    struct cv_feed_set set;
    struct cv_publish_report rep, prep;
    struct cv_page_set pages;
    struct cv_store *st = NULL;
    struct cv_error err;
    long days;
    int c, rc;

    cv_feed_options_init(&opt);
    optind = 1;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case 'b':
            if (cv_has_ctl(optarg) || strchr(optarg, ' ') ||
                (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0))
                return cli_usage_error("publish", "--base-url takes an http(s):// URL");
            opt.base_url = optarg;
            break;
        case 'c':
            if (cv_parse_long(optarg, 0, 3650, &days) < 0)
                return cli_usage_error("publish", "--cancelled-days takes 0 to 3650");
            opt.cancelled_days = (int)days;
            break;
        case 'd':
            caldav = optarg;
            break;
        case 'u':
            if (cv_has_ctl(optarg) || strchr(optarg, ':'))
                return cli_usage_error("publish", "--caldav-user takes a user name without ':'");
            caldav_user = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("publish", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("publish", "unexpected argument '%s'", argv[optind]);
    /* A base URL ending in '/' would double the slash in every feed's URL. */
    char base[1024];
    cv_str_copy(base, sizeof(base), opt.base_url);
    size_t bl = strlen(base);
    while (bl > 8 && base[bl - 1] == '/')
        base[--bl] = '\0';
    opt.base_url = base;

    cv_buf_init(&password, 4096);
    if (caldav &&
        (rc = cli_secret("CONVENE_CALDAV_PASSWORD", "CONVENE_CALDAV_PASSWORD_FILE", &password)))
        return rc;
    /* Pushing to CalDAV remembers what it put: the store is written then. */
    if ((rc = cli_open_store(cli, caldav ? 0 : CV_STORE_READONLY, &st))) {
        cv_buf_release(&password);
        return rc;
    }
    cv_error_init(&err);
    cv_feed_set_init(&set);
    cv_publish_report_init(&rep);
    cv_publish_report_init(&prep);
    cv_page_set_init(&pages);
    rc = cv_feed_build(st, cli->ctx, &opt, &set, &err);
    if (rc == 0)
        rc = cv_html_build(st, cli->ctx, &opt, &set, &pages, &err);
    if (rc == 0)
        rc = cv_feed_publish(&set, dir, &rep, &err);
    if (rc == 0)
        rc = cv_html_publish(&pages, dir, &prep, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    for (size_t i = 0; i < rep.nwritten; i++)
        printf("written  %s/%s\n", dir, rep.written[i]);
    for (size_t i = 0; i < rep.nremoved; i++)
        printf("removed  %s/%s\n", dir, rep.removed[i]);
    size_t priv = 0;
    for (size_t i = 0; i < set.n; i++)
        priv += set.v[i].kind == CV_FEED_PERSON;
    printf("%zu feeds (%zu public, %zu private): %zu written, %zu unchanged, %zu removed\n", set.n,
           set.n - priv, priv,
           rep.nwritten -
               (rep.nwritten && strcmp(rep.written[rep.nwritten - 1], "index.json") == 0),
           rep.unchanged, rep.nremoved);
    for (size_t i = 0; i < prep.nwritten; i++)
        printf("written  %s/%s\n", dir, prep.written[i]);
    for (size_t i = 0; i < prep.nremoved; i++)
        printf("removed  %s/%s\n", dir, prep.removed[i]);
    printf("%zu pages (open %s/index.html): %zu written, %zu unchanged, %zu removed\n", pages.n,
           dir, prep.nwritten, prep.unchanged, prep.nremoved);
    if (caldav) {
        struct cv_caldav_report cr;
        rc = cv_feed_caldav_push(st, cli->ctx, &opt, caldav, caldav_user,
                                 caldav_user ? password.buf : NULL, &cr, &err);
        if (rc < 0) {
            rc = cli_fail(&err);
            goto out;
        }
        printf("CalDAV %s: %zu created, %zu updated, %zu unchanged, %zu deleted, %zu conflicts\n",
               caldav, cr.created, cr.updated, cr.unchanged, cr.deleted, cr.conflicts);
        if (cr.conflicts)
            rc = cli_error(EXIT_TEMPFAIL,
                           "%zu resources changed on the server since convene put them (first: "
                           "%s); left alone",
                           cr.conflicts, cr.conflict);
    }
out:
    memset(password.buf, 0, password.len);
    cv_buf_release(&password);
    cv_publish_report_release(&prep);
    cv_publish_report_release(&rep);
    cv_page_set_release(&pages);
    cv_feed_set_release(&set);
    cv_store_free(st);
    return rc;
}
