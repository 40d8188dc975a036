/* SPDX-License-Identifier: MIT */
/* cmd_plan.c: `convene plan`: choose the dates of the events not yet fixed, and say why. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene plan [--explain] [--apply] [--all] [--seed N] [--time-limit SECONDS]\n"
    "                    [--nodes N] [--from DATE] [--gap DAYS]\n"
    "       convene plan EVENT --timetable [--explain] [--apply] [--seed N] [--time-limit S]\n\n"
    "Chooses the days of every event that is neither confirmed, held nor cancelled, inside its\n"
    "window, under hard constraints (the window, the host's weekend and public holidays, the\n"
    "reference calendars meant as blackout, 'inside', the event's own blackouts, the invitation\n"
    "lead time, a gap between any two events) and soft ones (days to avoid, invited delegates'\n"
    "national holidays, mid-week starts, preferred dates, events spread over the year). Without\n"
    "--apply nothing is written. An impossible plan ends with the smallest set of constraints\n"
    "that conflict, and exit 65 (when the limit runs out while narrowing the set, the set found\n"
    "so far, said to be perhaps not the smallest); no plan found within the limit, exit 75.\n\n"
    "  --explain          why each date: its cost, the runner-up and what it lost on, and the\n"
    "                     days each hard constraint removed\n"
    "  --apply            store the plan: new dates as tentative, SEQUENCE raised where they\n"
    "                     changed\n"
    "  --all              also re-plan confirmed and held events in their windows (a what-if:\n"
    "                     cannot be applied)\n"
    "  --seed N           the local search's seed (default 1): the same seed, the same plan\n"
    "  --time-limit S     seconds for the search (default 10), counted in search nodes\n"
    "                     (200,000 a second), the search for the smallest conflict included\n"
    "  --nodes N          the search's budget in nodes instead (dates only): the same input,\n"
    "                     seed and budget give the same answer on any machine\n"
    "  --from DATE        plan from this day (default: the programme's planning date)\n"
    "  --gap DAYS         at least this many free days between two events (default 14)\n"
    "  --timetable        place EVENT's sessions into its days, times and rooms: rooms hold\n"
    "                     them, the venue's hours and breaks, no one in two places, the\n"
    "                     co-chairs at every plenary; tracks spread, not in parallel,\n"
    "                     plenaries in the largest room\n";

void cli_print_timetable(const struct cv_event *e, const struct cv_tt_input *in,
                         const struct cv_tt_result *r, bool explain)
{
    const struct cv_session *sessions = in->sessions;
    const struct cv_room *rooms = in->rooms;
    printf("timetable of %s: %zu sessions, %zu rooms, %d day%s; cost %ld, %d hard violations%s\n",
           e->key, in->nsessions, in->nrooms, e->days, e->days == 1 ? "" : "s", r->score,
           r->hard_violations, r->optimal ? ", optimal (no soft cost)" : "");
    for (int d = 0; d < e->days; d++) {
        struct cv_date day = cv_date_add_days(&e->start, d);
        char date[CV_DATE_SIZE];
        cv_date_format(&day, date);
        printf("\n%s (%s)\n", date, e->tzid);
        for (int m = 0; m < 24 * 60; m++) {
            for (size_t s = 0; s < r->n; s++) {
                const struct cv_tt_place *p = &r->v[s];
                if (!p->placed || p->day != d || p->start_min != m)
                    continue;
                int end = m + sessions[s].minutes;
                printf("  %02d:%02d-%02d:%02d  %-24s %-20s %s (%s)\n", m / 60, m % 60, end / 60,
                       end % 60, rooms[p->room].name, sessions[s].key, sessions[s].title,
                       cv_track_name(sessions[s].track));
            }
        }
    }
    if (explain) {
        printf("\ncosts: %s\n", r->costs);
        bool any = false;
        for (size_t s = 0; s < r->n; s++) {
            if (!r->prefs[s].why[0])
                continue;
            if (!any)
                printf("\nspeakers' preferences:\n");
            any = true;
            printf("  %s: %s\n", sessions[s].key, r->prefs[s].why);
        }
    }
    if (!r->feasible) {
        printf("\nsessions without a place:\n");
        for (size_t s = 0; s < r->n; s++) {
            if (!r->v[s].placed)
                printf("  - %s\n", r->v[s].why);
        }
    }
}

/* `convene plan EVENT --timetable`. */
static int timetable(struct cli *cli, const char *key, bool do_explain, bool do_apply,
                     const struct cv_plan_input *pin)
{
    struct cv_store *st = NULL;
    struct cv_event e;
    struct cv_session_list sessions;
    struct cv_room_list rooms;
    struct cv_person_list people;
    struct cv_speaker_pref_list prefs;
    struct cv_tt_input in;
    struct cv_tt_result r;
    struct cv_tz *tz = NULL;
    const char *required[64];
    struct cv_error err;
    int rc;

    if ((rc = cli_open_store(cli, do_apply ? 0 : CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_event_init(&e);
    cv_session_list_init(&sessions);
    cv_room_list_init(&rooms);
    cv_person_list_init(&people);
    cv_speaker_pref_list_init(&prefs);
    cv_tt_input_init(&in);
    cv_tt_result_init(&r);
    if ((rc = cv_store_event_get(st, key, &e, &err)) < 0 ||
        (rc = cv_store_session_list(st, key, &sessions, &err)) < 0 ||
        (rc = cv_store_room_list(st, key, &rooms, &err)) < 0 ||
        (rc = cv_store_person_list(st, &people, &err)) < 0 ||
        (rc = cv_store_speaker_pref_list(st, key, &prefs, &err)) < 0 ||
        (rc = cv_tz_load(e.tzid, &tz, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    for (size_t i = 0; i < people.n && in.nrequired < 64; i++) {
        if (people.v[i].role == CV_ROLE_PRINCIPAL)
            required[in.nrequired++] = people.v[i].name;
    }
    in.event = &e;
    in.tz = tz;
    in.sessions = sessions.v;
    in.nsessions = sessions.n;
    in.rooms = rooms.v;
    in.nrooms = rooms.n;
    in.required = required;
    in.prefs = prefs.v;
    in.nprefs = prefs.n;
    in.seed = pin->seed;
    in.time_limit = pin->time_limit;
    if ((rc = cv_timetable(&in, &r, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    cli_print_timetable(&e, &in, &r, do_explain);
    if (!r.feasible) {
        rc = cli_error(EXIT_DATAERR, "the timetable is infeasible; see above");
        goto out;
    }
    if (do_apply) {
        size_t changed = 0;
        rc = cv_store_begin(st, &err);
        for (size_t s = 0; rc == 0 && s < r.n; s++) {
            struct cv_session *se = &sessions.v[s];
            const char *room = rooms.v[r.v[s].room].name;
            if (se->start == r.v[s].start && cv_str_eq(se->room, room))
                continue;
            se->start = r.v[s].start;
            if ((rc = cv_str_set(&se->room, room)) < 0)
                break;
            se->sequence++;
            se->revision = cv_ctx_now(cli->ctx);
            enum cv_upsert how;
            rc = cv_store_session_put(st, se, &how, &err);
            changed++;
        }
        if (rc == 0)
            rc = changed ? cv_store_commit(st, &err) : (cv_store_rollback(st), 0);
        if (rc < 0) {
            cv_store_rollback(st);
            rc = cli_fail(&err);
            goto out;
        }
        printf("\napplied: %zu session%s placed or moved\n", changed, changed == 1 ? "" : "s");
    }
    rc = 0;
out:
    cv_tz_free(tz);
    cv_tt_result_release(&r);
    cv_speaker_pref_list_release(&prefs);
    cv_person_list_release(&people);
    cv_room_list_release(&rooms);
    cv_session_list_release(&sessions);
    cv_event_release(&e);
    cv_store_free(st);
    return rc;
}

struct plan_data {
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_refcal_list cals;
    struct cv_country_list countries;
    struct cv_person_list people;
};

static void data_release(struct plan_data *d)
{
    cv_programme_release(&d->prog);
    cv_event_list_release(&d->events);
    cv_refcal_list_release(&d->cals);
    cv_country_list_release(&d->countries);
    cv_person_list_release(&d->people);
}

static int load(struct cv_store *st, struct plan_data *d, struct cv_error *err)
{
    cv_programme_init(&d->prog);
    cv_event_list_init(&d->events);
    cv_refcal_list_init(&d->cals);
    cv_country_list_init(&d->countries);
    cv_person_list_init(&d->people);
    int rc;
    if ((rc = cv_store_programme_get(st, &d->prog, err)) < 0 ||
        (rc = cv_store_event_list(st, &d->events, err)) < 0 ||
        (rc = cv_store_refcal_list(st, &d->cals, err)) < 0 ||
        (rc = cv_store_country_list(st, &d->countries, err)) < 0 ||
        (rc = cv_store_person_list(st, &d->people, err)) < 0)
        return rc;
    return 0;
}

/* The days each hard constraint removed, grouped by constraint, in runs of consecutive days. */
static void print_removed(const struct cv_plan_result *r, const struct cv_plan_event *pe)
{
    for (size_t c = 0; c < r->ncons; c++) {
        size_t n = 0;
        for (size_t k = 0; k < pe->nremoved; k++)
            n += pe->removed[k].constraint == c;
        if (!n)
            continue;
        printf("    - %s: %zu day%s\n", r->cons[c].why, n, n == 1 ? "" : "s");
    }
}

static void explain_event(const struct cv_plan_input *in, const struct cv_plan_result *r,
                          const struct cv_plan_event *pe)
{
    const struct cv_event *e = &in->events[pe->event];
    char when[100], alt[100];
    cv_date_span_format_long(&pe->start, &pe->end, when, sizeof(when));
    printf("\n%s: %s (cost %ld)\n", e->key, when, pe->cost);
    printf("  chosen among %zu first days that pass every hard constraint of its own\n",
           pe->candidates);
    printf("  costs: %s\n", pe->cost_why[0] ? pe->cost_why : "nothing");
    if (pe->has_runner_up) {
        struct cv_date end = cv_date_add_days(&pe->runner_start, e->days - 1);
        cv_date_span_format_long(&pe->runner_start, &end, alt, sizeof(alt));
        printf("  runner-up: %s (cost %ld), lost on: %s\n", alt, pe->runner_cost, pe->lost_on);
    } else {
        printf("  runner-up: none: no other first day passes the hard constraints\n");
    }
    if (pe->nremoved) {
        printf("  days of the window removed by hard constraints:\n");
        print_removed(r, pe);
    }
}

static int apply(struct cli *cli, struct cv_store *st, const struct cv_plan_result *r,
                 const struct plan_data *d, struct cv_error *err)
{
    size_t changed = 0;
    int rc = cv_store_begin(st, err);
    for (size_t k = 0; rc == 0 && k < r->nev; k++) {
        const struct cv_plan_event *pe = &r->ev[k];
        const struct cv_event *old = &d->events.v[pe->event];
        struct cv_event e;
        if (pe->fixed || !pe->placed)
            continue;
        if ((rc = cv_event_copy(&e, old)) < 0) {
            cv_error_set(err, rc, "out of memory");
            break;
        }
        e.start = pe->start;
        e.end = pe->end;
        if (e.status == CV_EVENT_PROPOSED)
            e.status = CV_EVENT_TENTATIVE;
        if (!cv_event_equal(&e, old)) {
            if (cv_event_is_material_change(old, &e))
                e.sequence = old->sequence + 1;
            e.revision = cv_ctx_now(cli->ctx);
            rc = cv_store_event_update(st, &e, err);
            if (rc == 0) {
                char a[CV_DATE_SIZE], b[CV_DATE_SIZE];
                cv_date_format(&e.start, a);
                cv_date_format(&e.end, b);
                printf("applied %s: %s..%s, %s, SEQUENCE %d -> %d\n", e.key, a, b,
                       cv_event_status_name(e.status), old->sequence, e.sequence);
                changed++;
            }
        }
        cv_event_release(&e);
    }
    if (rc == 0)
        rc = changed ? cv_store_commit(st, err) : (cv_store_rollback(st), 0);
    else
        cv_store_rollback(st);
    if (rc == 0 && !changed)
        printf("the stored dates already match the plan: nothing changed\n");
    return rc;
}

int cmd_plan(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"explain", no_argument, NULL, 'e'},
        {"apply", no_argument, NULL, 'a'},
        {"all", no_argument, NULL, 'A'},
        {"seed", required_argument, NULL, 's'},
        {"time-limit", required_argument, NULL, 't'},
        {"nodes", required_argument, NULL, 'n'},
        {"from", required_argument, NULL, 'f'},
        {"gap", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {"timetable", no_argument, NULL, 'T'},
        {0},
    };
    bool do_explain = false, do_apply = false, all = false, tt = false;
    struct cv_plan_input in;
    struct cv_plan_result r;
    struct plan_data d;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct cv_date from = {0};
    struct {
        struct cv_date start, end;
        enum cv_event_status status;
    } *actual = NULL;
    long n;
    int c, rc;

    cv_plan_input_init(&in);
    optind = 1;
    /* No "+": options may follow the EVENT of a timetable. */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            do_explain = true;
            break;
        case 'a':
            do_apply = true;
            break;
        case 'A':
            all = true;
            break;
        case 's':
            if (cv_parse_long(optarg, 0, 0x7fffffffL, &n) < 0)
                return cli_usage_error("plan", "--seed takes a whole number");
            in.seed = (uint64_t)n;
            break;
        case 't':
            if (cv_parse_long(optarg, 1, 3600, &n) < 0)
                return cli_usage_error("plan", "--time-limit takes 1 to 3600 seconds");
            in.time_limit = (double)n;
            break;
        case 'n':
            if (cv_parse_long(optarg, 1, 0x7fffffffL, &n) < 0)
                return cli_usage_error("plan", "--nodes takes a whole number from 1");
            in.node_limit = (unsigned long)n;
            break;
        case 'f':
            if (cv_date_parse(optarg, &from) < 0)
                return cli_usage_error("plan", "--from takes a date such as 2023-10-01");
            break;
        case 'g':
            if (cv_parse_long(optarg, 0, 365, &n) < 0)
                return cli_usage_error("plan", "--gap takes 0 to 365 days");
            in.gap_days = (int)n;
            break;
        case 'T':
            tt = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("plan", "bad option");
        }
    }
    if (tt || optind < argc) {
        if (!tt || optind + 1 != argc || all)
            return cli_usage_error("plan", "a timetable takes one EVENT and --timetable");
        if (in.node_limit)
            return cli_usage_error("plan", "--nodes bounds the dates' search; a timetable takes "
                                           "--time-limit");
        return timetable(cli, argv[optind], do_explain, do_apply, &in);
    }
    if (all && do_apply)
        return cli_usage_error("plan", "--all re-plans held events: it cannot be applied");

    if ((rc = cli_open_store(cli, do_apply ? 0 : CV_STORE_READONLY, &st)))
        return rc;
    cv_error_init(&err);
    cv_plan_result_init(&r);
    if ((rc = load(st, &d, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (all) {
        /* A what-if: every event back in its window, as the programme first planned it; the
         * dates it really had are kept aside to be shown beside the plan. */
        actual = calloc(d.events.n ? d.events.n : 1, sizeof(*actual));
        if (!actual) {
            rc = cli_error(EXIT_OSERR, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < d.events.n; i++) {
            struct cv_event *e = &d.events.v[i];
            actual[i].start = e->start;
            actual[i].end = e->end;
            actual[i].status = e->status;
            if (e->status != CV_EVENT_CANCELLED && cv_date_is_set(&e->window_start)) {
                memset(&e->start, 0, sizeof(e->start));
                memset(&e->end, 0, sizeof(e->end));
                e->status = CV_EVENT_PROPOSED;
            }
        }
    }
    in.events = d.events.v;
    in.nevents = d.events.n;
    in.refcals = d.cals.v;
    in.nrefcals = d.cals.n;
    in.countries = d.countries.v;
    in.ncountries = d.countries.n;
    in.people = d.people.v;
    in.npeople = d.people.n;
    in.planning_date = cv_date_is_set(&from) ? from : d.prog.planning_date;

    rc = cv_plan_dates(&in, &r, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (!r.feasible && !r.complete) {
        rc = cli_error(EXIT_TEMPFAIL,
                       "no plan found within the limit (%lu search nodes): the constraints may "
                       "still be satisfiable; raise --time-limit or relax a hard constraint",
                       r.nodes);
        goto out;
    }
    if (!r.feasible) {
        printf("no plan satisfies every hard constraint%s\n",
               r.nconflict ? "; these conflict (remove or relax one of them):" : "");
        for (size_t k = 0; k < r.nconflict; k++)
            printf("  - %s\n", r.cons[r.conflict[k]].why);
        if (r.nconflict && !r.conflict_minimal)
            printf("the limit ran out (%lu search nodes) before this set was proven the smallest: "
                   "these constraints conflict, but fewer of them may; raise --time-limit to "
                   "narrow it\n",
                   r.nodes);
        rc =
            cli_error(EXIT_DATAERR, "the plan is infeasible: %zu constraints conflict%s; see above",
                      r.nconflict, r.conflict_minimal ? "" : " (perhaps not the smallest set)");
        goto out;
    }
    size_t planned = 0;
    for (size_t k = 0; k < r.nev; k++)
        planned += !r.ev[k].fixed;
    printf("plan: %zu event%s placed, %zu kept (confirmed or held); cost %ld, %d hard violations, "
           "%s (%lu search nodes)\n",
           planned, planned == 1 ? "" : "s", r.nev - planned, r.score, r.hard_violations,
           r.optimal ? "proven optimal" : "best found within the limit", r.nodes);
    struct cli_table t;
    cli_table_init(&t, actual ? 6 : 5);
    static const char *const head[] = {"EVENT", "DATES", "HOST", "ZONE", "PLAN", "ACTUAL"};
    for (size_t i = 0; i < t.ncols; i++)
        cli_table_add(&t, head[i]);
    for (size_t k = 0; k < r.nev; k++) {
        const struct cv_plan_event *pe = &r.ev[k];
        const struct cv_event *e = &d.events.v[pe->event];
        char when[40], host[120], a[CV_DATE_SIZE], b[CV_DATE_SIZE];
        cv_date_format(&pe->start, a);
        cv_date_format(&pe->end, b);
        snprintf(when, sizeof(when), "%s..%s", a, b);
        snprintf(host, sizeof(host), "%s, %s", e->city ? e->city : "?",
                 e->country ? e->country : "?");
        cli_table_add(&t, e->key);
        cli_table_add(&t, when);
        cli_table_add(&t, host);
        cli_table_add(&t, e->tzid);
        cli_table_add(&t, pe->fixed ? "kept" : "planned");
        if (actual) {
            char real[64];
            if (cv_date_is_set(&actual[pe->event].start)) {
                cv_date_format(&actual[pe->event].start, a);
                cv_date_format(&actual[pe->event].end, b);
                snprintf(real, sizeof(real), "%s %s..%s",
                         cv_event_status_name(actual[pe->event].status), a, b);
            } else {
                snprintf(real, sizeof(real), "no sourced dates");
            }
            cli_table_add(&t, real);
        }
    }
    cli_table_print(&t, CLI_TABLE, 0, stdout);
    cli_table_release(&t);
    if (do_explain) {
        for (size_t k = 0; k < r.nev; k++) {
            if (!r.ev[k].fixed)
                explain_event(&in, &r, &r.ev[k]);
        }
    }
    if (do_apply && (rc = apply(cli, st, &r, &d, &err)) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    rc = 0;
out:
    free(actual);
    cv_plan_result_release(&r);
    data_release(&d);
    cv_store_free(st);
    return rc;
}
