/* SPDX-License-Identifier: MIT */
/* cmd_rsvp.c: `convene rsvp import|fetch|pending|decide|log`: replies to invitations (iTIP REPLY
 * and COUNTER) read from files or an IMAP mailbox, and the organizer's decisions. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene rsvp import [OPTIONS] FILE...\n"
    "       convene rsvp fetch [OPTIONS] [--move-to FOLDER] IMAP-URL\n"
    "       convene rsvp retry [--per-sender N] [OPTIONS]\n"
    "       convene rsvp pending [--format table|csv|tsv]\n"
    "       convene rsvp decide ID accept|decline [--templates DIR]\n"
    "       convene rsvp log [--format table|csv|tsv]\n\n"
    "Reads replies to invitations (iTIP REPLY and COUNTER, RFC 5546, in mail as RFC 6047 sends\n"
    "them, or bare .ics files) and updates each invitation's answer (PARTSTAT) and reply time.\n"
    "A reply changes nothing, and is logged with the reason, when its METHOD differs from the\n"
    "MIME method=, its UID or RECURRENCE-ID is unknown, its From is not the attendee (SENT-BY is\n"
    "not trusted), it is stale (a lower SEQUENCE, or the same SEQUENCE and an older or equal\n"
    "DTSTAMP), or, with --authserv-id, the receiving server's Authentication-Results does not\n"
    "pass. A reply from someone not invited, and a COUNTER proposal, are held for the organizer.\n"
    "DELEGATED adds the delegate and queues their invitation.\n\n"
    "  import FILE...        .eml or .ics files; all are read before any is applied: a file\n"
    "                        that is not a reply stops the command with the database unchanged\n"
    "  fetch IMAP-URL        the unseen messages of a mailbox: imaps://USER@HOST[:PORT][/BOX]\n"
    "                        (the default scheme), imap://... (STARTTLS required) or\n"
    "                        imap+plain://... (no TLS, to this machine only). The password comes\n"
    "                        from $CONVENE_IMAP_PASSWORD or the file named by\n"
    "                        $CONVENE_IMAP_PASSWORD_FILE (mode 0600); $CONVENE_IMAP_CAINFO names "
    "a\n"
    "                        CA bundle. Each message is read unseen and marked \\Seen (or moved\n"
    "                        with --move-to FOLDER) once its reply is in the database; one that\n"
    "                        cannot be read stays unseen and is reported (exit 65)\n"
    "  retry                 apply the replies the per-sender limit held, as far as each\n"
    "                        sender's hour allows (import and fetch do this first too)\n"
    "  pending               replies held for the organizer: uninvited people, COUNTERs;\n"
    "                        and those the per-sender limit holds (ID held-N, applied by a\n"
    "                        later run)\n"
    "  decide ID accept      let an uninvited person in (added as a person and a guest of the\n"
    "                        event; 'convene invite EVENT' then invites them), or note a\n"
    "                        COUNTER as accepted (change the event with 'convene event set')\n"
    "  decide ID decline     close it; for a COUNTER, queue a DECLINECOUNTER (RFC 5546\n"
    "                        3.2.8) to its attendee, in their language ('convene outbox send')\n"
    "  log                   every reply read, with what was done and why\n\n"
    "  --per-sender N        process at most N replies from one From address in any hour\n"
    "                        (default 20, 0: no limit); the rest are kept whole and applied\n"
    "                        by a later import, fetch or retry (RFC 5546 6.1, flooding)\n"
    "  --authserv-id ID      trust Authentication-Results (RFC 8601) only from ID, the server\n"
    "                        that received the mail, and require its dkim, spf or dmarc pass\n"
    "  --templates DIR       the texts of a delegate's invitation (see 'convene invite')\n"
    "  --base-url URL        where private feeds are served (default: http://127.0.0.1:8080)\n";

struct rsvp_opts {
    struct cv_rsvp_options ro;
    const char *templates;
    const char *move_to;
    enum cli_format fmt;
};

/* Parses the options of a subcommand from argv[2]; @return 0, -1 (help shown) or a code. */
static int parse(int argc, char **argv, struct rsvp_opts *o)
{
    static const struct option opts[] = {
        {"authserv-id", required_argument, NULL, 'a'},
        {"templates", required_argument, NULL, 'T'},
        {"base-url", required_argument, NULL, 'b'},
        {"move-to", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},
        {"per-sender", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    int c;
    memset(o, 0, sizeof(*o));
    o->ro.base_url = "http://127.0.0.1:8080";
    o->ro.per_sender_hour = 20;
    optind = 2;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (!*optarg || cv_has_ctl(optarg) || strchr(optarg, ';') || strchr(optarg, ' '))
                return cli_usage_error("rsvp", "--authserv-id takes a host name");
            o->ro.authserv_id = optarg;
            break;
        case 'T':
            o->templates = optarg;
            break;
        case 'b':
            if (!cv_uri_is_valid(optarg) || strncmp(optarg, "http", 4) != 0)
                return cli_usage_error("rsvp", "--base-url takes an http(s):// URL");
            o->ro.base_url = optarg;
            break;
        case 'm':
            if (!cv_imap_mailbox_is_valid(optarg))
                return cli_usage_error("rsvp", "--move-to takes a folder of letters, digits and "
                                               ". _ - / only");
            o->move_to = optarg;
            break;
        case 'p': {
            long n;
            if (cv_parse_long(optarg, 0, 1000000, &n) < 0)
                return cli_usage_error("rsvp", "--per-sender takes a count from 0 (no limit)");
            o->ro.per_sender_hour = (int)n;
            break;
        }
        case 'f':
            if (cli_format_parse(optarg, &o->fmt) < 0)
                return cli_usage_error("rsvp", "--format takes table, csv or tsv");
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return cli_usage_error("rsvp", "unknown option");
        }
    }
    return 0;
}

struct tally {
    size_t read, counts[5], delegates, unreadable, still;
};

static void print_result(const char *source, const struct cv_rsvp_result *r, struct tally *t)
{
    t->read++;
    t->counts[r->outcome]++;
    t->delegates += r->delegate_invited;
    printf("%s: %s: %s%s%s%s\n", source, cv_reply_outcome_name(r->outcome), r->reason,
           r->event_key[0] ? " (" : "", r->event_key, r->event_key[0] ? ")" : "");
}

static void print_tally(const struct tally *t)
{
    printf("%zu read, %zu applied, %zu ignored, %zu held for the organizer (%zu from people not "
           "invited, %zu counter-proposals)",
           t->read, t->counts[CV_REPLY_APPLIED], t->counts[CV_REPLY_IGNORED],
           t->counts[CV_REPLY_PENDING] + t->counts[CV_REPLY_COUNTER], t->counts[CV_REPLY_PENDING],
           t->counts[CV_REPLY_COUNTER]);
    if (t->unreadable)
        printf(", %zu not readable (left unseen)", t->unreadable);
    if (t->counts[CV_REPLY_LIMITED])
        printf(", %zu held by the per-sender limit", t->counts[CV_REPLY_LIMITED]);
    putchar('\n');
    if (t->counts[CV_REPLY_LIMITED] || t->still)
        printf("%zu replies wait for their sender's hour; a later 'convene rsvp retry', import or "
               "fetch applies them\n",
               t->still + t->counts[CV_REPLY_LIMITED]);
    if (t->delegates)
        printf("%zu delegate invitations queued; send them with 'convene outbox send'\n",
               t->delegates);
    if (t->counts[CV_REPLY_PENDING] + t->counts[CV_REPLY_COUNTER])
        printf("see 'convene rsvp pending'\n");
}

/* Prints what a held reply did; those still waiting are only counted. */
static void held_done(void *data, const char *source, const struct cv_rsvp_result *r)
{
    struct tally *t = data;
    if (r->outcome == CV_REPLY_LIMITED)
        return;
    print_result(source, r, t);
}

/* Applies what the per-sender limit held, as far as each sender's hour allows. */
static int apply_held(struct cli *cli, struct cv_store *st, const struct rsvp_opts *o,
                      struct tally *t)
{
    struct cv_rsvp_held_report rep;
    struct cv_error err;
    cv_error_init(&err);
    if (cv_rsvp_apply_held(st, cli->ctx, &o->ro, held_done, t, &rep, &err) < 0)
        return cli_fail(&err);
    t->still = rep.still;
    return 0;
}

static int rsvp_retry(int argc, char **argv, struct cli *cli)
{
    struct rsvp_opts o;
    struct cv_imip_templates *tpl = NULL;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct tally t = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (optind != argc)
        return cli_usage_error("rsvp", "unexpected argument '%s'", argv[optind]);
    cv_error_init(&err);
    if ((rc = cv_imip_templates_load(o.templates, &tpl, &err)) < 0)
        return cli_fail(&err);
    if ((rc = cli_open_store(cli, 0, &st)) == 0) {
        o.ro.templates = tpl;
        rc = apply_held(cli, st, &o, &t);
        if (rc == 0)
            print_tally(&t);
    }
    cv_store_free(st);
    cv_imip_templates_free(tpl);
    return rc;
}

static int rsvp_import(int argc, char **argv, struct cli *cli)
{
    struct rsvp_opts o;
    struct cv_imip_templates *tpl = NULL;
    struct cv_store *st = NULL;
    struct cv_rsvp_msg *msgs = NULL;
    struct cv_error err;
    struct tally t = {0};
    int rc = parse(argc, argv, &o), n = 0;
    if (rc)
        return rc < 0 ? 0 : rc;
    if (optind == argc)
        return cli_usage_error("rsvp", "give the .eml or .ics files to import");
    n = argc - optind;
    cv_error_init(&err);
    if (!(msgs = calloc((size_t)n, sizeof(*msgs))))
        return cli_error(EXIT_OSERR, "out of memory");
    for (int i = 0; i < n; i++)
        cv_rsvp_msg_init(&msgs[i]);
    /* Every file is read before anything is written: a bad one changes nothing. */
    for (int i = 0; i < n; i++) {
        struct cv_buf data;
        cv_buf_init(&data, CV_BUF_NOLIMIT);
        rc = cli_read_input(argv[optind + i], CV_MAIL_MAX, &data);
        if (rc == 0 && cv_rsvp_read(data.buf, data.len, argv[optind + i], &msgs[i], &err) < 0)
            rc = cli_fail(&err);
        cv_buf_release(&data);
        if (rc)
            goto out;
    }
    if ((rc = cv_imip_templates_load(o.templates, &tpl, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    o.ro.templates = tpl;
    /* What the per-sender limit held goes first, as far as each sender's hour allows. */
    if ((rc = apply_held(cli, st, &o, &t)))
        goto out;
    for (int i = 0; i < n; i++) {
        struct cv_rsvp_result r;
        if (cv_rsvp_apply(st, cli->ctx, &msgs[i], argv[optind + i], &o.ro, &r, &err) < 0) {
            rc = cli_fail(&err);
            goto out;
        }
        print_result(argv[optind + i], &r, &t);
    }
    print_tally(&t);
    rc = 0;
out:
    for (int i = 0; i < n; i++)
        cv_rsvp_msg_release(&msgs[i]);
    free(msgs);
    cv_store_free(st);
    cv_imip_templates_free(tpl);
    return rc;
}

static int rsvp_fetch(int argc, char **argv, struct cli *cli)
{
    struct rsvp_opts o;
    struct cv_imip_templates *tpl = NULL;
    struct cv_store *st = NULL;
    struct cv_imap *imap = NULL;
    struct cv_imap_options io;
    struct cv_error err;
    struct cv_buf password, data;
    struct tally t = {0};
    unsigned long *uids = NULL;
    size_t nuids = 0;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (optind + 1 != argc)
        return cli_usage_error("rsvp", "give one IMAP URL");
    cv_error_init(&err);
    cv_buf_init(&password, 4096);
    cv_buf_init(&data, CV_MAIL_MAX);
    cv_imap_options_init(&io);
    io.url = argv[optind];
    io.cainfo = getenv("CONVENE_IMAP_CAINFO");
    if ((rc = cli_secret("CONVENE_IMAP_PASSWORD", "CONVENE_IMAP_PASSWORD_FILE", &password)))
        goto out;
    io.password = password.len ? password.buf : NULL;
    if ((rc = cv_imip_templates_load(o.templates, &tpl, &err)) < 0 ||
        (rc = cv_imap_new(&io, &imap, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cli_open_store(cli, 0, &st)))
        goto out;
    o.ro.templates = tpl;
    if ((rc = apply_held(cli, st, &o, &t)))
        goto out;
    if ((rc = cv_imap_unseen(imap, &uids, &nuids, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    for (size_t i = 0; i < nuids; i++) {
        char source[64];
        struct cv_rsvp_msg msg;
        struct cv_rsvp_result r;
        snprintf(source, sizeof(source), "imap:%lu", uids[i]);
        cv_buf_reset(&data);
        cv_rsvp_msg_init(&msg);
        cv_error_init(&err);
        /* Read with BODY.PEEK[]: the message is marked \Seen (or moved) only once its reply is
         * in the database, so a run that stops anywhere before leaves it to the next. */
        rc = cv_imap_fetch(imap, uids[i], &data, &err);
        bool unreadable = rc == CV_ELIMIT || rc == CV_EPARSE;
        if (rc == CV_ETEMP) {
            /* libcurl gave up on this message (a line longer than its buffer ends the transfer
             * with a receive error): when the server still answers on a new connection, the
             * fault is the message's, and it must not stop every later run at the same place. */
            struct cv_error e2;
            cv_error_init(&e2);
            unreadable = cv_imap_noop(imap, &e2) == 0;
        }
        if (rc == 0) {
            rc = cv_rsvp_read(data.buf, data.len, source, &msg, &err);
            unreadable = rc < 0 && rc != CV_ENOMEM;
        }
        if (unreadable) {
            /* Not a reply convene can read: left unseen, for a person to look at. */
            t.unreadable++;
            printf("%s: not read, left unseen: %s\n", source, err.msg);
            cv_rsvp_msg_release(&msg);
            continue;
        }
        if (rc == 0 && getenv("CONVENE_TEST_ABORT_AFTER_FETCH")) {
            /* For tests/fault/imap_dovecot.sh: a run killed between reading and applying. */
            fflush(stdout);
            abort();
        }
        if (rc == 0)
            rc = cv_rsvp_apply(st, cli->ctx, &msg, source, &o.ro, &r, &err);
        if (rc == 0) {
            print_result(source, &r, &t);
            rc = o.move_to ? cv_imap_move(imap, uids[i], o.move_to, &err)
                           : cv_imap_set_seen(imap, uids[i], true, &err);
        }
        cv_rsvp_msg_release(&msg);
        if (rc < 0) {
            rc = cli_fail(&err);
            goto out;
        }
    }
    print_tally(&t);
    rc = t.unreadable ? EXIT_DATAERR : 0;
out:
    free(uids);
    cv_imap_free(imap);
    cv_store_free(st);
    cv_imip_templates_free(tpl);
    cv_buf_release(&data);
    cv_buf_release(&password);
    return rc;
}

static int rsvp_list(int argc, char **argv, struct cli *cli, bool open_only)
{
    struct rsvp_opts o;
    struct cv_store_reply_list l;
    struct cv_store_held_list h;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct cli_table t;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (optind != argc)
        return cli_usage_error("rsvp", "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_store_reply_list_init(&l);
    cv_store_held_list_init(&h);
    if ((rc = cv_store_reply_list(st, open_only, &l, &err)) < 0 ||
        (rc = cv_store_held_list(st, &h, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    static const char *const head[] = {"ID",       "READ",     "SOURCE", "OUTCOME", "EVENT",
                                       "ATTENDEE", "PARTSTAT", "SEQ",    "WHY"};
    cli_table_init(&t, 9);
    for (size_t i = 0; i < 9; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_store_reply *r = &l.v[i];
        char id[32], read[CV_TIME_SIZE], seq[16];
        snprintf(id, sizeof(id), "%lld", (long long)r->id);
        snprintf(seq, sizeof(seq), "%d", r->sequence);
        cli_time(r->received, read);
        cli_table_add(&t, id);
        cli_table_add(&t, read);
        cli_table_add(&t, r->source);
        cli_table_add(&t, r->decision ? r->decision : cv_reply_outcome_name(r->outcome));
        cli_table_add(&t, r->event_key);
        cli_table_add(&t, r->attendee ? r->attendee : r->sender);
        cli_table_add(&t, r->partstat);
        cli_table_add(&t, seq);
        cli_table_add(&t, r->reason);
    }
    /* Then those the per-sender limit holds: read, kept whole, not yet judged. */
    for (size_t i = 0; i < h.n; i++) {
        const struct cv_store_held *x = &h.v[i];
        char id[40], read[CV_TIME_SIZE];
        snprintf(id, sizeof(id), "held-%lld", (long long)x->id);
        cli_time(x->received, read);
        cli_table_add(&t, id);
        cli_table_add(&t, read);
        cli_table_add(&t, x->source);
        cli_table_add(&t, cv_reply_outcome_name(CV_REPLY_LIMITED));
        cli_table_add(&t, "");
        cli_table_add(&t, x->sender);
        cli_table_add(&t, "");
        cli_table_add(&t, "");
        cli_table_add(&t, "over the per-sender limit: a later run applies it");
    }
    cli_table_print(&t, o.fmt, 90, stdout);
    cli_table_release(&t);
    if (open_only && o.fmt == CLI_TABLE)
        printf("%zu awaiting a decision ('convene rsvp decide ID accept|decline')\n", l.n);
    if (o.fmt == CLI_TABLE && h.n)
        printf("%zu held by the per-sender limit ('convene rsvp retry' applies them when their "
               "sender's hour allows)\n",
               h.n);
    rc = 0;
out:
    cv_store_held_list_release(&h);
    cv_store_reply_list_release(&l);
    cv_store_free(st);
    return rc;
}

/* Adds the person of a held reply (when new) and makes them a guest of its event. */
static int let_in(struct cv_store *st, struct cv_ctx *ctx, const struct cv_store_reply *r,
                  struct cv_error *err)
{
    struct cv_person p;
    struct cv_error probe;
    enum cv_upsert how;
    int rc;
    cv_person_init(&p);
    cv_error_init(&probe);
    rc = cv_store_person_get(st, r->attendee, &p, &probe);
    if (rc == CV_ENOTFOUND) {
        struct cv_buf name;
        cv_buf_init(&name, 1024);
        if (r->name)
            cv_mime_text_clean(r->name, &name);
        if (!name.len)
            cv_buf_add(&name, r->attendee, strcspn(r->attendee, "@"));
        p.email = strdup(r->attendee);
        p.name = cv_buf_detach(&name);
        p.lang = strdup("en");
        p.delegation.kind = CV_DELEGATION_OTHER;
        p.role = CV_ROLE_DELEGATE;
        cv_buf_release(&name);
        if (!p.email || !p.name || !p.lang)
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        else if ((rc = cv_person_validate(&p, err)) == 0)
            rc = cv_store_person_put(st, &p, &how, err);
    } else if (rc < 0) {
        *err = probe;
    }
    if (rc == 0)
        rc = cv_store_guest_add(st, r->attendee, r->event_key, "organizer", cv_ctx_now(ctx), err);
    cv_person_release(&p);
    return rc;
}

static int rsvp_decide(int argc, char **argv, struct cli *cli)
{
    struct cv_store *st = NULL;
    struct cv_imip_templates *tpl = NULL;
    struct cv_store_reply r;
    struct cv_error err;
    const char *templates = NULL;
    bool sent = false;
    long id;
    int rc;
    if (argc == 3 && strcmp(argv[2], "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc == 6 && strcmp(argv[4], "--templates") == 0)
        templates = argv[5];
    if ((argc != 4 && !templates) || cv_parse_long(argv[2], 1, 0x7fffffffL, &id) < 0 ||
        (strcmp(argv[3], "accept") != 0 && strcmp(argv[3], "decline") != 0))
        return cli_usage_error("rsvp", "give a reply number and accept or decline");
    bool accept = strcmp(argv[3], "accept") == 0;
    cv_error_init(&err);
    cv_store_reply_init(&r);
    if (!accept && (rc = cv_imip_templates_load(templates, &tpl, &err)) < 0)
        return cli_fail(&err);
    if ((rc = cli_open_store(cli, 0, &st))) {
        cv_imip_templates_free(tpl);
        return rc;
    }
    if ((rc = cv_store_begin(st, &err)) < 0 || (rc = cv_store_reply_get(st, id, &r, &err)) < 0)
        goto fail;
    if ((r.outcome != CV_REPLY_PENDING && r.outcome != CV_REPLY_COUNTER) || r.decision) {
        rc = cv_error_set(&err, CV_ECONFLICT, "reply %ld awaits no decision (%s)", id,
                          r.decision ? r.decision : cv_reply_outcome_name(r.outcome));
        goto fail;
    }
    if (accept && r.outcome == CV_REPLY_PENDING && (rc = let_in(st, cli->ctx, &r, &err)) < 0)
        goto fail;
    /* RFC 5546 3.2.8: the attendee learns that the organizer refuses their proposal, in the
     * same transaction as the decision, so that one never goes without the other. */
    if (!accept && r.outcome == CV_REPLY_COUNTER) {
        struct cv_imip_options io = {tpl, NULL, NULL};
        if ((rc = cv_imip_decline_counter(st, cli->ctx, &r, &io, &sent, &err)) < 0)
            goto fail;
    }
    if ((rc = cv_store_reply_decide(st, id, accept ? "accepted" : "declined", cv_ctx_now(cli->ctx),
                                    &err)) < 0 ||
        (rc = cv_store_commit(st, &err)) < 0)
        goto fail;
    if (r.outcome == CV_REPLY_PENDING && accept)
        printf("%s is now a guest of %s; invite them with 'convene invite %s'\n", r.attendee,
               r.event_key, r.event_key);
    else if (r.outcome == CV_REPLY_COUNTER && accept)
        printf("counter-proposal %ld accepted; change the event with 'convene event set %s', "
               "then 'convene invite %s' sends the update\n",
               id, r.event_key, r.event_key);
    else if (r.outcome == CV_REPLY_COUNTER)
        printf("counter-proposal %ld declined; %s to %s (DECLINECOUNTER); send it with 'convene "
               "outbox send'\n",
               id, sent ? "message queued" : "its message was queued already", r.attendee);
    else
        printf("reply %ld declined\n", id);
    rc = 0;
    goto out;
fail:
    cv_store_rollback(st);
    rc = cli_fail(&err);
out:
    cv_store_reply_release(&r);
    cv_store_free(st);
    cv_imip_templates_free(tpl);
    return rc;
}

int cmd_rsvp(int argc, char **argv, struct cli *cli)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "import") == 0)
        return rsvp_import(argc, argv, cli);
    if (strcmp(sub, "fetch") == 0)
        return rsvp_fetch(argc, argv, cli);
    if (strcmp(sub, "pending") == 0)
        return rsvp_list(argc, argv, cli, true);
    if (strcmp(sub, "log") == 0)
        return rsvp_list(argc, argv, cli, false);
    if (strcmp(sub, "decide") == 0)
        return rsvp_decide(argc, argv, cli);
    if (strcmp(sub, "retry") == 0)
        return rsvp_retry(argc, argv, cli);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return cli_usage_error("rsvp", "say import, fetch, retry, pending, decide or log");
}
