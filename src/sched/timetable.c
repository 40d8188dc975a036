/* SPDX-License-Identifier: MIT */
/* timetable.c: sessions into days, start times and rooms: greedy, hardest first, then a seeded
 * local search; unplaceable sessions explained. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/sched.h>

#include "sched_int.h"

#include "banned.h"

#define W_PARALLEL 20 /* two sessions of one track at once */
#define W_SPREAD   5  /* a session of a track above its share of a day */
#define W_PLENARY  10 /* a plenary outside the largest room */
#define MAX_BREAKS 16

void cv_tt_input_init(struct cv_tt_input *in)
{
    memset(in, 0, sizeof(*in));
    in->step = 15;
    in->seed = 1;
    in->time_limit = 5;
}

void cv_tt_result_init(struct cv_tt_result *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_tt_result_release(struct cv_tt_result *r)
{
    free(r->v);
    free(r->prefs);
    cv_tt_result_init(r);
}

/* One session as the search sees it. */
struct item {
    int minutes;
    int capacity;
    bool plenary;
    int track;
    char **people; /* its speakers, and the required attendees of a plenary: copies */
    int npeople;
    size_t apeople;
    size_t *prefs; /* indexes into the tt's prefs: every speaker of its with one */
    size_t nprefs, aprefs;
};

/* A speaker's preference as the search sees it. */
struct pref {
    bool any_day;
    uint64_t days; /* bit d: the event's day d is preferred */
    int from, to;  /* minutes; both 0: any time */
    int weight;
    uint64_t off;   /* hard, bit d: the event's day d they cannot come */
    int not_before; /* hard: no session of theirs starts earlier */
};

struct tt {
    const struct cv_tt_input *in;
    struct item *items;
    int days, opens, closes;
    int bfrom[MAX_BREAKS], bto[MAX_BREAKS], nbreaks;
    size_t largest; /* room index */
    int share[5];   /* per track: its sessions' share of a day, ceil(n / days) */
    struct cv_tt_place *p;
    uint64_t *mates; /* n x n bits: the two sessions share a person (speaker, required) */
    size_t mate_words;
    bool *room_taken;   /* per room, scratch for placements() */
    struct pref *prefs; /* one per input preference */
    bool *blocking;     /* per input preference, scratch for explain_unplaced() */
};

/* Adds the name of @len bytes at @name to @it, unless it is blank or there already. @return 0
 * or CV_ENOMEM */
static int add_person(struct item *it, const char *name, size_t len)
{
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (!len)
        return 0;
    for (int k = 0; k < it->npeople; k++) {
        if (strlen(it->people[k]) == len && strncasecmp(it->people[k], name, len) == 0)
            return 0;
    }
    if (it->npeople == INT_MAX ||
        cv_grow(&it->people, &it->apeople, (size_t)it->npeople + 1, sizeof(it->people[0])) < 0)
        return CV_ENOMEM;
    if (!(it->people[it->npeople] = strndup(name, len)))
        return CV_ENOMEM;
    it->npeople++;
    return 0;
}

/* Does [a, a+len) avoid every break and fit the venue's day? */
static bool fits_day(const struct tt *t, int a, int len)
{
    if (a < t->opens || a + len > t->closes)
        return false;
    for (int k = 0; k < t->nbreaks; k++) {
        if (a < t->bto[k] && a + len > t->bfrom[k])
            return false;
    }
    return true;
}

static bool overlap(const struct cv_tt_place *x, int lx, const struct cv_tt_place *y, int ly)
{
    return x->day == y->day && x->start_min < y->start_min + ly && y->start_min < x->start_min + lx;
}

static bool share_person(const struct tt *t, size_t a, size_t b)
{
    return t->mates[a * t->mate_words + b / 64] >> (b % 64) & 1;
}

/* One person in one session, to find the sessions that share a person by sorting names. */
struct seat {
    const char *name;
    size_t session;
};

static int cmp_seat(const void *a, const void *b)
{
    const struct seat *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (c)
        return c;
    return x->session < y->session ? -1 : x->session > y->session;
}

/* Fills t->mates: sessions that have a person in common (names compared without case). */
static int find_mates(struct tt *t)
{
    size_t n = t->in->nsessions, nseats = 0;
    for (size_t s = 0; s < n; s++)
        nseats += (size_t)t->items[s].npeople;
    struct seat *seats = malloc((nseats ? nseats : 1) * sizeof(*seats));
    t->mate_words = (n + 63) / 64;
    t->mates = calloc(n * t->mate_words, sizeof(uint64_t));
    if (!seats || !t->mates) {
        free(seats);
        return CV_ENOMEM;
    }
    nseats = 0;
    for (size_t s = 0; s < n; s++) {
        for (int k = 0; k < t->items[s].npeople; k++)
            seats[nseats++] = (struct seat){t->items[s].people[k], s};
    }
    qsort(seats, nseats, sizeof(*seats), cmp_seat);
    for (size_t i = 0; i < nseats;) {
        size_t j = i + 1;
        while (j < nseats && strcasecmp(seats[i].name, seats[j].name) == 0)
            j++;
        for (size_t a = i; a < j; a++) {
            for (size_t b = i; b < j; b++) {
                size_t x = seats[a].session, y = seats[b].session;
                t->mates[x * t->mate_words + y / 64] |= 1ULL << (y % 64);
            }
        }
        i = j;
    }
    free(seats);
    return 0;
}

/* Would session @s at @pl clash with a placed session (room or person)? Names it in @who. */
static bool clashes(const struct tt *t, size_t s, const struct cv_tt_place *pl, size_t *who,
                    bool *person)
{
    for (size_t o = 0; o < t->in->nsessions; o++) {
        if (o == s || !t->p[o].placed)
            continue;
        if (!overlap(pl, t->items[s].minutes, &t->p[o], t->items[o].minutes))
            continue;
        if (t->p[o].room == pl->room || share_person(t, s, o)) {
            if (who)
                *who = o;
            if (person)
                *person = t->p[o].room != pl->room;
            return true;
        }
    }
    return false;
}

/* Is preference @k met by a session of @minutes on @day at @start? */
static bool pref_is_met(const struct tt *t, size_t k, int day, int start, int minutes)
{
    const struct pref *p = &t->prefs[k];
    if (!p->any_day && (day >= 64 || !(p->days >> day & 1)))
        return false;
    return (p->from == 0 && p->to == 0) || (start >= p->from && start + minutes <= p->to);
}

/* Which speaker of session @s cannot come on @day at @start: an index into the prefs, or -1. */
static long blocked_by(const struct tt *t, size_t s, int day, int start)
{
    const struct item *it = &t->items[s];
    for (size_t k = 0; k < it->nprefs; k++) {
        const struct pref *p = &t->prefs[it->prefs[k]];
        if ((day < 64 && (p->off >> day & 1)) || start < p->not_before)
            return (long)it->prefs[k];
    }
    return -1;
}

/* What the preferences of session @s's speakers cost with it on @day at @start. */
static long pref_cost(const struct tt *t, size_t s, int day, int start)
{
    const struct item *it = &t->items[s];
    long c = 0;
    for (size_t k = 0; k < it->nprefs; k++) {
        if (!pref_is_met(t, it->prefs[k], day, start, it->minutes))
            c += t->prefs[it->prefs[k]].weight;
    }
    return c;
}

/* Reads the date at @d of a list "YYYY-MM-DD,..." into @day. @return what follows it, and
 * @ok false when it is not a date. */
static const char *next_day(const char *d, struct cv_date *day, bool *ok)
{
    size_t len = strcspn(d, ",");
    char one[16];
    *ok = len < sizeof(one);
    if (*ok) {
        memcpy(one, d, len);
        one[len] = '\0';
        *ok = cv_date_parse(one, day) == 0;
    }
    return d + len + (d[len] != '\0');
}

/* Sets in @bits the days of the list @days that are days of the event (starting on the day
 * number @first, @ndays long). @return 0 or CV_EINVAL (not a list of dates). */
static int day_bits(const char *days, int64_t first, int ndays, uint64_t *bits)
{
    for (const char *d = days; d && *d;) {
        struct cv_date day;
        bool ok;
        d = next_day(d, &day, &ok);
        if (!ok)
            return CV_EINVAL;
        int64_t i = cv_date_to_days(&day) - first;
        if (i >= 0 && i < ndays && i < 64)
            *bits |= 1ULL << i;
    }
    return 0;
}

/* Writes "on 16 May 2041 or 17 May 2041" for the list @days into @out. @return its length. */
static size_t format_days(const char *days, char *out, size_t size)
{
    size_t w = 0;
    out[0] = '\0';
    for (const char *d = days; d && *d && w < size;) {
        char longer[40];
        struct cv_date day;
        bool ok;
        d = next_day(d, &day, &ok);
        if (!ok)
            continue;
        cv_date_format_long(&day, longer, sizeof(longer));
        int m = snprintf(out + w, size - w, "%s%s", w ? " or " : "on ", longer);
        w = m < 0 ? size : w + (size_t)m;
    }
    return w < size ? w : size - 1;
}

/* Reads the preferences into t->prefs and ties each to the sessions of its speaker. */
static int load_prefs(struct tt *t, struct cv_error *err)
{
    const struct cv_tt_input *in = t->in;
    if (!in->nprefs)
        return 0;
    t->prefs = calloc(in->nprefs, sizeof(*t->prefs));
    t->blocking = calloc(in->nprefs, sizeof(*t->blocking));
    if (!t->prefs || !t->blocking)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    int64_t first = cv_date_to_days(&in->event->start);
    for (size_t k = 0; k < in->nprefs; k++) {
        const struct cv_speaker_pref *sp = &in->prefs[k];
        struct pref *p = &t->prefs[k];
        p->from = sp->from_min;
        p->to = sp->to_min;
        p->weight = sp->weight;
        p->not_before = sp->not_before;
        p->any_day = !sp->days || !*sp->days;
        if (day_bits(sp->days, first, t->days, &p->days) < 0)
            return cv_error_set(err, CV_EINVAL, "speaker %s: bad days '%s'", sp->name, sp->days);
        if (day_bits(sp->not_on, first, t->days, &p->off) < 0)
            return cv_error_set(err, CV_EINVAL, "speaker %s: bad days '%s'", sp->name, sp->not_on);
        for (size_t s = 0; sp->name && s < in->nsessions; s++) {
            struct item *it = &t->items[s];
            for (int j = 0; j < it->npeople; j++) {
                if (strcasecmp(it->people[j], sp->name) != 0)
                    continue;
                if (cv_grow(&it->prefs, &it->aprefs, it->nprefs + 1, sizeof(it->prefs[0])) < 0)
                    return cv_error_set(err, CV_ENOMEM, "out of memory");
                it->prefs[it->nprefs++] = k;
                break;
            }
        }
    }
    return 0;
}

/* Says in @out whether each preference of session @s's speakers is met where it is. */
static long explain_prefs(const struct tt *t, size_t s, char *out, size_t size)
{
    const struct item *it = &t->items[s];
    const struct cv_tt_place *pl = &t->p[s];
    size_t n = 0;
    long total = 0;
    out[0] = '\0';
    for (size_t j = 0; pl->placed && j < it->nprefs; j++) {
        size_t k = it->prefs[j];
        const struct cv_speaker_pref *sp = &t->in->prefs[k];
        bool met = pref_is_met(t, k, pl->day, pl->start_min, it->minutes);
        char hours[40] = "", days[200];
        if (!sp->to_min && (!sp->days || !*sp->days))
            continue; /* only hard rules, kept by every placement */
        if (sp->to_min)
            snprintf(hours, sizeof(hours), " %02d:%02d-%02d:%02d", sp->from_min / 60,
                     sp->from_min % 60, sp->to_min / 60, sp->to_min % 60);
        format_days(sp->days, days, sizeof(days));
        if (!met)
            total += t->prefs[k].weight;
        if (n < size) {
            int m =
                met ? snprintf(out + n, size - n, "%s%s prefers%s%s%s: met", n ? "; " : "",
                               sp->name, hours, *days ? " " : "", days)
                    : snprintf(out + n, size - n, "%s%s prefers%s%s%s: not met, costs %d",
                               n ? "; " : "", sp->name, hours, *days ? " " : "", days, sp->weight);
            n = m < 0 ? size : n + (size_t)m;
        }
    }
    return total;
}

/* The soft cost of the whole timetable. */
static long cost(const struct tt *t, char *why, size_t size)
{
    long parallel = 0, spread = 0, plenary = 0, prefs = 0;
    size_t n = t->in->nsessions;
    int per_track[5] = {0};
    for (size_t s = 0; s < n; s++)
        per_track[t->items[s].track]++;
    for (size_t s = 0; s < n; s++) {
        if (!t->p[s].placed)
            continue;
        if (t->items[s].plenary && t->p[s].room != t->largest)
            plenary += W_PLENARY;
        prefs += pref_cost(t, s, t->p[s].day, t->p[s].start_min);
        for (size_t o = s + 1; o < n; o++) {
            if (t->p[o].placed && t->items[o].track == t->items[s].track && !t->items[s].plenary &&
                overlap(&t->p[s], t->items[s].minutes, &t->p[o], t->items[o].minutes))
                parallel += W_PARALLEL;
        }
    }
    for (int tr = 0; tr < 5; tr++) {
        int share = (per_track[tr] + t->days - 1) / t->days;
        for (int d = 0; d < t->days; d++) {
            int k = 0;
            for (size_t s = 0; s < n; s++)
                k += t->p[s].placed && t->items[s].track == tr && t->p[s].day == d;
            if (k > share)
                spread += (long)W_SPREAD * (k - share);
        }
    }
    if (why)
        snprintf(why, size,
                 "%ld for sessions of one track in parallel, %ld for tracks crowded on a day, %ld "
                 "for plenaries outside the largest room, %ld for speakers outside their "
                 "preferences",
                 parallel, spread, plenary, prefs);
    return parallel + spread + plenary + prefs;
}

/* The part of marginal() that depends on the day and start only, not on the room. */
static long marginal_time(const struct tt *t, size_t s, const struct cv_tt_place *pl)
{
    const struct item *it = &t->items[s];
    long c = pref_cost(t, s, pl->day, pl->start_min);
    int same_day = 0;
    for (size_t o = 0; o < t->in->nsessions; o++) {
        if (o == s || !t->p[o].placed || t->items[o].track != it->track)
            continue;
        if (t->p[o].day == pl->day)
            same_day++;
        if (!it->plenary && overlap(pl, it->minutes, &t->p[o], t->items[o].minutes))
            c += W_PARALLEL;
    }
    if (same_day >= t->share[it->track])
        c += W_SPREAD;
    return c;
}

/*
 * What session @s at @pl adds to the cost, the other placed sessions staying (s itself counted
 * as not placed): its parallel same-track pairs, its crowding of its track's day, its room if a
 * plenary, its speakers' preferences. The total cost changes by exactly this much when s is placed
 * there.
 */
static long marginal(const struct tt *t, size_t s, const struct cv_tt_place *pl)
{
    const struct item *it = &t->items[s];
    return (it->plenary && pl->room != t->largest ? W_PLENARY : 0) + marginal_time(t, s, pl);
}

/*
 * Every placement of session @s that passes the hard constraints, given the others, in the order
 * of days, starts and rooms. One pass over the placed sessions per start: a person in common
 * rules out every room, else the rooms they hold are taken.
 */
static size_t placements(const struct tt *t, size_t s, struct cv_tt_place *out, size_t max)
{
    size_t n = 0;
    const struct item *it = &t->items[s];
    for (int d = 0; d < t->days; d++) {
        for (int a = t->opens; a + it->minutes <= t->closes; a += t->in->step) {
            if (!fits_day(t, a, it->minutes) || blocked_by(t, s, d, a) >= 0)
                continue;
            struct cv_tt_place at = {.placed = true, .day = d, .start_min = a};
            bool person = false;
            memset(t->room_taken, 0, t->in->nrooms * sizeof(bool));
            for (size_t o = 0; o < t->in->nsessions && !person; o++) {
                if (o == s || !t->p[o].placed ||
                    !overlap(&at, it->minutes, &t->p[o], t->items[o].minutes))
                    continue;
                person = share_person(t, s, o);
                t->room_taken[t->p[o].room] = true;
            }
            if (person)
                continue;
            for (size_t r = 0; r < t->in->nrooms; r++) {
                if (t->in->rooms[r].capacity < it->capacity || t->room_taken[r])
                    continue;
                struct cv_tt_place pl = {.placed = true, .day = d, .start_min = a, .room = r};
                if (n < max)
                    out[n] = pl;
                n++;
            }
        }
    }
    return n;
}

/* Places @s where the cost rises least (earliest on ties). @return false when nowhere. */
static bool place_best(struct tt *t, size_t s, struct cv_tt_place *buf, size_t max)
{
    size_t n = placements(t, s, buf, max);
    if (n > max)
        n = max;
    long best = 0;
    size_t at = SIZE_MAX;
    t->p[s].placed = false;
    long at_time = 0; /* marginal_time() of the last day and start seen */
    for (size_t i = 0; i < n; i++) {
        /* Placements come by day and start, then room: the time's part once per start. */
        if (i == 0 || buf[i].day != buf[i - 1].day || buf[i].start_min != buf[i - 1].start_min)
            at_time = marginal_time(t, s, &buf[i]);
        long c = at_time + (t->items[s].plenary && buf[i].room != t->largest ? W_PLENARY : 0);
        if (at == SIZE_MAX || c < best) {
            best = c;
            at = i;
        }
    }
    if (at == SIZE_MAX) {
        t->p[s].placed = false;
        return false;
    }
    t->p[s] = buf[at];
    return true;
}

static int hardness(const void *a, const void *b, void *arg)
{
    const struct item *items = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const struct item *p = &items[x], *q = &items[y];
    if (p->plenary != q->plenary)
        return p->plenary ? -1 : 1;
    if (p->capacity != q->capacity)
        return p->capacity > q->capacity ? -1 : 1;
    if (p->npeople != q->npeople)
        return p->npeople > q->npeople ? -1 : 1;
    if (p->minutes != q->minutes)
        return p->minutes > q->minutes ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Why session @s has no place: its own limits first, then what takes its places. */
static void explain_unplaced(struct tt *t, size_t s)
{
    const struct item *it = &t->items[s];
    const struct cv_session *se = &t->in->sessions[s];
    char *w = t->p[s].why;
    size_t size = sizeof(t->p[s].why);
    int biggest = 0;
    for (size_t r = 0; r < t->in->nrooms; r++) {
        if (t->in->rooms[r].capacity > biggest)
            biggest = t->in->rooms[r].capacity;
    }
    if (it->capacity > biggest) {
        snprintf(w, size, "%s needs %d seats; the largest room, %s, has %d", se->key, it->capacity,
                 t->in->rooms[t->largest].name, biggest);
        return;
    }
    bool any = false;
    for (int a = t->opens; a + it->minutes <= t->closes && !any; a += t->in->step)
        any = fits_day(t, a, it->minutes);
    if (!any) {
        snprintf(w, size,
                 "%s lasts %d minutes; the venue's day (%02d:%02d-%02d:%02d%s) has no such span "
                 "between its breaks",
                 se->key, it->minutes, t->opens / 60, t->opens % 60, t->closes / 60, t->closes % 60,
                 t->nbreaks ? ", with breaks" : "");
        return;
    }
    /* Its speakers cannot come at any time that fits: name their hard rules. */
    bool free_time = false;
    /* t->blocking[k]: preference k rules out a time that fits (all false between calls) */
    for (int d = 0; d < t->days; d++) {
        for (int a = t->opens; a + it->minutes <= t->closes; a += t->in->step) {
            if (!fits_day(t, a, it->minutes))
                continue;
            long k = blocked_by(t, s, d, a);
            free_time |= k < 0;
            if (k >= 0)
                t->blocking[k] = true;
        }
    }
    if (!free_time) {
        int n = snprintf(w, size, "%s: its speakers cannot come at any time it fits:", se->key);
        for (size_t j = 0; j < it->nprefs && n > 0 && (size_t)n < size; j++) {
            const struct cv_speaker_pref *sp = &t->in->prefs[it->prefs[j]];
            char days[200];
            if (!t->blocking[it->prefs[j]])
                continue;
            format_days(sp->not_on, days, sizeof(days));
            if (sp->not_before)
                n +=
                    snprintf(w + n, size - (size_t)n, " %s not before %02d:%02d%s%s;", sp->name,
                             sp->not_before / 60, sp->not_before % 60, *days ? ", not " : "", days);
            else
                n += snprintf(w + n, size - (size_t)n, " %s not %s;", sp->name, days);
        }
        if (n > 0 && (size_t)n < size && w[n - 1] == ';')
            w[n - 1] = '\0';
    }
    for (size_t j = 0; j < it->nprefs; j++)
        t->blocking[it->prefs[j]] = false;
    if (!free_time)
        return;
    /* Every time and room it could take is held by others: name them. */
    size_t named[8], nnamed = 0;
    bool by_person = false;
    for (int d = 0; d < t->days; d++) {
        for (int a = t->opens; a + it->minutes <= t->closes; a += t->in->step) {
            if (!fits_day(t, a, it->minutes) || blocked_by(t, s, d, a) >= 0)
                continue;
            for (size_t r = 0; r < t->in->nrooms; r++) {
                struct cv_tt_place pl = {.placed = true, .day = d, .start_min = a, .room = r};
                size_t who;
                bool person = false;
                if (t->in->rooms[r].capacity < it->capacity || !clashes(t, s, &pl, &who, &person))
                    continue;
                by_person |= person;
                bool seen = false;
                for (size_t k = 0; k < nnamed; k++)
                    seen |= named[k] == who;
                if (!seen && nnamed < 8)
                    named[nnamed++] = who;
            }
        }
    }
    int n = snprintf(w, size, "%s: every time and room that fits is taken by ", se->key);
    for (size_t k = 0; k < nnamed && n > 0 && (size_t)n < size; k++)
        n +=
            snprintf(w + n, size - (size_t)n, "%s%s", k ? ", " : "", t->in->sessions[named[k]].key);
    if (n > 0 && (size_t)n < size)
        snprintf(w + n, size - (size_t)n, "%s",
                 by_person ? " (a speaker or a required attendee in common, or the room)"
                           : " (the rooms)");
}

int cv_timetable(const struct cv_tt_input *in, struct cv_tt_result *r, struct cv_error *err)
{
    struct tt t;
    const struct cv_event *e = in->event;
    struct cv_tt_place *buf = NULL;
    size_t *order = NULL;
    int rc = 0;

    memset(&t, 0, sizeof(t));
    if (!cv_event_has_dates(e))
        return cv_error_set(err, CV_EINVAL, "event %s has no dates yet; plan or set them first",
                            e->key);
    if (!in->nrooms)
        return cv_error_set(err, CV_EINVAL,
                            "event %s has no rooms; add them with 'convene room "
                            "add %s NAME --capacity N'",
                            e->key, e->key);
    if (!in->nsessions)
        return cv_error_set(err, CV_EINVAL, "event %s has no sessions to place", e->key);
    if (in->step < 5 || in->step > 120)
        return cv_error_set(err, CV_EINVAL, "a step of 5 to 120 minutes");
    t.in = in;
    t.days = e->days;
    t.opens = e->opens_min ? e->opens_min : 9 * 60;
    t.closes = e->closes_min ? e->closes_min : 18 * 60;
    if (e->breaks && (t.nbreaks = cv_spans_parse(e->breaks, t.bfrom, t.bto, MAX_BREAKS)) < 0)
        return cv_error_set(err, CV_EINVAL, "event %s: bad breaks '%s'", e->key, e->breaks);
    for (size_t k = 1; k < in->nrooms; k++) {
        if (in->rooms[k].capacity > in->rooms[t.largest].capacity)
            t.largest = k;
    }
    size_t maxp = (size_t)t.days * (size_t)((24 * 60) / in->step + 1) * in->nrooms;
    t.items = calloc(in->nsessions, sizeof(*t.items));
    t.p = calloc(in->nsessions, sizeof(*t.p));
    r->v = calloc(in->nsessions, sizeof(*r->v));
    r->prefs = calloc(in->nsessions, sizeof(*r->prefs));
    order = calloc(in->nsessions, sizeof(*order));
    buf = calloc(maxp, sizeof(*buf));
    t.room_taken = calloc(in->nrooms, sizeof(bool));
    if (!t.items || !t.p || !r->v || !r->prefs || !order || !buf || !t.room_taken) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    r->n = in->nsessions;
    for (size_t s = 0; rc == 0 && s < in->nsessions; s++) {
        const struct cv_session *se = &in->sessions[s];
        struct item *it = &t.items[s];
        it->minutes = se->minutes;
        it->capacity = se->min_capacity;
        it->plenary = se->track == CV_TRACK_PLENARY;
        it->track = (int)se->track;
        for (const char *p = se->speakers; rc == 0 && p && *p;) {
            size_t len = strcspn(p, ";\n");
            rc = add_person(it, p, len);
            p += len + (p[len] != '\0');
        }
        for (size_t k = 0; rc == 0 && it->plenary && k < in->nrequired; k++)
            rc = add_person(it, in->required[k], strlen(in->required[k]));
        order[s] = s;
    }
    if (rc < 0 || (rc = find_mates(&t)) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    if ((rc = load_prefs(&t, err)) < 0)
        goto out;
    int per_track[5] = {0};
    for (size_t k = 0; k < in->nsessions; k++)
        per_track[t.items[k].track]++;
    for (int tr = 0; tr < 5; tr++)
        t.share[tr] = (per_track[tr] + t.days - 1) / t.days;
    qsort_r(order, in->nsessions, sizeof(size_t), hardness, t.items);

    /* Greedy, hardest first; on failure, seeded restarts in other orders. */
    uint64_t state = in->seed ? in->seed : 0x9E3779B97F4A7C15ULL;
    /* Budgets are counts, not seconds: the same seed gives the same timetable anywhere. */
    int attempts = (int)(in->time_limit * 40);
    unsigned long moves = (unsigned long)(in->time_limit * 40000);
    /* A session no room holds, or longer than any span of the day, makes restarts useless. */
    for (size_t k = 0; k < in->nsessions; k++) {
        bool fits = in->rooms[t.largest].capacity >= t.items[k].capacity;
        bool span = false;
        for (int d = 0; d < t.days && !span; d++) {
            for (int a = t.opens; fits && !span && a + t.items[k].minutes <= t.closes;
                 a += in->step)
                span = fits_day(&t, a, t.items[k].minutes) && blocked_by(&t, k, d, a) < 0;
        }
        if (!fits || !span)
            attempts = 1;
    }
    bool all = false;
    for (int attempt = 0; attempt < attempts && !all; attempt++) {
        if (attempt) {
            for (size_t k = in->nsessions; k > 1; k--) {
                size_t j = sched_random(&state) % k;
                size_t tmp = order[k - 1];
                order[k - 1] = order[j];
                order[j] = tmp;
            }
        }
        memset(t.p, 0, in->nsessions * sizeof(*t.p));
        all = true;
        for (size_t k = 0; k < in->nsessions; k++)
            all &= place_best(&t, order[k], buf, maxp);
    }
    if (!all) {
        /* Back to the greedy order, and say why each session left out has no place. */
        qsort_r(order, in->nsessions, sizeof(size_t), hardness, t.items);
        memset(t.p, 0, in->nsessions * sizeof(*t.p));
        for (size_t k = 0; k < in->nsessions; k++)
            place_best(&t, order[k], buf, maxp);
        for (size_t s = 0; s < in->nsessions; s++) {
            if (!t.p[s].placed)
                explain_unplaced(&t, s);
        }
    } else {
        /* Local search: move one session at a time; keep moves that do not cost more. */
        long c = cost(&t, NULL, 0);
        for (unsigned long it = 0; c > 0 && it < moves; it++) {
            size_t s = sched_random(&state) % in->nsessions;
            struct cv_tt_place old = t.p[s];
            /* One random start and room: checked in linear time, not all of them listed. */
            int nstarts = (t.closes - t.opens) / in->step + 1;
            struct cv_tt_place to = {
                .placed = true,
                .day = (int)(sched_random(&state) % (uint64_t)t.days),
                .start_min = t.opens + (int)(sched_random(&state) % (uint64_t)nstarts) * in->step,
                .room = (size_t)(sched_random(&state) % in->nrooms),
            };
            t.p[s].placed = false;
            if (!fits_day(&t, to.start_min, t.items[s].minutes) ||
                blocked_by(&t, s, to.day, to.start_min) >= 0 ||
                in->rooms[to.room].capacity < t.items[s].capacity ||
                clashes(&t, s, &to, NULL, NULL)) {
                t.p[s] = old;
                continue;
            }
            long before = marginal(&t, s, &old), after = marginal(&t, s, &to);
            if (after <= before) {
                t.p[s] = to;
                c += after - before;
            } else {
                t.p[s] = old;
            }
        }
    }
    r->feasible = all;
    r->score = cost(&t, r->costs, sizeof(r->costs));
    r->optimal = all && r->score == 0;
    for (size_t s = 0; s < in->nsessions; s++) {
        r->v[s] = t.p[s];
        r->prefs[s].cost = explain_prefs(&t, s, r->prefs[s].why, sizeof(r->prefs[s].why));
        if (t.p[s].placed) {
            struct cv_date d = cv_date_add_days(&e->start, t.p[s].day);
            r->v[s].start = in->tz ? cv_tz_local_to_utc(in->tz, &d, t.p[s].start_min)
                                   : cv_date_to_days(&d) * 86400 + t.p[s].start_min * 60;
        }
    }
    /* An independent look at the result: the hard rules, session by session. */
    for (size_t s = 0; s < in->nsessions; s++) {
        if (!t.p[s].placed)
            continue;
        if (!fits_day(&t, t.p[s].start_min, t.items[s].minutes) ||
            blocked_by(&t, s, t.p[s].day, t.p[s].start_min) >= 0 ||
            in->rooms[t.p[s].room].capacity < t.items[s].capacity || t.p[s].day < 0 ||
            t.p[s].day >= t.days || clashes(&t, s, &t.p[s], NULL, NULL))
            r->hard_violations++;
    }
out:
    free(buf);
    free(order);
    for (size_t s = 0; t.items && s < in->nsessions; s++) {
        for (int k = 0; k < t.items[s].npeople; k++)
            free(t.items[s].people[k]);
        free(t.items[s].people);
        free(t.items[s].prefs);
    }
    free(t.items);
    free(t.p);
    free(t.mates);
    free(t.room_taken);
    free(t.prefs);
    free(t.blocking);
    return rc;
}
