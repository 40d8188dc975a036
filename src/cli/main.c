/* SPDX-License-Identifier: MIT */
/* main.c: the convene command: global options and the table of commands. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli *cli);
    const char *help;
} commands[] = {
    {"init", cmd_init, "create or upgrade the database and load the shipped programme"},
    {"demo", cmd_demo, "the main job on the shipped OGP programme, end to end"},
    {"event", cmd_event, "list, show, add, set or cancel events"},
    {"people", cmd_people, "import a delegate list (CSV) or list people"},
    {"calendar", cmd_calendar, "import a reference calendar (.ics) or list them"},
    {"room", cmd_room, "add or list the rooms of an event's venue"},
    {"session", cmd_session, "add or list the sessions of an event"},
    {"speaker", cmd_speaker, "speakers' preferred days and hours at an event's timetable"},
    {"plan", cmd_plan, "choose the dates of the events not yet fixed, and explain"},
    {"slots", cmd_slots, "find call times across time zones, fairest first"},
    {"publish", cmd_publish, "write the feeds and the pages to a folder"},
    {"invite", cmd_invite, "queue invitations, updates and cancellations of an event (iMIP)"},
    {"outbox", cmd_outbox, "list, send, retry or show the queued mail"},
    {"rsvp", cmd_rsvp, "read replies to invitations (files or IMAP); the organizer's decisions"},
    {"attendance", cmd_attendance, "who answered what to an event's invitations"},
    {"lint", cmd_lint, "check .ics files against the rules real clients impose"},
    {"serve", cmd_serve, "answer the feeds and pages over HTTP"},
    {"feeds", cmd_feeds, "who fetched which feed from convene serve"},
};

static void usage(FILE *out)
{
    fputs("usage: convene [--db PATH] [--version] [--help] <command> [<args>]\n\n"
          "The database is PATH, else $CONVENE_DB, else ./convene.db.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
    fputs("\n'convene <command> --help' describes a command.\n", out);
}

static void log_to_stderr(void *data, enum cv_log_level level, const char *msg)
{
    (void)data;
    fprintf(stderr, "convene: %s: %s\n", level >= CV_LOG_WARN ? "warning" : "note", msg);
}

/* CONVENE_NOW=YYYY-MM-DDTHH:MM:SSZ fixes the clock: tests and reproducible demos use it. A wait
 * (the sending rate limits) moves that clock forward, by whole seconds, instead of sleeping. */
static int64_t fixed_clock(void *data)
{
    return *(const int64_t *)data;
}

static void fixed_sleep(void *data, double seconds)
{
    int64_t whole = (int64_t)seconds;
    *(int64_t *)data += whole < seconds ? whole + 1 : whole;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    struct cv_error err;
    int64_t now = 0;
    int i = 1, rc;

    cli.db_path = getenv("CONVENE_DB");
    if (!cli.db_path || !*cli.db_path)
        cli.db_path = "convene.db";

    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("convene %s (libical, SQLite)\n", cv_version());
            return 0;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            cli.db_path = a + 5;
        } else {
            fprintf(stderr, "convene: error: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i == argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!*cli.db_path)
        return cli_error(EXIT_USAGE, "the database path is empty; give --db PATH");

    cv_error_init(&err);
    if (cv_ctx_new(&cli.ctx, &err) < 0)
        return cli_fail(&err);
    cv_ctx_set_log(cli.ctx, log_to_stderr, NULL, CV_LOG_WARN);
    const char *fixed = getenv("CONVENE_NOW");
    if (fixed && *fixed) {
        if (cv_time_parse_utc(fixed, &now) < 0) {
            cv_ctx_free(cli.ctx);
            return cli_error(EXIT_USAGE, "CONVENE_NOW must look like 2024-01-31T12:00:00Z");
        }
        cv_ctx_set_clock(cli.ctx, fixed_clock, &now);
        cv_ctx_set_sleep(cli.ctx, fixed_sleep, &now);
    }

    rc = -1;
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        if (strcmp(argv[i], commands[c].name) == 0) {
            rc = commands[c].fn(argc - i, argv + i, &cli);
            break;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "convene: error: '%s' is not a convene command\n", argv[i]);
        usage(stderr);
        rc = EXIT_USAGE;
    }
    cv_ctx_free(cli.ctx);
    if (fflush(stdout) != 0 && rc == 0)
        rc = EXIT_IOERR;
    return rc;
}
