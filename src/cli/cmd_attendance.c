/* SPDX-License-Identifier: MIT */
/* cmd_attendance.c: `convene attendance EVENT`: who answered what, by delegation and region,
 * who has not answered, and the seats the rooms hold. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene attendance EVENT [--format table|csv|tsv]\n\n"
    "The answers to EVENT's invitations, as replies set them ('convene rsvp'): counts by\n"
    "PARTSTAT (accepted, tentative, declined, delegated, not answered), by delegation and by\n"
    "OGP region, who has not answered (remind them with 'convene invite EVENT --remind'), who\n"
    "delegated to whom, and the seats of the event's rooms against those who accepted (and\n"
    "those who may come). --format csv or tsv prints one row per invited person instead: email,\n"
    "name, PARTSTAT, delegation, country, region, reply time, delegate, how a guest came in.\n";

static const char *region_of(const struct cv_country_list *m, const char *iso2)
{
    for (size_t i = 0; iso2 && i < m->n; i++) {
        if (strcmp(m->v[i].iso2, iso2) == 0)
            return m->v[i].region;
    }
    return "(no region)";
}

/* One row of counts: a label and one count per PARTSTAT. */
struct count_row {
    char label[64];
    size_t n[5];
};

static void count_into(struct count_row *rows, size_t *nrows, size_t max, const char *label,
                       enum cv_partstat p)
{
    size_t i = 0;
    for (; i < *nrows; i++) {
        if (strcmp(rows[i].label, label) == 0)
            break;
    }
    if (i == *nrows) {
        if (*nrows == max)
            return;
        memset(&rows[i], 0, sizeof(rows[i]));
        cv_str_copy(rows[i].label, sizeof(rows[i].label), label);
        (*nrows)++;
    }
    rows[i].n[p]++;
}

static void print_counts(const char *title, const struct count_row *rows, size_t n)
{
    struct cli_table t;
    static const char *const head[] = {"",          "ACCEPTED",  "TENTATIVE", "DECLINED",
                                       "DELEGATED", "NO ANSWER", "INVITED"};
    cli_table_init(&t, 7);
    for (size_t i = 0; i < 7; i++)
        cli_table_add(&t, i ? head[i] : title);
    for (size_t r = 0; r < n; r++) {
        const size_t *c = rows[r].n;
        size_t v[6] = {c[CV_PARTSTAT_ACCEPTED],     c[CV_PARTSTAT_TENTATIVE],
                       c[CV_PARTSTAT_DECLINED],     c[CV_PARTSTAT_DELEGATED],
                       c[CV_PARTSTAT_NEEDS_ACTION], 0};
        v[5] = v[0] + v[1] + v[2] + v[3] + v[4];
        cli_table_add(&t, rows[r].label);
        for (size_t k = 0; k < 6; k++) {
            char s[32];
            snprintf(s, sizeof(s), "%zu", v[k]);
            cli_table_add(&t, s);
        }
    }
    cli_table_print(&t, CLI_TABLE, 0, stdout);
    cli_table_release(&t);
}

int cli_print_attendance(struct cv_store *st, const char *key, enum cli_format fmt,
                         struct cv_error *err)
{
    struct cv_event e;
    struct cv_attendance_list l;
    struct cv_country_list members;
    struct cv_room_list rooms;
    int rc;

    cv_event_init(&e);
    cv_attendance_list_init(&l);
    cv_country_list_init(&members);
    cv_room_list_init(&rooms);
    rc = cv_store_event_get(st, key, &e, err);
    if (rc == CV_ENOTFOUND)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'; see 'convene event list'", key);
    if (rc < 0 || (rc = cv_store_attendance(st, key, &l, err)) < 0 ||
        (rc = cv_store_country_list(st, &members, err)) < 0 ||
        (rc = cv_store_room_list(st, key, &rooms, err)) < 0)
        goto out;

    if (fmt != CLI_TABLE) {
        struct cli_table t;
        static const char *const head[] = {"EMAIL",      "NAME",         "PARTSTAT",
                                           "DELEGATION", "COUNTRY",      "REGION",
                                           "REPLIED",    "DELEGATED_TO", "GUEST"};
        cli_table_init(&t, 9);
        for (size_t i = 0; i < 9; i++)
            cli_table_add(&t, head[i]);
        for (size_t i = 0; i < l.n; i++) {
            const struct cv_attendance_row *r = &l.v[i];
            char replied[CV_TIME_SIZE] = "";
            if (r->replied)
                cv_time_format_utc(r->replied, replied);
            cli_table_add(&t, r->person.email);
            cli_table_add(&t, r->person.name);
            cli_table_add(&t, cv_partstat_name(r->partstat));
            cli_table_add(&t, cv_delegation_kind_name(r->person.delegation.kind));
            cli_table_add(&t, r->person.country);
            cli_table_add(&t, r->person.country ? region_of(&members, r->person.country) : "");
            cli_table_add(&t, replied);
            cli_table_add(&t, r->delegated_to);
            cli_table_add(&t, r->via);
        }
        cli_table_print(&t, fmt, 0, stdout);
        cli_table_release(&t);
        goto out;
    }

    struct count_row all = {"all", {0}}, by_kind[8], by_region[16];
    size_t nkind = 0, nregion = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_attendance_row *r = &l.v[i];
        all.n[r->partstat]++;
        count_into(by_kind, &nkind, 8, cv_delegation_kind_name(r->person.delegation.kind),
                   r->partstat);
        count_into(by_region, &nregion, 16,
                   r->person.country ? region_of(&members, r->person.country) : "(no country)",
                   r->partstat);
    }
    printf("%s: %s (SEQUENCE %d): %zu invited\n\n", e.key, e.title, e.sequence, l.n);
    print_counts("ANSWER", &all, 1);
    printf("\n");
    print_counts("DELEGATION", by_kind, nkind);
    printf("\n");
    print_counts("REGION", by_region, nregion);

    size_t waiting = all.n[CV_PARTSTAT_NEEDS_ACTION];
    printf("\nnot answered (%zu)%s\n", waiting,
           waiting ? ": remind them with 'convene invite EVENT --remind'" : "");
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_attendance_row *r = &l.v[i];
        char sent[CV_TIME_SIZE] = "";
        if (r->reminded)
            cv_time_format_utc(r->reminded, sent);
        if (r->partstat == CV_PARTSTAT_NEEDS_ACTION)
            printf("  %-40s %s%s%s\n", r->person.email, r->person.name,
                   r->reminded ? ", reminded " : "", sent);
    }
    for (size_t i = 0; i < l.n; i++) {
        const struct cv_attendance_row *r = &l.v[i];
        if (r->partstat == CV_PARTSTAT_DELEGATED)
            printf("delegated: %s to %s\n", r->person.email,
                   r->delegated_to ? r->delegated_to : "?");
    }
    long seats = 0, largest = 0;
    for (size_t i = 0; i < rooms.n; i++) {
        seats += rooms.v[i].capacity;
        if (rooms.v[i].capacity > largest)
            largest = rooms.v[i].capacity;
    }
    size_t coming = all.n[CV_PARTSTAT_ACCEPTED], maybe = coming + all.n[CV_PARTSTAT_TENTATIVE];
    if (rooms.n == 0)
        printf("capacity: no rooms yet ('convene room add %s NAME --capacity N'); %zu accepted, "
               "%zu with the tentative\n",
               e.key, coming, maybe);
    else
        printf("capacity: %zu room%s, the largest %ld seats: %zu accepted, %zu with the tentative: "
               "%s\n",
               rooms.n, rooms.n == 1 ? "" : "s", largest, coming, maybe,
               (long)maybe <= largest ? "everyone fits in the largest room"
               : (long)coming <= largest
                   ? "the accepted fit the largest room; the tentative may not"
                   : "more accepted than the largest room holds: plan a larger room or "
                     "overflow");
    (void)seats;
out:
    cv_room_list_release(&rooms);
    cv_country_list_release(&members);
    cv_attendance_list_release(&l);
    cv_event_release(&e);
    return rc;
}

int cmd_attendance(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    enum cli_format fmt = CLI_TABLE;
    struct cv_store *st = NULL;
    struct cv_error err;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c != 'f' || cli_format_parse(optarg, &fmt) < 0)
            return cli_usage_error("attendance", "--format takes table, csv or tsv");
    }
    if (optind + 1 != argc)
        return cli_usage_error("attendance", "give one event key");
    if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    rc = cli_print_attendance(st, argv[optind], fmt, &err) < 0 ? cli_fail(&err) : 0;
    cv_store_free(st);
    return rc;
}
