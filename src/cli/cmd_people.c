/* SPDX-License-Identifier: MIT */
/* cmd_people.c: `convene people import FILE.csv` and `convene people list`. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene people import [--skip-invalid] FILE.csv\n"
    "       convene people list [--format table|csv|tsv]\n"
    "       convene people token [--base-url URL] EMAIL\n"
    "       convene people revoke-token EMAIL\n\n"
    "import reads a delegate list exported from a spreadsheet (RFC 4180 CSV, UTF-8 with or\n"
    "without BOM, CRLF or LF). The header row names the columns; name and email are required,\n"
    "language (en, fr, es, ar), country (ISO code), delegation (government, civil-society,\n"
    "local, other), role (delegate, speaker, principal, organizer) and time zone are optional.\n"
    "A person already known by email is updated, never duplicated. Any invalid row stops the\n"
    "import and changes nothing, unless --skip-invalid skips it with its line and reason.\n\n"
    "token gives the person a new private feed address (128 random bits; any earlier one stops\n"
    "working) and prints it once: convene keeps only its hash. revoke-token ends it. The next\n"
    "'convene publish' writes or removes the feed; 'convene serve' answers it. The address is\n"
    "printed with --base-url, else $CONVENE_BASE_URL (set it once to the address delegates\n"
    "reach convene serve at, such as https://calendars.example.org), else\n"
    "http://127.0.0.1:8080.\n";

#define MAX_CSV_BYTES (16u * 1024 * 1024)

static int people_import(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"skip-invalid", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    unsigned flags = 0;
    struct cv_import_report report;
    struct cv_store *st = NULL;
    struct cv_buf data;
    struct cv_error err;
    int c, rc;

    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c != 's')
            return cli_usage_error("people", "bad option");
        flags |= CV_IMPORT_SKIP_INVALID;
    }
    if (optind + 1 != argc)
        return cli_usage_error("people", "'people import' takes one CSV file");
    const char *path = argv[optind];

    cv_error_init(&err);
    cv_buf_init(&data, CV_BUF_NOLIMIT);
    cv_import_report_init(&report);
    if ((rc = cli_read_input(path, MAX_CSV_BYTES, &data)))
        goto out;
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    rc = cv_load_people(st, data.buf, data.len, path, flags, &report, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    cli_print_import_report(path, &report);
out:
    cv_import_report_release(&report);
    cv_buf_release(&data);
    cv_store_free(st);
    return rc;
}

static int people_list(int argc, char **argv, struct cli *cli)
{
    enum cli_format fmt = CLI_TABLE;
    struct cv_person_list people;
    struct cv_store *st = NULL;
    struct cli_table t;
    struct cv_error err;
    int rc;

    if ((rc = cli_list_options(argc, argv, "people", usage_text, &fmt)))
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_person_list_init(&people);
    rc = cv_store_person_list(st, &people, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    static const char *const head_csv[] = {"email",      "name", "language", "country",
                                           "delegation", "role", "timezone"};
    static const char *const head_table[] = {"EMAIL",      "NAME", "LANG", "COUNTRY",
                                             "DELEGATION", "ROLE", "ZONE"};
    const char *const *head = fmt == CLI_TABLE ? head_table : head_csv;
    cli_table_init(&t, 7);
    for (size_t i = 0; i < 7; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < people.n; i++) {
        const struct cv_person *p = &people.v[i];
        cli_table_add(&t, p->email);
        cli_table_add(&t, p->name);
        cli_table_add(&t, p->lang);
        cli_table_add(&t, p->country);
        cli_table_add(&t, cv_delegation_kind_name(p->delegation.kind));
        cli_table_add(&t, cv_role_name(p->role));
        cli_table_add(&t, p->tzid);
    }
    cli_table_print(&t, fmt, fmt == CLI_TABLE ? 40 : 0, stdout);
    cli_table_release(&t);
    if (fmt == CLI_TABLE)
        printf("%zu people\n", people.n);
    rc = 0;
out:
    cv_person_list_release(&people);
    cv_store_free(st);
    return rc;
}

static int people_token(int argc, char **argv, struct cli *cli, bool revoke)
{
    static const struct option opts[] = {
        {"base-url", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *given = NULL;
    char token[CV_TOKEN_SIZE], base[1024];
    struct cv_store *st = NULL;
    struct cv_error err;
    int c, rc;

    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c != 'b' || revoke || cv_has_ctl(optarg) ||
            (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0))
            return cli_usage_error("people", "--base-url takes an http(s):// URL");
        given = optarg;
    }
    if (!revoke && (rc = cli_base_url("people", given, CLI_DEFAULT_BASE_URL, base, sizeof(base))))
        return rc;
    if (optind + 1 != argc)
        return cli_usage_error("people", "'people %s' takes one email address",
                               revoke ? "revoke-token" : "token");
    const char *email = argv[optind];
    if ((rc = cli_open_store(cli, 0, &st)))
        return rc;
    cv_error_init(&err);
    rc = cv_store_begin(st, &err);
    if (rc == 0 && revoke) {
        bool had = false;
        rc = cv_store_person_token_revoke(st, email, &had, &err);
        if (rc == 0 && (rc = cv_store_commit(st, &err)) == 0)
            printf("%s: %s\n", email,
                   had ? "private feed revoked; convene serve refuses it at once, the next "
                         "publish removes its file"
                       : "had no private feed; nothing changed");
    } else if (rc == 0) {
        rc = cv_store_person_token_new(st, email, token, &err);
        if (rc == 0 && (rc = cv_store_commit(st, &err)) == 0) {
            const char *host = strstr(base, "://") + 3;
            printf("private feed of %s (shown once; keep it secret):\n", email);
            printf("  %s/private/%s.ics\n", base, token);
            printf("  webcal://%s/private/%s.ics\n", host, token);
        }
        memset(token, 0, sizeof(token));
    }
    if (rc < 0) {
        cv_store_rollback(st);
        rc = cli_fail(&err);
    }
    cv_store_free(st);
    return rc;
}

int cmd_people(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "import") == 0)
        return people_import(argc, argv, cli);
    if (strcmp(argv[1], "list") == 0)
        return people_list(argc, argv, cli);
    if (strcmp(argv[1], "token") == 0)
        return people_token(argc, argv, cli, false);
    if (strcmp(argv[1], "revoke-token") == 0)
        return people_token(argc, argv, cli, true);
    return cli_usage_error("people", "unknown subcommand '%s'", argv[1]);
}
