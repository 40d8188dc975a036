/* SPDX-License-Identifier: MIT */
/* test_sched.c: tests of the scheduling engine: each constraint kind on hand-checked days, dates
 * across DST changes, the date line and a leap day, conflicts in words, and random instances
 * checked by an independent checker and by brute force. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <convene/error.h>
#include <convene/model.h>
#include <convene/sched.h>
#include <convene/util.h>

#define MON      CV_WEEKDAY_BIT(1)
#define TUE      CV_WEEKDAY_BIT(2)
#define WED      CV_WEEKDAY_BIT(3)
#define THU      CV_WEEKDAY_BIT(4)
#define FRI      CV_WEEKDAY_BIT(5)
#define SAT      CV_WEEKDAY_BIT(6)
#define SUN      CV_WEEKDAY_BIT(7)
#define SAT_SUN  (SAT | SUN)
#define FRI_SAT  (FRI | SAT)
#define MID_WEEK (TUE | WED | THU)

/* The engine's search universe around a window (dates.c UNIVERSE): where an event may go once
 * its window is taken away, when checking that a conflict is minimal. */
#define UNIVERSE 400

/* ---- dates, computed here without the library ------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static struct cv_date from_civil(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    struct cv_date x = {(int)(yoe + era * 400 + (m <= 2)), m, d};
    return x;
}

static int64_t dnum(const struct cv_date *d)
{
    return civil(d->year, d->month, d->day);
}

/* ISO weekday, 1 Monday .. 7 Sunday: 1970-01-01 was a Thursday. */
static int weekday_of(int64_t days)
{
    return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

static struct cv_date date(int y, int m, int d)
{
    struct cv_date x = {y, m, d};
    return x;
}

static struct cv_date nodate(void)
{
    struct cv_date x = {0, 0, 0};
    return x;
}

static bool same_date(const struct cv_date *a, const struct cv_date *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* "2024-07-09" for messages. */
struct dtext {
    char s[16];
};

static struct dtext dt(const struct cv_date *d)
{
    struct dtext t;
    snprintf(t.s, sizeof(t.s), "%04d-%02d-%02d", d->year, d->month, d->day);
    return t;
}

static struct dtext dtn(int64_t days)
{
    struct cv_date d = from_civil(days);
    return dt(&d);
}

/* ---- the world: what one plan is made of ----------------------------------------------------- */

#define MAX_EV  8
#define MAX_CAL 6
#define MAX_CO  10
#define MAX_PE  12

struct world {
    struct cv_event ev[MAX_EV];
    size_t nev;
    struct cv_refcal cal[MAX_CAL];
    size_t ncal;
    struct cv_country co[MAX_CO];
    size_t nco;
    struct cv_person pe[MAX_PE];
    size_t npe;
    struct cv_plan_input in;
    struct cv_plan_result r;
};

static void world_init(struct world *w)
{
    memset(w, 0, sizeof(*w));
    cv_plan_input_init(&w->in);
    cv_plan_result_init(&w->r);
}

static void world_release(struct world *w)
{
    for (size_t i = 0; i < w->nev; i++)
        cv_event_release(&w->ev[i]);
    for (size_t i = 0; i < w->ncal; i++)
        cv_refcal_release(&w->cal[i]);
    for (size_t i = 0; i < w->nco; i++)
        cv_country_release(&w->co[i]);
    for (size_t i = 0; i < w->npe; i++)
        cv_person_release(&w->pe[i]);
    cv_plan_result_release(&w->r);
    world_init(w);
}

/* Each test gets a world from the setup, which the teardown releases even after a failure. */
static int world_setup(void **state)
{
    struct world *w = malloc(sizeof(*w));
    if (!w)
        return -1;
    world_init(w);
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    world_release(w);
    free(w);
    return 0;
}

static void set(char **dst, const char *s)
{
    assert_int_equal(cv_str_set(dst, s), 0);
}

static const struct cv_country *find_country(const struct world *w, const char *iso2)
{
    for (size_t i = 0; iso2 && i < w->nco; i++) {
        if (strcmp(w->co[i].iso2, iso2) == 0)
            return &w->co[i];
    }
    return NULL;
}

static struct cv_country *add_country(struct world *w, const char *iso2, const char *name,
                                      const char *region, const char *tzid, unsigned weekend)
{
    assert_true(w->nco < MAX_CO);
    struct cv_country *c = &w->co[w->nco++];
    cv_country_init(c);
    assert_true(cv_str_copy(c->iso2, sizeof(c->iso2), iso2));
    set(&c->name, name);
    set(&c->region, region);
    set(&c->tzid, tzid);
    c->weekend = weekend;
    return c;
}

#define AFRICA "Africa and the Middle East"

/* The member countries of the hand-built tests, with their weekly rest days. */
static void add_countries(struct world *w)
{
    add_country(w, "KE", "Kenya", AFRICA, "Africa/Nairobi", SAT_SUN);
    add_country(w, "JO", "Jordan", AFRICA, "Asia/Amman", FRI_SAT);
    add_country(w, "UG", "Uganda", AFRICA, "Africa/Kampala", SAT_SUN);
    add_country(w, "TZ", "Tanzania", AFRICA, "Africa/Dar_es_Salaam", SAT_SUN);
    add_country(w, "ES", "Spain", "Europe", "Europe/Madrid", SAT_SUN);
    add_country(w, "FR", "France", "Europe", "Europe/Paris", 0); /* unknown: the default */
    add_country(w, "US", "United States", "Americas", "America/New_York", SAT_SUN);
    add_country(w, "PH", "Philippines", "Asia and the Pacific", "Asia/Manila", SAT_SUN);
}

/* A proposed summit to plan in [@ws, @we] (unset: no window) for @days days. */
static struct cv_event *add_event(struct world *w, const char *key, const char *iso2,
                                  struct cv_date ws, struct cv_date we, int days)
{
    char uid[48];
    assert_true(w->nev < MAX_EV);
    struct cv_event *e = &w->ev[w->nev++];
    cv_event_init(e);
    const struct cv_country *c = find_country(w, iso2);
    snprintf(uid, sizeof(uid), "00000000-0000-4000-8000-%012zu", w->nev);
    set(&e->key, key);
    set(&e->uid, uid);
    set(&e->title, key);
    set(&e->country, iso2);
    set(&e->region, c ? c->region : "Global");
    set(&e->tzid, c ? c->tzid : "UTC");
    e->kind = CV_KIND_SUMMIT;
    e->status = CV_EVENT_PROPOSED;
    e->window_start = ws;
    e->window_end = we;
    e->days = days;
    return e;
}

/* An event whose dates are kept: held or confirmed, @days days from @start, no window. */
static struct cv_event *add_fixed(struct world *w, const char *key, const char *iso2,
                                  struct cv_date start, int days, enum cv_event_status status)
{
    struct cv_event *e = add_event(w, key, iso2, nodate(), nodate(), days);
    e->status = status;
    e->start = start;
    e->end = from_civil(dnum(&start) + days - 1);
    return e;
}

static struct cv_refcal *add_cal(struct world *w, const char *key, const char *scope,
                                 enum cv_meaning meaning)
{
    assert_true(w->ncal < MAX_CAL);
    struct cv_refcal *c = &w->cal[w->ncal++];
    cv_refcal_init(c);
    set(&c->key, key);
    set(&c->name, key);
    set(&c->scope, scope);
    c->meaning = meaning;
    return c;
}

static struct cv_refentry *add_entry(struct cv_refcal *c, const char *key, const char *summary,
                                     struct cv_date first, struct cv_date last)
{
    struct cv_refentry *en;
    char uid[80];
    assert_int_equal(cv_refcal_add_entry(c, &en), 0);
    snprintf(uid, sizeof(uid), "%s-%zu@test.invalid", c->key, c->n);
    set(&en->uid, uid);
    if (key)
        set(&en->key, key);
    set(&en->summary, summary);
    en->first = first;
    en->last = last;
    return en;
}

static struct cv_person *add_person(struct world *w, const char *iso2, enum cv_role role)
{
    char email[64];
    assert_true(w->npe < MAX_PE);
    struct cv_person *p = &w->pe[w->npe++];
    cv_person_init(p);
    snprintf(email, sizeof(email), "p%zu@example.org", w->npe);
    set(&p->email, email);
    set(&p->name, email);
    set(&p->lang, "en");
    if (iso2) {
        set(&p->country, iso2);
        assert_true(cv_str_copy(p->delegation.country, sizeof(p->delegation.country), iso2));
    }
    p->delegation.kind = CV_DELEGATION_GOVERNMENT;
    p->role = role;
    set(&p->tzid, "UTC");
    return p;
}

/* Runs the engine over the world into @r (released first). */
static int run(struct world *w, struct cv_plan_result *r, struct cv_error *err)
{
    w->in.events = w->ev;
    w->in.nevents = w->nev;
    w->in.refcals = w->cal;
    w->in.nrefcals = w->ncal;
    w->in.countries = w->co;
    w->in.ncountries = w->nco;
    w->in.people = w->pe;
    w->in.npeople = w->npe;
    cv_plan_result_release(r);
    cv_error_init(err);
    return cv_plan_dates(&w->in, r, err);
}

static const struct cv_plan_result *plan(struct world *w)
{
    struct cv_error err;
    int rc = run(w, &w->r, &err);
    if (rc != 0)
        fail_msg("cv_plan_dates: %d: %s", rc, err.msg);
    return &w->r;
}

/* ---- looking at a result --------------------------------------------------------------------- */

static const struct cv_plan_event *ev_of(const struct cv_plan_result *r, size_t event)
{
    for (size_t k = 0; k < r->nev; k++) {
        if (r->ev[k].event == event)
            return &r->ev[k];
    }
    fail_msg("event %zu is not in the plan", event);
    return NULL;
}

static void expect_span(const struct cv_plan_result *r, size_t event, struct cv_date start,
                        struct cv_date end)
{
    const struct cv_plan_event *pe = ev_of(r, event);
    if (!pe->placed)
        fail_msg("event %zu: not placed, expected %s", event, dt(&start).s);
    if (!same_date(&pe->start, &start) || !same_date(&pe->end, &end))
        fail_msg("event %zu: got %s..%s, expected %s..%s", event, dt(&pe->start).s, dt(&pe->end).s,
                 dt(&start).s, dt(&end).s);
}

static void expect_day(const struct cv_plan_result *r, size_t event, struct cv_date day)
{
    expect_span(r, event, day, day);
}

static void expect_optimal(const struct cv_plan_result *r, long score)
{
    assert_true(r->feasible);
    assert_true(r->optimal);
    assert_int_equal(r->hard_violations, 0);
    assert_int_equal(r->nconflict, 0);
    if (r->score != score)
        fail_msg("score %ld, expected %ld", r->score, score);
}

static size_t find_why(const struct cv_plan_result *r, const char *why)
{
    for (size_t c = 0; c < r->ncons; c++) {
        if (strcmp(r->cons[c].why, why) == 0)
            return c;
    }
    return SIZE_MAX;
}

static size_t con_with(const struct cv_plan_result *r, const char *why)
{
    size_t c = find_why(r, why);
    if (c == SIZE_MAX) {
        for (size_t k = 0; k < r->ncons; k++)
            print_message("  constraint %zu: %s\n", k, r->cons[k].why);
        fail_msg("no constraint says '%s'", why);
    }
    return c;
}

static size_t count_kind(const struct cv_plan_result *r, enum cv_con_kind kind)
{
    size_t n = 0;
    for (size_t c = 0; c < r->ncons; c++)
        n += r->cons[c].kind == kind;
    return n;
}

/* @day was removed from @event's window by the constraint that says @why. */
static void expect_removed(const struct cv_plan_result *r, size_t event, struct cv_date day,
                           const char *why)
{
    const struct cv_plan_event *pe = ev_of(r, event);
    for (size_t k = 0; k < pe->nremoved; k++) {
        if (!same_date(&pe->removed[k].day, &day))
            continue;
        assert_true(pe->removed[k].constraint < r->ncons);
        assert_string_equal(r->cons[pe->removed[k].constraint].why, why);
        return;
    }
    fail_msg("%s is not among the %zu removed days of event %zu", dt(&day).s, pe->nremoved, event);
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("'%s' is not in '%s'", needle, haystack);
}

static bool conflict_has(const struct cv_plan_result *r, const char *why)
{
    for (size_t k = 0; k < r->nconflict; k++) {
        if (strcmp(r->cons[r->conflict[k]].why, why) == 0)
            return true;
    }
    return false;
}

/* ---- an independent feasibility search over a set of the engine's constraints ----------------
 * Used to check that a conflict is one (no plan meets all of it) and minimal (dropping any one
 * member lets a plan through). It reads the constraints as data and applies its own meaning of
 * each kind. */

static bool con_forbids(const struct cv_constraint *k, int64_t s, int days)
{
    int64_t a = dnum(&k->first), b = dnum(&k->last);
    for (int64_t d = s; d < s + days; d++) {
        switch (k->kind) {
        case CV_CON_WINDOW:
        case CV_CON_INSIDE:
            if (d < a || d > b)
                return true;
            break;
        case CV_CON_WEEKEND:
            if (k->weekdays & CV_WEEKDAY_BIT(weekday_of(d)))
                return true;
            break;
        case CV_CON_BLACKOUT:
            if (d >= a && d <= b)
                return true;
            break;
        case CV_CON_LEAD:
            if (d < a)
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* Free days between two spans; negative when they overlap. */
static int64_t free_between(int64_t sa, int da, int64_t sb, int db)
{
    int64_t ea = sa + da - 1, eb = sb + db - 1;
    return sb > ea ? sb - ea - 1 : sa > eb ? sa - eb - 1 : -1;
}

static bool is_fixed_event(const struct cv_event *e)
{
    return e->start.year != 0 && (e->status == CV_EVENT_CONFIRMED || e->status == CV_EVENT_HELD);
}

struct cvar {
    size_t event;
    bool fixed;
    bool placed;
    int days;
    int64_t value;
    int64_t *starts;
    size_t n;
};

struct csearch {
    const struct cv_plan_result *r;
    const bool *on;
    struct cvar v[MAX_EV];
    size_t nv;
    size_t order[MAX_EV]; /* the events to plan that a gap ties to another */
    size_t norder;
    unsigned long nodes;
    bool capped;
};

static struct cvar *cvar_of(struct csearch *s, size_t event)
{
    for (size_t i = 0; i < s->nv; i++) {
        if (s->v[i].event == event)
            return &s->v[i];
    }
    return NULL;
}

/* Places the variables order[@i..] (those before, and the fixed ones, are placed). */
static bool csearch_dfs(struct csearch *s, size_t i)
{
    if (i == s->norder)
        return true;
    struct cvar *x = &s->v[s->order[i]];
    for (size_t k = 0; k < x->n; k++) {
        if (++s->nodes > 2000000) {
            s->capped = true;
            return false;
        }
        x->value = x->starts[k];
        bool ok = true;
        for (size_t c = 0; ok && c < s->r->ncons; c++) {
            const struct cv_constraint *kc = &s->r->cons[c];
            if (!s->on[c] || kc->kind != CV_CON_GAP)
                continue;
            struct cvar *a = cvar_of(s, kc->event), *b = cvar_of(s, kc->other);
            if (!a || !b || (a != x && b != x))
                continue;
            struct cvar *y = a == x ? b : a;
            if (!y->fixed && !y->placed)
                continue;
            ok = free_between(a->value, a->days, b->value, b->days) >= kc->days;
        }
        if (!ok)
            continue;
        x->placed = true;
        bool found = csearch_dfs(s, i + 1);
        x->placed = false;
        if (found)
            return true;
        if (s->capped)
            return false;
    }
    return false;
}

static int cmp_domain(const void *a, const void *b, void *arg)
{
    const struct cvar *v = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return v[x].n < v[y].n ? -1 : v[x].n > v[y].n;
}

/* 1: a plan meets every constraint in @on; 0: none does; -1: the search gave up. */
static int cons_feasible(const struct world *w, const struct cv_plan_result *r, const bool *on)
{
    struct csearch s;
    int result = 1;
    memset(&s, 0, sizeof(s));
    s.r = r;
    s.on = on;
    for (size_t i = 0; i < w->nev; i++) {
        const struct cv_event *e = &w->ev[i];
        if (e->status == CV_EVENT_CANCELLED)
            continue;
        struct cvar *x = &s.v[s.nv++];
        x->event = i;
        x->fixed = is_fixed_event(e);
        x->days = e->days;
        if (x->fixed) {
            x->value = dnum(&e->start);
            x->days = (int)(dnum(&e->end) - x->value + 1);
            continue;
        }
        int64_t lo = dnum(&e->window_start) - UNIVERSE, hi = dnum(&e->window_end) + UNIVERSE;
        for (size_t c = 0; c < r->ncons; c++) {
            if (on[c] && r->cons[c].event == i && r->cons[c].kind == CV_CON_WINDOW) {
                lo = dnum(&r->cons[c].first);
                hi = dnum(&r->cons[c].last);
            }
        }
        x->starts = calloc((size_t)(hi - lo + 2), sizeof(int64_t));
        assert_non_null(x->starts);
        for (int64_t d = lo; d + x->days - 1 <= hi; d++) {
            bool ok = true;
            for (size_t c = 0; ok && c < r->ncons; c++) {
                const struct cv_constraint *k = &r->cons[c];
                if (on[c] && k->hard && k->event == i && k->kind != CV_CON_GAP)
                    ok = !con_forbids(k, d, x->days);
            }
            if (ok)
                x->starts[x->n++] = d;
        }
    }
    /* An event no gap ties to others needs only a day of its own; the rest are searched,
     * smallest domain first. */
    for (size_t i = 0; i < s.nv; i++) {
        struct cvar *x = &s.v[i];
        bool linked = false;
        for (size_t c = 0; !x->fixed && c < r->ncons; c++)
            linked |= on[c] && r->cons[c].kind == CV_CON_GAP &&
                      (r->cons[c].event == x->event || r->cons[c].other == x->event);
        if (linked)
            s.order[s.norder++] = i;
        else if (!x->fixed && !x->n)
            result = 0;
    }
    qsort_r(s.order, s.norder, sizeof(size_t), cmp_domain, s.v);
    if (result)
        result = csearch_dfs(&s, 0) ? 1 : s.capped ? -1 : 0;
    for (size_t i = 0; i < s.nv; i++)
        free(s.v[i].starts);
    return result;
}

/*
 * The conflict is a conflict and a smallest one: no plan meets all of it, and dropping any one
 * member lets a plan through. Every member is a hard constraint.
 */
static void expect_minimal_conflict(const struct world *w, const struct cv_plan_result *r)
{
    bool *on = calloc(r->ncons + 1, sizeof(bool));
    assert_non_null(on);
    assert_false(r->feasible);
    assert_true(r->nconflict >= 1);
    for (size_t k = 0; k < r->nconflict; k++) {
        assert_true(r->conflict[k] < r->ncons);
        assert_true(r->cons[r->conflict[k]].hard);
        on[r->conflict[k]] = true;
    }
    int all = cons_feasible(w, r, on);
    for (size_t k = 0; k < r->nconflict && all == 0; k++) {
        on[r->conflict[k]] = false;
        int without = cons_feasible(w, r, on);
        on[r->conflict[k]] = true;
        if (without != 1) {
            free(on);
            fail_msg("the conflict is not minimal: without '%s' it is still infeasible",
                     r->cons[r->conflict[k]].why);
        }
    }
    free(on);
    if (all != 0)
        fail_msg("the conflict of %zu constraints is not one: a plan meets all of them",
                 r->nconflict);
}

/* ---- unit tests: one constraint kind at a time ----------------------------------------------- */

static void test_dates_independent(void **state)
{
    (void)state;
    /* The test's own day numbers agree with the library's, past 2038 and around leap days. */
    static const int days[][3] = {{1970, 1, 1},  {2024, 2, 29}, {2024, 3, 1},  {2023, 2, 28},
                                  {2023, 3, 1},  {2000, 2, 29}, {2100, 3, 1},  {2040, 2, 29},
                                  {2024, 3, 10}, {2024, 3, 31}, {1969, 12, 31}};
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        struct cv_date d = date(days[i][0], days[i][1], days[i][2]);
        assert_int_equal(cv_date_to_days(&d), dnum(&d));
        assert_int_equal(cv_date_weekday(&d), weekday_of(dnum(&d)));
        struct cv_date back = from_civil(dnum(&d));
        assert_true(same_date(&back, &d));
    }
    char text[40];
    struct cv_date leap = date(2024, 2, 29);
    cv_date_format_long(&leap, text, sizeof(text));
    assert_string_equal(text, "29 February 2024");
    assert_int_equal(weekday_of(civil(2024, 7, 1)), 1); /* a Monday */
}

static void test_window_only(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Window Fri 5 .. Fri 12 July 2024, two days, Kenya (rests sat, sun). First days whose two
     * days are weekdays inside the window: Mon 8 (+2: not Tue-Thu), Tue 9, Wed 10, Thu 11 (0).
     * Fri 5 runs into Saturday; Fri 12 out of the window. Cheapest first, then earliest: Tue 9,
     * although Mon 8 is earlier.
     */
    add_event(w, "talks", "KE", date(2024, 7, 5), date(2024, 7, 12), 2);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    assert_int_equal(r->nev, 1);
    expect_span(r, 0, date(2024, 7, 9), date(2024, 7, 10));
    const struct cv_plan_event *pe = ev_of(r, 0);
    assert_false(pe->fixed);
    assert_int_equal(pe->cost, 0);
    assert_int_equal(pe->candidates, 4);
    /* Runner-up: Wed 10 and Thu 11 cost 0 too; the nearer one, with the tie explained. */
    assert_true(pe->has_runner_up);
    assert_true(same_date(&pe->runner_start, &(struct cv_date){2024, 7, 10}));
    assert_int_equal(pe->runner_cost, 0);
    assert_string_equal(pe->lost_on, "nothing: an equal score, and the earlier date wins the tie");
    /* The weekend took Sat 6 and Sun 7; nothing else. */
    assert_int_equal(pe->nremoved, 2);
    expect_removed(r, 0, date(2024, 7, 6), "the weekend in Kenya (sat,sun)");
    expect_removed(r, 0, date(2024, 7, 7), "the weekend in Kenya (sat,sun)");
    size_t c = con_with(r, "the window of talks: 5 July 2024 to 12 July 2024, for 2 days");
    assert_int_equal(r->cons[c].kind, CV_CON_WINDOW);
    assert_true(r->cons[c].hard);

    /* One day in a one-day window, a Monday: it is taken at a cost of 2. */
    w->ev[0].window_start = date(2024, 7, 8);
    w->ev[0].window_end = date(2024, 7, 8);
    w->ev[0].days = 1;
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 0, date(2024, 7, 8));
    assert_false(ev_of(r, 0)->has_runner_up);
    con_with(r, "the window of talks: 8 July 2024, for 1 day");
}

static void test_weekend_jordan(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 0;
    w->in.spread_days = 0;
    /*
     * Window Fri 5 .. Fri 12 July 2024, three days, preferring to start on a Sunday.
     * Jordan rests Friday and Saturday: Sun 7 .. Tue 9 is a working span starting on Sunday: 0.
     * Kenya rests Saturday and Sunday: only Mon 8, Tue 9, Wed 10 (.. Fri 12) fit, each +2 for
     * not being a Sunday: the earliest, Mon 8.
     * Spain has the same weekend as Kenya; France has no weekend of its own (0), and ZZ is not
     * a known country: both take the default Saturday and Sunday.
     */
    const char *hosts[] = {"JO", "KE", "FR", "ZZ"};
    for (size_t i = 0; i < 4; i++) {
        char key[16];
        snprintf(key, sizeof(key), "meet-%s", hosts[i]);
        add_event(w, key, hosts[i], date(2024, 7, 5), date(2024, 7, 12), 3)->prefer_weekdays = SUN;
    }
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 6);
    expect_span(r, 0, date(2024, 7, 7), date(2024, 7, 9));
    expect_span(r, 1, date(2024, 7, 8), date(2024, 7, 10));
    expect_span(r, 2, date(2024, 7, 8), date(2024, 7, 10));
    expect_span(r, 3, date(2024, 7, 8), date(2024, 7, 10));
    con_with(r, "the weekend in Jordan (fri,sat)");
    con_with(r, "the weekend in Kenya (sat,sun)");
    con_with(r, "the weekend in France (sat,sun)");
    con_with(r, "the weekend in ZZ (sat,sun)");
    expect_removed(r, 0, date(2024, 7, 5), "the weekend in Jordan (fri,sat)");
    expect_removed(r, 0, date(2024, 7, 12), "the weekend in Jordan (fri,sat)");
    expect_removed(r, 1, date(2024, 7, 7), "the weekend in Kenya (sat,sun)");
    assert_int_equal(ev_of(r, 0)->nremoved, 3); /* Fri 5, Sat 6, Fri 12 */
    assert_int_equal(ev_of(r, 1)->nremoved, 2); /* Sat 6, Sun 7 */
}

static void test_host_holiday(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /* Window Wed 1 .. Fri 3 May 2024, one day, in Kenya: Wed 1 May costs nothing. */
    add_event(w, "board", "KE", date(2024, 5, 1), date(2024, 5, 3), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 1));

    /* Kenya's holidays black out Labour Day, Wed 1 May: Thu 2 (0) beats Fri 3 (+2). */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    add_entry(ke, "ke-labour-day", "Labour Day", date(2024, 5, 1), date(2024, 5, 1));
    /* Outside the window: no constraint at all. */
    add_entry(ke, "ke-madaraka", "Madaraka Day", date(2024, 6, 1), date(2024, 6, 1));
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 2));
    assert_int_equal(ev_of(r, 0)->nremoved, 1);
    expect_removed(r, 0, date(2024, 5, 1), "1 May 2024: Labour Day in Kenya");
    size_t c = con_with(r, "1 May 2024: Labour Day in Kenya");
    assert_int_equal(r->cons[c].kind, CV_CON_BLACKOUT);
    assert_true(r->cons[c].hard);
    assert_true(same_date(&r->cons[c].first, &(struct cv_date){2024, 5, 1}));
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 1);
    assert_int_equal(cv_plan_check(&w->in, r), 0);
}

static void test_other_country_calendar(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /* Uganda's Labour Day does not bind an event in Kenya (and nobody from Uganda comes). */
    struct cv_refcal *ug = add_cal(w, "ug-holidays", "country:UG", CV_MEANING_BLACKOUT);
    add_entry(ug, "ug-labour-day", "Labour Day", date(2024, 5, 1), date(2024, 5, 1));
    add_event(w, "board", "KE", date(2024, 5, 1), date(2024, 5, 3), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 1));
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 0);
    assert_int_equal(count_kind(r, CV_CON_DELEGATES), 0);
    assert_int_equal(ev_of(r, 0)->nremoved, 0);

    /* A calendar for everyone binds it: Thu 2 May, and the sentence names no country. */
    struct cv_refcal *all = add_cal(w, "un-days", "all", CV_MEANING_BLACKOUT);
    add_entry(all, "workers-day", "International Workers' Day", date(2024, 5, 1), date(2024, 5, 1));
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 2));
    expect_removed(r, 0, date(2024, 5, 1), "1 May 2024: International Workers' Day");
}

static void test_region_scope(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 0;
    w->in.spread_days = 0;
    /*
     * A regional calendar (its scope spelt in lower case: regions match without case) blacks
     * out Wed 1 May 2024 for Africa and the Middle East. The Nairobi event moves to Thu 2; the
     * Paris one (Europe) keeps Wed 1 May.
     */
    struct cv_refcal *af =
        add_cal(w, "africa", "region:africa and the middle east", CV_MEANING_BLACKOUT);
    add_entry(af, "af-summit", "African Union summit", date(2024, 5, 1), date(2024, 5, 1));
    add_event(w, "nairobi", "KE", date(2024, 5, 1), date(2024, 5, 3), 1);
    add_event(w, "paris", "FR", date(2024, 5, 1), date(2024, 5, 3), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 2));
    expect_day(r, 1, date(2024, 5, 1));
    expect_removed(r, 0, date(2024, 5, 1), "1 May 2024: African Union summit");
    assert_int_equal(ev_of(r, 1)->nremoved, 0);
}

static void test_own_blackouts(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * A calendar of Uganda (no scope over Kenya): Press Freedom Day Wed 1 May, its dated
     * occurrence on Fri 3 May ("press-day-20240503"), Forum Day Thu 2 May. The event in Kenya,
     * window Wed 1 .. Tue 7 May 2024, one day; alone it would take Wed 1 May.
     */
    struct cv_refcal *c = add_cal(w, "ug-days", "country:UG", CV_MEANING_BLACKOUT);
    add_entry(c, "press-day", "Press Freedom Day", date(2024, 5, 1), date(2024, 5, 1));
    add_entry(c, "forum-day", "Forum Day", date(2024, 5, 2), date(2024, 5, 2));
    add_entry(c, "press-day-20240503", "Press Freedom Day", date(2024, 5, 3), date(2024, 5, 3));
    struct cv_event *e = add_event(w, "board", "KE", date(2024, 5, 1), date(2024, 5, 7), 1);

    /* By entry key: 1 and 3 May go; Thu 2 May (0). */
    set(&e->blackouts, "press-day");
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 2));
    expect_removed(r, 0, date(2024, 5, 1),
                   "1 May 2024: Press Freedom Day (the host asks to stay out of it)");
    expect_removed(r, 0, date(2024, 5, 3),
                   "3 May 2024: Press Freedom Day (the host asks to stay out of it)");
    assert_int_equal(ev_of(r, 0)->nremoved, 4); /* 1, 3 May; the weekend 4, 5 May */

    /* By calendar key: 1, 2, 3 May go; Mon 6 (+2), Tue 7 (0): Tue 7 May. */
    set(&e->blackouts, "ug-days");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 7));
    expect_removed(r, 0, date(2024, 5, 2),
                   "2 May 2024: Forum Day (the host asks to stay out of it)");

    /* In a list with an unknown key: Forum Day only; Wed 1 May. */
    set(&e->blackouts, "nothing-here,forum-day");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 1));
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 1);
}

static void test_own_blackout_key_prefix(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * The blackout key "open" names no entry. "open-gov-week" is another entry's key, not a
     * dated occurrence ("open-YYYYMMDD") of "open": it must not be blacked out, nor avoided.
     * Window Wed 1 .. Fri 3 May 2024, one day: Wed 1 May.
     * A known bug: in_list() in dates.c takes any "k-..." for an occurrence of k, so the
     * engine blacks out 1 May and plans Thu 2 May.
     */
    struct cv_refcal *c = add_cal(w, "events", "country:UG", CV_MEANING_AVOID);
    add_entry(c, "open-gov-week", "Open Gov Week", date(2024, 5, 1), date(2024, 5, 1));
    struct cv_event *e = add_event(w, "board", "KE", date(2024, 5, 1), date(2024, 5, 3), 1);
    set(&e->blackouts, "open");
    const struct cv_plan_result *r = plan(w);
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 0);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 5, 1));
    set(&e->blackouts, NULL);
    set(&e->avoids, "open");
    r = plan(w);
    assert_int_equal(count_kind(r, CV_CON_AVOID), 0);
    expect_day(r, 0, date(2024, 5, 1));
}

static void test_inside(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Inside Open Gov Week, Mon 6 .. Fri 10 May 2024, two days, window April-May: first days
     * Mon 6 (+2), Tue 7, Wed 8, Thu 9 (0). Kenya blacks out Tue 7 May ("Founders' Day"), but
     * an entry overlapping the week the event must be in is exempt: Tue 7 .. Wed 8 May.
     * (Were it not exempt, Wed 8 would win.) Labour Day, 1 May, lies outside the week and
     * stays a constraint.
     */
    struct cv_refcal *ogp = add_cal(w, "ogp", "all", CV_MEANING_PREFER);
    add_entry(ogp, "ogp-week", "Open Gov Week", date(2024, 5, 6), date(2024, 5, 10));
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    add_entry(ke, "founders", "Founders' Day", date(2024, 5, 7), date(2024, 5, 7));
    add_entry(ke, "labour", "Labour Day", date(2024, 5, 1), date(2024, 5, 1));
    struct cv_event *e = add_event(w, "summit", "KE", date(2024, 4, 1), date(2024, 5, 31), 2);
    set(&e->inside, "ogp-week");
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 0, date(2024, 5, 7), date(2024, 5, 8));
    assert_int_equal(ev_of(r, 0)->candidates, 4);
    size_t c = con_with(r, "summit inside Open Gov Week (6 May 2024 to 10 May 2024)");
    assert_int_equal(r->cons[c].kind, CV_CON_INSIDE);
    assert_true(r->cons[c].hard);
    assert_int_equal(find_why(r, "7 May 2024: Founders' Day in Kenya"), SIZE_MAX);
    con_with(r, "1 May 2024: Labour Day in Kenya");
    /* The preferred week is the one it is inside: no cost for it either. */
    assert_int_equal(count_kind(r, CV_CON_PREFER), 0);
    /* Days outside the week count as removed by it. */
    expect_removed(r, 0, date(2024, 4, 30),
                   "summit inside Open Gov Week (6 May 2024 to 10 May 2024)");

    /* A key no calendar has is an error, not a silent pass. */
    struct cv_error err;
    set(&e->inside, "no-such-week");
    assert_int_equal(run(w, &w->r, &err), CV_EINVAL);
    assert_contains(err.msg, "no-such-week");
}

static void test_lead(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 0;
    w->in.spread_days = 0;
    /*
     * Planning from Fri 1 March 2024.
     * A regional meeting: 60 days: not before Tue 30 April (31 + 29 days): Tue 30 April.
     * A leaders' event: 120 days: not before Sat 29 June: Mon 1 July (+2), Tue 2 July (0).
     * An event with a lead of 10 days (Mon 11 March): the window (April) decides: Tue 2 April.
     */
    w->in.planning_date = date(2024, 3, 1);
    struct cv_event *m = add_event(w, "meeting", "KE", date(2024, 4, 1), date(2024, 5, 31), 1);
    m->kind = CV_KIND_REGIONAL_MEETING;
    add_event(w, "leaders", "KE", date(2024, 4, 1), date(2024, 7, 31), 1)->kind =
        CV_KIND_LEADERS_EVENT;
    add_event(w, "quick", "KE", date(2024, 4, 1), date(2024, 5, 31), 1)->lead_days = 10;
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 4, 30));
    expect_day(r, 1, date(2024, 7, 2));
    expect_day(r, 2, date(2024, 4, 2));
    size_t c = con_with(r, "invitations to meeting go out 60 days ahead of planning from 1 March "
                           "2024: not before 30 April 2024");
    assert_int_equal(r->cons[c].kind, CV_CON_LEAD);
    assert_int_equal(r->cons[c].days, 60);
    con_with(r, "invitations to leaders go out 120 days ahead of planning from 1 March 2024: not "
                "before 29 June 2024");
    con_with(r, "invitations to quick go out 10 days ahead of planning from 1 March 2024: not "
                "before 11 March 2024");
    expect_removed(r, 0, date(2024, 4, 29),
                   "invitations to meeting go out 60 days ahead of planning from 1 March 2024: "
                   "not before 30 April 2024");

    /* Without a planning date there is no lead time: all three on Tue 2 April. */
    w->in.planning_date = nodate();
    r = plan(w);
    expect_optimal(r, 0);
    assert_int_equal(count_kind(r, CV_CON_LEAD), 0);
    for (size_t i = 0; i < 3; i++)
        expect_day(r, i, date(2024, 4, 2));
}

static void test_gap_planned(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 14;
    w->in.spread_days = 0;
    /*
     * a: three days in Mon 1 .. Fri 5 July 2024; b: one day in Mon 1 .. Thu 18 July.
     * b cannot come first (a would then start after 16 July). a on Mon 1 (ends Wed 3, +2)
     * leaves b Thu 18 (0): exactly 14 free days, 4 .. 17 July. a on Tue 2 or Wed 3 pushes b
     * past its window. Score 2.
     */
    add_event(w, "a", "KE", date(2024, 7, 1), date(2024, 7, 5), 3);
    add_event(w, "b", "KE", date(2024, 7, 1), date(2024, 7, 18), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 2);
    expect_span(r, 0, date(2024, 7, 1), date(2024, 7, 3));
    expect_day(r, 1, date(2024, 7, 18));
    size_t c = con_with(r, "at least 14 days between a and b");
    assert_int_equal(r->cons[c].kind, CV_CON_GAP);
    assert_true(r->cons[c].hard);
    assert_int_equal(r->cons[c].days, 14);
    assert_int_equal(count_kind(r, CV_CON_GAP), 1);
    assert_int_equal(count_kind(r, CV_CON_SPREAD), 0);

    /* No gap at all: both take their cheapest day, Tue 2 July. */
    w->in.gap_days = 0;
    r = plan(w);
    expect_optimal(r, 0);
    assert_int_equal(count_kind(r, CV_CON_GAP), 0);
    expect_span(r, 0, date(2024, 7, 2), date(2024, 7, 4));
    expect_day(r, 1, date(2024, 7, 2));
}

static void test_gap_fixed(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 14;
    w->in.spread_days = 0;
    /*
     * A held event Wed 10 .. Fri 12 July 2024; p, one day in July. Before it, p would end by
     * 25 June: outside the window. After: from Sat 27 July: Mon 29 (+2), Tue 30 (0): Tue 30.
     * A cancelled event on 30 July is ignored.
     */
    add_fixed(w, "held", "KE", date(2024, 7, 10), 3, CV_EVENT_HELD);
    add_event(w, "p", "KE", date(2024, 7, 1), date(2024, 7, 31), 1);
    struct cv_event *x = add_event(w, "gone", "KE", date(2024, 7, 30), date(2024, 7, 30), 1);
    x->status = CV_EVENT_CANCELLED;
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    assert_int_equal(r->nev, 2);
    const struct cv_plan_event *h = ev_of(r, 0);
    assert_true(h->fixed);
    assert_true(h->placed);
    expect_span(r, 0, date(2024, 7, 10), date(2024, 7, 12));
    expect_day(r, 1, date(2024, 7, 30));
    con_with(r, "at least 14 days between p and held");
    for (size_t k = 0; k < r->nev; k++)
        assert_int_not_equal(r->ev[k].event, 2);
    for (size_t c = 0; c < r->ncons; c++)
        assert_true(r->cons[c].event != 2 && r->cons[c].other != 2);

    /* Confirmed counts the same as held. */
    w->ev[0].status = CV_EVENT_CONFIRMED;
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 7, 30));

    /* Cancelled, it is gone: p takes Tue 2 July. */
    w->ev[0].status = CV_EVENT_CANCELLED;
    r = plan(w);
    expect_optimal(r, 0);
    assert_int_equal(r->nev, 1);
    expect_day(r, 1, date(2024, 7, 2));

    /* Tentative with dates is not fixed: it is planned, and without a window it cannot be. */
    struct cv_error err;
    w->ev[0].status = CV_EVENT_TENTATIVE;
    assert_int_equal(run(w, &w->r, &err), CV_EINVAL);
    assert_contains(err.msg, "event held has no window");
}

static void test_avoid(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Kenya avoids its election week, Mon 1 .. Wed 3 July 2024 (10 a day). Two days in
     * Mon 1 .. Thu 4 July: Mon 1 (20 + 2), Tue 2 (20), Wed 3 (10: only Wed 3 in the week):
     * Wed 3 .. Thu 4, at a cost of 10.
     */
    struct cv_refcal *ke = add_cal(w, "ke-avoid", "country:KE", CV_MEANING_AVOID);
    add_entry(ke, "elections", "Election week", date(2024, 7, 1), date(2024, 7, 3));
    add_event(w, "talks", "KE", date(2024, 7, 1), date(2024, 7, 4), 2);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 10);
    expect_span(r, 0, date(2024, 7, 3), date(2024, 7, 4));
    const struct cv_plan_event *pe = ev_of(r, 0);
    assert_int_equal(pe->cost, 10);
    assert_string_equal(pe->cost_why, "1 July 2024 to 3 July 2024: Election week (avoided) (+10)");
    assert_true(pe->has_runner_up);
    assert_true(same_date(&pe->runner_start, &(struct cv_date){2024, 7, 2}));
    assert_int_equal(pe->runner_cost, 20);
    size_t c = con_with(r, "1 July 2024 to 3 July 2024: Election week (avoided)");
    assert_false(r->cons[c].hard);
    assert_int_equal(r->cons[c].weight, 10);
}

static void test_own_avoids(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Uganda's trade fair, Tue 2 .. Wed 3 July 2024, is nothing to an event in Kenya (window
     * Mon 1 .. Fri 5 July, one day: Tue 2) until the event avoids it: Thu 4 (0).
     */
    struct cv_refcal *ug = add_cal(w, "ug-events", "country:UG", CV_MEANING_PREFER);
    add_entry(ug, "trade-fair", "Trade fair", date(2024, 7, 2), date(2024, 7, 3));
    struct cv_event *e = add_event(w, "talks", "KE", date(2024, 7, 1), date(2024, 7, 5), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 2));
    set(&e->avoids, "trade-fair");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 4));
    con_with(r, "2 July 2024 to 3 July 2024: Trade fair (avoided)");

    /*
     * An entry's own meaning overrides its calendar's: Kenya's blackout calendar marks Thu 4
     * July only to avoid. Tue 2, Wed 3, Thu 4 now cost 10, Mon 1 and Fri 5 cost 2: Mon 1.
     */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    struct cv_refentry *en =
        add_entry(ke, "maybe", "Maybe a holiday", date(2024, 7, 4), date(2024, 7, 4));
    en->has_meaning = true;
    en->meaning = CV_MEANING_AVOID;
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 0, date(2024, 7, 1));
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 0);
    assert_int_equal(count_kind(r, CV_CON_AVOID), 2);
}

static void test_prefer(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Everyone prefers Open Gov Week, Tue 9 .. Fri 12 July 2024 (5 a day outside it). Two days
     * in Mon 1 .. Tue 9 July: Mon 1 (10 + 2), Tue 2, Wed 3, Thu 4 (10), Mon 8 (Mon 8 outside
     * the week: 5, and a Monday: 2): Mon 8 .. Tue 9, at a cost of 7.
     */
    struct cv_refcal *c = add_cal(w, "weeks", "all", CV_MEANING_PREFER);
    add_entry(c, "gov-week", "Open Gov Week", date(2024, 7, 9), date(2024, 7, 12));
    add_event(w, "talks", "KE", date(2024, 7, 1), date(2024, 7, 9), 2);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 7);
    expect_span(r, 0, date(2024, 7, 8), date(2024, 7, 9));
    const struct cv_plan_event *pe = ev_of(r, 0);
    assert_int_equal(pe->cost, 7);
    assert_contains(pe->cost_why, "9 July 2024 to 12 July 2024: Open Gov Week (preferred) (+5)");
    assert_contains(pe->cost_why, "talks starting mid-week (tue,wed,thu) (+2)");
    size_t k = con_with(r, "9 July 2024 to 12 July 2024: Open Gov Week (preferred)");
    assert_int_equal(r->cons[k].kind, CV_CON_PREFER);
    assert_int_equal(r->cons[k].weight, 5);
}

static void test_delegates(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * An event in Kenya, one day, Tue 2 or Wed 3 July 2024. Uganda's Heroes' Day is Tue 2 July,
     * Tanzania's Saba Saba Wed 3 July (national holidays: blackout at home, a cost of 3 per
     * invited delegate per day elsewhere). One delegate from Uganda and two from Tanzania:
     * Tue 2 costs 3, Wed 3 costs 6: Tue 2.
     */
    struct cv_refcal *ug = add_cal(w, "ug-holidays", "country:UG", CV_MEANING_BLACKOUT);
    add_entry(ug, "heroes", "Heroes' Day", date(2024, 7, 2), date(2024, 7, 2));
    struct cv_refcal *tz = add_cal(w, "tz-holidays", "country:TZ", CV_MEANING_BLACKOUT);
    add_entry(tz, "saba-saba", "Saba Saba", date(2024, 7, 3), date(2024, 7, 3));
    /* A preferred date elsewhere is no holiday: it costs nothing. */
    struct cv_refcal *tzp = add_cal(w, "tz-fairs", "country:TZ", CV_MEANING_PREFER);
    add_entry(tzp, "fair", "Dar fair", date(2024, 7, 2), date(2024, 7, 2));
    struct cv_event *e = add_event(w, "talks", "KE", date(2024, 7, 2), date(2024, 7, 3), 1);
    add_person(w, "UG", CV_ROLE_DELEGATE);
    add_person(w, "TZ", CV_ROLE_DELEGATE);
    add_person(w, "TZ", CV_ROLE_DELEGATE);
    add_person(w, "KE", CV_ROLE_DELEGATE); /* the host's own people count for nothing here */
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 3);
    expect_day(r, 0, date(2024, 7, 2));
    size_t c = con_with(r, "3 July 2024: Saba Saba in Tanzania, home of 2 invited delegates");
    assert_int_equal(r->cons[c].kind, CV_CON_DELEGATES);
    assert_false(r->cons[c].hard);
    assert_int_equal(r->cons[c].count, 2);
    assert_int_equal(r->cons[c].weight, 3);
    con_with(r, "2 July 2024: Heroes' Day in Uganda, home of 1 invited delegate");
    assert_int_equal(count_kind(r, CV_CON_DELEGATES), 2);
    assert_int_equal(count_kind(r, CV_CON_BLACKOUT), 0);

    /* Two more from Uganda: Tue 2 costs 9, Wed 3 still 6: Wed 3. More delegates weigh more. */
    add_person(w, "UG", CV_ROLE_DELEGATE);
    add_person(w, "UG", CV_ROLE_DELEGATE);
    r = plan(w);
    expect_optimal(r, 6);
    expect_day(r, 0, date(2024, 7, 3));

    /*
     * Only Tanzania invited: Uganda's three delegates are not coming, Tue 2 is free. A
     * principal from Uganda is in every audience: Tue 2 costs 3, still less than 6.
     */
    set(&e->audience, "country:TZ");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 2));
    add_person(w, "UG", CV_ROLE_PRINCIPAL);
    r = plan(w);
    expect_optimal(r, 3);
    expect_day(r, 0, date(2024, 7, 2));
    con_with(r, "2 July 2024: Heroes' Day in Uganda, home of 1 invited delegate");

    /*
     * A regional meeting of Europe invites none of them but the principal: Tue 2 costs 3,
     * Wed 3 nothing: Wed 3.
     */
    set(&e->audience, NULL);
    e->kind = CV_KIND_REGIONAL_MEETING;
    set(&e->region, "Europe");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 3));
    assert_int_equal(count_kind(r, CV_CON_DELEGATES), 1);
}

static void test_weekday(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /* One day in Mon 1 .. Fri 5 July 2024: Tue-Thu by default (Tue 2), else as asked. */
    struct cv_event *e = add_event(w, "talks", "KE", date(2024, 7, 1), date(2024, 7, 5), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 2));
    size_t c = con_with(r, "talks starting mid-week (tue,wed,thu)");
    assert_int_equal(r->cons[c].kind, CV_CON_WEEKDAY);
    assert_int_equal(r->cons[c].weekdays, MID_WEEK);
    assert_int_equal(r->cons[c].weight, 2);
    e->prefer_weekdays = MON;
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 1));
    e->prefer_weekdays = FRI;
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 5));
    con_with(r, "talks starting mid-week (fri)");

    /* Fri 5 .. Mon 8: both +2, the earlier wins, and the runner-up says why. */
    e->prefer_weekdays = 0;
    e->window_start = date(2024, 7, 5);
    e->window_end = date(2024, 7, 8);
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 0, date(2024, 7, 5));
    const struct cv_plan_event *pe = ev_of(r, 0);
    assert_true(pe->has_runner_up);
    assert_true(same_date(&pe->runner_start, &(struct cv_date){2024, 7, 8}));
    assert_int_equal(pe->runner_cost, 2);
    assert_string_equal(pe->lost_on, "nothing: an equal score, and the earlier date wins the tie");
}

static void test_preferred_dates(void **state)
{
    struct world *w = *state;
    add_countries(w);
    struct cv_event *e = add_event(w, "talks", "KE", date(2024, 7, 1), date(2024, 7, 31), 1);
    /* Preferred Wed 17 July: taken, at no cost. */
    e->prefer_first = e->prefer_last = date(2024, 7, 17);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 7, 17));
    con_with(r, "talks preferably starting 17 July 2024");
    /*
     * Preferred Sat 20 July: Thu 18 (2 days away), Fri 19 (1 + 2 not mid-week), Mon 22
     * (2 + 2), Tue 23 (3): Thu 18, at a cost of 2.
     */
    e->prefer_first = e->prefer_last = date(2024, 7, 20);
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 0, date(2024, 7, 18));
    /*
     * Preferred Sat 20 .. Sun 21: Thu 18 (2), Fri 19 (1 + 2), Mon 22 (1 + 2), Tue 23 (2):
     * Thu 18 and Tue 23 tie at 2; the earlier wins.
     */
    e->prefer_last = date(2024, 7, 21);
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 0, date(2024, 7, 18));
    con_with(r, "talks preferably starting 20 July 2024 to 21 July 2024");
}

static void test_spread(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 0;
    w->in.spread_days = 60;
    /*
     * a on Tue 2 July 2024; b one day in 1 July .. 31 August, 1 a day closer than 60 free days.
     * Thu 29 Aug: 57 free days (3 July .. 28 Aug): 3. Fri 30 Aug: 58: 2, +2 for a Friday: 4.
     * Wed 28 Aug: 56: 4. Earlier is dearer still. b on Thu 29 August, score 3.
     */
    add_event(w, "a", "KE", date(2024, 7, 2), date(2024, 7, 2), 1);
    add_event(w, "b", "KE", date(2024, 7, 1), date(2024, 8, 31), 1);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 3);
    expect_day(r, 0, date(2024, 7, 2));
    expect_day(r, 1, date(2024, 8, 29));
    size_t c = con_with(r, "a and b spread 60 days apart or more");
    assert_int_equal(r->cons[c].kind, CV_CON_SPREAD);
    assert_false(r->cons[c].hard);
    assert_int_equal(r->cons[c].days, 60);
    /* With September open, Tue 3 Sep is 62 free days away: no cost. */
    w->ev[1].window_end = date(2024, 9, 30);
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 9, 3));
}

static void test_leap_day(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * Three days in Mon 26 Feb .. Mon 4 Mar 2024 (Kenya): Mon 26 (+2), Tue 27 .. Thu 29 Feb (0),
     * Wed 28 Feb .. Fri 1 Mar (0): Tue 27 .. Thu 29 February.
     */
    struct cv_event *e = add_event(w, "leap", "KE", date(2024, 2, 26), date(2024, 3, 4), 3);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 0, date(2024, 2, 27), date(2024, 2, 29));
    assert_int_equal(ev_of(r, 0)->candidates, 3);

    /* Tue 27 blacked out: Wed 28 Feb .. Fri 1 March, across the leap day. */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    struct cv_refentry *en = add_entry(ke, "x", "Some Day", date(2024, 2, 27), date(2024, 2, 27));
    r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 0, date(2024, 2, 28), date(2024, 3, 1));

    /* The leap day itself blacked out: only Mon 26 .. Wed 28 Feb is left (+2). */
    set(&en->summary, "Leap Day");
    en->first = en->last = date(2024, 2, 29);
    r = plan(w);
    expect_optimal(r, 2);
    expect_span(r, 0, date(2024, 2, 26), date(2024, 2, 28));
    expect_removed(r, 0, date(2024, 2, 29), "29 February 2024: Leap Day in Kenya");
    assert_int_equal(ev_of(r, 0)->candidates, 1);

    /* 2023 has no leap day: Tue 28 Feb .. Thu 2 Mar 2023. */
    en->first = en->last = date(2023, 1, 1);
    e->window_start = date(2023, 2, 27);
    e->window_end = date(2023, 3, 3);
    r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 0, date(2023, 2, 28), date(2023, 3, 2));

    /* Lead time over the leap day: 1 Feb 2024 + 30 days = Sat 2 March; Tue 5 March. */
    w->in.planning_date = date(2024, 2, 1);
    e->lead_days = 30;
    e->days = 1;
    e->window_start = date(2024, 2, 26);
    e->window_end = date(2024, 3, 8);
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 3, 5));
    con_with(r, "invitations to leap go out 30 days ahead of planning from 1 February 2024: not "
                "before 2 March 2024");
}

static void test_dst_madrid(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.spread_days = 0;
    /*
     * Madrid moves its clocks on Sun 31 March 2024. Two days in Fri 29 Mar .. Wed 3 Apr: Mon 1
     * Apr (+2), Tue 2 .. Wed 3 Apr (0); Fri 29 runs into Saturday. Tue 2 .. Wed 3 April.
     */
    add_event(w, "madrid", "ES", date(2024, 3, 29), date(2024, 4, 3), 2);
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 0, date(2024, 4, 2), date(2024, 4, 3));
    assert_int_equal(ev_of(r, 0)->candidates, 2);
    assert_int_equal(ev_of(r, 0)->nremoved, 2);
    expect_removed(r, 0, date(2024, 3, 30), "the weekend in Spain (sat,sun)");
    expect_removed(r, 0, date(2024, 3, 31), "the weekend in Spain (sat,sun)");

    /*
     * Lead time across the change: 1 Feb 2024 + 60 days = Mon 1 April (not 31 March, not
     * 2 April). Preferring Mondays, in 25 Mar .. 5 Apr: Mon 1 April.
     */
    w->in.planning_date = date(2024, 2, 1);
    w->ev[0].window_start = date(2024, 3, 25);
    w->ev[0].window_end = date(2024, 4, 5);
    w->ev[0].days = 1;
    w->ev[0].prefer_weekdays = MON;
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 4, 1));
    con_with(r, "invitations to madrid go out 60 days ahead of planning from 1 February 2024: "
                "not before 1 April 2024");

    /*
     * A gap across the change: held Wed 27 .. Fri 29 March; 9 free days (30 March .. 7 April)
     * make Mon 8 April the first allowed day, and it is a Monday.
     */
    w->in.planning_date = nodate();
    w->in.gap_days = 9;
    add_fixed(w, "before", "ES", date(2024, 3, 27), 3, CV_EVENT_HELD);
    w->ev[0].window_start = date(2024, 4, 1);
    w->ev[0].window_end = date(2024, 4, 30);
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 4, 8));
    /* The autumn change, Sun 27 October 2024: Mon 28 October is still a Monday. */
    w->ev[1].start = date(2024, 10, 16);
    w->ev[1].end = date(2024, 10, 18);
    w->ev[0].window_start = date(2024, 10, 21);
    w->ev[0].window_end = date(2024, 11, 8);
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 0, date(2024, 10, 28)); /* 19 .. 27 October: 9 free days */
}

static void test_dst_new_york(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.spread_days = 0;
    w->in.gap_days = 16;
    /*
     * New York moves its clocks on Sun 10 March 2024. Held Wed 6 .. Fri 8 March; 16 free days,
     * 9 .. 24 March, make Mon 25 March the first allowed day; preferring Mondays: Mon 25.
     */
    add_fixed(w, "held", "US", date(2024, 3, 6), 3, CV_EVENT_HELD);
    struct cv_event *e = add_event(w, "next", "US", date(2024, 3, 1), date(2024, 3, 29), 1);
    e->prefer_weekdays = MON;
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 3, 25));
    /* One more free day needed: Mon 25 is out, Tue 26 (+2) is next. */
    w->in.gap_days = 17;
    r = plan(w);
    expect_optimal(r, 2);
    expect_day(r, 1, date(2024, 3, 26));
    /* Five days in the week after the change, Mon 11 .. Fri 15 March: exactly the window. */
    w->in.gap_days = 0;
    e->days = 5;
    e->window_start = date(2024, 3, 11);
    e->window_end = date(2024, 3, 15);
    r = plan(w);
    expect_optimal(r, 0);
    expect_span(r, 1, date(2024, 3, 11), date(2024, 3, 15));
}

static void test_date_line(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.spread_days = 0;
    w->in.gap_days = 1;
    /*
     * Dates are each host's own calendar days, whatever the zones: held in Manila (UTC+8)
     * Mon 8 .. Wed 10 July 2024, an event in New York (UTC-4) needs one free day after it:
     * Thu 11 is the free day, Fri 12 July (preferred) is the first allowed. No shift of a day
     * either way across the date line.
     */
    add_fixed(w, "manila", "PH", date(2024, 7, 8), 3, CV_EVENT_HELD);
    struct cv_event *e = add_event(w, "new-york", "US", date(2024, 7, 10), date(2024, 7, 19), 1);
    e->prefer_weekdays = FRI;
    const struct cv_plan_result *r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 7, 12));
    con_with(r, "the weekend in the United States (sat,sun)");
    /* The other way round: held in New York, planned in Manila: the same day. */
    set(&w->ev[0].country, "US");
    set(&w->ev[0].tzid, "America/New_York");
    set(&e->country, "PH");
    set(&e->tzid, "Asia/Manila");
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 7, 12));
    /* Preferring Thursday: Thu 11 would leave no free day; Thu 18 July. */
    e->prefer_weekdays = THU;
    r = plan(w);
    expect_optimal(r, 0);
    expect_day(r, 1, date(2024, 7, 18));
}

static void test_no_window(void **state)
{
    struct world *w = *state;
    struct cv_error err;
    add_countries(w);
    add_event(w, "drifting", "KE", nodate(), nodate(), 1);
    assert_int_equal(run(w, &w->r, &err), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_contains(err.msg, "event drifting has no window");
}

/* ---- unit tests: infeasible inputs and their conflicts in words ------------------------------ */

static void test_conflict_short_window(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /* Three days in Mon 1 .. Tue 2 July 2024: the window alone makes it impossible. */
    add_event(w, "short", "KE", date(2024, 7, 1), date(2024, 7, 2), 3);
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_false(r->optimal);
    assert_true(r->hard_violations > 0);
    assert_false(ev_of(r, 0)->placed);
    assert_int_equal(r->nconflict, 1);
    assert_true(conflict_has(r, "the window of short: 1 July 2024 to 2 July 2024, for 3 days"));
    expect_minimal_conflict(w, r);
}

static void test_conflict_all_holidays(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * One day in Fri 5 .. Mon 8 July 2024 in Kenya: Fri 5 and Mon 8 are holidays, Sat 6 and
     * Sun 7 the weekend. The conflict: the window, the weekend, and both holidays.
     */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    add_entry(ke, "prayer", "Day of Prayer", date(2024, 7, 5), date(2024, 7, 5));
    add_entry(ke, "heroes", "Heroes Monday", date(2024, 7, 8), date(2024, 7, 8));
    add_entry(ke, "later", "Later Day", date(2024, 7, 9), date(2024, 7, 9)); /* not in it */
    add_event(w, "stuck", "KE", date(2024, 7, 5), date(2024, 7, 8), 1);
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(r->nconflict, 4);
    assert_true(conflict_has(r, "the window of stuck: 5 July 2024 to 8 July 2024, for 1 day"));
    assert_true(conflict_has(r, "the weekend in Kenya (sat,sun)"));
    assert_true(conflict_has(r, "5 July 2024: Day of Prayer in Kenya"));
    assert_true(conflict_has(r, "8 July 2024: Heroes Monday in Kenya"));
    expect_minimal_conflict(w, r);

    /* A country whose every day is a holiday: a week-long holiday over the whole window. */
    w->cal[0].entries[2].first = date(2024, 7, 1);
    w->cal[0].entries[2].last = date(2024, 7, 12);
    set(&w->cal[0].entries[2].summary, "Holiday fortnight");
    w->ev[0].window_start = date(2024, 7, 2);
    w->ev[0].window_end = date(2024, 7, 10);
    r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(r->nconflict, 2);
    assert_true(conflict_has(r, "the window of stuck: 2 July 2024 to 10 July 2024, for 1 day"));
    assert_true(conflict_has(r, "1 July 2024 to 12 July 2024: Holiday fortnight in Kenya"));
    expect_minimal_conflict(w, r);
}

static void test_conflict_removed_days(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * dates.c says the days removed are part of the story of an infeasible event too: the
     * holiday and the weekend days of a window with no day left are listed.
     * A known bug: cv_plan_dates() fills removed[] (and candidates) only through explain(),
     * which runs for feasible plans alone; an infeasible event comes back with none.
     */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    add_entry(ke, "prayer", "Day of Prayer", date(2024, 7, 5), date(2024, 7, 5));
    add_entry(ke, "heroes", "Heroes Monday", date(2024, 7, 8), date(2024, 7, 8));
    add_event(w, "stuck", "KE", date(2024, 7, 5), date(2024, 7, 8), 1);
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(ev_of(r, 0)->nremoved, 4);
    expect_removed(r, 0, date(2024, 7, 5), "5 July 2024: Day of Prayer in Kenya");
    expect_removed(r, 0, date(2024, 7, 6), "the weekend in Kenya (sat,sun)");
}

static void test_conflict_gap(void **state)
{
    struct world *w = *state;
    add_countries(w);
    w->in.gap_days = 14;
    /*
     * a in Mon 1 .. Wed 3 July 2024, b in Mon 8 .. Wed 10 July, one day each: at most 8 free
     * days between them, 14 needed. The conflict: both windows and the gap.
     */
    add_event(w, "a", "KE", date(2024, 7, 1), date(2024, 7, 3), 1);
    add_event(w, "b", "KE", date(2024, 7, 8), date(2024, 7, 10), 1);
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(r->nconflict, 3);
    assert_true(conflict_has(r, "at least 14 days between a and b"));
    assert_true(conflict_has(r, "the window of a: 1 July 2024 to 3 July 2024, for 1 day"));
    assert_true(conflict_has(r, "the window of b: 8 July 2024 to 10 July 2024, for 1 day"));
    expect_minimal_conflict(w, r);

    /* With a held event in the way instead of a: the gap to it and b's window. */
    w->ev[0].status = CV_EVENT_HELD;
    w->ev[0].start = w->ev[0].end = date(2024, 7, 3);
    r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(r->nconflict, 2);
    assert_true(conflict_has(r, "at least 14 days between b and a"));
    assert_true(conflict_has(r, "the window of b: 8 July 2024 to 10 July 2024, for 1 day"));
    expect_minimal_conflict(w, r);
}

static void test_conflict_lead(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /* Planning from 1 June 2024 with 60 days' lead: not before 31 July; the window is in July. */
    w->in.planning_date = date(2024, 6, 1);
    add_event(w, "late", "KE", date(2024, 7, 1), date(2024, 7, 30), 1);
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_int_equal(r->nconflict, 2);
    assert_true(conflict_has(r, "the window of late: 1 July 2024 to 30 July 2024, for 1 day"));
    assert_true(conflict_has(r, "invitations to late go out 60 days ahead of planning from 1 June "
                                "2024: not before 31 July 2024"));
    expect_minimal_conflict(w, r);
}

/*
 * The search for the smallest conflict shares the plan's budget: when it runs out, the set
 * narrowed so far still conflicts (the independent checker says so), the result says it may
 * not be the smallest, and the budget held. Budgets in nodes, not seconds: no clock is read.
 */
static void test_conflict_budget(void **state)
{
    struct world *w = *state;
    add_countries(w);
    /*
     * One day in Fri 5 .. Mon 8 July 2024 in Kenya: the weekend, Heroes Monday, and Fri 5 twice
     * (the Kenyan Day of Prayer, and a World Day for everyone). The smallest conflict drops the
     * Day of Prayer, the third one checked (window, weekend, then the calendars in order).
     */
    struct cv_refcal *ke = add_cal(w, "ke-holidays", "country:KE", CV_MEANING_BLACKOUT);
    add_entry(ke, "prayer", "Day of Prayer", date(2024, 7, 5), date(2024, 7, 5));
    add_entry(ke, "heroes", "Heroes Monday", date(2024, 7, 8), date(2024, 7, 8));
    struct cv_refcal *all = add_cal(w, "world", "all", CV_MEANING_BLACKOUT);
    add_entry(all, "world-day", "World Day", date(2024, 7, 5), date(2024, 7, 5));
    add_event(w, "stuck", "KE", date(2024, 7, 5), date(2024, 7, 8), 1);

    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_true(r->complete);
    assert_true(r->conflict_minimal);
    assert_int_equal(r->nconflict, 4);
    assert_false(conflict_has(r, "5 July 2024: Day of Prayer in Kenya"));
    assert_true(conflict_has(r, "5 July 2024: World Day"));
    expect_minimal_conflict(w, r);
    unsigned long whole = r->nodes;

    /* Every smaller budget: the set is still a conflict, proven; the budget holds. */
    bool partial = false;
    for (unsigned long budget = 1; budget < whole; budget++) {
        w->in.node_limit = budget;
        r = plan(w);
        assert_false(r->feasible);
        assert_true(r->complete); /* infeasible is proven: only the smallest set is not */
        assert_false(r->conflict_minimal);
        assert_true(r->nodes <= budget);
        assert_true(r->nconflict >= 4);
        assert_true(conflict_has(r, "the window of stuck: 5 July 2024 to 8 July 2024, for 1 day"));
        assert_true(conflict_has(r, "8 July 2024: Heroes Monday in Kenya"));
        bool *on = calloc(r->ncons + 1, sizeof(bool));
        assert_non_null(on);
        for (size_t k = 0; k < r->nconflict; k++)
            on[r->conflict[k]] = true;
        int verdict = cons_feasible(w, r, on);
        free(on);
        assert_int_equal(verdict, 0);
        /* Ran out after the checks of the window and the weekend, before the Day of Prayer's. */
        partial |= r->nconflict == 5 && conflict_has(r, "5 July 2024: Day of Prayer in Kenya");
    }
    assert_true(partial);

    /* The whole budget again: the smallest. */
    w->in.node_limit = whole;
    r = plan(w);
    assert_true(r->conflict_minimal);
    assert_int_equal(r->nconflict, 4);
}

/* Too small a budget to place two events: no plan, the search not finished (so not called
 * infeasible: no conflict is looked for), and the budget reported as spent. */
static void test_no_plan_within_budget(void **state)
{
    struct world *w = *state;
    add_countries(w);
    add_event(w, "a", "KE", date(2024, 7, 1), date(2024, 7, 31), 1);
    add_event(w, "b", "KE", date(2024, 9, 2), date(2024, 9, 30), 1);
    w->in.node_limit = 2;
    const struct cv_plan_result *r = plan(w);
    assert_false(r->feasible);
    assert_false(r->complete);
    assert_int_equal(r->nconflict, 0);
    assert_int_equal(r->nodes, 2);
    w->in.node_limit = 0; /* the time limit's budget: a plan */
    r = plan(w);
    assert_true(r->feasible);
    assert_true(r->complete);
}

/* ---- the independent checker: the hard rules and the soft score, from the input -------------- */

static bool list_has(const char *list, const char *key)
{
    if (!list || !key)
        return false;
    size_t klen = strlen(key);
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, ",");
        if (n == klen && strncmp(s, key, n) == 0)
            return true;
        /* A dated occurrence "k-YYYYMMDD" of k. */
        if (n && klen == n + 9 && strncmp(s, key, n) == 0 && key[n] == '-' &&
            strspn(key + n + 1, "0123456789") == 8)
            return true;
        s += n;
        if (*s == ',')
            s++;
    }
    return false;
}

static bool scope_applies(const struct cv_refcal *c, const struct cv_event *e)
{
    if (!c->scope)
        return false;
    if (strcmp(c->scope, "all") == 0)
        return true;
    if (strncmp(c->scope, "region:", 7) == 0)
        return e->region && strcasecmp(c->scope + 7, e->region) == 0;
    if (strncmp(c->scope, "country:", 8) == 0)
        return e->country && strcmp(c->scope + 8, e->country) == 0;
    return false;
}

static const struct cv_refentry *entry_by_key(const struct world *w, const char *key)
{
    for (size_t c = 0; key && c < w->ncal; c++) {
        for (size_t k = 0; k < w->cal[c].n; k++) {
            if (w->cal[c].entries[k].key && strcmp(w->cal[c].entries[k].key, key) == 0)
                return &w->cal[c].entries[k];
        }
    }
    return NULL;
}

static bool spans_meet(int64_t a1, int64_t a2, int64_t b1, int64_t b2)
{
    return a1 <= b2 && b1 <= a2;
}

static int64_t overlap_len(int64_t a1, int64_t a2, int64_t b1, int64_t b2)
{
    int64_t lo = a1 > b1 ? a1 : b1, hi = a2 < b2 ? a2 : b2;
    return hi >= lo ? hi - lo + 1 : 0;
}

static enum cv_meaning meaning_of(const struct cv_refcal *c, const struct cv_refentry *en)
{
    return en->has_meaning ? en->meaning : c->meaning;
}

/* Is the entry exempt for @e, being around what @e must be inside? */
static bool exempt(const struct world *w, const struct cv_event *e, const struct cv_refentry *en)
{
    const struct cv_refentry *in = e->inside ? entry_by_key(w, e->inside) : NULL;
    return in && spans_meet(dnum(&en->first), dnum(&en->last), dnum(&in->first), dnum(&in->last));
}

static bool is_blackout_for(const struct world *w, const struct cv_event *e,
                            const struct cv_refcal *c, const struct cv_refentry *en)
{
    if (exempt(w, e, en))
        return false;
    return list_has(e->blackouts, en->key) || list_has(e->blackouts, c->key) ||
           (scope_applies(c, e) && meaning_of(c, en) == CV_MEANING_BLACKOUT);
}

static int lead_of(const struct cv_event *e)
{
    return e->lead_days ? e->lead_days : e->kind == CV_KIND_LEADERS_EVENT ? 120 : 60;
}

static unsigned rest_of(const struct world *w, const struct cv_event *e)
{
    const struct cv_country *c = find_country(w, e->country);
    return c && c->weekend ? c->weekend : SAT_SUN;
}

/* Does @e on first day @s break one of its own hard rules? Says which in @why. */
static bool span_ok(const struct world *w, const struct cv_event *e, int64_t s, char *why,
                    size_t size)
{
    int64_t a = s, b = s + e->days - 1;
    if (a < dnum(&e->window_start) || b > dnum(&e->window_end)) {
        snprintf(why, size, "%s: %s..%s outside its window", e->key, dtn(a).s, dtn(b).s);
        return false;
    }
    unsigned rest = rest_of(w, e);
    for (int64_t d = a; d <= b; d++) {
        if (rest & CV_WEEKDAY_BIT(weekday_of(d))) {
            snprintf(why, size, "%s: %s is a rest day of %s", e->key, dtn(d).s, e->country);
            return false;
        }
    }
    if (e->inside) {
        const struct cv_refentry *in = entry_by_key(w, e->inside);
        if (!in || a < dnum(&in->first) || b > dnum(&in->last)) {
            snprintf(why, size, "%s: %s..%s not inside %s", e->key, dtn(a).s, dtn(b).s, e->inside);
            return false;
        }
    }
    if (cv_date_is_set(&w->in.planning_date) && a < dnum(&w->in.planning_date) + lead_of(e)) {
        snprintf(why, size, "%s: %s is within the lead time", e->key, dtn(a).s);
        return false;
    }
    for (size_t c = 0; c < w->ncal; c++) {
        for (size_t k = 0; k < w->cal[c].n; k++) {
            const struct cv_refentry *en = &w->cal[c].entries[k];
            if (spans_meet(a, b, dnum(&en->first), dnum(&en->last)) &&
                is_blackout_for(w, e, &w->cal[c], en)) {
                snprintf(why, size, "%s: %s..%s touches the blackout %s of %s", e->key, dtn(a).s,
                         dtn(b).s, en->summary, w->cal[c].key);
                return false;
            }
        }
    }
    return true;
}

/* How many invited people come from @iso2. */
static long delegates(const struct world *w, const struct cv_event *e, const char *iso2)
{
    long n = 0;
    for (size_t i = 0; i < w->npe; i++) {
        const struct cv_person *p = &w->pe[i];
        if (!p->country || strcmp(p->country, iso2) != 0)
            continue;
        const struct cv_country *c = find_country(w, p->country);
        n += cv_audience_match(e, p, c ? c->region : NULL);
    }
    return n;
}

/*
 * The soft cost of @e on first day @s alone. Reference entries count when they touch the
 * window (and are not around what the event must be inside): avoided 10 a day inside, preferred
 * 5 a day outside, another country's holiday 3 per invited delegate per day; 2 for a first day
 * not among the preferred weekdays; 1 per day away from the preferred dates.
 */
static long unary_cost(const struct world *w, const struct cv_event *e, int64_t s)
{
    int64_t a = s, b = s + e->days - 1;
    int64_t ws = dnum(&e->window_start), we = dnum(&e->window_end);
    long cost = 0;
    for (size_t c = 0; c < w->ncal; c++) {
        const struct cv_refcal *cal = &w->cal[c];
        for (size_t k = 0; k < cal->n; k++) {
            const struct cv_refentry *en = &cal->entries[k];
            int64_t f = dnum(&en->first), l = dnum(&en->last);
            if (!spans_meet(f, l, ws, we) || exempt(w, e, en) || is_blackout_for(w, e, cal, en))
                continue;
            bool applies = scope_applies(cal, e);
            enum cv_meaning m = meaning_of(cal, en);
            long ov = (long)overlap_len(a, b, f, l);
            if (list_has(e->avoids, en->key) || list_has(e->avoids, cal->key) ||
                (applies && m == CV_MEANING_AVOID))
                cost += 10 * ov;
            else if (applies && m == CV_MEANING_PREFER)
                cost += 5 * (e->days - ov);
            else if (strncmp(cal->scope, "country:", 8) == 0 && m != CV_MEANING_PREFER)
                cost += 3 * delegates(w, e, cal->scope + 8) * ov;
        }
    }
    unsigned mask = e->prefer_weekdays ? e->prefer_weekdays : MID_WEEK;
    if (!(mask & CV_WEEKDAY_BIT(weekday_of(a))))
        cost += 2;
    if (cv_date_is_set(&e->prefer_first)) {
        int64_t pf = dnum(&e->prefer_first), pl = dnum(&e->prefer_last);
        cost += (long)(a < pf ? pf - a : a > pl ? a - pl : 0);
    }
    return cost;
}

static long spread_cost(const struct world *w, int64_t sa, int da, int64_t sb, int db)
{
    int64_t g = free_between(sa, da, sb, db);
    if (w->in.spread_days <= 0 || g >= w->in.spread_days)
        return 0;
    return (long)(w->in.spread_days - (g < 0 ? 0 : g));
}

static bool gap_ok(const struct world *w, int64_t sa, int da, int64_t sb, int db)
{
    return w->in.gap_days <= 0 || free_between(sa, da, sb, db) >= w->in.gap_days;
}

/* The span of each non-cancelled event in a plan (fixed ones from the input). */
struct spans {
    bool on[MAX_EV];
    bool fixed[MAX_EV];
    int64_t s[MAX_EV];
    int days[MAX_EV];
};

/*
 * Checks every hard rule of @r from the input alone. @return the number of broken rules (the
 * first is described in @why).
 */
static int check_plan(const struct world *w, const struct cv_plan_result *r, struct spans *sp,
                      char *why, size_t size)
{
    int bad = 0;
    char tmp[300];
    memset(sp, 0, sizeof(*sp));
    why[0] = '\0';
#define BAD(...)                                                                                   \
    do {                                                                                           \
        if (!bad++)                                                                                \
            snprintf(why, size, __VA_ARGS__);                                                      \
    } while (0)
    size_t expect = 0;
    for (size_t i = 0; i < w->nev; i++)
        expect += w->ev[i].status != CV_EVENT_CANCELLED;
    if (r->nev != expect)
        BAD("%zu events in the plan, %zu not cancelled", r->nev, expect);
    for (size_t k = 0; k < r->nev; k++) {
        const struct cv_plan_event *pe = &r->ev[k];
        if (pe->event >= w->nev || w->ev[pe->event].status == CV_EVENT_CANCELLED ||
            sp->on[pe->event]) {
            BAD("plan entry %zu names event %zu", k, pe->event);
            continue;
        }
        const struct cv_event *e = &w->ev[pe->event];
        sp->on[pe->event] = true;
        sp->fixed[pe->event] = is_fixed_event(e);
        if (!pe->placed) {
            BAD("%s is not placed", e->key);
            continue;
        }
        sp->s[pe->event] = dnum(&pe->start);
        sp->days[pe->event] = (int)(dnum(&pe->end) - dnum(&pe->start) + 1);
        if (sp->fixed[pe->event]) {
            if (!pe->fixed || !same_date(&pe->start, &e->start) || !same_date(&pe->end, &e->end))
                BAD("%s is fixed on %s..%s, the plan says %s..%s", e->key, dt(&e->start).s,
                    dt(&e->end).s, dt(&pe->start).s, dt(&pe->end).s);
            continue;
        }
        if (pe->fixed)
            BAD("%s is not fixed", e->key);
        if (sp->days[pe->event] != e->days)
            BAD("%s: %s..%s is not %d days", e->key, dt(&pe->start).s, dt(&pe->end).s, e->days);
        if (!span_ok(w, e, dnum(&pe->start), tmp, sizeof(tmp)))
            BAD("%s", tmp);
    }
    for (size_t i = 0; i < w->nev; i++) {
        for (size_t j = i + 1; j < w->nev; j++) {
            if (!sp->on[i] || !sp->on[j] || (sp->fixed[i] && sp->fixed[j]))
                continue;
            if (!gap_ok(w, sp->s[i], sp->days[i], sp->s[j], sp->days[j]))
                BAD("%s (%s) and %s (%s): fewer than %d free days", w->ev[i].key, dtn(sp->s[i]).s,
                    w->ev[j].key, dtn(sp->s[j]).s, w->in.gap_days);
        }
    }
#undef BAD
    return bad;
}

/* The soft score of a plan's spans, by this test's own reckoning. */
static long plan_cost(const struct world *w, const struct spans *sp)
{
    long cost = 0;
    for (size_t i = 0; i < w->nev; i++) {
        if (sp->on[i] && !sp->fixed[i])
            cost += unary_cost(w, &w->ev[i], sp->s[i]);
    }
    for (size_t i = 0; i < w->nev; i++) {
        for (size_t j = i + 1; j < w->nev; j++) {
            if (sp->on[i] && sp->on[j] && !(sp->fixed[i] && sp->fixed[j]))
                cost += spread_cost(w, sp->s[i], sp->days[i], sp->s[j], sp->days[j]);
        }
    }
    return cost;
}

/* Is day @d forbidden to @e by a hard rule of its own other than the window? */
static bool day_forbidden_to(const struct world *w, const struct cv_event *e, int64_t d)
{
    if (rest_of(w, e) & CV_WEEKDAY_BIT(weekday_of(d)))
        return true;
    if (e->inside) {
        const struct cv_refentry *in = entry_by_key(w, e->inside);
        if (!in || d < dnum(&in->first) || d > dnum(&in->last))
            return true;
    }
    if (cv_date_is_set(&w->in.planning_date) && d < dnum(&w->in.planning_date) + lead_of(e))
        return true;
    for (size_t c = 0; c < w->ncal; c++) {
        for (size_t k = 0; k < w->cal[c].n; k++) {
            const struct cv_refentry *en = &w->cal[c].entries[k];
            if (d >= dnum(&en->first) && d <= dnum(&en->last) &&
                is_blackout_for(w, e, &w->cal[c], en))
                return true;
        }
    }
    return false;
}

/* The share of event @i on first day @s of the soft score, the others where @sp has them. */
static long share_of(const struct world *w, const struct spans *sp, size_t i, int64_t s)
{
    long cost = unary_cost(w, &w->ev[i], s);
    for (size_t j = 0; j < w->nev; j++) {
        if (j != i && sp->on[j])
            cost += spread_cost(w, s, w->ev[i].days, sp->s[j], sp->days[j]);
    }
    return cost;
}

static bool fits_others(const struct world *w, const struct spans *sp, size_t i, int64_t s)
{
    for (size_t j = 0; j < w->nev; j++) {
        if (j != i && sp->on[j] && !gap_ok(w, s, w->ev[i].days, sp->s[j], sp->days[j]))
            return false;
    }
    return true;
}

/*
 * The explanations of a feasible plan, from the input: the candidates, the days each window
 * lost to a hard rule (and to which), each event's cost and its runner-up (the cheapest other
 * first day that fits the others where they are; the nearest of equals). @return the number
 * of faults (the first is described in @why).
 */
static int check_explanations(const struct world *w, const struct cv_plan_result *r,
                              const struct spans *sp, char *why, size_t size)
{
    char tmp[300];
    int bad = 0;
    why[0] = '\0';
#define BAD(...)                                                                                   \
    do {                                                                                           \
        if (!bad++)                                                                                \
            snprintf(why, size, __VA_ARGS__);                                                      \
    } while (0)
    for (size_t k = 0; k < r->nev; k++) {
        const struct cv_plan_event *pe = &r->ev[k];
        const struct cv_event *e = &w->ev[pe->event];
        size_t i = pe->event;
        if (sp->fixed[i])
            continue;
        int64_t ws = dnum(&e->window_start), we = dnum(&e->window_end);
        int64_t chosen = dnum(&pe->start);
        size_t n = 0, removed = 0;
        long best = -1;
        int64_t best_dist = 0;
        for (int64_t s = ws; s + e->days - 1 <= we; s++)
            n += span_ok(w, e, s, tmp, sizeof(tmp));
        if (pe->candidates != n)
            BAD("%s: %zu candidates, the test counts %zu", e->key, pe->candidates, n);
        if (pe->cost != share_of(w, sp, i, chosen))
            BAD("%s: costs %ld, the test says %ld", e->key, pe->cost, share_of(w, sp, i, chosen));
        for (int64_t d = ws; d <= we; d++)
            removed += day_forbidden_to(w, e, d);
        if (pe->nremoved != removed)
            BAD("%s: %zu days removed, the test counts %zu", e->key, pe->nremoved, removed);
        for (size_t x = 0; x < pe->nremoved; x++) {
            int64_t d = dnum(&pe->removed[x].day);
            const struct cv_constraint *c =
                pe->removed[x].constraint < r->ncons ? &r->cons[pe->removed[x].constraint] : NULL;
            if (d < ws || d > we || !day_forbidden_to(w, e, d) ||
                (x && d <= dnum(&pe->removed[x - 1].day)))
                BAD("%s: %s is not a removed day", e->key, dtn(d).s);
            else if (!c || !c->hard || c->event != i || c->kind == CV_CON_GAP ||
                     c->kind == CV_CON_WINDOW || !con_forbids(c, d, 1))
                BAD("%s: %s removed by '%s', which does not forbid it", e->key, dtn(d).s,
                    c ? c->why : "?");
        }
        for (int64_t s = ws; s + e->days - 1 <= we; s++) {
            if (s == chosen || !span_ok(w, e, s, tmp, sizeof(tmp)) || !fits_others(w, sp, i, s))
                continue;
            long c = share_of(w, sp, i, s);
            int64_t dist = s > chosen ? s - chosen : chosen - s;
            if (best < 0 || c < best || (c == best && dist < best_dist)) {
                best = c;
                best_dist = dist;
            }
        }
        if (best < 0 && pe->has_runner_up)
            BAD("%s: a runner-up %s where no other day fits", e->key, dt(&pe->runner_start).s);
        if (best >= 0 && !pe->has_runner_up)
            BAD("%s: no runner-up, the test finds one at %ld", e->key, best);
        if (best >= 0 && pe->has_runner_up) {
            int64_t s = dnum(&pe->runner_start);
            int64_t dist = s > chosen ? s - chosen : chosen - s;
            if (s == chosen || !span_ok(w, e, s, tmp, sizeof(tmp)) || !fits_others(w, sp, i, s))
                BAD("%s: the runner-up %s does not fit", e->key, dtn(s).s);
            else if (pe->runner_cost != share_of(w, sp, i, s))
                BAD("%s: the runner-up %s costs %ld, the test says %ld", e->key, dtn(s).s,
                    pe->runner_cost, share_of(w, sp, i, s));
            else if (pe->runner_cost != best || dist != best_dist)
                BAD("%s: the runner-up %s (%ld) is not the best other day (%ld, %lld days "
                    "away)",
                    e->key, dtn(s).s, pe->runner_cost, best, (long long)best_dist);
        }
    }
#undef BAD
    return bad;
}

/* ---- brute force: every combination of first days -------------------------------------------- */

struct bvar {
    size_t event;
    bool fixed;
    int days;
    int64_t value;
    int64_t *starts;
    long *ucost;
    size_t n;
};

struct brute {
    const struct world *w;
    struct bvar v[MAX_EV];
    size_t nv;
    bool first_only; /* stop at the first plan that meets the hard rules */
    bool found;
    long best;
    unsigned long nodes, cap;
    bool capped;
};

static void brute_init(struct brute *b, const struct world *w)
{
    char why[300];
    memset(b, 0, sizeof(*b));
    b->w = w;
    for (size_t i = 0; i < w->nev; i++) {
        const struct cv_event *e = &w->ev[i];
        if (e->status == CV_EVENT_CANCELLED)
            continue;
        struct bvar *x = &b->v[b->nv++];
        x->event = i;
        x->fixed = is_fixed_event(e);
        x->days = e->days;
        if (x->fixed) {
            x->value = dnum(&e->start);
            x->days = (int)(dnum(&e->end) - x->value + 1);
            continue;
        }
        int64_t lo = dnum(&e->window_start), hi = dnum(&e->window_end);
        size_t span = hi >= lo ? (size_t)(hi - lo + 1) : 1;
        x->starts = calloc(span, sizeof(int64_t));
        x->ucost = calloc(span, sizeof(long));
        assert_non_null(x->starts);
        assert_non_null(x->ucost);
        for (int64_t s = lo; s + e->days - 1 <= hi; s++) {
            if (!span_ok(w, e, s, why, sizeof(why)))
                continue;
            x->starts[x->n] = s;
            x->ucost[x->n] = unary_cost(w, e, s);
            x->n++;
        }
    }
}

static void brute_release(struct brute *b)
{
    for (size_t i = 0; i < b->nv; i++) {
        free(b->v[i].starts);
        free(b->v[i].ucost);
    }
}

/* Variables before @i (and every fixed one) are placed. */
static void brute_dfs(struct brute *b, size_t i, long cost)
{
    if (b->capped || (b->first_only && b->found))
        return;
    if (i == b->nv) {
        if (!b->found || cost < b->best)
            b->best = cost;
        b->found = true;
        return;
    }
    struct bvar *x = &b->v[i];
    if (x->fixed) {
        brute_dfs(b, i + 1, cost);
        return;
    }
    for (size_t k = 0; k < x->n && !b->capped; k++) {
        if (++b->nodes > b->cap) {
            b->capped = true;
            return;
        }
        long c = cost + x->ucost[k];
        bool ok = true;
        for (size_t j = 0; j < b->nv && ok; j++) {
            const struct bvar *y = &b->v[j];
            if (j == i || (!y->fixed && j > i))
                continue;
            ok = gap_ok(b->w, x->starts[k], x->days, y->value, y->days);
            c += spread_cost(b->w, x->starts[k], x->days, y->value, y->days);
        }
        if (!ok)
            continue;
        x->value = x->starts[k];
        brute_dfs(b, i + 1, c);
    }
}

/* The product of the domain sizes of the events to plan, capped. */
static double brute_size(const struct brute *b, size_t *planned)
{
    double n = 1;
    *planned = 0;
    for (size_t i = 0; i < b->nv; i++) {
        if (!b->v[i].fixed) {
            n *= (double)(b->v[i].n ? b->v[i].n : 1);
            (*planned)++;
        }
    }
    return n;
}

/* ---- random instances ------------------------------------------------------------------------ */

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *g)
{
    g->s ^= g->s << 13;
    g->s ^= g->s >> 7;
    g->s ^= g->s << 17;
    return g->s;
}

/* Uniform in [lo, hi]. */
static int rnd_in(struct rng *g, int lo, int hi)
{
    return lo + (int)(rnd(g) % (uint64_t)(hi - lo + 1));
}

static bool chance(struct rng *g, int percent)
{
    return rnd_in(g, 0, 99) < percent;
}

static const char *const rnd_hosts[] = {"KE", "JO", "NP", "FR"};
static const char *const rnd_scopes[] = {
    "all",        "country:KE", "country:JO",    "country:NP",
    "country:FR", "country:UG", "region:europe", "region:Africa and the Middle East"};

/*
 * 1-6 events around a base date in 2023-2026, in four countries with different weekends (Kenya
 * sat-sun, Jordan fri-sat, Nepal sat, France none given: the default), 0-3 reference calendars
 * of every scope and meaning, some fixed and cancelled events, delegates, lead times, gaps 0-30.
 */
static void random_instance(struct world *w, struct rng *g)
{
    char key[32], text[64];
    add_country(w, "KE", "Kenya", AFRICA, "Africa/Nairobi", SAT_SUN);
    add_country(w, "JO", "Jordan", AFRICA, "Asia/Amman", FRI_SAT);
    add_country(w, "NP", "Nepal", "Asia and the Pacific", "Asia/Kathmandu", SAT);
    add_country(w, "FR", "France", "Europe", "Europe/Paris", 0);
    int64_t base = civil(2023, 1, 1) + rnd_in(g, 0, 4 * 365 - 240);
    int nev = rnd_in(g, 1, 6);
    int range = 20 + 25 * nev; /* where windows start: crowded enough for gaps to bind */
    int maxlen = 8 + 48 / nev;

    size_t ncal = (size_t)rnd_in(g, 0, 3);
    for (size_t c = 0; c < ncal; c++) {
        snprintf(key, sizeof(key), "cal%zu", c);
        struct cv_refcal *cal =
            add_cal(w, key, rnd_scopes[rnd_in(g, 0, 7)], (enum cv_meaning)rnd_in(g, 0, 2));
        int n = rnd_in(g, 0, chance(g, 25) ? 14 : 6);
        for (int k = 0; k < n; k++) {
            int64_t f = base + rnd_in(g, -10, range + maxlen);
            int len = chance(g, 70) ? 1 : rnd_in(g, 2, 6);
            snprintf(key, sizeof(key), "h%zux%d", c, k);
            snprintf(text, sizeof(text), "Holiday %zu.%d", c, k);
            struct cv_refentry *en = add_entry(cal, chance(g, 90) ? key : NULL, text, from_civil(f),
                                               from_civil(f + len - 1));
            if (chance(g, 20)) {
                en->has_meaning = true;
                en->meaning = (enum cv_meaning)rnd_in(g, 0, 2);
            }
        }
    }

    for (int i = 0; i < nev; i++) {
        snprintf(key, sizeof(key), "e%d", i);
        const char *host = rnd_hosts[rnd_in(g, 0, 3)];
        int days = rnd_in(g, 1, 4);
        int64_t ws = base + rnd_in(g, 0, range);
        int64_t we = ws + rnd_in(g, chance(g, 90) ? days + 3 : 0, maxlen);
        struct cv_event *e = add_event(w, key, host, from_civil(ws), from_civil(we), days);
        e->kind = (enum cv_event_kind)rnd_in(g, 0, 2);
        int st = rnd_in(g, 0, 99);
        if (st < 20) {
            /* Fixed: held or confirmed, with dates (and sometimes a window, which is ignored). */
            e->status = chance(g, 50) ? CV_EVENT_HELD : CV_EVENT_CONFIRMED;
            int64_t s = base + rnd_in(g, 0, range + maxlen);
            e->start = from_civil(s);
            e->end = from_civil(s + days - 1);
            if (chance(g, 50))
                e->window_start = e->window_end = nodate();
            continue;
        }
        if (st < 28) {
            e->status = CV_EVENT_CANCELLED;
            if (chance(g, 50))
                e->window_start = e->window_end = nodate();
            continue;
        }
        e->status = chance(g, 50) ? CV_EVENT_PROPOSED : CV_EVENT_TENTATIVE;
        if (chance(g, 10)) {
            /* Stale dates on an event that is not fixed: it is planned all the same. */
            e->start = from_civil(ws);
            e->end = from_civil(ws + days - 1);
        }
        if (chance(g, 40))
            e->prefer_weekdays = (unsigned)rnd_in(g, 1, 127);
        if (chance(g, 25)) {
            int64_t pf = ws + rnd_in(g, -5, (int)(we - ws) + 5);
            e->prefer_first = from_civil(pf);
            e->prefer_last = from_civil(pf + rnd_in(g, 0, 3));
        }
        if (chance(g, 30))
            e->lead_days = rnd_in(g, 1, 200);
        if (chance(g, 20))
            set(&e->audience, chance(g, 50) ? "country:KE" : "region");
        /* References to entries and calendars: inside, blackouts, avoids. */
        size_t nkeys = 0;
        const char *keys[40];
        for (size_t c = 0; c < w->ncal; c++) {
            for (size_t k = 0; k < w->cal[c].n && nkeys < 40; k++) {
                if (w->cal[c].entries[k].key)
                    keys[nkeys++] = w->cal[c].entries[k].key;
            }
        }
        if (nkeys && chance(g, 10)) {
            /* Mostly an entry the window meets, so that it can be met. */
            const char *in = keys[rnd_in(g, 0, (int)nkeys - 1)];
            for (int tries = 0; tries < 8; tries++) {
                const struct cv_refentry *en = entry_by_key(w, in);
                if (spans_meet(dnum(&en->first), dnum(&en->last), ws, we))
                    break;
                in = keys[rnd_in(g, 0, (int)nkeys - 1)];
            }
            set(&e->inside, in);
        }
        if (w->ncal && chance(g, 20)) {
            const char *a = chance(g, 50) && nkeys ? keys[rnd_in(g, 0, (int)nkeys - 1)]
                                                   : w->cal[rnd_in(g, 0, (int)w->ncal - 1)].key;
            const char *b = nkeys ? keys[rnd_in(g, 0, (int)nkeys - 1)] : "none";
            snprintf(text, sizeof(text), "%s,%s", a, b);
            set(&e->blackouts, chance(g, 50) ? a : text);
        }
        if (w->ncal && chance(g, 20)) {
            const char *a = chance(g, 50) && nkeys ? keys[rnd_in(g, 0, (int)nkeys - 1)]
                                                   : w->cal[rnd_in(g, 0, (int)w->ncal - 1)].key;
            set(&e->avoids, a);
        }
    }

    static const char *const homes[] = {"KE", "JO", "NP", "FR", "UG"};
    int npe = rnd_in(g, 0, 6);
    for (int p = 0; p < npe; p++)
        add_person(w, homes[rnd_in(g, 0, 4)],
                   chance(g, 85) ? CV_ROLE_DELEGATE : (enum cv_role)rnd_in(g, 0, 3));

    if (chance(g, 40))
        w->in.planning_date = from_civil(base - rnd_in(g, 20, 200));
    w->in.gap_days = rnd_in(g, 0, 30);
    w->in.spread_days = chance(g, 20) ? 0 : rnd_in(g, 1, 90);
    w->in.seed = rnd(g);
}

/* The instance, for a failure report. */
static void dump_instance(const struct world *w, int index)
{
    print_message("instance %d: gap %d, spread %d, planning %s, seed %llu\n", index, w->in.gap_days,
                  w->in.spread_days,
                  cv_date_is_set(&w->in.planning_date) ? dt(&w->in.planning_date).s : "-",
                  (unsigned long long)w->in.seed);
    for (size_t i = 0; i < w->nev; i++) {
        const struct cv_event *e = &w->ev[i];
        print_message("  event %zu %s: %s %s kind %d status %d window %s..%s days %d dates "
                      "%s..%s prefer %#x %s..%s lead %d inside %s blackouts %s avoids %s "
                      "audience %s\n",
                      i, e->key, e->country, e->region, (int)e->kind, (int)e->status,
                      dt(&e->window_start).s, dt(&e->window_end).s, e->days, dt(&e->start).s,
                      dt(&e->end).s, e->prefer_weekdays, dt(&e->prefer_first).s,
                      dt(&e->prefer_last).s, e->lead_days, e->inside ? e->inside : "-",
                      e->blackouts ? e->blackouts : "-", e->avoids ? e->avoids : "-",
                      e->audience ? e->audience : "-");
    }
    for (size_t c = 0; c < w->ncal; c++) {
        print_message("  calendar %s scope %s meaning %d\n", w->cal[c].key, w->cal[c].scope,
                      (int)w->cal[c].meaning);
        for (size_t k = 0; k < w->cal[c].n; k++) {
            const struct cv_refentry *en = &w->cal[c].entries[k];
            print_message("    %s %s..%s %s meaning %d\n", en->key ? en->key : "-",
                          dt(&en->first).s, dt(&en->last).s, en->summary,
                          en->has_meaning ? (int)en->meaning : -1);
        }
    }
    for (size_t p = 0; p < w->npe; p++)
        print_message("  person %s role %d\n", w->pe[p].country, (int)w->pe[p].role);
}

static void dump_plan(const struct cv_plan_result *r)
{
    print_message("  plan: feasible %d optimal %d score %ld nodes %lu\n", r->feasible, r->optimal,
                  r->score, r->nodes);
    for (size_t k = 0; k < r->nev; k++)
        print_message("    event %zu: %s..%s%s\n", r->ev[k].event, dt(&r->ev[k].start).s,
                      dt(&r->ev[k].end).s, r->ev[k].fixed ? " fixed" : "");
    for (size_t k = 0; k < r->nconflict; k++)
        print_message("    conflict: %s\n", r->cons[r->conflict[k]].why);
}

struct tally {
    int instances, feasible, infeasible, optimal, brute_optimum, brute_infeasible;
    int conflicts_checked;
    int gap_tight;                      /* feasible plans with two events exactly the gap apart */
    int scored;                         /* feasible plans with a soft cost */
    int in_conflict[CV_CON_SPREAD + 1]; /* infeasible instances whose conflict has the kind */
    int failures;
};

static void report(struct tally *t, const struct world *w, const struct cv_plan_result *r,
                   int index, const char *what)
{
    if (t->failures++ < 5) {
        print_message("FAIL: %s\n", what);
        dump_instance(w, index);
        dump_plan(r);
    }
}

/* One random instance through every check. */
static void check_instance(struct world *w, struct tally *t, int index)
{
    char why[400], msg[600];
    struct spans sp;
    struct cv_error err;
    struct cv_plan_result again;
    int rc = run(w, &w->r, &err);
    const struct cv_plan_result *r = &w->r;
    t->instances++;
    if (rc != 0) {
        snprintf(msg, sizeof(msg), "cv_plan_dates returned %d: %s", rc, err.msg);
        report(t, w, r, index, msg);
        return;
    }

    if (r->feasible) {
        t->feasible++;
        t->optimal += r->optimal;
        if (check_plan(w, r, &sp, why, sizeof(why))) {
            snprintf(msg, sizeof(msg), "a hard rule is broken: %s", why);
            report(t, w, r, index, msg);
        } else if (check_explanations(w, r, &sp, why, sizeof(why))) {
            snprintf(msg, sizeof(msg), "an explanation is wrong: %s", why);
            report(t, w, r, index, msg);
        }
        if (r->hard_violations != 0)
            report(t, w, r, index, "hard_violations is not 0 on a feasible plan");
        t->scored += r->score > 0;
        bool tight = false;
        for (size_t i = 0; i < w->nev; i++) {
            for (size_t j = i + 1; j < w->nev; j++)
                tight |= w->in.gap_days > 0 && sp.on[i] && sp.on[j] &&
                         !(sp.fixed[i] && sp.fixed[j]) &&
                         free_between(sp.s[i], sp.days[i], sp.s[j], sp.days[j]) == w->in.gap_days;
        }
        t->gap_tight += tight;
        if (plan_cost(w, &sp) != r->score) {
            snprintf(msg, sizeof(msg),
                     "the plan costs %ld by the test's reckoning, the engine "
                     "says %ld",
                     plan_cost(w, &sp), r->score);
            report(t, w, r, index, msg);
        }
    } else {
        t->infeasible++;
        if (r->nconflict == 0) {
            report(t, w, r, index, "infeasible without a conflict");
        } else {
            bool *on = calloc(r->ncons + 1, sizeof(bool));
            assert_non_null(on);
            bool hard = true;
            for (size_t k = 0; k < r->nconflict; k++) {
                hard &= r->conflict[k] < r->ncons && r->cons[r->conflict[k]].hard;
                if (r->conflict[k] < r->ncons)
                    on[r->conflict[k]] = true;
            }
            if (!hard)
                report(t, w, r, index, "a conflict member is not a hard constraint");
            bool kinds[CV_CON_SPREAD + 1] = {false};
            for (size_t k = 0; k < r->nconflict; k++) {
                if (r->conflict[k] < r->ncons)
                    kinds[r->cons[r->conflict[k]].kind] = true;
            }
            for (int k = 0; k <= CV_CON_SPREAD; k++)
                t->in_conflict[k] += kinds[k];
            int all = cons_feasible(w, r, on);
            if (all == 1)
                report(t, w, r, index, "the conflict is not one: a plan meets all of it");
            for (size_t k = 0; all == 0 && k < r->nconflict; k++) {
                on[r->conflict[k]] = false;
                int without = cons_feasible(w, r, on);
                on[r->conflict[k]] = true;
                if (without == 0) {
                    snprintf(msg, sizeof(msg),
                             "the conflict is not minimal: still infeasible "
                             "without '%s'",
                             r->cons[r->conflict[k]].why);
                    report(t, w, r, index, msg);
                    break;
                }
            }
            t->conflicts_checked += all == 0;
            free(on);
        }
    }

    /* Brute force over the input, by the test's own rules. */
    struct brute b;
    size_t planned;
    brute_init(&b, w);
    double size = brute_size(&b, &planned);
    if (planned <= 3 && size <= 300000) {
        b.cap = 2000000;
        brute_dfs(&b, 0, 0);
        if (b.capped) {
            report(t, w, r, index, "brute force gave up (the test's own limit)");
        } else if (r->feasible && !b.found) {
            report(t, w, r, index, "brute force finds no plan, the engine found one");
        } else if (r->feasible && r->optimal && b.best != r->score) {
            snprintf(msg, sizeof(msg), "the engine says optimal at %ld, brute force finds %ld",
                     r->score, b.best);
            report(t, w, r, index, msg);
        } else if (r->feasible && b.best > r->score) {
            report(t, w, r, index, "the engine beats brute force");
        } else if (!r->feasible && b.found) {
            snprintf(msg, sizeof(msg),
                     "the engine says infeasible, brute force finds a plan "
                     "at %ld",
                     b.best);
            report(t, w, r, index, msg);
        }
        t->brute_optimum += r->feasible && r->optimal;
        t->brute_infeasible += !r->feasible;
    } else if (!r->feasible) {
        b.first_only = true;
        b.cap = 3000000;
        brute_dfs(&b, 0, 0);
        if (b.found)
            report(t, w, r, index, "the engine says infeasible, a search finds a plan");
        t->brute_infeasible += !b.capped;
    }
    brute_release(&b);

    /* The same seed again: the same plan. */
    cv_plan_result_init(&again);
    rc = run(w, &again, &err);
    bool same = rc == 0 && again.feasible == r->feasible && again.optimal == r->optimal &&
                again.score == r->score && again.nev == r->nev && again.nconflict == r->nconflict;
    for (size_t k = 0; same && k < r->nev; k++)
        same = again.ev[k].event == r->ev[k].event &&
               same_date(&again.ev[k].start, &r->ev[k].start) &&
               same_date(&again.ev[k].end, &r->ev[k].end);
    for (size_t k = 0; same && k < r->nconflict; k++)
        same = again.conflict[k] == r->conflict[k];
    if (!same)
        report(t, w, r, index, "the same seed gives another plan");
    cv_plan_result_release(&again);
}

static void test_random_instances(void **state)
{
    struct world *w = *state;
    struct tally t;
    struct rng g = {0x5eed2024c0ffee11ULL};
    clock_t t0 = clock();
    memset(&t, 0, sizeof(t));
    for (int i = 0; i < 1000; i++) {
        world_release(w);
        random_instance(w, &g);
        check_instance(w, &t, i);
    }
    print_message("random: %d instances, %d feasible (%d optimal, %d of them brute-forced), %d "
                  "infeasible (%d confirmed by search, %d conflicts checked minimal), %.1f s\n",
                  t.instances, t.feasible, t.optimal, t.brute_optimum, t.infeasible,
                  t.brute_infeasible, t.conflicts_checked, (double)(clock() - t0) / CLOCKS_PER_SEC);
    print_message("random: %d plans with a soft cost, %d with a gap met exactly; conflicts with "
                  "a window %d, weekend %d, blackout %d, inside %d, lead %d, gap %d\n",
                  t.scored, t.gap_tight, t.in_conflict[CV_CON_WINDOW],
                  t.in_conflict[CV_CON_WEEKEND], t.in_conflict[CV_CON_BLACKOUT],
                  t.in_conflict[CV_CON_INSIDE], t.in_conflict[CV_CON_LEAD],
                  t.in_conflict[CV_CON_GAP]);
    if (t.failures)
        fail_msg("%d failures on random instances (the first five above)", t.failures);
    /* The generator must give both kinds in numbers, or the test proves little. */
    assert_true(t.feasible >= 300);
    assert_true(t.infeasible >= 100);
    assert_true(t.brute_optimum >= 200);
}

static void test_same_seed(void **state)
{
    struct world *w = *state;
    struct cv_plan_result a;
    struct cv_error err;
    struct rng g = {42};
    add_countries(w);
    /* Four events in one quarter with a spread that cannot all be met: many equal plans. */
    for (int i = 0; i < 4; i++) {
        char key[8];
        snprintf(key, sizeof(key), "q%d", i);
        add_event(w, key, i % 2 ? "JO" : "KE", date(2025, 1, 6), date(2025, 3, 28), 1 + i % 3);
    }
    w->in.gap_days = 7;
    w->in.spread_days = 45;
    w->in.seed = 7;
    cv_plan_result_init(&a);
    assert_int_equal(run(w, &a, &err), 0);
    const struct cv_plan_result *r = plan(w);
    assert_true(r->feasible);
    assert_int_equal(r->score, a.score);
    assert_int_equal(r->nev, a.nev);
    for (size_t k = 0; k < r->nev; k++)
        assert_true(same_date(&r->ev[k].start, &a.ev[k].start));
    /* Exact search: another seed finds the same optimum. */
    w->in.seed = rnd(&g);
    r = plan(w);
    assert_true(r->optimal);
    assert_int_equal(r->score, a.score);
    struct spans sp;
    char why[400];
    if (check_plan(w, r, &sp, why, sizeof(why)))
        fail_msg("%s", why);
    assert_int_equal(plan_cost(w, &sp), r->score);
    cv_plan_result_release(&a);
}

/* Eight one-day events in the same two weeks of January 2025, in Kenya and Jordan, each with a
 * preferred weekday, and a spread of 60 days that no plan can meet. */
static void add_spread_week(struct world *w)
{
    add_countries(w);
    for (int i = 0; i < 8; i++) {
        char key[8];
        snprintf(key, sizeof(key), "w%d", i);
        add_event(w, key, i % 2 ? "JO" : "KE", date(2025, 1, 6), date(2025, 1, 17), 1)
            ->prefer_weekdays = CV_WEEKDAY_BIT(1 + i % 5);
    }
    w->in.gap_days = 0;
    w->in.spread_days = 60;
}

static void test_local_search(void **state)
{
    struct world *w = *state;
    struct cv_plan_result a;
    struct cv_error err;
    struct spans sp;
    char why[400];
    /*
     * Eight one-day events in the same two weeks with a spread of 60 days no plan can meet:
     * too many plans for an exact search on a budget of one second, 200,000 nodes (a count,
     * not the machine's time), which stops at its node limit; the seeded local search then
     * runs. Not optimal, but every hard rule holds, the score is what the plan costs, and the
     * same seed gives the same plan. (With forward checking the search proves this instance
     * optimal within 600 seconds' worth of nodes, so the budget is small on purpose.)
     */
    add_spread_week(w);
    w->in.time_limit = 1;
    w->in.seed = 99;
    const struct cv_plan_result *r = plan(w);
    assert_true(r->feasible);
    assert_false(r->optimal);
    if (check_plan(w, r, &sp, why, sizeof(why)))
        fail_msg("%s", why);
    assert_int_equal(plan_cost(w, &sp), r->score);
    cv_plan_result_init(&a);
    assert_int_equal(run(w, &a, &err), 0);
    assert_int_equal(a.score, r->score);
    for (size_t k = 0; k < r->nev; k++)
        assert_true(same_date(&a.ev[k].start, &r->ev[k].start));
    cv_plan_result_release(&a);
}

/*
 * The budget in nodes holds for the whole plan, the improvement after the first plan included
 * (the branch and bound, and each local search's moves, which count as nodes): for budgets from
 * 1 to past what the instance above takes, the nodes spent never pass it, and a plan found
 * keeps every hard rule and costs what it says.
 */
static void test_budget_holds(void **state)
{
    struct world *w = *state;
    struct spans sp;
    char why[400];
    add_spread_week(w);
    w->in.seed = 99;
    static const unsigned long budgets[] = {1,     2,     3,     8,     9,      10,
                                            50,    100,   999,   1000,  1001,   5000,
                                            20000, 25000, 41000, 60000, 100000, 200000};
    long last = -1;
    for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
        w->in.node_limit = budgets[i];
        const struct cv_plan_result *r = plan(w);
        if (r->nodes > budgets[i])
            fail_msg("budget %lu: %lu nodes spent", budgets[i], r->nodes);
        if (!r->feasible)
            continue;
        if (check_plan(w, r, &sp, why, sizeof(why)))
            fail_msg("budget %lu: %s", budgets[i], why);
        assert_int_equal(plan_cost(w, &sp), r->score);
        last = r->score;
    }
    assert_true(last >= 0); /* the larger budgets found a plan */
}

/* ---- call slots against a straightforward reckoning ------------------------------------------ */

/* Whether the call at @s fits one of @sp's local days (not a rest day) and none of their busy
 * times: day by day and person by person, without masks or classes. */
static bool ref_open(const struct cv_slot_person *sp, int64_t s, int64_t len)
{
    bool fits = false;
    /* A call starting on UTC day D lies in the hours of local day D-1, D or D+1 (offsets
     * -12 h to +14 h). */
    for (int64_t d = s / 86400 - 1; d <= s / 86400 + 1 && !fits; d++) {
        struct cv_date cd = cv_date_from_days(d);
        if (sp->rest_days & CV_WEEKDAY_BIT(cv_date_weekday(&cd)))
            continue;
        fits = cv_tz_local_to_utc(sp->tz, &cd, sp->day_start) <= s &&
               s + len <= cv_tz_local_to_utc(sp->tz, &cd, sp->day_end);
    }
    for (size_t k = 0; fits && k < sp->nbusy; k++)
        fits = !(s < sp->busy[k].end && s + len > sp->busy[k].start);
    return fits;
}

/* Minutes of the call at @s outside @sp's working hours of the local day it overlaps most. */
static int ref_burden(const struct cv_slot_person *sp, int64_t s, int64_t len)
{
    int64_t best = 0;
    for (int64_t d = s / 86400 - 1; d <= s / 86400 + 1; d++) {
        struct cv_date cd = cv_date_from_days(d);
        int64_t a = cv_tz_local_to_utc(sp->tz, &cd, sp->work_start);
        int64_t b = cv_tz_local_to_utc(sp->tz, &cd, sp->work_end);
        a = a > s ? a : s;
        b = b < s + len ? b : s + len;
        best = b - a > best ? b - a : best;
    }
    return (int)((len - best) / 60);
}

static const char *const slot_zones[] = {"America/New_York",  "Europe/London",   "Africa/Nairobi",
                                         "Asia/Amman",        "Asia/Kolkata",    "Asia/Manila",
                                         "America/Sao_Paulo", "Pacific/Auckland"};

/* Compares cv_slots_find with ref_open and ref_burden on one random input; @return a failure. */
static const char *slots_compare(const struct cv_slot_input *in, const struct cv_slot_result *r)
{
    static char msg[200];
    int64_t t0 = cv_date_to_days(&in->first) * 86400, step = (int64_t)in->step * 60;
    int64_t len = (int64_t)in->minutes * 60;
    int64_t end = (cv_date_to_days(&in->last) + 1) * 86400;
    size_t weeks = in->recurring ? (size_t)in->recurring : 1, n = 0, candidates = 0;
    struct cv_slot *v = calloc(in->recurring ? weeks : in->max_results + 1, sizeof(*v));
    int *b = calloc(in->n, sizeof(int));
    long *total = calloc(in->n, sizeof(long));
    assert_true(v && b && total);
    for (size_t wk = 0; wk < weeks; wk++) {
        int64_t from = t0, to = end;
        if (in->recurring) {
            from = t0 + (int64_t)wk * 7 * 86400 / step * step;
            to = t0 + (int64_t)(wk + 1) * 7 * 86400 / step * step;
        }
        bool have = false;
        long best_worst = 0;
        for (int64_t s = from; s < to && s + step <= end; s += step) {
            bool open = true;
            for (size_t p = 0; p < in->n && open; p++)
                open = ref_open(&in->people[p], s, len);
            if (!open)
                continue;
            candidates++;
            long score = 0, worst = 0;
            for (size_t p = 0; p < in->n; p++) {
                b[p] = ref_burden(&in->people[p], s, len);
                score += (long)b[p] * b[p];
                worst = total[p] + b[p] > worst ? total[p] + b[p] : worst;
            }
            if (in->recurring) {
                if (!have || worst < best_worst || (worst == best_worst && score < v[n].score)) {
                    have = true;
                    best_worst = worst;
                    v[n].start = s;
                    v[n].score = score;
                }
                continue;
            }
            /* Insertion into the best max_results, by score then time. */
            size_t pos = n;
            while (pos > 0 && v[pos - 1].score > score)
                pos--;
            if (pos >= in->max_results)
                continue;
            memmove(&v[pos + 1], &v[pos], (n - pos) * sizeof(v[0]));
            v[pos].start = s;
            v[pos].score = score;
            n += n < in->max_results;
        }
        if (in->recurring && have) {
            for (size_t p = 0; p < in->n; p++)
                total[p] += ref_burden(&in->people[p], v[n].start, len);
            n++;
        }
    }
    const char *fail = NULL;
    if (r->candidates != candidates) {
        snprintf(msg, sizeof(msg), "%zu candidate starts, the reckoning finds %zu", r->candidates,
                 candidates);
        fail = msg;
    } else if (r->n != n) {
        snprintf(msg, sizeof(msg), "%zu slots, the reckoning finds %zu", r->n, n);
        fail = msg;
    }
    for (size_t k = 0; !fail && k < n; k++) {
        if (r->v[k].start != v[k].start || r->v[k].score != v[k].score) {
            snprintf(msg, sizeof(msg), "slot %zu at %lld scores %ld, the reckoning %lld and %ld", k,
                     (long long)r->v[k].start, r->v[k].score, (long long)v[k].start, v[k].score);
            fail = msg;
        }
        for (size_t p = 0; !fail && p < in->n; p++) {
            if (r->v[k].burden[p] != ref_burden(&in->people[p], v[k].start, len)) {
                snprintf(msg, sizeof(msg), "slot %zu: person %zu's burden %d, the reckoning %d", k,
                         p, r->v[k].burden[p], ref_burden(&in->people[p], v[k].start, len));
                fail = msg;
            }
        }
    }
    for (size_t p = 0; !fail && in->recurring && p < in->n; p++) {
        if (r->total[p] != total[p])
            fail = "a person's total burden differs";
    }
    free(v);
    free(b);
    free(total);
    return fail;
}

/*
 * 300 random inputs (1-10 people in 8 zones, some alike, some with their own copy of a zone;
 * windows of 1-30 days over 2024-2026, DST changes included; busy times, rest days, grids of 15,
 * 30 or 60 minutes; best slots or a recurring call): the engine (masks, classes of people alike)
 * gives what a start-by-start, person-by-person reckoning gives.
 */
static void test_slots_random(void **state)
{
    struct rng g = {0x510750f7a11ULL};
    struct cv_tz *shared[8], *own[10];
    struct cv_error err;
    int checked = 0, with_slots = 0, recurring = 0;
    (void)state;
    for (size_t z = 0; z < 8; z++)
        assert_int_equal(cv_tz_load(slot_zones[z], &shared[z], &err), 0);
    for (int i = 0; i < 300; i++) {
        struct cv_slot_person people[10];
        struct cv_interval busy[10][12];
        struct cv_slot_input in;
        struct cv_slot_result r;
        static const int hours[][4] = {
            {7 * 60, 22 * 60, 8 * 60, 16 * 60},
            {7 * 60, 22 * 60, 9 * 60, 17 * 60},
            {6 * 60, 23 * 60, 10 * 60, 18 * 60},
            {0, 24 * 60, 9 * 60, 17 * 60},
        };
        static const int steps[] = {15, 30, 60};
        static const int lengths[] = {30, 45, 60, 90, 120, 240};
        size_t nown = 0;
        cv_slot_input_init(&in);
        in.n = (size_t)rnd_in(&g, 1, 10);
        in.first = cv_date_from_days(cv_date_to_days(&(struct cv_date){2024, 1, 1}) +
                                     rnd_in(&g, 0, 3 * 365));
        in.last = cv_date_from_days(cv_date_to_days(&in.first) + rnd_in(&g, 0, 29));
        in.step = steps[rnd_in(&g, 0, 2)];
        in.minutes = lengths[rnd_in(&g, 0, 5)];
        in.max_results = (size_t)rnd_in(&g, 1, 10);
        int64_t days = cv_date_to_days(&in.last) - cv_date_to_days(&in.first) + 1;
        if (days >= 7 && chance(&g, 30))
            in.recurring = rnd_in(&g, 1, (int)(days / 7));
        int64_t t0 = cv_date_to_days(&in.first) * 86400;
        for (size_t p = 0; p < in.n; p++) {
            struct cv_slot_person *sp = &people[p];
            const int *h = hours[rnd_in(&g, 0, 3)];
            size_t z = (size_t)rnd_in(&g, 0, 7);
            memset(sp, 0, sizeof(*sp));
            sp->email = "x@example.org";
            sp->tz = shared[z];
            if (chance(&g, 20)) {
                assert_int_equal(cv_tz_load(slot_zones[z], &own[nown], &err), 0);
                sp->tz = own[nown++];
            }
            sp->day_start = h[0];
            sp->day_end = h[1];
            sp->work_start = h[2];
            sp->work_end = h[3];
            sp->rest_days = chance(&g, 70) ? (z == 3 ? CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6)
                                                     : CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7))
                                           : 0;
            sp->nbusy = (size_t)rnd_in(&g, 0, 12);
            for (size_t k = 0; k < sp->nbusy; k++) {
                int64_t a = t0 + (int64_t)rnd_in(&g, -86400, (int)(days * 86400));
                busy[p][k].start = a;
                busy[p][k].end =
                    a + (chance(&g, 10) ? rnd_in(&g, 1, 3 * 86400) : rnd_in(&g, 1, 6) * 15 * 60);
            }
            sp->busy = busy[p];
        }
        in.people = people;
        cv_slot_result_init(&r);
        cv_error_init(&err);
        assert_int_equal(cv_slots_find(&in, &r, &err), 0);
        const char *fail = slots_compare(&in, &r);
        if (fail)
            fail_msg("random input %d (%zu people, %d-minute grid, %d minutes, recurring %d): %s",
                     i, in.n, in.step, in.minutes, in.recurring, fail);
        checked++;
        with_slots += r.n > 0;
        recurring += in.recurring > 0;
        cv_slot_result_release(&r);
        for (size_t k = 0; k < nown; k++)
            cv_tz_free(own[k]);
    }
    for (size_t z = 0; z < 8; z++)
        cv_tz_free(shared[z]);
    print_message("slots: %d random inputs, %d with slots, %d recurring\n", checked, with_slots,
                  recurring);
    /* The generator must give slots to compare, and recurring calls, or the test proves little. */
    assert_true(with_slots >= 150);
    assert_true(recurring >= 30);
}

/* ---- timetables: speakers' preferences --------------------------------------------------------
 */

/* A two-day event (16-17 May 2041, 09:00-18:00, lunch 12:00-13:00) in UTC, one room of 100. */
struct tt_world {
    struct cv_event e;
    struct cv_room room[3];
    struct cv_session s[16];
    struct cv_speaker_pref p[16];
    struct cv_tt_input in;
    struct cv_tt_result r;
};

static void tt_world_init(struct tt_world *w, size_t nsessions, size_t nprefs)
{
    memset(w, 0, sizeof(*w));
    cv_event_init(&w->e);
    w->e.key = (char *)"ev";
    w->e.days = 2;
    w->e.start = (struct cv_date){2041, 5, 16};
    w->e.end = (struct cv_date){2041, 5, 17};
    w->e.opens_min = 9 * 60;
    w->e.closes_min = 18 * 60;
    w->e.breaks = (char *)"12:00-13:00";
    const char *names[] = {"Hall", "Room A", "Room B"};
    for (size_t k = 0; k < 3; k++)
        w->room[k] = (struct cv_room){.name = (char *)names[k], .capacity = 100 - 30 * (int)k};
    cv_tt_input_init(&w->in);
    w->in.event = &w->e;
    w->in.sessions = w->s;
    w->in.nsessions = nsessions;
    w->in.rooms = w->room;
    w->in.nrooms = 1;
    w->in.prefs = w->p;
    w->in.nprefs = nprefs;
    cv_tt_result_init(&w->r);
}

static void tt_session(struct tt_world *w, size_t i, const char *key, const char *speakers,
                       enum cv_track track, int minutes)
{
    w->s[i] = (struct cv_session){.key = (char *)key,
                                  .title = (char *)key,
                                  .track = track,
                                  .minutes = minutes,
                                  .min_capacity = 20,
                                  .speakers = (char *)speakers};
}

static void tt_pref(struct tt_world *w, size_t i, const char *name, const char *days, int from,
                    int to, int weight)
{
    w->p[i] = (struct cv_speaker_pref){.name = (char *)name,
                                       .days = (char *)days,
                                       .from_min = from,
                                       .to_min = to,
                                       .weight = weight};
}

static bool tt_has_person(const struct cv_session *s, const char *name)
{
    for (const char *p = s->speakers; p && *p;) {
        size_t len = strcspn(p, ";");
        if (strlen(name) == len && strncasecmp(p, name, len) == 0)
            return true;
        p += len + (p[len] != '\0');
    }
    return false;
}

/*
 * The independent checker of a timetable: every session placed inside the venue's day, off the
 * lunch, in a room that holds it, on a day and at an hour its speakers can come; no room and no
 * speaker in two places at once. And the cost of
 * the preferences, from the input: @return it, or -1 on a hard violation.
 */
static long tt_check(const struct tt_world *w)
{
    const struct cv_tt_input *in = &w->in;
    long prefs = 0;
    for (size_t i = 0; i < in->nsessions; i++) {
        const struct cv_tt_place *a = &w->r.v[i];
        int len = in->sessions[i].minutes;
        if (!a->placed || a->day < 0 || a->day >= w->e.days || a->start_min < 9 * 60 ||
            a->start_min + len > 18 * 60 ||
            (a->start_min < 13 * 60 && a->start_min + len > 12 * 60) || a->room >= in->nrooms ||
            in->rooms[a->room].capacity < in->sessions[i].min_capacity)
            return -1;
        for (size_t j = i + 1; j < in->nsessions; j++) {
            const struct cv_tt_place *b = &w->r.v[j];
            bool together = a->day == b->day &&
                            a->start_min < b->start_min + in->sessions[j].minutes &&
                            b->start_min < a->start_min + len;
            if (!together)
                continue;
            if (a->room == b->room)
                return -1;
            for (const char *p = in->sessions[i].speakers; p && *p;) {
                size_t n = strcspn(p, ";");
                char one[64];
                snprintf(one, sizeof(one), "%.*s", (int)n, p);
                if (tt_has_person(&in->sessions[j], one))
                    return -1;
                p += n + (p[n] != '\0');
            }
        }
        for (size_t k = 0; k < in->nprefs; k++) {
            const struct cv_speaker_pref *p = &in->prefs[k];
            if (!tt_has_person(&in->sessions[i], p->name))
                continue;
            char day[24];
            snprintf(day, sizeof(day), "2041-05-%02d", 16 + a->day);
            if ((p->not_on && strstr(p->not_on, day)) || a->start_min < p->not_before)
                return -1;
            bool met =
                (!p->days || strstr(p->days, day)) &&
                (!p->to_min || (a->start_min >= p->from_min && a->start_min + len <= p->to_min));
            prefs += met ? 0 : p->weight;
        }
    }
    return prefs;
}

/* One speaker prefers the afternoon of the second day: that is where their session goes. */
static void test_tt_pref_afternoon(void **state)
{
    (void)state;
    struct tt_world w;
    struct cv_error err;
    cv_error_init(&err);
    tt_world_init(&w, 2, 1);
    tt_session(&w, 0, "amina-talk", "Amina Mohamud", CV_TRACK_CLIMATE, 60);
    tt_session(&w, 1, "bo-talk", "Bo", CV_TRACK_DIGITAL, 60);
    tt_pref(&w, 0, "amina mohamud", "2041-05-17", 13 * 60, 18 * 60, 10);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_true(w.r.feasible);
    assert_int_equal(w.r.score, 0);
    assert_int_equal(w.r.v[0].day, 1);
    assert_true(w.r.v[0].start_min >= 13 * 60 && w.r.v[0].start_min + 60 <= 18 * 60);
    /* Without the preference the engine takes the earliest place: 09:00 of the first day. */
    assert_int_equal(w.r.v[1].day, 0);
    assert_int_equal(w.r.v[1].start_min, 9 * 60);
    assert_string_equal(w.r.prefs[0].why, "amina mohamud prefers 13:00-18:00 on 17 May 2041: met");
    assert_string_equal(w.r.prefs[1].why, "");
    assert_int_equal(tt_check(&w), 0);
    assert_non_null(strstr(w.r.costs, "0 for speakers outside their preferences"));
    cv_tt_result_release(&w.r);
}

/* Two speakers of one panel want opposite halves of the day: the heavier preference wins, and
 * the lighter one is named with its cost. */
static void test_tt_pref_tradeoff(void **state)
{
    (void)state;
    struct tt_world w;
    struct cv_error err;
    cv_error_init(&err);
    tt_world_init(&w, 1, 2);
    tt_session(&w, 0, "panel", "P;Q", CV_TRACK_INCLUSION, 90);
    tt_pref(&w, 0, "P", NULL, 9 * 60, 12 * 60, 5);
    tt_pref(&w, 1, "Q", NULL, 13 * 60, 18 * 60, 20);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_true(w.r.feasible);
    assert_int_equal(w.r.score, 5);
    assert_int_equal(w.r.prefs[0].cost, 5);
    assert_true(w.r.v[0].start_min >= 13 * 60);
    assert_string_equal(w.r.prefs[0].why,
                        "P prefers 09:00-12:00: not met, costs 5; Q prefers 13:00-18:00: met");
    assert_int_equal(tt_check(&w), 5);
    assert_non_null(strstr(w.r.costs, "5 for speakers outside their preferences"));
    cv_tt_result_release(&w.r);

    /* The weights the other way round: the morning. */
    tt_pref(&w, 0, "P", NULL, 9 * 60, 12 * 60, 20);
    tt_pref(&w, 1, "Q", NULL, 13 * 60, 18 * 60, 5);
    cv_tt_result_init(&w.r);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_int_equal(w.r.score, 5);
    assert_true(w.r.v[0].start_min + 90 <= 12 * 60);
    assert_int_equal(tt_check(&w), 5);
    cv_tt_result_release(&w.r);

    /* A preferred day outside the event is never met; a bad date is refused. */
    tt_pref(&w, 0, "P", "2041-06-01", 0, 0, 7);
    w.in.nprefs = 1;
    cv_tt_result_init(&w.r);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_int_equal(w.r.score, 7);
    assert_string_equal(w.r.prefs[0].why, "P prefers on 1 June 2041: not met, costs 7");
    cv_tt_result_release(&w.r);
    tt_pref(&w, 0, "P", "2041-13-01", 0, 0, 7);
    cv_tt_result_init(&w.r);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), CV_EINVAL);
    assert_non_null(strstr(err.msg, "speaker P: bad days '2041-13-01'"));
    cv_tt_result_release(&w.r);
}

/* A speaker who cannot come on the first day nor before 14:00: their session goes after 14:00
 * on the second. When no time is left, the session says which speakers' rules leave it none. */
static void test_tt_unavailable(void **state)
{
    (void)state;
    struct tt_world w;
    struct cv_error err;
    cv_error_init(&err);
    tt_world_init(&w, 2, 2);
    tt_session(&w, 0, "panel", "A;B", CV_TRACK_CLIMATE, 60);
    tt_session(&w, 1, "other", "C", CV_TRACK_CLIMATE, 60);
    tt_pref(&w, 0, "a", NULL, 0, 0, 10);
    w.p[0].not_on = (char *)"2041-05-16";
    w.p[0].not_before = 14 * 60;
    tt_pref(&w, 1, "B", NULL, 9 * 60, 12 * 60, 10);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_true(w.r.feasible);
    assert_int_equal(w.r.v[0].day, 1);
    assert_true(w.r.v[0].start_min >= 14 * 60); /* the local search may move it later */
    assert_int_equal(w.r.score, 10);            /* B's morning, lost to A's hard rules */
    assert_string_equal(w.r.prefs[0].why, "B prefers 09:00-12:00: not met, costs 10");
    assert_int_equal(tt_check(&w), 10);
    cv_tt_result_release(&w.r);

    w.p[1].not_on = (char *)"2041-05-17";
    cv_tt_result_init(&w.r);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_false(w.r.feasible);
    assert_false(w.r.v[0].placed);
    assert_true(w.r.v[1].placed);
    assert_string_equal(w.r.v[0].why, "panel: its speakers cannot come at any time it fits: a not "
                                      "before 14:00, not on 16 May 2041; B not on 17 May 2041");
    cv_tt_result_release(&w.r);
}

/*
 * A panel of twelve speakers, each with a preference: every one counts, not the first eight.
 * S1..S8 prefer the morning (1 each), S9..S12 the afternoon (10 each), and S12 cannot come on
 * the first day: the panel goes on the second afternoon, costing the eight mornings. Then S12
 * cannot come at all, and is named; and a person listed fortieth still cannot be in two places.
 */
static void test_tt_many_speakers(void **state)
{
    (void)state;
    struct tt_world w;
    struct cv_error err;
    char names[12][8], speakers[512] = "";
    cv_error_init(&err);
    tt_world_init(&w, 1, 12);
    for (size_t k = 0; k < 12; k++) {
        snprintf(names[k], sizeof(names[k]), "S%zu", k + 1);
        size_t len = strlen(speakers);
        snprintf(speakers + len, sizeof(speakers) - len, "%s%s", k ? ";" : "", names[k]);
        if (k < 8)
            tt_pref(&w, k, names[k], NULL, 9 * 60, 12 * 60, 1);
        else
            tt_pref(&w, k, names[k], NULL, 13 * 60, 18 * 60, 10);
    }
    w.p[11].not_on = (char *)"2041-05-16";
    tt_session(&w, 0, "panel", speakers, CV_TRACK_DIGITAL, 60);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_true(w.r.feasible);
    assert_int_equal(w.r.v[0].day, 1);
    assert_true(w.r.v[0].start_min >= 13 * 60);
    assert_int_equal(w.r.score, 8);
    assert_int_equal(w.r.prefs[0].cost, 8);
    assert_int_equal(tt_check(&w), 8);
    cv_tt_result_release(&w.r);

    w.p[11].not_on = (char *)"2041-05-16,2041-05-17";
    cv_tt_result_init(&w.r);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_false(w.r.feasible);
    assert_string_equal(w.r.v[0].why, "panel: its speakers cannot come at any time it fits: S12 "
                                      "not on 16 May 2041 or 17 May 2041");
    cv_tt_result_release(&w.r);

    /* Forty speakers; the fortieth also speaks in a talk, which may not run beside the panel
     * though a second room is free. */
    char crowd[40 * 8] = "";
    for (int k = 1; k <= 40; k++) {
        size_t len = strlen(crowd);
        snprintf(crowd + len, sizeof(crowd) - len, "%sP%d", k > 1 ? ";" : "", k);
    }
    tt_world_init(&w, 2, 0);
    w.in.nrooms = 2;
    tt_session(&w, 0, "big-panel", crowd, CV_TRACK_DIGITAL, 60);
    tt_session(&w, 1, "talk", "p40", CV_TRACK_CLIMATE, 60);
    assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
    assert_true(w.r.feasible);
    assert_int_equal(w.r.hard_violations, 0);
    assert_int_equal(tt_check(&w), 0);
    assert_false(w.r.v[0].day == w.r.v[1].day && w.r.v[0].start_min == w.r.v[1].start_min);
    cv_tt_result_release(&w.r);
}

/* Twelve sessions in three rooms with shared speakers and preferences: the same seed gives the
 * same timetable, every hard rule holds (checked here), and the preferences cost what the
 * checker says they cost. */
static void test_tt_pref_seed(void **state)
{
    (void)state;
    static const char *const speakers[] = {"A;B", "B;C", "C",   "A", "D;E", "E",
                                           "F;A", "B",   "C;D", "F", "E;F", "A;C"};
    static const char *const keys[] = {"s1", "s2", "s3", "s4",  "s5",  "s6",
                                       "s7", "s8", "s9", "s10", "s11", "s12"};
    for (uint64_t seed = 1; seed <= 5; seed++) {
        struct tt_world w, again;
        struct cv_error err;
        cv_error_init(&err);
        tt_world_init(&w, 12, 4);
        w.in.nrooms = 3;
        w.in.seed = seed;
        w.in.time_limit = 0.5;
        for (size_t i = 0; i < 12; i++)
            tt_session(&w, i, keys[i], speakers[i], (enum cv_track)(1 + i % 4),
                       60 + 30 * (int)(i % 3));
        tt_pref(&w, 0, "A", "2041-05-16", 13 * 60, 18 * 60, 15);
        tt_pref(&w, 1, "B", NULL, 9 * 60, 12 * 60, 10);
        tt_pref(&w, 2, "C", "2041-05-17", 0, 0, 30);
        tt_pref(&w, 3, "F", NULL, 14 * 60, 16 * 60, 5);
        w.p[3].not_on = (char *)"2041-05-16";
        w.p[1].not_before = 10 * 60;
        again = w;
        cv_tt_result_init(&again.r);
        again.in.sessions = again.s;
        again.in.rooms = again.room;
        again.in.prefs = again.p;
        again.in.event = &again.e;
        assert_int_equal(cv_timetable(&w.in, &w.r, &err), 0);
        assert_int_equal(cv_timetable(&again.in, &again.r, &err), 0);
        assert_true(w.r.feasible);
        assert_int_equal(w.r.hard_violations, 0);
        long prefs = tt_check(&w);
        assert_true(prefs >= 0);
        long sum = 0;
        for (size_t i = 0; i < 12; i++) {
            sum += w.r.prefs[i].cost;
            assert_int_equal(w.r.v[i].day, again.r.v[i].day);
            assert_int_equal(w.r.v[i].start_min, again.r.v[i].start_min);
            assert_int_equal(w.r.v[i].room, again.r.v[i].room);
        }
        assert_int_equal(sum, prefs);
        assert_int_equal(w.r.score, again.r.score);
        assert_true(w.r.score >= prefs);
        cv_tt_result_release(&w.r);
        cv_tt_result_release(&again.r);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, world_setup, world_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_independent),
        T(test_window_only),
        T(test_weekend_jordan),
        T(test_host_holiday),
        T(test_other_country_calendar),
        T(test_region_scope),
        T(test_own_blackouts),
        T(test_own_blackout_key_prefix),
        T(test_inside),
        T(test_lead),
        T(test_gap_planned),
        T(test_gap_fixed),
        T(test_avoid),
        T(test_own_avoids),
        T(test_prefer),
        T(test_delegates),
        T(test_weekday),
        T(test_preferred_dates),
        T(test_spread),
        T(test_leap_day),
        T(test_dst_madrid),
        T(test_dst_new_york),
        T(test_date_line),
        T(test_no_window),
        T(test_conflict_short_window),
        T(test_conflict_all_holidays),
        T(test_conflict_removed_days),
        T(test_conflict_gap),
        T(test_conflict_lead),
        T(test_conflict_budget),
        T(test_no_plan_within_budget),
        T(test_same_seed),
        T(test_local_search),
        T(test_budget_holds),
        T(test_random_instances),
        cmocka_unit_test(test_slots_random),
        cmocka_unit_test(test_tt_pref_afternoon),
        cmocka_unit_test(test_tt_pref_tradeoff),
        cmocka_unit_test(test_tt_unavailable),
        cmocka_unit_test(test_tt_many_speakers),
        cmocka_unit_test(test_tt_pref_seed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
