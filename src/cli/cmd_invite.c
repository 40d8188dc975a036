/* SPDX-License-Identifier: MIT */
/* cmd_invite.c: `convene invite EVENT`: work out who must receive what about an event, and
 * queue those iMIP messages in the outbox. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene invite EVENT [--to FILTER] [--dry-run] [--templates DIR] [--base-url URL]\n"
    "                      [--sent-by ADDRESS]\n"
    "       convene invite EVENT --remind [--interval DAYS] [--templates DIR] [--sent-by "
    "ADDRESS]\n\n"
    "Works out what each person must receive about EVENT: a first invitation, an update (the\n"
    "event changed since the last message: SEQUENCE n -> n+1, with what changed), a\n"
    "cancellation (the event is cancelled, or the person is no longer in its audience), or\n"
    "nothing. Then queues one iMIP message (RFC 6047: REQUEST or CANCEL) per person in the\n"
    "outbox, in their language, in one transaction; 'convene outbox send' delivers them.\n"
    "Running it again queues nothing new. A first invitation carries the address of the\n"
    "person's private feed: a token is minted for a person who has none (only in the message;\n"
    "it is never printed).\n\n"
    "  --to FILTER        only these people: all, region, region:NAME, country:XX, lang:xx,\n"
    "                     role:ROLE, delegation:KIND, email:ADDRESS (comma-separated: any)\n"
    "  --dry-run          print the ledger (who gets what, SEQUENCE, what changed); queue nothing\n"
    "  --templates DIR    the texts: DIR/LANG/KIND.txt and .html (default: the built-in ones,\n"
    "                     calendars/templates/)\n"
    "  --base-url URL     where private feeds are served (default: $CONVENE_BASE_URL, else\n"
    "                     http://127.0.0.1:8080)\n"
    "  --sent-by ADDRESS  someone sending for the organizer: ORGANIZER;SENT-BY and From\n"
    "  --remind           instead: queue a reminder (the request again, the reminder text) to\n"
    "                     each person invited who has not answered, through the same outbox\n"
    "  --interval DAYS    never remind anyone twice within DAYS days (default: 7)\n";

static const char *action_name(enum cv_imip_action a)
{
    static const char *const n[] = {"nothing", "invitation", "update", "cancellation"};
    return n[a];
}

static void print_ledger(const struct cv_imip_ledger *l)
{
    struct cli_table t;
    cli_table_init(&t, 6);
    static const char *const head[] = {"PERSON", "LANG", "SENDS", "SEQUENCE", "WHY", "CHANGED"};
    for (size_t i = 0; i < 6; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < l->n; i++) {
        const struct cv_imip_entry *x = &l->v[i];
        char seq[32];
        if (x->action == CV_IMIP_NOTHING)
            snprintf(seq, sizeof(seq), "%d", x->seq_to);
        else if (x->seq_from < 0)
            snprintf(seq, sizeof(seq), "%d", x->seq_to);
        else
            snprintf(seq, sizeof(seq), "%d -> %d", x->seq_from, x->seq_to);
        cli_table_add(&t, x->person.email);
        cli_table_add(&t, x->person.lang);
        cli_table_add(&t, action_name(x->action));
        cli_table_add(&t, seq);
        cli_table_add(&t, x->why);
        cli_table_add(&t, x->changes[0] ? x->changes : "");
    }
    cli_table_print(&t, CLI_TABLE, 0, stdout);
    cli_table_release(&t);
}

int cmd_invite(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"to", required_argument, NULL, 't'},
        {"dry-run", no_argument, NULL, 'n'},
        {"templates", required_argument, NULL, 'T'},
        {"base-url", required_argument, NULL, 'b'},
        {"sent-by", required_argument, NULL, 's'},
        {"remind", no_argument, NULL, 'r'},
        {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *filter = NULL, *templates = NULL, *sent_by = NULL;
    const char *given = NULL;
    char base[1024];
    bool dry = false, remind = false;
    long interval = 7;
    struct cv_imip_templates *tpl = NULL;
    struct cv_imip_ledger ledger;
    struct cv_imip_report rep;
    struct cv_store *st = NULL;
    struct cv_error err;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            filter = optarg;
            break;
        case 'n':
            dry = true;
            break;
        case 'T':
            templates = optarg;
            break;
        case 'b':
            if (!cv_uri_is_valid(optarg) || strncmp(optarg, "http", 4) != 0)
                return cli_usage_error("invite", "--base-url takes an http(s):// URL");
            given = optarg;
            break;
        case 's':
            if (!cv_email_is_valid(optarg))
                return cli_usage_error("invite", "--sent-by takes a plain address");
            sent_by = optarg;
            break;
        case 'r':
            remind = true;
            break;
        case 'i':
            if (cv_parse_long(optarg, 1, 365, &interval) < 0)
                return cli_usage_error("invite", "--interval takes 1 to 365 days");
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("invite", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("invite", "give one event key");
    const char *key = argv[optind];
    if ((rc = cli_base_url("invite", given, CLI_DEFAULT_BASE_URL, base, sizeof(base))))
        return rc;

    cv_error_init(&err);
    cv_imip_ledger_init(&ledger);
    if ((rc = cv_imip_templates_load(templates, &tpl, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = cli_open_store(cli, dry ? CV_STORE_READONLY : 0, &st)))
        goto out;
    if (remind) {
        struct cv_imip_options ro = {tpl, base, sent_by};
        size_t queued = 0, skipped = 0;
        if (dry || filter) {
            rc = cli_usage_error("invite", "--remind takes neither --dry-run nor --to");
            goto out;
        }
        if ((rc = cv_imip_remind(st, cli->ctx, key, &ro, (int)interval, &queued, &skipped, &err)) <
            0) {
            rc = cli_fail(&err);
            goto out;
        }
        printf("%s: queued %zu reminders to people who have not answered; %zu reminded within "
               "the last %ld days\n",
               key, queued, skipped, interval);
        if (queued)
            printf("send them with 'convene outbox send'\n");
        rc = 0;
        goto out;
    }
    if ((rc = cv_imip_ledger_compute(st, key, filter, &ledger, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (dry) {
        printf("%s (SEQUENCE %d, %s)\n", ledger.event.key, ledger.event.sequence,
               cv_event_status_name(ledger.event.status));
        print_ledger(&ledger);
        printf("%zu invitations, %zu updates, %zu cancellations, %zu up to date: dry run, nothing "
               "queued\n",
               ledger.count[CV_IMIP_NEW], ledger.count[CV_IMIP_CHANGE],
               ledger.count[CV_IMIP_CANCEL], ledger.count[CV_IMIP_NOTHING]);
        rc = 0;
        goto out;
    }
    struct cv_imip_options opt = {tpl, base, sent_by};
    if ((rc = cv_imip_queue(st, cli->ctx, &ledger, &opt, &rep, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    printf("%s: queued %zu invitations, %zu updates, %zu cancellations; %zu up to date",
           ledger.event.key, rep.queued[CV_IMIP_NEW], rep.queued[CV_IMIP_CHANGE],
           rep.queued[CV_IMIP_CANCEL], ledger.count[CV_IMIP_NOTHING]);
    if (rep.already)
        printf("; %zu already in the outbox", rep.already);
    printf("\n");
    if (rep.subscribed)
        printf("%zu private feed addresses minted, written only into their invitations\n",
               rep.subscribed);
    if (rep.queued[1] + rep.queued[2] + rep.queued[3])
        printf("send them with 'convene outbox send'\n");
    rc = 0;
out:
    cv_store_free(st);
    cv_imip_ledger_release(&ledger);
    cv_imip_templates_free(tpl);
    return rc;
}
