/* SPDX-License-Identifier: MIT */
/* dates.c: choosing the days of a programme's events: constraints as data, branch and bound,
 * a seeded local search, explanations and the smallest conflicting set. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/sched.h>

#include "sched_int.h"

#include "banned.h"

#define W_AVOID          10       /* per day inside an entry to avoid */
#define W_PREFER         5        /* per day outside an entry to be in */
#define W_DELEGATES      3        /* per invited delegate per day of their national holiday */
#define W_WEEKDAY        2        /* a first day on a weekday not preferred */
#define W_DATES          1        /* per day away from the preferred dates */
#define W_SPREAD         1        /* per day two events are closer than the spread */
#define UNIVERSE         400      /* days around a window the search may look at without it */
#define NODES_PER_SECOND 200000UL /* the search's budget, in nodes: the same on any machine */
#define CHRONO_SHARE     4        /* the first plan along the calendar gets 1/4 of the budget */
#define QUICK_SHARE      100      /* the branch and bound before any local search: 1/100 */

void cv_plan_input_init(struct cv_plan_input *in)
{
    memset(in, 0, sizeof(*in));
    in->gap_days = 14;
    in->spread_days = 60;
    in->seed = 1;
    in->time_limit = 10;
}

void cv_plan_result_init(struct cv_plan_result *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_plan_result_release(struct cv_plan_result *r)
{
    for (size_t i = 0; i < r->nev; i++)
        free(r->ev[i].removed);
    free(r->ev);
    free(r->cons);
    free(r->conflict);
    cv_plan_result_init(r);
}

void cv_date_format_long(const struct cv_date *d, char *out, size_t size)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    if (!cv_date_is_valid(d)) {
        snprintf(out, size, "?");
        return;
    }
    snprintf(out, size, "%d %s %d", d->day, months[d->month - 1], d->year);
}

void cv_date_span_format_long(const struct cv_date *a, const struct cv_date *b, char *out,
                              size_t size)
{
    char x[40], y[40];
    cv_date_format_long(a, x, sizeof(x));
    if (!cv_date_cmp(a, b)) {
        snprintf(out, size, "%s", x);
        return;
    }
    cv_date_format_long(b, y, sizeof(y));
    snprintf(out, size, "%s to %s", x, y);
}

static bool is_fixed(const struct cv_event *e)
{
    return cv_event_has_dates(e) && (e->status == CV_EVENT_CONFIRMED || e->status == CV_EVENT_HELD);
}

/* "Kenya", "the United States", "the Philippines": a country's name as a sentence wants it. */
static void country_name(const struct cv_country *c, const char *iso2, char *out, size_t size)
{
    const char *name = c ? c->name : iso2 ? iso2 : "the host country";
    bool the = c && (strncmp(name, "United ", 7) == 0 || strncmp(name, "Republic", 8) == 0 ||
                     strstr(name, " Republic") || strcmp(name, "Philippines") == 0 ||
                     strcmp(name, "Netherlands") == 0);
    snprintf(out, size, "%s%s", the ? "the " : "", name);
}

static const struct cv_country *country_of(const struct cv_plan_input *in, const char *iso2)
{
    for (size_t i = 0; iso2 && i < in->ncountries; i++) {
        if (strcmp(in->countries[i].iso2, iso2) == 0)
            return &in->countries[i];
    }
    return NULL;
}

static int add(struct cv_plan_result *r, size_t *alloc, const struct cv_constraint *c)
{
    int rc = cv_grow(&r->cons, alloc, r->ncons + 1, sizeof(r->cons[0]));
    if (rc < 0)
        return rc;
    r->cons[r->ncons++] = *c;
    return 0;
}

/* Is @key "-YYYYMMDD" at @p? */
static bool is_date_suffix(const char *p)
{
    if (p[0] != '-')
        return false;
    for (int i = 1; i <= 8; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
    }
    return p[9] == '\0';
}

/*
 * Is @key in the comma-separated @list, or a dated occurrence of one ("k-YYYYMMDD", the reader
 * keeping at most 55 characters of k)?
 */
static bool in_list(const char *list, const char *key)
{
    if (!list || !key)
        return false;
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, ",");
        size_t m = n > 55 ? 55 : n;
        if (n && strncmp(s, key, n) == 0 && key[n] == '\0')
            return true;
        if (m && strncmp(s, key, m) == 0 && is_date_suffix(key + m))
            return true;
        s += n;
        if (*s == ',')
            s++;
    }
    return false;
}

static bool overlaps(const struct cv_date *a1, const struct cv_date *a2, const struct cv_date *b1,
                     const struct cv_date *b2)
{
    return cv_date_cmp(a1, b2) <= 0 && cv_date_cmp(b1, a2) <= 0;
}

static const struct cv_refentry *find_entry(const struct cv_plan_input *in, const char *key)
{
    for (size_t c = 0; key && c < in->nrefcals; c++) {
        for (size_t k = 0; k < in->refcals[c].n; k++) {
            if (cv_str_eq(in->refcals[c].entries[k].key, key))
                return &in->refcals[c].entries[k];
        }
    }
    return NULL;
}

/* How many invited people come from @iso2. */
static int delegates_from(const struct cv_plan_input *in, const struct cv_event *e,
                          const char *iso2)
{
    int n = 0;
    for (size_t i = 0; i < in->npeople; i++) {
        const struct cv_person *p = &in->people[i];
        if (!cv_str_eq(p->country, iso2))
            continue;
        const struct cv_country *c = country_of(in, p->country);
        if (cv_audience_match(e, p, c ? c->region : NULL))
            n++;
    }
    return n;
}

static int event_constraints(const struct cv_plan_input *in, size_t i, struct cv_plan_result *r,
                             size_t *alloc, struct cv_error *err)
{
    const struct cv_event *e = &in->events[i];
    const struct cv_country *host = country_of(in, e->country);
    char host_name[96];
    country_name(host, e->country, host_name, sizeof(host_name));
    const struct cv_refentry *inside = NULL;
    struct cv_constraint c;
    char span[96];
    int rc;

    if (!cv_date_is_set(&e->window_start))
        return cv_error_set(err, CV_EINVAL,
                            "event %s has no window to plan in; give it one with 'convene event "
                            "set %s --window DATE..DATE'",
                            e->key, e->key);
    if (e->inside && !(inside = find_entry(in, e->inside)))
        return cv_error_set(err, CV_EINVAL,
                            "event %s must fall inside '%s', which no reference calendar has",
                            e->key, e->inside);

    memset(&c, 0, sizeof(c));
    c.kind = CV_CON_WINDOW;
    c.hard = true;
    c.event = i;
    c.first = e->window_start;
    c.last = e->window_end;
    cv_date_span_format_long(&c.first, &c.last, span, sizeof(span));
    snprintf(c.why, sizeof(c.why), "the window of %s: %s, for %d day%s", e->key, span, e->days,
             e->days == 1 ? "" : "s");
    if ((rc = add(r, alloc, &c)) < 0)
        return rc;

    memset(&c, 0, sizeof(c));
    c.kind = CV_CON_WEEKEND;
    c.hard = true;
    c.event = i;
    c.weekdays = host && host->weekend ? host->weekend : CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7);
    char days[40];
    cv_weekdays_format(c.weekdays, days, sizeof(days));
    snprintf(c.why, sizeof(c.why), "the weekend in %s (%s)", host_name, days);
    if ((rc = add(r, alloc, &c)) < 0)
        return rc;

    if (inside) {
        memset(&c, 0, sizeof(c));
        c.kind = CV_CON_INSIDE;
        c.hard = true;
        c.event = i;
        c.first = inside->first;
        c.last = inside->last;
        cv_date_span_format_long(&c.first, &c.last, span, sizeof(span));
        snprintf(c.why, sizeof(c.why), "%s inside %s (%s)", e->key, inside->summary, span);
        if ((rc = add(r, alloc, &c)) < 0)
            return rc;
    }

    if (cv_date_is_set(&in->planning_date)) {
        int lead = e->lead_days ? e->lead_days : e->kind == CV_KIND_LEADERS_EVENT ? 120 : 60;
        char from[40], first[40];
        memset(&c, 0, sizeof(c));
        c.kind = CV_CON_LEAD;
        c.hard = true;
        c.event = i;
        c.days = lead;
        c.first = cv_date_add_days(&in->planning_date, lead);
        c.last = c.first;
        cv_date_format_long(&in->planning_date, from, sizeof(from));
        cv_date_format_long(&c.first, first, sizeof(first));
        snprintf(c.why, sizeof(c.why),
                 "invitations to %s go out %d days ahead of planning from %s: not before %s",
                 e->key, lead, from, first);
        if ((rc = add(r, alloc, &c)) < 0)
            return rc;
    }

    for (size_t k = 0; k < in->nrefcals; k++) {
        const struct cv_refcal *cal = &in->refcals[k];
        bool all = cv_str_eq(cal->scope, "all");
        bool region = cal->scope && strncmp(cal->scope, "region:", 7) == 0 && e->region &&
                      strcasecmp(cal->scope + 7, e->region) == 0;
        bool country = cal->scope && strncmp(cal->scope, "country:", 8) == 0;
        bool at_host = country && cv_str_eq(cal->scope + 8, e->country);
        const struct cv_country *other =
            country && !at_host ? country_of(in, cal->scope + 8) : NULL;
        int delegates = country && !at_host ? delegates_from(in, e, cal->scope + 8) : 0;

        for (size_t x = 0; x < cal->n; x++) {
            const struct cv_refentry *en = &cal->entries[x];
            enum cv_meaning m = en->has_meaning ? en->meaning : cal->meaning;
            bool own_black = in_list(e->blackouts, en->key) || in_list(e->blackouts, cal->key);
            bool own_avoid = in_list(e->avoids, en->key) || in_list(e->avoids, cal->key);
            if (!overlaps(&en->first, &en->last, &e->window_start, &e->window_end))
                continue;
            /* The entry the event must fall inside, and those around it, never forbid it. */
            if (inside && overlaps(&en->first, &en->last, &inside->first, &inside->last))
                continue;
            memset(&c, 0, sizeof(c));
            c.event = i;
            c.first = en->first;
            c.last = en->last;
            cv_date_span_format_long(&c.first, &c.last, span, sizeof(span));
            if (own_black || ((all || region || at_host) && m == CV_MEANING_BLACKOUT)) {
                c.kind = CV_CON_BLACKOUT;
                c.hard = true;
                if (own_black)
                    snprintf(c.why, sizeof(c.why), "%s: %s (the host asks to stay out of it)", span,
                             en->summary);
                else if (at_host)
                    snprintf(c.why, sizeof(c.why), "%s: %s in %s", span, en->summary, host_name);
                else
                    snprintf(c.why, sizeof(c.why), "%s: %s", span, en->summary);
            } else if (own_avoid || ((all || region || at_host) && m == CV_MEANING_AVOID)) {
                c.kind = CV_CON_AVOID;
                c.weight = W_AVOID;
                snprintf(c.why, sizeof(c.why), "%s: %s (avoided)", span, en->summary);
            } else if ((all || region || at_host) && m == CV_MEANING_PREFER) {
                c.kind = CV_CON_PREFER;
                c.weight = W_PREFER;
                snprintf(c.why, sizeof(c.why), "%s: %s (preferred)", span, en->summary);
            } else if (delegates > 0 && m != CV_MEANING_PREFER) {
                c.kind = CV_CON_DELEGATES;
                c.weight = W_DELEGATES;
                c.count = delegates;
                char where[96];
                country_name(other, cal->scope + 8, where, sizeof(where));
                snprintf(c.why, sizeof(c.why), "%s: %s in %s, home of %d invited delegate%s", span,
                         en->summary, where, delegates, delegates == 1 ? "" : "s");
            } else {
                continue;
            }
            if ((rc = add(r, alloc, &c)) < 0)
                return rc;
        }
    }

    memset(&c, 0, sizeof(c));
    c.kind = CV_CON_WEEKDAY;
    c.weight = W_WEEKDAY;
    c.event = i;
    c.weekdays = e->prefer_weekdays ? e->prefer_weekdays
                                    : CV_WEEKDAY_BIT(2) | CV_WEEKDAY_BIT(3) | CV_WEEKDAY_BIT(4);
    cv_weekdays_format(c.weekdays, days, sizeof(days));
    snprintf(c.why, sizeof(c.why), "%s starting mid-week (%s)", e->key, days);
    if ((rc = add(r, alloc, &c)) < 0)
        return rc;

    if (cv_date_is_set(&e->prefer_first)) {
        memset(&c, 0, sizeof(c));
        c.kind = CV_CON_DATES;
        c.weight = W_DATES;
        c.event = i;
        c.first = e->prefer_first;
        c.last = e->prefer_last;
        cv_date_span_format_long(&c.first, &c.last, span, sizeof(span));
        snprintf(c.why, sizeof(c.why), "%s preferably starting %s", e->key, span);
        if ((rc = add(r, alloc, &c)) < 0)
            return rc;
    }
    return 0;
}

int cv_plan_constraints(const struct cv_plan_input *in, struct cv_plan_result *r,
                        struct cv_error *err)
{
    size_t alloc = r->ncons;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < in->nevents; i++) {
        const struct cv_event *e = &in->events[i];
        if (e->status == CV_EVENT_CANCELLED || is_fixed(e))
            continue;
        rc = event_constraints(in, i, r, &alloc, err);
    }
    /* Pairs: every event to plan against every other event that is not cancelled. */
    for (size_t i = 0; rc == 0 && i < in->nevents; i++) {
        const struct cv_event *a = &in->events[i];
        if (a->status == CV_EVENT_CANCELLED || is_fixed(a))
            continue;
        for (size_t j = 0; rc == 0 && j < in->nevents; j++) {
            const struct cv_event *b = &in->events[j];
            if (j == i || b->status == CV_EVENT_CANCELLED)
                continue;
            if (!is_fixed(b) && j < i)
                continue; /* each pair of planned events once */
            if (is_fixed(b) || cv_date_is_set(&b->window_start)) {
                struct cv_constraint c;
                memset(&c, 0, sizeof(c));
                c.kind = CV_CON_GAP;
                c.hard = true;
                c.event = i;
                c.other = j;
                c.days = in->gap_days;
                snprintf(c.why, sizeof(c.why), "at least %d days between %s and %s", in->gap_days,
                         a->key, b->key);
                if (in->gap_days > 0 && (rc = add(r, &alloc, &c)) < 0)
                    break;
                c.kind = CV_CON_SPREAD;
                c.hard = false;
                c.weight = W_SPREAD;
                c.days = in->spread_days;
                snprintf(c.why, sizeof(c.why), "%s and %s spread %d days apart or more", a->key,
                         b->key, in->spread_days);
                if (in->spread_days > 0)
                    rc = add(r, &alloc, &c);
            }
        }
    }
    return rc < 0 && rc == CV_ENOMEM ? cv_error_set(err, rc, "out of memory") : rc;
}

/* ---- the search ------------------------------------------------------------------------------ */

struct var {
    size_t event; /* input index */
    int days;
    bool fixed;
    int64_t lo, hi;  /* the universe of days */
    int64_t *starts; /* first days passing every active unary hard constraint */
    long *ucost;     /* their unary soft cost */
    size_t nstarts;
    long min_ucost;
    unsigned *gone; /* per start: 0 while possible, else the depth whose choice removed it */
    size_t *by_day; /* the starts' indexes in the order of days */
    size_t alive;   /* starts still possible under the choices made so far */
    int64_t value;  /* assigned first day */
};

struct search {
    const struct cv_plan_input *in;
    const struct cv_constraint *cons;
    size_t ncons;
    const bool *active;
    struct var *vars;
    size_t nvars;
    size_t *order; /* planned variables, smallest domain first */
    size_t norder;
    size_t *var_of; /* input event -> variable, or SIZE_MAX */
    int64_t *best;
    long best_cost;
    bool found;
    bool complete;
    bool soft;   /* count soft costs (false: feasibility only) */
    bool chrono; /* feasibility: events along the calendar (false: smallest domain first) */
    bool stop;   /* the node or time limit was reached */
    unsigned long nodes;
    unsigned long node_limit; /* from the time limit; a count, so that runs repeat exactly */
    unsigned long budget;     /* the whole budget, node_limit being what one solve() may use */
    size_t **adj;             /* per variable: its two-event constraints (gap, spread) */
    size_t *nadj;
    struct spread_nb {
        size_t other; /* the other event's variable */
        size_t con;
        int days, weight;
    } * *spread; /* per variable: its spread constraints, compact, for the search's inner loop */
    size_t *nspread;
    struct removal {
        size_t var, start;
    } * trail; /* the starts propagation removed, latest last */
    size_t ntrail;
};

static bool day_forbidden(const struct cv_constraint *c, int64_t day)
{
    struct cv_date d = cv_date_from_days(day);
    switch (c->kind) {
    case CV_CON_WINDOW:
    case CV_CON_INSIDE:
        return cv_date_cmp(&d, &c->first) < 0 || cv_date_cmp(&d, &c->last) > 0;
    case CV_CON_WEEKEND:
        return (c->weekdays & CV_WEEKDAY_BIT(cv_date_weekday(&d))) != 0;
    case CV_CON_BLACKOUT:
        return cv_date_cmp(&d, &c->first) >= 0 && cv_date_cmp(&d, &c->last) <= 0;
    case CV_CON_LEAD:
        return cv_date_cmp(&d, &c->first) < 0;
    default:
        return false;
    }
}

static long overlap_days(int64_t s, int days, const struct cv_constraint *c)
{
    int64_t a = cv_date_to_days(&c->first), b = cv_date_to_days(&c->last);
    int64_t lo = s > a ? s : a, hi = s + days - 1 < b ? s + days - 1 : b;
    return hi >= lo ? (long)(hi - lo + 1) : 0;
}

/* The cost of one unary soft constraint for a first day @s. */
static long unary_cost(const struct cv_constraint *c, int64_t s, int days)
{
    struct cv_date d = cv_date_from_days(s);
    switch (c->kind) {
    case CV_CON_AVOID:
        return c->weight * overlap_days(s, days, c);
    case CV_CON_PREFER:
        return c->weight * (days - overlap_days(s, days, c));
    case CV_CON_DELEGATES:
        return (long)c->weight * c->count * overlap_days(s, days, c);
    case CV_CON_WEEKDAY:
        return (c->weekdays & CV_WEEKDAY_BIT(cv_date_weekday(&d))) ? 0 : c->weight;
    case CV_CON_DATES: {
        int64_t a = cv_date_to_days(&c->first), b = cv_date_to_days(&c->last);
        return c->weight * (long)(s < a ? a - s : s > b ? s - b : 0);
    }
    default:
        return 0;
    }
}

/* Free days between two spans; negative when they overlap. */
static int64_t between(int64_t sa, int da, int64_t sb, int db)
{
    int64_t ea = sa + da - 1, eb = sb + db - 1;
    return sb > ea ? sb - ea - 1 : sa > eb ? sa - eb - 1 : -1;
}

static bool gap_ok(const struct cv_constraint *c, int64_t sa, int da, int64_t sb, int db)
{
    return between(sa, da, sb, db) >= c->days;
}

static long spread_cost(const struct cv_constraint *c, int64_t sa, int da, int64_t sb, int db)
{
    int64_t g = between(sa, da, sb, db);
    return g >= c->days ? 0 : c->weight * (long)(c->days - (g < 0 ? 0 : g));
}

static int cmp_start(const void *a, const void *b, void *arg)
{
    const long *cost = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (cost[x] != cost[y])
        return cost[x] < cost[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Fills each variable's feasible first days and their unary costs, under the active set. */
static int domains(struct search *s)
{
    for (size_t v = 0; v < s->nvars; v++) {
        struct var *x = &s->vars[v];
        free(x->starts);
        free(x->ucost);
        free(x->gone);
        free(x->by_day);
        x->starts = NULL;
        x->ucost = NULL;
        x->gone = NULL;
        x->by_day = NULL;
        x->nstarts = 0;
        x->alive = 0;
        x->min_ucost = 0;
        if (x->fixed)
            continue;
        size_t span = (size_t)(x->hi - x->lo + 1);
        unsigned char *bad = calloc(span, 1);
        int64_t *st = malloc(span * sizeof(int64_t));
        size_t *idx = malloc(span * sizeof(size_t));
        long *tmpc = malloc(span * sizeof(long));
        if (!bad || !st || !idx || !tmpc) {
            free(bad);
            free(st);
            free(idx);
            free(tmpc);
            return CV_ENOMEM;
        }
        for (size_t c = 0; c < s->ncons; c++) {
            const struct cv_constraint *k = &s->cons[c];
            if (!s->active[c] || !k->hard || k->event != x->event || k->kind == CV_CON_GAP)
                continue;
            for (size_t d = 0; d < span; d++)
                bad[d] |= day_forbidden(k, x->lo + (int64_t)d);
        }
        size_t n = 0;
        for (size_t d = 0; d + (size_t)x->days <= span; d++) {
            bool ok = true;
            for (int k = 0; k < x->days && ok; k++)
                ok = !bad[d + (size_t)k];
            if (!ok)
                continue;
            st[n] = x->lo + (int64_t)d;
            long cost = 0;
            for (size_t c = 0; c < s->ncons; c++) {
                const struct cv_constraint *k = &s->cons[c];
                if (!k->hard && k->event == x->event && k->kind != CV_CON_SPREAD)
                    cost += unary_cost(k, st[n], x->days);
            }
            tmpc[n] = cost;
            idx[n] = n;
            n++;
        }
        /* Cheapest first, then earliest: the search tries the best values first. Looking for
         * any plan along the calendar, it goes in the order of days, packing events from the
         * start of their windows. */
        if (!s->chrono)
            qsort_r(idx, n, sizeof(size_t), cmp_start, tmpc);
        x->starts = malloc((n ? n : 1) * sizeof(int64_t));
        x->ucost = malloc((n ? n : 1) * sizeof(long));
        x->gone = calloc(n ? n : 1, sizeof(unsigned));
        x->by_day = malloc((n ? n : 1) * sizeof(size_t));
        if (!x->starts || !x->ucost || !x->gone || !x->by_day) {
            free(bad);
            free(st);
            free(idx);
            free(tmpc);
            return CV_ENOMEM;
        }
        for (size_t k = 0; k < n; k++) {
            x->starts[k] = st[idx[k]];
            x->ucost[k] = tmpc[idx[k]];
            x->by_day[idx[k]] = k; /* st[] is in the order of days */
        }
        x->nstarts = n;
        x->alive = n;
        x->min_ucost = n ? x->ucost[0] : 0;
        free(bad);
        free(st);
        free(idx);
        free(tmpc);
    }
    return 0;
}

/* The spread cost of variable @v at @value against the assigned ones (gaps are propagated). */
static long spread_against(const struct search *s, size_t v, int64_t value, const bool *assigned)
{
    const struct var *x = &s->vars[v];
    long cost = 0;
    for (size_t a = 0; a < s->nspread[v]; a++) {
        const struct spread_nb *nb = &s->spread[v][a];
        if (!assigned[nb->other] || !s->active[nb->con])
            continue;
        const struct var *y = &s->vars[nb->other];
        int64_t g = between(value, x->days, y->value, y->days);
        if (g < nb->days)
            cost += nb->weight * (long)(nb->days - (g < 0 ? 0 : g));
    }
    return cost;
}

/* Whether variable @v at @value keeps its gaps with the assigned ones. */
static bool gaps_hold(const struct search *s, size_t v, int64_t value, const bool *assigned)
{
    const struct var *x = &s->vars[v];
    for (size_t a = 0; a < s->nadj[v]; a++) {
        const struct cv_constraint *k = &s->cons[s->adj[v][a]];
        if (k->kind != CV_CON_GAP || !s->active[s->adj[v][a]])
            continue;
        size_t w = s->var_of[k->event == x->event ? k->other : k->event];
        if (w != SIZE_MAX && assigned[w] &&
            !gap_ok(k, value, x->days, s->vars[w].value, s->vars[w].days))
            return false;
    }
    return true;
}

/* The index in @x->by_day of the first start on or after @day. */
static size_t first_on_or_after(const struct var *x, int64_t day)
{
    size_t lo = 0, hi = x->nstarts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->starts[x->by_day[mid]] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Forward checking: removes, from every unassigned neighbour of @v, the starts that break a
 * gap with @v's value, marking them with @mark and noting them on the trail. Those starts are
 * a run of days: from (first day - the neighbour's length - the gap + 1) to (last day + gap).
 * @return false when a neighbour has none left.
 */
static bool propagate(struct search *s, size_t v, const bool *assigned, unsigned mark)
{
    const struct var *x = &s->vars[v];
    for (size_t a = 0; a < s->nadj[v]; a++) {
        const struct cv_constraint *k = &s->cons[s->adj[v][a]];
        if (k->kind != CV_CON_GAP || !s->active[s->adj[v][a]])
            continue;
        size_t w = s->var_of[k->event == x->event ? k->other : k->event];
        if (w == SIZE_MAX || assigned[w])
            continue;
        struct var *y = &s->vars[w];
        int64_t from = x->value - y->days - k->days + 1;
        for (size_t d = first_on_or_after(y, from); d < y->nstarts; d++) {
            size_t j = y->by_day[d];
            if (gap_ok(k, x->value, x->days, y->starts[j], y->days)) {
                if (y->starts[j] > x->value)
                    break; /* past the run */
                continue;
            }
            if (!y->gone[j]) {
                y->gone[j] = mark;
                y->alive--;
                s->trail[s->ntrail++] = (struct removal){w, j};
            }
        }
        if (!y->alive)
            return false;
    }
    return true;
}

/* Undoes every removal since the trail was @mark long. */
static void restore(struct search *s, size_t mark)
{
    while (s->ntrail > mark) {
        const struct removal *r = &s->trail[--s->ntrail];
        s->vars[r->var].gone[r->start] = 0;
        s->vars[r->var].alive++;
    }
}

/* The first day still possible for @x (its starts are in the order of days). */
static int64_t earliest(const struct var *x)
{
    for (size_t j = 0; j < x->nstarts; j++) {
        if (!x->gone[j])
            return x->starts[j];
    }
    return INT64_MAX;
}

/*
 * The next variable to assign: the one with the fewest starts left, which fails first and so
 * proves quickly that nothing fits; looking for a first plan along the calendar (s->chrono),
 * the one that can start first (then the fewest starts left), so that the events are laid out
 * in the order of days. Ties go to the first in the static order.
 */
static size_t choose(const struct search *s, const bool *assigned)
{
    size_t best = SIZE_MAX;
    int64_t best_day = 0;
    for (size_t k = 0; k < s->norder; k++) {
        size_t v = s->order[k];
        if (assigned[v])
            continue;
        const struct var *x = &s->vars[v];
        if (!s->chrono) {
            if (best == SIZE_MAX || x->alive < s->vars[best].alive)
                best = v;
            continue;
        }
        int64_t day = earliest(x);
        if (best == SIZE_MAX || day < best_day ||
            (day == best_day && x->alive < s->vars[best].alive)) {
            best = v;
            best_day = day;
        }
    }
    return best;
}

/*
 * Depth-first branch and bound. Every start left in a variable's domain keeps the gaps with
 * the variables already assigned, so a choice is checked once, when it is made.
 */
static void dfs(struct search *s, size_t depth, long cost, bool *assigned, long rest)
{
    if (s->stop)
        return;
    if (++s->nodes > s->node_limit) {
        s->stop = true;
        return;
    }
    if (depth == s->norder) {
        if (!s->found || cost < s->best_cost) {
            s->found = true;
            s->best_cost = cost;
            for (size_t v = 0; v < s->nvars; v++)
                s->best[v] = s->vars[v].value;
        }
        return;
    }
    size_t v = choose(s, assigned);
    struct var *x = &s->vars[v];
    long rest_after = rest - x->min_ucost;
    unsigned mark = (unsigned)depth + 1;
    for (size_t k = 0; k < x->nstarts && !s->stop; k++) {
        if (x->gone[k])
            continue;
        long c = cost + x->ucost[k];
        if (s->soft && s->found && c + rest_after >= s->best_cost)
            break; /* sorted by unary cost: nothing further can do better */
        long bcost = s->soft ? spread_against(s, v, x->starts[k], assigned) : 0;
        if (s->soft && s->found && c + bcost + rest_after >= s->best_cost)
            continue;
        x->value = x->starts[k];
        assigned[v] = true;
        size_t trail = s->ntrail;
        if (propagate(s, v, assigned, mark))
            dfs(s, depth + 1, c + bcost, assigned, rest_after);
        restore(s, trail);
        assigned[v] = false;
        if (!s->soft && s->found)
            return; /* feasibility only: one plan is enough */
    }
}

static int cmp_domain(const void *a, const void *b, void *arg)
{
    const struct var *vars = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (vars[x].nstarts != vars[y].nstarts)
        return vars[x].nstarts < vars[y].nstarts ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* One search under the active set, from the best plan in @s when s->found is set. */
static int solve(struct search *s)
{
    int rc = domains(s);
    if (rc < 0)
        return rc;
    s->norder = 0;
    long rest = 0;
    size_t starts = 1;
    for (size_t v = 0; v < s->nvars; v++)
        starts += s->vars[v].nstarts;
    struct removal *trail = realloc(s->trail, starts * sizeof(*trail));
    if (!trail)
        return CV_ENOMEM;
    s->trail = trail;
    s->ntrail = 0;
    bool *assigned = calloc(s->nvars ? s->nvars : 1, sizeof(bool));
    if (!assigned)
        return CV_ENOMEM;
    for (size_t v = 0; v < s->nvars; v++) {
        if (s->vars[v].fixed) {
            assigned[v] = true;
        } else {
            s->order[s->norder++] = v;
            rest += s->vars[v].min_ucost;
        }
    }
    qsort_r(s->order, s->norder, sizeof(size_t), cmp_domain, s->vars);
    s->stop = false;
    s->nodes = 0;
    bool empty = false;
    for (size_t k = 0; k < s->norder; k++)
        empty |= s->vars[s->order[k]].nstarts == 0;
    /* The events already fixed remove, once, the starts too close to them. */
    for (size_t v = 0; v < s->nvars && !empty; v++)
        empty = s->vars[v].fixed && !propagate(s, v, assigned, UINT_MAX);
    if (!empty)
        dfs(s, 0, 0, assigned, rest);
    s->complete = !s->stop;
    free(assigned);
    return 0;
}

/* Total soft cost of the assignment in s->vars (value fields). */
static long total_cost(const struct search *s)
{
    long cost = 0;
    for (size_t c = 0; c < s->ncons; c++) {
        const struct cv_constraint *k = &s->cons[c];
        if (k->hard)
            continue;
        size_t v = s->var_of[k->event];
        if (v == SIZE_MAX)
            continue;
        if (k->kind == CV_CON_SPREAD) {
            size_t w = s->var_of[k->other];
            if (w != SIZE_MAX)
                cost += spread_cost(k, s->vars[v].value, s->vars[v].days, s->vars[w].value,
                                    s->vars[w].days);
        } else {
            cost += unary_cost(k, s->vars[v].value, s->vars[v].days);
        }
    }
    return cost;
}

static bool all_gaps_ok(const struct search *s)
{
    for (size_t c = 0; c < s->ncons; c++) {
        const struct cv_constraint *k = &s->cons[c];
        if (k->kind != CV_CON_GAP || !s->active[c])
            continue;
        size_t v = s->var_of[k->event], w = s->var_of[k->other];
        if (v != SIZE_MAX && w != SIZE_MAX &&
            !gap_ok(k, s->vars[v].value, s->vars[v].days, s->vars[w].value, s->vars[w].days))
            return false;
    }
    return true;
}

/* Moves of one local search, at most: each counts as a node of the budget. */
enum { LOCAL_MOVES = 20000 };

/* Improves s->best by moving one event at a time, accepting moves that do not cost more, in at
 * most @moves moves; @return the moves made. */
static unsigned long local_search(struct search *s, uint64_t seed, unsigned long moves)
{
    uint64_t state = seed ? seed : 0x9E3779B97F4A7C15ULL;
    for (size_t v = 0; v < s->nvars; v++)
        s->vars[v].value = s->best[v];
    long cost = total_cost(s);
    unsigned long it = 0;
    /* A fixed number of moves: the same seed gives the same plan on any machine. */
    for (; it < moves && s->norder; it++) {
        size_t v = s->order[sched_random(&state) % s->norder];
        struct var *x = &s->vars[v];
        if (!x->nstarts)
            continue;
        int64_t old = x->value;
        x->value = x->starts[sched_random(&state) % x->nstarts];
        long c;
        if (all_gaps_ok(s) && (c = total_cost(s)) <= cost) {
            cost = c;
        } else {
            x->value = old;
        }
    }
    if (cost < s->best_cost) {
        s->best_cost = cost;
        for (size_t v = 0; v < s->nvars; v++)
            s->best[v] = s->vars[v].value;
    }
    return it;
}

/* What is left of the budget after @used nodes. */
static unsigned long budget_left(const struct search *s, unsigned long used)
{
    return s->budget > used ? s->budget - used : 0;
}

/* The moves one local search may make after @used nodes. */
static unsigned long moves_left(const struct search *s, unsigned long used)
{
    unsigned long left = budget_left(s, used);
    return left < LOCAL_MOVES ? left : LOCAL_MOVES;
}

/* A branch and bound on at most @limit nodes (none when 0: not complete); @return 0 or
 * CV_ENOMEM, *@used raised by the nodes it took (not the one it refused at its limit). */
static int bounded_solve(struct search *s, unsigned long limit, unsigned long *used)
{
    if (!limit) {
        s->complete = false;
        return 0;
    }
    s->node_limit = limit;
    int rc = solve(s);
    if (rc < 0)
        return rc;
    *used += s->nodes < limit ? s->nodes : limit;
    return 0;
}

/*
 * The smallest set of hard constraints that still conflict: remove each one that is not needed.
 * The checks share what is left of the budget after @used nodes, so that the time limit holds
 * for the whole; each check also costs a node for each event whose days it works out, so that
 * checks that need no search (an empty domain) count too. When the budget runs out, the
 * constraints not yet checked stay: the set still conflicts (each removal was proven), but it
 * may not be the smallest, and r->conflict_minimal says so. @return 0 or CV_ENOMEM
 */
static int minimal_conflict(struct search *s, bool *active, unsigned long used,
                            struct cv_plan_result *r)
{
    unsigned long left = budget_left(s, used), charge = 1;
    bool proven = true;
    /* Each check is a proof of infeasibility, which the smallest domain first finds fastest. */
    s->soft = false;
    s->chrono = false;
    for (size_t v = 0; v < s->nvars; v++)
        charge += !s->vars[v].fixed;
    for (size_t c = 0; c < s->ncons && proven; c++) {
        if (!active[c] || !s->cons[c].hard)
            continue;
        if (left < charge) {
            proven = false;
            break;
        }
        left -= charge;
        r->nodes += charge;
        active[c] = false;
        s->found = false;
        s->node_limit = left;
        int rc = solve(s);
        if (rc < 0)
            return rc;
        unsigned long spent = s->nodes < left ? s->nodes : left;
        left -= spent;
        r->nodes += spent;
        if (!s->complete)
            proven = false; /* unknown: keep it, and the budget is spent */
        if (s->found || !s->complete)
            active[c] = true; /* needed for the conflict (or unknown: keep it) */
    }
    r->conflict_minimal = proven;
    size_t n = 0;
    for (size_t c = 0; c < s->ncons; c++)
        n += active[c] && s->cons[c].hard;
    r->conflict = malloc((n ? n : 1) * sizeof(size_t));
    if (!r->conflict)
        return CV_ENOMEM;
    for (size_t c = 0; c < s->ncons; c++) {
        if (active[c] && s->cons[c].hard)
            r->conflict[r->nconflict++] = c;
    }
    return 0;
}

/* Per-constraint costs of variable @v at @value, the others as in s->vars. */
static long cost_of(const struct search *s, size_t v, int64_t value, long *per)
{
    const struct var *x = &s->vars[v];
    long total = 0;
    for (size_t c = 0; c < s->ncons; c++) {
        const struct cv_constraint *k = &s->cons[c];
        long cost = 0;
        per[c] = 0;
        if (k->hard)
            continue;
        if (k->kind == CV_CON_SPREAD) {
            size_t other = k->event == x->event   ? k->other
                           : k->other == x->event ? k->event
                                                  : SIZE_MAX;
            if (other == SIZE_MAX || s->var_of[other] == SIZE_MAX)
                continue;
            const struct var *y = &s->vars[s->var_of[other]];
            cost = spread_cost(k, value, x->days, y->value, y->days);
        } else if (k->event == x->event) {
            cost = unary_cost(k, value, x->days);
        }
        per[c] = cost;
        total += cost;
    }
    return total;
}

static void append(char *out, size_t size, const char *fmt, const char *why, long n)
{
    size_t len = strlen(out);
    if (len < size)
        snprintf(out + len, size - len, fmt, len ? "; " : "", why, n);
}

/* The days of @pe's window a hard constraint removed, with the first one that did. */
static int removed_days(const struct search *s, struct cv_plan_event *pe)
{
    size_t alloc = 0;
    const struct cv_event *e = &s->in->events[pe->event];
    for (int64_t d = cv_date_to_days(&e->window_start); d <= cv_date_to_days(&e->window_end); d++) {
        for (size_t c = 0; c < s->ncons; c++) {
            const struct cv_constraint *kc = &s->cons[c];
            if (!kc->hard || kc->event != pe->event || kc->kind == CV_CON_GAP ||
                kc->kind == CV_CON_WINDOW || !day_forbidden(kc, d))
                continue;
            int rc = cv_grow(&pe->removed, &alloc, pe->nremoved + 1, sizeof(pe->removed[0]));
            if (rc < 0)
                return rc;
            pe->removed[pe->nremoved].day = cv_date_from_days(d);
            pe->removed[pe->nremoved].constraint = c;
            pe->nremoved++;
            break;
        }
    }
    return 0;
}

/* Explains the plan of each event: cost, runner-up, days the hard constraints removed. */
static int explain(struct search *s, struct cv_plan_result *r)
{
    long *per = malloc((s->ncons ? s->ncons : 1) * sizeof(long));
    long *alt = malloc((s->ncons ? s->ncons : 1) * sizeof(long));
    bool *assigned = malloc((s->nvars ? s->nvars : 1) * sizeof(bool));
    int rc = 0;
    if (!per || !alt || !assigned) {
        rc = CV_ENOMEM;
        goto out;
    }
    for (size_t v = 0; v < s->nvars; v++)
        assigned[v] = true;
    for (size_t k = 0; k < r->nev; k++) {
        struct cv_plan_event *pe = &r->ev[k];
        size_t v = s->var_of[pe->event];
        if (v == SIZE_MAX || s->vars[v].fixed)
            continue;
        struct var *x = &s->vars[v];
        pe->candidates = x->nstarts;
        pe->cost = cost_of(s, v, x->value, per);
        pe->cost_why[0] = '\0';
        for (size_t c = 0; c < s->ncons; c++) {
            if (per[c])
                append(pe->cost_why, sizeof(pe->cost_why), "%s%s (+%ld)", s->cons[c].why, per[c]);
        }
        /* The runner-up: the best other first day, the others staying where they are. */
        int64_t chosen = x->value;
        assigned[v] = false;
        for (size_t i = 0; i < x->nstarts; i++) {
            long c;
            if (x->starts[i] == chosen || !gaps_hold(s, v, x->starts[i], assigned))
                continue;
            c = cost_of(s, v, x->starts[i], alt);
            if (!pe->has_runner_up || c < pe->runner_cost ||
                (c == pe->runner_cost && llabs(x->starts[i] - chosen) <
                                             llabs(cv_date_to_days(&pe->runner_start) - chosen))) {
                pe->has_runner_up = true;
                pe->runner_cost = c;
                pe->runner_start = cv_date_from_days(x->starts[i]);
            }
        }
        assigned[v] = true;
        if (pe->has_runner_up) {
            cost_of(s, v, cv_date_to_days(&pe->runner_start), alt);
            cost_of(s, v, chosen, per);
            pe->lost_on[0] = '\0';
            for (size_t c = 0; c < s->ncons; c++) {
                if (alt[c] > per[c])
                    append(pe->lost_on, sizeof(pe->lost_on), "%s%s (+%ld)", s->cons[c].why,
                           alt[c] - per[c]);
            }
            if (!pe->lost_on[0])
                snprintf(pe->lost_on, sizeof(pe->lost_on),
                         pe->runner_cost == pe->cost ? "nothing: an equal score, and the earlier "
                                                       "date wins the tie"
                                                     : "nothing of its own");
        }
        if ((rc = removed_days(s, pe)) < 0)
            goto out;
    }
out:
    free(per);
    free(alt);
    free(assigned);
    return rc;
}

int cv_plan_dates(const struct cv_plan_input *in, struct cv_plan_result *r, struct cv_error *err)
{
    struct search s;
    bool *active = NULL;
    int64_t *first = NULL; /* the first plan found */
    int rc;

    memset(&s, 0, sizeof(s));
    if ((rc = cv_plan_constraints(in, r, err)) < 0)
        return rc;
    s.in = in;
    s.cons = r->cons;
    s.ncons = r->ncons;
    s.vars = calloc(in->nevents ? in->nevents : 1, sizeof(struct var));
    s.order = calloc(in->nevents ? in->nevents : 1, sizeof(size_t));
    s.var_of = malloc((in->nevents ? in->nevents : 1) * sizeof(size_t));
    s.best = calloc(in->nevents ? in->nevents : 1, sizeof(int64_t));
    active = malloc((r->ncons ? r->ncons : 1) * sizeof(bool));
    r->ev = calloc(in->nevents ? in->nevents : 1, sizeof(r->ev[0]));
    if (!s.vars || !s.order || !s.var_of || !s.best || !active || !r->ev) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < r->ncons; c++)
        active[c] = true;
    s.active = active;

    for (size_t i = 0; i < in->nevents; i++) {
        const struct cv_event *e = &in->events[i];
        s.var_of[i] = SIZE_MAX;
        if (e->status == CV_EVENT_CANCELLED)
            continue;
        struct cv_plan_event *pe = &r->ev[r->nev++];
        pe->event = i;
        pe->fixed = is_fixed(e);
        if (pe->fixed) {
            pe->placed = true;
            pe->start = e->start;
            pe->end = e->end;
        }
        struct var *x = &s.vars[s.nvars];
        x->event = i;
        x->days = e->days;
        x->fixed = pe->fixed;
        if (x->fixed) {
            x->value = cv_date_to_days(&e->start);
        } else {
            x->lo = cv_date_to_days(&e->window_start) - UNIVERSE;
            x->hi = cv_date_to_days(&e->window_end) + UNIVERSE;
        }
        s.var_of[i] = s.nvars++;
    }
    /* Each variable's two-event constraints, so that a check does not scan them all. */
    s.adj = calloc(s.nvars ? s.nvars : 1, sizeof(size_t *));
    s.nadj = calloc(s.nvars ? s.nvars : 1, sizeof(size_t));
    s.spread = calloc(s.nvars ? s.nvars : 1, sizeof(*s.spread));
    s.nspread = calloc(s.nvars ? s.nvars : 1, sizeof(size_t));
    if (!s.adj || !s.nadj || !s.spread || !s.nspread) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < r->ncons; c++) {
        const struct cv_constraint *k = &r->cons[c];
        if (k->kind != CV_CON_GAP && k->kind != CV_CON_SPREAD)
            continue;
        size_t ends[2] = {s.var_of[k->event], s.var_of[k->other]};
        for (int e = 0; e < 2; e++) {
            size_t v = ends[e];
            if (v == SIZE_MAX)
                continue;
            size_t *grown = realloc(s.adj[v], (s.nadj[v] + 1) * sizeof(size_t));
            if (!grown) {
                rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                goto out;
            }
            s.adj[v] = grown;
            s.adj[v][s.nadj[v]++] = c;
            size_t w = ends[1 - e];
            if (k->kind != CV_CON_SPREAD || w == SIZE_MAX)
                continue;
            struct spread_nb *nb = realloc(s.spread[v], (s.nspread[v] + 1) * sizeof(*nb));
            if (!nb) {
                rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                goto out;
            }
            s.spread[v] = nb;
            s.spread[v][s.nspread[v]++] = (struct spread_nb){w, c, k->days, k->weight};
        }
    }
    if (in->node_limit) {
        s.budget = in->node_limit;
    } else {
        s.budget = (unsigned long)(in->time_limit * NODES_PER_SECOND);
        if (s.budget < 1000)
            s.budget = 1000;
    }
    /*
     * First any plan that keeps every hard constraint, then, bounded by its cost, the best; one
     * budget for the whole, so that the time limit holds. The first plan is looked for along
     * the calendar, which lays out many events quickly but is slow to prove that none fits;
     * with part of the budget, then, when it neither found a plan nor finished, smallest domain
     * first with what is left, which proves infeasibility (and finds tight plans) quickly.
     */
    s.soft = false;
    s.found = false;
    s.chrono = true;
    s.node_limit = s.budget / CHRONO_SHARE;
    if ((rc = solve(&s)) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    r->nodes = s.nodes;
    r->complete = s.complete;
    if (!s.found && !s.complete) {
        s.chrono = false;
        s.node_limit = s.budget - r->nodes;
        if ((rc = solve(&s)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        r->nodes += s.nodes;
        r->complete = s.complete;
    }
    /* Both searches ran out: the budget was spent. Their counts also hold the node each one
     * refused, which would say more than the limit: never more than the budget is reported. */
    if ((!s.found && !r->complete) || r->nodes > s.budget)
        r->nodes = s.budget;
    if (s.found) {
        for (size_t v = 0; v < s.nvars; v++)
            s.vars[v].value = s.best[v];
        s.best_cost = total_cost(&s);
        long first_cost = s.best_cost;
        first = malloc((s.nvars ? s.nvars : 1) * sizeof(int64_t));
        if (!first) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(first, s.best, s.nvars * sizeof(int64_t));
        /*
         * The branch and bound on a small share of the budget, which finishes small problems.
         * Else the local search, whose plan's cost then bounds the branch and bound from the
         * start. That bound lets plans of the same cost through, so that among equal plans the
         * search keeps the first in its order (cheapest days first, then earliest), as it does
         * alone.
         */
        s.soft = true;
        s.chrono = false;
        unsigned long quick = budget_left(&s, r->nodes);
        if (quick > s.budget / QUICK_SHARE)
            quick = s.budget / QUICK_SHARE;
        if ((rc = bounded_solve(&s, quick, &r->nodes)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if (!s.complete) {
            /* From the branch and bound's best, and from the first plan: the better of the two
             * (the first plan, when they tie). */
            int64_t *bb = malloc((s.nvars ? s.nvars : 1) * sizeof(int64_t));
            if (!bb) {
                rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                goto out;
            }
            r->nodes += local_search(&s, in->seed, moves_left(&s, r->nodes));
            long bb_cost = s.best_cost;
            memcpy(bb, s.best, s.nvars * sizeof(int64_t));
            memcpy(s.best, first, s.nvars * sizeof(int64_t));
            s.best_cost = first_cost;
            r->nodes += local_search(&s, in->seed, moves_left(&s, r->nodes));
            if (bb_cost < s.best_cost) {
                memcpy(s.best, bb, s.nvars * sizeof(int64_t));
                s.best_cost = bb_cost;
            }
            free(bb);
            long bound = s.best_cost;
            s.best_cost = bound + 1;
            if ((rc = bounded_solve(&s, budget_left(&s, r->nodes), &r->nodes)) < 0) {
                cv_error_set(err, rc, "out of memory");
                goto out;
            }
            if (s.best_cost > bound)
                s.best_cost = bound; /* nothing as good: the local search's plan, in s.best */
        }
        r->complete = s.complete;
        r->optimal = s.complete;
        if (!s.complete)
            r->nodes += local_search(&s, in->seed, moves_left(&s, r->nodes));
    }
    r->feasible = s.found;
    if (s.found) {
        r->score = s.best_cost;
        for (size_t v = 0; v < s.nvars; v++)
            s.vars[v].value = s.best[v];
        for (size_t k = 0; k < r->nev; k++) {
            struct cv_plan_event *pe = &r->ev[k];
            const struct var *x = &s.vars[s.var_of[pe->event]];
            pe->placed = true;
            pe->start = cv_date_from_days(x->value);
            pe->end = cv_date_from_days(x->value + x->days - 1);
        }
        if ((rc = explain(&s, r)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        r->hard_violations = cv_plan_check(in, r);
    } else if (s.complete) {
        if ((rc = minimal_conflict(&s, active, r->nodes, r)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        r->hard_violations = (int)(r->nconflict ? 1 : 0);
        /* The days removed, and what is left, are part of the story of an infeasible event too. */
        for (size_t c = 0; c < r->ncons; c++)
            active[c] = true;
        s.soft = true;
        if ((rc = domains(&s)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < r->nev; k++) {
            struct cv_plan_event *pe = &r->ev[k];
            size_t v = s.var_of[pe->event];
            if (v == SIZE_MAX || s.vars[v].fixed)
                continue;
            pe->candidates = s.vars[v].nstarts;
            if ((rc = removed_days(&s, pe)) < 0) {
                cv_error_set(err, rc, "out of memory");
                goto out;
            }
        }
    }
out:
    for (size_t v = 0; s.vars && v < s.nvars; v++) {
        free(s.vars[v].starts);
        free(s.vars[v].ucost);
        free(s.vars[v].gone);
        free(s.vars[v].by_day);
    }
    for (size_t v = 0; s.adj && v < s.nvars; v++)
        free(s.adj[v]);
    for (size_t v = 0; s.spread && v < s.nvars; v++)
        free(s.spread[v]);
    free(s.adj);
    free(s.nadj);
    free(s.spread);
    free(s.nspread);
    free(s.trail);
    free(s.vars);
    free(s.order);
    free(s.var_of);
    free(s.best);
    free(first);
    free(active);
    return rc;
}

int cv_plan_check(const struct cv_plan_input *in, const struct cv_plan_result *r)
{
    int bad = 0;
    for (size_t c = 0; c < r->ncons; c++) {
        const struct cv_constraint *k = &r->cons[c];
        const struct cv_plan_event *a = NULL, *b = NULL;
        if (!k->hard)
            continue;
        for (size_t i = 0; i < r->nev; i++) {
            if (r->ev[i].event == k->event)
                a = &r->ev[i];
            if (k->kind == CV_CON_GAP && r->ev[i].event == k->other)
                b = &r->ev[i];
        }
        if (!a || !a->placed)
            continue;
        if (k->kind == CV_CON_GAP) {
            if (b && b->placed) {
                int64_t sa = cv_date_to_days(&a->start), ea = cv_date_to_days(&a->end);
                int64_t sb = cv_date_to_days(&b->start), eb = cv_date_to_days(&b->end);
                int64_t free_days = sb > ea ? sb - ea - 1 : sa > eb ? sa - eb - 1 : -1;
                bad += free_days < k->days;
            }
            continue;
        }
        for (int64_t d = cv_date_to_days(&a->start); d <= cv_date_to_days(&a->end); d++) {
            if (day_forbidden(k, d)) {
                bad++;
                break;
            }
        }
    }
    (void)in;
    return bad;
}
