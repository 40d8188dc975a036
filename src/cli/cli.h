/* SPDX-License-Identifier: MIT */
/* cli.h: what the command files share: the global options, printing and exit codes. */
#ifndef CV_CLI_H
#define CV_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <convene/convene.h>

/* sysexits.h codes, spelled out so that the values are visible where they are used. */
/* Where links point when neither --base-url nor $CONVENE_BASE_URL says otherwise. */
#define CLI_DEFAULT_BASE_URL "http://127.0.0.1:8080"

#define EXIT_USAGE       64 /* EX_USAGE */
#define EXIT_DATAERR     65 /* EX_DATAERR */
#define EXIT_NOINPUT     66 /* EX_NOINPUT */
#define EXIT_UNAVAILABLE 69 /* EX_UNAVAILABLE */
#define EXIT_SOFTWARE    70 /* EX_SOFTWARE */
#define EXIT_OSERR       71 /* EX_OSERR */
#define EXIT_CANTCREAT   73 /* EX_CANTCREAT */
#define EXIT_IOERR       74 /* EX_IOERR */
#define EXIT_TEMPFAIL    75 /* EX_TEMPFAIL */
#define EXIT_NOPERM      77 /* EX_NOPERM */

/* What every command receives besides its arguments. */
struct cli {
    struct cv_ctx *ctx;
    const char *db_path;
};

/* Prints "convene: error: [FILE[:LINE]: ]MSG" and returns the sysexits code for @err. */
int cli_fail(const struct cv_error *err);
/* Prints "convene: error: MSG" (formatted) and returns @code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a usage error with a hint to run --help, returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The address clients reach convene serve at, for the links commands print and write: @given
 * (an option), else $CONVENE_BASE_URL, else @fallback (may be NULL: then "" is written), into
 * @out without trailing '/'. @return 0, or EXIT_USAGE (printed) when $CONVENE_BASE_URL is not
 * an http(s):// URL.
 */
int cli_base_url(const char *command, const char *given, const char *fallback, char *out,
                 size_t size);
/* @return the sysexits code for a cv_status */
int cli_exit_code(const struct cv_error *err);

/*
 * Reads an input file named on the command line into @out, refusing more than @max bytes;
 * prints the error itself. @return 0 or an exit code (EXIT_NOINPUT when missing or unreadable).
 */
int cli_read_input(const char *path, size_t max, struct cv_buf *out);

/*
 * A password: the value of $@env, else the contents of the file named by $@env_file (refused
 * unless only its owner can read it: mode 0600), else nothing; never from the command line.
 * Prints its own errors. @return 0 (with @out empty when neither is set) or an exit code.
 */
int cli_secret(const char *env, const char *env_file, struct cv_buf *out);

/* Opens the database (see cv_store_open); prints the error itself. @return 0 or an exit code. */
int cli_open_store(struct cli *cli, unsigned flags, struct cv_store **ret);

/* @t as "2024-01-31T12:00:00Z" into @out, or "" when 0 (never). */
void cli_time(int64_t t, char out[CV_TIME_SIZE]);

/* ---- tables and delimited output ---- */

enum cli_format { CLI_TABLE, CLI_CSV, CLI_TSV };

/*
 * Parses the options of a "list" subcommand (--format, --help) from argv[2] on.
 * @return 0 to go on, -1 when --help was printed (exit 0), or a usage exit code
 */
int cli_list_options(int argc, char **argv, const char *command, const char *usage,
                     enum cli_format *fmt);

/* Parses "table", "csv" or "tsv". @return 0 or -1. */
int cli_format_parse(const char *s, enum cli_format *out);

/* A table of text cells, printed aligned, or as CSV (RFC 4180) or TSV. */
struct cli_table {
    size_t ncols;
    char **cells; /* row-major, owned */
    size_t ncells;
    size_t alloc;
};

void cli_table_init(struct cli_table *t, size_t ncols);
void cli_table_release(struct cli_table *t);
/* Adds one cell (copied; NULL prints as empty). @return 0 or CV_ENOMEM. */
int cli_table_add(struct cli_table *t, const char *cell);
/* Prints the table; in table form, cells are cut to @maxw display columns (0: no cut). */
void cli_table_print(const struct cli_table *t, enum cli_format fmt, size_t maxw, FILE *out);

/* "2025-03-25..2025-03-27", or "window 2024-01-08..2024-09-20, 3 days", into @out. */
void cli_event_when(const struct cv_event *e, char *out, size_t size);

/* Every command: one file each, {name, function} in main.c. */
int cmd_init(int argc, char **argv, struct cli *cli);
int cmd_demo(int argc, char **argv, struct cli *cli);
int cmd_event(int argc, char **argv, struct cli *cli);
int cmd_people(int argc, char **argv, struct cli *cli);
int cmd_calendar(int argc, char **argv, struct cli *cli);
int cmd_publish(int argc, char **argv, struct cli *cli);
int cmd_lint(int argc, char **argv, struct cli *cli);
int cmd_plan(int argc, char **argv, struct cli *cli);
int cmd_slots(int argc, char **argv, struct cli *cli);
int cmd_room(int argc, char **argv, struct cli *cli);
int cmd_session(int argc, char **argv, struct cli *cli);
int cmd_speaker(int argc, char **argv, struct cli *cli);
int cmd_invite(int argc, char **argv, struct cli *cli);
int cmd_outbox(int argc, char **argv, struct cli *cli);
int cmd_serve(int argc, char **argv, struct cli *cli);
int cmd_feeds(int argc, char **argv, struct cli *cli);
int cmd_rsvp(int argc, char **argv, struct cli *cli);
int cmd_attendance(int argc, char **argv, struct cli *cli);

/* Shared by attendance and demo: the answers to @key's invitations, as a summary (table) or
 * one row per person (csv, tsv). @return 0 or an error in @err. */
int cli_print_attendance(struct cv_store *st, const char *key, enum cli_format fmt,
                         struct cv_error *err);

/* Shared by plan and demo: prints the timetable @r that cv_timetable() made of @e from @in: each
 * day's sessions in the venue's zone, with @explain the costs and the speakers' preferences, and
 * the sessions without a place with the reason. */
void cli_print_timetable(const struct cv_event *e, const struct cv_tt_input *in,
                         const struct cv_tt_result *r, bool explain);

/* Shared by init and demo: prints what cv_load_calendars() did. */
void cli_print_load_report(const struct cli *cli, const struct cv_load_report *r,
                           const struct cv_store *st);
/* Shared by people import and demo: prints "N read, N imported, N updated, N skipped". */
void cli_print_import_report(const char *name, const struct cv_import_report *r);

#endif
