/* SPDX-License-Identifier: MIT */
/* cli.c: printing errors and tables, exit codes, opening the database for a command. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#include "banned.h"

int cli_exit_code(const struct cv_error *err)
{
    switch (err->code) {
    case CV_EINVAL:
    case CV_EPARSE:
    case CV_ECONFLICT:
    case CV_ELIMIT:
    case CV_ESCHEMA:
    case CV_ENOTDB:
    case CV_EINFEASIBLE:
        return EXIT_DATAERR;
    case CV_ENOTFOUND:
        /* A missing file is missing input; a missing key is bad data. */
        return err->file[0] ? EXIT_NOINPUT : EXIT_DATAERR;
    case CV_EBUSY:
    case CV_ETEMP:
        return EXIT_TEMPFAIL;
    case CV_EHTTP:
    case CV_ESMTP:
        return EXIT_UNAVAILABLE;
    case CV_EREADONLY:
        return EXIT_CANTCREAT;
    case CV_ENOMEM:
        return EXIT_OSERR;
    case CV_EIO:
    case CV_ESTORE:
        return EXIT_IOERR;
    default:
        return EXIT_SOFTWARE;
    }
}

/* Writes @s with control characters shown as spaces: one line, whatever the message holds. */
static void put_line_safe(const char *s, FILE *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
}

int cli_fail(const struct cv_error *err)
{
    fputs("convene: error: ", stderr);
    if (err->file[0]) {
        put_line_safe(err->file, stderr);
        if (err->line > 0)
            fprintf(stderr, ":%ld", err->line);
        fputs(": ", stderr);
    }
    put_line_safe(err->msg[0] ? err->msg : cv_strerror(err->code), stderr);
    fputc('\n', stderr);
    return cli_exit_code(err);
}

/* Prints "convene: error: MSG" and the @tail (may be ""), one line. */
static void vfail(const char *fmt, va_list ap, const char *tail)
{
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    fputs("convene: error: ", stderr);
    put_line_safe(msg, stderr);
    fputs(tail, stderr);
    fputc('\n', stderr);
}

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(fmt, ap, "");
    va_end(ap);
    return code;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    char tail[128];
    va_list ap;
    snprintf(tail, sizeof(tail), "; see 'convene %s --help'", command);
    va_start(ap, fmt);
    vfail(fmt, ap, tail);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_list_options(int argc, char **argv, const char *command, const char *usage,
                     enum cli_format *fmt)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    int c;
    *fmt = CLI_TABLE;
    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (c != 'f' || cli_format_parse(optarg, fmt) < 0)
            return cli_usage_error(command, "--format takes table, csv or tsv");
    }
    if (optind != argc)
        return cli_usage_error(command, "unexpected argument '%s'", argv[optind]);
    return 0;
}

int cli_read_input(const char *path, size_t max, struct cv_buf *out)
{
    struct cv_error err;
    cv_error_init(&err);
    int rc = cv_file_read(path, max, out, &err);
    if (rc == 0)
        return 0;
    rc = cli_fail(&err);
    return err.code == CV_EIO ? EXIT_NOINPUT : rc;
}

int cli_open_store(struct cli *cli, unsigned flags, struct cv_store **ret)
{
    struct cv_error err;
    cv_error_init(&err);
    int rc = cv_store_open(cli->ctx, cli->db_path, flags, ret, &err);
    if (rc < 0)
        return cli_fail(&err);
    return 0;
}

int cli_format_parse(const char *s, enum cli_format *out)
{
    if (strcmp(s, "table") == 0)
        *out = CLI_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_CSV;
    else if (strcmp(s, "tsv") == 0)
        *out = CLI_TSV;
    else
        return -1;
    return 0;
}

void cli_table_init(struct cli_table *t, size_t ncols)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
}

void cli_table_release(struct cli_table *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    cli_table_init(t, t->ncols);
}

int cli_table_add(struct cli_table *t, const char *cell)
{
    int rc = cv_grow(&t->cells, &t->alloc, t->ncells + 1, sizeof(char *));
    if (rc < 0)
        return rc;
    char *copy = strdup(cell ? cell : "");
    if (!copy)
        return CV_ENOMEM;
    t->cells[t->ncells++] = copy;
    return 0;
}

/* Display width: one column per code point (enough for the scripts convene writes). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        w += (*p & 0xc0) != 0x80;
    return w;
}

/* Bytes of @s that fit in @cols display columns. */
static size_t fit(const char *s, size_t cols)
{
    size_t w = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && w++ == cols)
            break;
    }
    return i;
}

static void print_csv_cell(const char *s, FILE *out)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void cli_table_print(const struct cli_table *t, enum cli_format fmt, size_t maxw, FILE *out)
{
    size_t nrows = t->ncols ? t->ncells / t->ncols : 0;
    size_t *w = calloc(t->ncols, sizeof(size_t));
    if (!w)
        return;
    for (size_t i = 0; i < t->ncells; i++) {
        size_t cw = width(t->cells[i]);
        if (maxw && cw > maxw)
            cw = maxw;
        if (cw > w[i % t->ncols])
            w[i % t->ncols] = cw;
    }
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            bool last = c + 1 == t->ncols;
            if (fmt == CLI_CSV) {
                print_csv_cell(s, out);
                fputs(last ? "\r\n" : ",", out);
            } else if (fmt == CLI_TSV) {
                for (const char *p = s; *p; p++)
                    fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, out);
                fputc(last ? '\n' : '\t', out);
            } else {
                size_t cw = width(s);
                size_t n = strlen(s);
                if (maxw && cw > maxw) {
                    n = fit(s, maxw - 1);
                    cw = maxw;
                    fwrite(s, 1, n, out);
                    fputs("\u2026", out);
                } else {
                    fwrite(s, 1, n, out);
                }
                if (!last)
                    fprintf(out, "%*s", (int)(w[c] - cw + 2), "");
                else
                    fputc('\n', out);
            }
        }
    }
    free(w);
}

void cli_event_when(const struct cv_event *e, char *out, size_t size)
{
    char a[CV_DATE_SIZE], b[CV_DATE_SIZE];
    if (cv_event_has_dates(e)) {
        cv_date_format(&e->start, a);
        cv_date_format(&e->end, b);
        snprintf(out, size, "%s..%s", a, b);
    } else if (cv_date_is_set(&e->window_start)) {
        cv_date_format(&e->window_start, a);
        cv_date_format(&e->window_end, b);
        snprintf(out, size, "window %s..%s, %d day%s", a, b, e->days, e->days == 1 ? "" : "s");
    } else {
        snprintf(out, size, "not placed, %d day%s", e->days, e->days == 1 ? "" : "s");
    }
}

void cli_print_import_report(const char *name, const struct cv_import_report *r)
{
    for (size_t i = 0; i < r->nskips; i++) {
        fprintf(stderr, "convene: skipped %s:%ld: ", name, r->skips[i].line);
        put_line_safe(r->skips[i].reason, stderr);
        fputc('\n', stderr);
    }
    printf("%s: %zu read, %zu imported, %zu updated, %zu skipped", name, r->read, r->imported,
           r->updated, r->skipped);
    if (r->unchanged)
        printf(" (%zu unchanged)", r->unchanged);
    putchar('\n');
}

void cli_print_load_report(const struct cli *cli, const struct cv_load_report *r,
                           const struct cv_store *st)
{
    int found = cv_store_schema_found(st);
    if (cv_load_report_is_noop(r) && found == cv_store_schema_latest()) {
        printf("%s is up to date: nothing changed (%zu events, %zu members, %zu reference "
               "calendars)\n",
               cli->db_path, r->events.unchanged + r->events.kept, r->members.unchanged,
               r->refcals.unchanged);
        return;
    }
    if (found == 0)
        printf("created %s (schema %d)\n", cli->db_path, cv_store_schema_latest());
    else if (found < cv_store_schema_latest())
        printf("upgraded %s from schema %d to %d\n", cli->db_path, found, cv_store_schema_latest());
    printf("programme: %s\n", r->programme == CV_UPSERT_INSERTED  ? "added"
                              : r->programme == CV_UPSERT_UPDATED ? "updated"
                                                                  : "unchanged");
    printf("events: %zu added, %zu unchanged, %zu kept as edited\n", r->events.added,
           r->events.unchanged, r->events.kept);
    printf("sessions: %zu added, %zu kept\n", r->sessions.added, r->sessions.unchanged);
    printf("members: %zu added, %zu updated, %zu unchanged\n", r->members.added, r->members.updated,
           r->members.unchanged);
    printf("reference calendars: %zu added, %zu updated, %zu unchanged (%zu entries)\n",
           r->refcals.added, r->refcals.updated, r->refcals.unchanged, r->refentries);
}

int cli_secret(const char *env, const char *env_file, struct cv_buf *out)
{
    const char *pw = getenv(env);
    const char *file = getenv(env_file);
    struct stat sb;
    if (pw)
        return cv_buf_addstr(out, pw) < 0 ? EXIT_OSERR : 0;
    if (!file)
        return 0;
    if (stat(file, &sb) < 0)
        return cli_error(EXIT_NOINPUT, "%s: cannot read the password file", file);
    if (sb.st_mode & 077)
        return cli_error(EXIT_DATAERR, "%s: the password file can be read by others; chmod 600 it",
                         file);
    int rc = cli_read_input(file, 4096, out);
    if (rc)
        return rc;
    while (out->len && (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == '\r'))
        out->buf[--out->len] = '\0';
    return 0;
}
