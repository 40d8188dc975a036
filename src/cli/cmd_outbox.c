/* SPDX-License-Identifier: MIT */
/* cmd_outbox.c: `convene outbox list|send|retry|show`: the queued mail and its delivery. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene outbox list [--format table|csv|tsv]\n"
    "       convene outbox send [--smtp URL] [--dir DIR] [--profile NAME] [--per-minute N]\n"
    "                           [--per-day N]\n"
    "       convene outbox retry [ID]\n"
    "       convene outbox show [--raw] ID\n\n"
    "The outbox holds each message 'convene invite' queued, as the exact bytes to send, with its\n"
    "state: queued, sending, sent, deferred (tried again after 5 minutes, doubling to an hour),\n"
    "failed (a 5xx reply, or not delivered before the event or within 5 days: the organizer gets\n"
    "a notice).\n\n"
    "  list              every message: state, attempts, next attempt, the last server reply\n"
    "  send              delivers the messages due, one recipient per transaction over one\n"
    "                    connection; a progress bar on a terminal, a summary at the end\n"
    "    --smtp URL      the server (else $CONVENE_SMTP_URL): smtp://[USER@]HOST[:PORT]\n"
    "                    (STARTTLS required), smtps://... (TLS), smtp+plain://... (no TLS:\n"
    "                    a local relay or a test server). The AUTH password comes from\n"
    "                    $CONVENE_SMTP_PASSWORD or the file named by $CONVENE_SMTP_PASSWORD_FILE\n"
    "                    (mode 0600); $CONVENE_SMTP_CAINFO names a CA bundle to trust.\n"
    "    --dir DIR       without a server: one MESSAGE-ID.eml file per message in DIR\n"
    "                    (default: ./outbox)\n"
    "    --profile NAME  the provider's sending limits: none (default), microsoft365 (30 a\n"
    "                    minute, 10,000 a day) or google-workspace (2,000 a day)\n"
    "    --per-minute N  at most N messages a minute (instead of the profile's figure)\n"
    "    --per-day N     at most N messages tried in 24 hours, counted in the outbox across\n"
    "                    runs; at the limit the run stops (exit 75), the rest stays queued\n"
    "  retry [ID]        queue deferred and failed messages (or message ID) again, due now\n"
    "  show [--raw] ID   one message: its state and headers; --raw prints its exact bytes\n"
    "                    (which may hold a private feed address: keep them to yourself)\n";

static void when(int64_t t, char out[CV_TIME_SIZE])
{
    if (t)
        cv_time_format_utc(t, out);
    else
        out[0] = '\0';
}

static int outbox_list(int argc, char **argv, struct cli *cli)
{
    enum cli_format fmt = CLI_TABLE;
    struct cv_outbox_list l;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct cli_table t;
    int rc = cli_list_options(argc, argv, "outbox", usage_text, &fmt);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_outbox_list_init(&l);
    if ((rc = cv_store_outbox_list(st, &l, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    cli_table_init(&t, 9);
    static const char *const head[] = {"ID",        "STATE",    "KIND", "EVENT",     "SEQ",
                                       "RECIPIENT", "ATTEMPTS", "NEXT", "LAST REPLY"};
    for (size_t i = 0; i < 9; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_outbox_msg *m = &l.v[i];
        char id[32], seq[16], att[16], next[CV_TIME_SIZE];
        snprintf(id, sizeof(id), "%lld", (long long)m->id);
        snprintf(seq, sizeof(seq), "%d", m->sequence);
        snprintf(att, sizeof(att), "%d", m->attempts);
        when(m->state == CV_OUTBOX_DEFERRED || m->state == CV_OUTBOX_QUEUED ? m->next_attempt : 0,
             next);
        cli_table_add(&t, id);
        cli_table_add(&t, cv_outbox_state_name(m->state));
        cli_table_add(&t, m->kind);
        cli_table_add(&t, m->event_key);
        cli_table_add(&t, seq);
        cli_table_add(&t, m->recipient);
        cli_table_add(&t, att);
        cli_table_add(&t, next);
        cli_table_add(&t, m->last_reply);
    }
    cli_table_print(&t, fmt, 60, stdout);
    cli_table_release(&t);
    rc = 0;
out:
    cv_outbox_list_release(&l);
    cv_store_free(st);
    return rc;
}

static int parse_id(const char *s, int64_t *id)
{
    long v;
    if (cv_parse_long(s, 1, 0x7fffffffL, &v) < 0)
        return cli_usage_error("outbox", "'%s' is not a message number", s);
    *id = v;
    return 0;
}

static int outbox_show(int argc, char **argv, struct cli *cli)
{
    bool raw = false;
    int64_t id = 0;
    int rc, i = 2;
    if (i < argc && strcmp(argv[i], "--raw") == 0) {
        raw = true;
        i++;
    }
    if (i + 1 != argc)
        return cli_usage_error("outbox", "'outbox show' takes a message number");
    if ((rc = parse_id(argv[i], &id)))
        return rc;
    struct cv_store *st = NULL;
    struct cv_outbox_msg m;
    struct cv_error err;
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_outbox_msg_init(&m);
    if ((rc = cv_store_outbox_get(st, id, &m, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (raw) {
        fwrite(m.data, 1, m.len, stdout);
        rc = 0;
        goto out;
    }
    char created[CV_TIME_SIZE], next[CV_TIME_SIZE], last[CV_TIME_SIZE], sent[CV_TIME_SIZE],
        expires[CV_TIME_SIZE];
    when(m.created, created);
    when(m.next_attempt, next);
    when(m.last_attempt, last);
    when(m.sent_at, sent);
    when(m.expires, expires);
    printf("message %lld: %s\n  kind:         %s%s%s\n  method:       %s (SEQUENCE %d)\n"
           "  envelope:     %s -> %s\n  Message-ID:   %s\n  queued:       %s\n"
           "  attempts:     %d%s%s\n  next attempt: %s\n  deadline:     %s\n  sent:         %s\n"
           "  last reply:   %s\n  size:         %zu bytes\n\n",
           (long long)m.id, cv_outbox_state_name(m.state), m.kind, m.event_key ? " for " : "",
           m.event_key ? m.event_key : "", m.method ? m.method : "-", m.sequence, m.sender,
           m.recipient, m.message_id, created, m.attempts, m.attempts ? ", the last at " : "", last,
           next, expires, sent[0] ? sent : "-", m.last_reply ? m.last_reply : "-", m.len);
    /* The headers: the message up to its first blank line. */
    const char *end = strstr(m.data, "\r\n\r\n");
    fwrite(m.data, 1, end ? (size_t)(end - m.data) + 2 : m.len, stdout);
    rc = 0;
out:
    cv_outbox_msg_release(&m);
    cv_store_free(st);
    return rc;
}

static int outbox_retry(int argc, char **argv, struct cli *cli)
{
    int64_t id = 0;
    long n = 0;
    int rc;
    if (argc > 3)
        return cli_usage_error("outbox", "'outbox retry' takes at most one message number");
    if (argc == 3 && (rc = parse_id(argv[2], &id)))
        return rc;
    struct cv_store *st = NULL;
    struct cv_error err;
    if ((rc = cli_open_store(cli, 0, &st)))
        return rc;
    cv_error_init(&err);
    if ((rc = cv_store_outbox_retry(st, id, cv_ctx_now(cli->ctx), &n, &err)) < 0)
        rc = cli_fail(&err);
    else
        printf("%ld message%s queued again; send with 'convene outbox send'\n", n,
               n == 1 ? "" : "s");
    cv_store_free(st);
    return rc;
}

/* A bar on the terminal only: "[#####.....] 50/100". */
static void progress(void *data, size_t done, size_t total)
{
    (void)data;
    if (total < done)
        total = done;
    size_t fill = total ? done * 30 / total : 30;
    char bar[31];
    for (size_t i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu", bar, done, total);
    fflush(stderr);
}

/* One `outbox send` at a time per database: a second run would take the first one's message in
 * `sending` for an interrupted one. The lock goes with the process, even on SIGKILL. */
static int lock_sender(const char *db, int *fd)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s.send-lock", db);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return cli_error(EXIT_CANTCREAT, "%s: cannot create the send lock: %s", path,
                         strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) < 0)
        return cli_error(EXIT_TEMPFAIL,
                         "another 'convene outbox send' is running on %s; wait "
                         "for it to finish",
                         db);
    return 0;
}

static int outbox_send(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"smtp", required_argument, NULL, 's'},
        {"dir", required_argument, NULL, 'd'},
        {"profile", required_argument, NULL, 'p'},
        {"per-minute", required_argument, NULL, 'm'},
        {"per-day", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *url = getenv("CONVENE_SMTP_URL"), *dir = "outbox";
    struct cv_send_options opt = {0};
    struct cv_send_report rep;
    struct cv_transport *t = NULL;
    struct cv_store *st = NULL;
    struct cv_buf password;
    struct cv_error err;
    int c, rc, lockfd = -1;

    cv_rate_profile("none", &opt.rate);
    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            url = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'p':
            if (cv_rate_profile(optarg, &opt.rate) < 0)
                return cli_usage_error("outbox",
                                       "--profile is none, microsoft365 or google-workspace");
            break;
        case 'm':
        case 'D': {
            long v;
            if (cv_parse_long(optarg, 1, 1000000, &v) < 0)
                return cli_usage_error("outbox", "--per-minute and --per-day take a number");
            *(c == 'm' ? &opt.rate.per_minute : &opt.rate.per_day) = v;
            opt.rate.name = "set";
            break;
        }
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("outbox", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("outbox", "'outbox send' takes no arguments");
    if (url && !*url)
        url = NULL;

    cv_error_init(&err);
    cv_buf_init(&password, 4096);
    if ((rc = lock_sender(cli->db_path, &lockfd)))
        goto out;
    if (url) {
        struct cv_smtp_options so;
        cv_smtp_options_init(&so);
        if ((rc = cli_secret("CONVENE_SMTP_PASSWORD", "CONVENE_SMTP_PASSWORD_FILE", &password)))
            goto out;
        so.url = url;
        so.password = password.len ? password.buf : NULL;
        so.cainfo = getenv("CONVENE_SMTP_CAINFO");
        rc = cv_transport_smtp_new(&so, &t, &err);
    } else {
        rc = cv_transport_file_new(dir, &t, &err);
    }
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    bool tty = isatty(2);
    if (tty)
        opt.progress = progress;
    rc = cv_outbox_send(st, cli->ctx, t, &opt, &rep, &err);
    if (tty && rep.sent + rep.deferred + rep.failed)
        fputc('\n', stderr);
    if (rep.recovered)
        printf("%ld message%s left in 'sending' by an interrupted run queued again\n",
               rep.recovered, rep.recovered == 1 ? "" : "s");
    printf("sent %ld, deferred %ld, failed %ld (%ld gave up), no reply after the final dot %ld; "
           "%ld notice%s to the organizer; %ld left in the outbox",
           rep.sent, rep.deferred, rep.failed, rep.gave_up, rep.ambiguous, rep.notices,
           rep.notices == 1 ? "" : "s", rep.left);
    if (url)
        printf("; %ld SMTP connection%s", rep.connections, rep.connections == 1 ? "" : "s");
    printf("\n");
    if (rc < 0) {
        if (rep.auth_refused) {
            cli_error(EXIT_NOPERM,
                      "%s; check the user and CONVENE_SMTP_PASSWORD; nothing was marked failed",
                      err.msg);
            rc = EXIT_NOPERM;
        } else {
            rc = cli_fail(&err);
        }
        goto out;
    }
    if (!url)
        printf("messages are in %s/ (no SMTP server: give --smtp URL or CONVENE_SMTP_URL)\n", dir);
    rc = 0;
out:
    if (password.len)
        memset(password.buf, 0, password.len);
    cv_buf_release(&password);
    cv_store_free(st);
    cv_transport_free(t);
    if (lockfd >= 0)
        close(lockfd);
    return rc;
}

int cmd_outbox(int argc, char **argv, struct cli *cli)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "list") == 0)
        return outbox_list(argc, argv, cli);
    if (strcmp(argv[1], "send") == 0)
        return outbox_send(argc, argv, cli);
    if (strcmp(argv[1], "retry") == 0)
        return outbox_retry(argc, argv, cli);
    if (strcmp(argv[1], "show") == 0)
        return outbox_show(argc, argv, cli);
    return cli_usage_error("outbox", "'%s' is not list, send, retry or show", argv[1]);
}
