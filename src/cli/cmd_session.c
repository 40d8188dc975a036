/* SPDX-License-Identifier: MIT */
/* cmd_session.c: `convene session add|list`: the agenda items of an event. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene session add EVENT KEY --title TEXT --minutes N [--track TRACK]\n"
    "                           [--speakers 'NAME;NAME'] [--capacity N]\n"
    "       convene session list EVENT\n\n"
    "The sessions of an event, for its timetable (convene plan EVENT --timetable). TRACK is\n"
    "plenary, digital-governance, climate, inclusion or ogp-local; the co-chairs (principals)\n"
    "attend every plenary. Adding a session of the same key replaces it (and its time).\n";

static int session_add(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"title", required_argument, NULL, 't'},    {"minutes", required_argument, NULL, 'm'},
        {"track", required_argument, NULL, 'k'},    {"speakers", required_argument, NULL, 's'},
        {"capacity", required_argument, NULL, 'c'}, {0},
    };
    struct cv_session s;
    struct cv_store *st = NULL;
    struct cv_error err;
    char uid[CV_UUID_SIZE];
    long v;
    int c, rc = 0;

    if (argc < 4)
        return cli_usage_error("session", "'session add' takes EVENT KEY and options");
    cv_session_init(&s);
    cv_error_init(&err);
    optind = 4;
    while (rc == 0 && (c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            rc = cv_str_set(&s.title, optarg);
            break;
        case 'm':
            if (cv_parse_long(optarg, 5, 1440, &v) < 0)
                rc = cli_usage_error("session", "--minutes takes 5 to 1440");
            s.minutes = (int)v;
            break;
        case 'k':
            if (cv_track_parse(optarg, &s.track) < 0)
                rc = cli_usage_error("session", "unknown track '%s'", optarg);
            break;
        case 's':
            rc = cv_str_set(&s.speakers, optarg);
            break;
        case 'c':
            if (cv_parse_long(optarg, 0, 1000000, &v) < 0)
                rc = cli_usage_error("session", "--capacity takes a number of seats");
            s.min_capacity = (int)v;
            break;
        default:
            rc = cli_usage_error("session", "bad option");
        }
    }
    if (rc)
        goto out;
    if (optind != argc) {
        rc = cli_usage_error("session", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if ((rc = cv_str_set(&s.event_key, argv[2])) < 0 || (rc = cv_str_set(&s.key, argv[3])) < 0 ||
        (rc = cv_ctx_new_uid(cli->ctx, uid)) < 0 || (rc = cv_str_set(&s.uid, uid)) < 0) {
        rc = cli_error(EXIT_OSERR, "out of memory");
        goto out;
    }
    s.revision = cv_ctx_now(cli->ctx);
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    enum cv_upsert how;
    rc = cv_store_begin(st, &err);
    if (rc == 0)
        rc = cv_store_session_put(st, &s, &how, &err);
    if (rc == 0)
        rc = cv_store_commit(st, &err);
    if (rc < 0) {
        cv_store_rollback(st);
        rc = cli_fail(&err);
    } else {
        printf("session %s of %s: %s, %d minutes\n", s.key, s.event_key, cv_track_name(s.track),
               s.minutes);
    }
out:
    cv_session_release(&s);
    cv_store_free(st);
    return rc;
}

static int session_list(int argc, char **argv, struct cli *cli)
{
    struct cv_session_list l;
    struct cv_store *st = NULL;
    struct cv_error err;
    int rc;

    if (argc != 3)
        return cli_usage_error("session", "'session list' takes an EVENT");
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_session_list_init(&l);
    rc = cv_store_session_list(st, argv[2], &l, &err);
    if (rc < 0)
        rc = cli_fail(&err);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char when[CV_TIME_SIZE] = "not placed";
        if (l.v[i].start)
            cv_time_format_utc(l.v[i].start, when);
        printf("%-24s %-20s %4d min  %-20s %s\n", l.v[i].key, cv_track_name(l.v[i].track),
               l.v[i].minutes, when, l.v[i].room ? l.v[i].room : "");
    }
    cv_session_list_release(&l);
    cv_store_free(st);
    return rc;
}

int cmd_session(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return session_add(argc, argv, cli);
    if (strcmp(argv[1], "list") == 0)
        return session_list(argc, argv, cli);
    return cli_usage_error("session", "unknown subcommand '%s'", argv[1]);
}
