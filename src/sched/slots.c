/* SPDX-License-Identifier: MIT */
/* slots.c: call times across time zones: the hours of each class of participants alike as bit
 * masks over the window, everyone's busy times cleared, candidates ranked by how fairly they
 * share the odd hours. */
#include <stdlib.h>
#include <string.h>

#include <convene/sched.h>

#include "banned.h"

void cv_slot_input_init(struct cv_slot_input *in)
{
    memset(in, 0, sizeof(*in));
    in->step = 30;
    in->max_results = 10;
}

void cv_slot_result_init(struct cv_slot_result *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_slot_result_release(struct cv_slot_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].burden);
    free(r->v);
    free(r->total);
    cv_slot_result_init(r);
}

/* A bit per candidate start: 1 when it fits. */
struct mask {
    uint64_t *w;
    size_t bits;
};

static void mask_word(uint64_t *w, uint64_t bits, bool on)
{
    if (on)
        *w |= bits;
    else
        *w &= ~bits;
}

/* Sets (or clears) the bits [@from, @to), whole words at a time. */
static void mask_range(struct mask *m, int64_t from, int64_t to, bool on)
{
    if (from < 0)
        from = 0;
    if (to > (int64_t)m->bits)
        to = (int64_t)m->bits;
    if (from >= to)
        return;
    size_t a = (size_t)from, b = (size_t)to - 1; /* inclusive */
    size_t wa = a / 64, wb = b / 64;
    uint64_t head = ~0ULL << (a % 64), tail = ~0ULL >> (63 - b % 64);
    if (wa == wb) {
        mask_word(&m->w[wa], head & tail, on);
        return;
    }
    mask_word(&m->w[wa], head, on);
    memset(&m->w[wa + 1], on ? 0xff : 0, (wb - wa - 1) * sizeof(uint64_t));
    mask_word(&m->w[wb], tail, on);
}

/* Division rounding toward minus infinity, and toward plus infinity. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return -floor_div(-a, b);
}

/* Working hours of one person on the local days around the window, as UTC intervals. */
struct hours {
    int64_t *start, *end; /* per day index (UTC days from the window's first day - 1) */
    size_t ndays;
};

static long outside(const struct hours *h, int64_t day0, int64_t s, int64_t e)
{
    /* The call belongs to one local day, within a day of its UTC day. */
    int64_t d = (s / 86400) - day0;
    int64_t best = 0;
    for (int64_t k = d - 1; k <= d + 1; k++) {
        if (k < 0 || (size_t)k >= h->ndays)
            continue;
        int64_t a = s > h->start[k] ? s : h->start[k];
        int64_t b = e < h->end[k] ? e : h->end[k];
        if (b - a > best)
            best = b - a;
    }
    return (long)((e - s - best) / 60);
}

/*
 * People alike: the same zone (by name), hours and rest days. Their hours, in UTC over the
 * window, and their burden for a start are the same, so they are worked out once per class.
 */
struct klass {
    const struct cv_slot_person *like; /* its first member */
    struct hours h;
    long count;
    long burden; /* for the start being scored */
};

static bool is_alike(const struct cv_slot_person *a, const struct cv_slot_person *b)
{
    return a->day_start == b->day_start && a->day_end == b->day_end &&
           a->work_start == b->work_start && a->work_end == b->work_end &&
           a->rest_days == b->rest_days &&
           (a->tz == b->tz || strcmp(cv_tz_name(a->tz), cv_tz_name(b->tz)) == 0);
}

/* Sorts the people into classes: @class_of[p] is @p's. */
static size_t classify(const struct cv_slot_input *in, struct klass *k, size_t *class_of)
{
    size_t n = 0;
    for (size_t p = 0; p < in->n; p++) {
        size_t c = 0;
        while (c < n && !is_alike(k[c].like, &in->people[p]))
            c++;
        if (c == n)
            k[n++].like = &in->people[p];
        k[c].count++;
        class_of[p] = c;
    }
    return n;
}

int cv_slots_find(const struct cv_slot_input *in, struct cv_slot_result *r, struct cv_error *err)
{
    struct mask all = {0}, one = {0};
    struct klass *cls = NULL;
    size_t *class_of = NULL, ncls = 0;
    int rc = 0;

    if (!in->n)
        return cv_error_set(err, CV_EINVAL, "a call needs at least one participant");
    if (in->minutes < 5 || in->minutes > 24 * 60 || in->step < 5 || in->step > 240)
        return cv_error_set(err, CV_EINVAL,
                            "a call of 5 minutes to 24 hours, in steps of 5 to "
                            "240 minutes");
    int64_t day0 = cv_date_to_days(&in->first);
    int64_t ndays = cv_date_to_days(&in->last) - day0 + 1;
    if (ndays < 1 || ndays > 3700)
        return cv_error_set(err, CV_EINVAL, "search 1 day to 10 years");
    if (in->recurring && ndays < (int64_t)in->recurring * 7)
        return cv_error_set(err, CV_EINVAL, "%d weekly calls need %d days; the window has %lld",
                            in->recurring, in->recurring * 7, (long long)ndays);
    int64_t t0 = day0 * 86400, step = (int64_t)in->step * 60, len = (int64_t)in->minutes * 60;
    size_t bits = (size_t)(ndays * 86400 / step);
    size_t words = (bits + 63) / 64;

    all.w = malloc(words * sizeof(uint64_t));
    one.w = malloc(words * sizeof(uint64_t));
    cls = calloc(in->n, sizeof(*cls));
    class_of = malloc(in->n * sizeof(size_t));
    r->total = calloc(in->n, sizeof(long));
    r->npeople = in->n;
    if (!all.w || !one.w || !cls || !class_of || !r->total) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    all.bits = one.bits = bits;
    memset(all.w, 0xff, words * sizeof(uint64_t));
    ncls = classify(in, cls, class_of);

    /* Each class's hours: its open starts, and its working hours for the burden. */
    for (size_t c = 0; c < ncls; c++) {
        const struct cv_slot_person *sp = cls[c].like;
        struct hours *h = &cls[c].h;
        h->ndays = (size_t)ndays + 2;
        h->start = malloc(h->ndays * sizeof(int64_t));
        h->end = malloc(h->ndays * sizeof(int64_t));
        if (!h->start || !h->end) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        memset(one.w, 0, words * sizeof(uint64_t));
        for (size_t k = 0; k < h->ndays; k++) {
            struct cv_date d = cv_date_from_days(day0 - 1 + (int64_t)k);
            h->start[k] = cv_tz_local_to_utc(sp->tz, &d, sp->work_start);
            h->end[k] = cv_tz_local_to_utc(sp->tz, &d, sp->work_end);
            if (sp->rest_days & CV_WEEKDAY_BIT(cv_date_weekday(&d)))
                continue;
            /* A start is open when the whole call fits the day's hours. */
            int64_t a = cv_tz_local_to_utc(sp->tz, &d, sp->day_start);
            int64_t b = cv_tz_local_to_utc(sp->tz, &d, sp->day_end) - len;
            if (b >= a)
                mask_range(&one, ceil_div(a - t0, step), floor_div(b - t0, step) + 1, true);
        }
        for (size_t w = 0; w < words; w++)
            all.w[w] &= one.w[w];
    }
    /* Everyone's busy times: no start whose call would overlap one (a start is open only
     * when it is open for every person, so they are cleared from the common mask). */
    for (size_t p = 0; p < in->n; p++) {
        const struct cv_slot_person *sp = &in->people[p];
        for (size_t k = 0; k < sp->nbusy; k++) {
            int64_t a = sp->busy[k].start - len, b = sp->busy[k].end;
            mask_range(&all, floor_div(a - t0, step) + 1, ceil_div(b - t0, step), false);
        }
    }

    /* Score every open start; keep the best (or choose week by week). */
    size_t alloc = 0;
    size_t weeks = in->recurring ? (size_t)in->recurring : 1;
    for (size_t wk = 0; wk < weeks && rc == 0; wk++) {
        size_t from = 0, to = bits;
        if (in->recurring) {
            from = (size_t)(wk * 7 * 86400 / (size_t)step);
            to = (size_t)((wk + 1) * 7 * 86400 / (size_t)step);
        }
        struct cv_slot best = {0};
        long best_key = 0;
        bool have = false;
        int *burden = malloc(in->n * sizeof(int));
        if (!burden) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            break;
        }
        for (size_t i = from; i < to && i < bits; i++) {
            if (!(all.w[i / 64] >> (i % 64) & 1))
                continue;
            r->candidates++;
            int64_t s = t0 + (int64_t)i * step;
            long score = 0, worst = 0;
            for (size_t c = 0; c < ncls; c++) {
                cls[c].burden = outside(&cls[c].h, day0 - 1, s, s + len);
                score += cls[c].count * cls[c].burden * cls[c].burden;
            }
            if (in->recurring) {
                /* Week by week: the heaviest burden so far as low as it can be, then fairness. */
                for (size_t p = 0; p < in->n; p++) {
                    long cum = r->total[p] + cls[class_of[p]].burden;
                    if (cum > worst)
                        worst = cum;
                }
                long key = worst;
                if (!have || key < best_key || (key == best_key && score < best.score)) {
                    have = true;
                    best_key = key;
                    best.start = s;
                    best.score = score;
                }
                continue;
            }
            /* The best max_results so far, kept sorted by score then time. */
            size_t pos = r->n;
            while (pos > 0 && r->v[pos - 1].score > score)
                pos--;
            if (pos >= in->max_results)
                continue;
            if (r->n < in->max_results) {
                if ((rc = cv_grow(&r->v, &alloc, r->n + 1, sizeof(r->v[0]))) < 0) {
                    cv_error_set(err, rc, "out of memory");
                    break;
                }
                r->v[r->n].burden = NULL;
                r->n++;
            } else {
                free(r->v[r->n - 1].burden);
            }
            memmove(&r->v[pos + 1], &r->v[pos], (r->n - 1 - pos) * sizeof(r->v[0]));
            r->v[pos].start = s;
            r->v[pos].score = score;
            r->v[pos].burden = malloc(in->n * sizeof(int));
            if (!r->v[pos].burden) {
                rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                break;
            }
            for (size_t p = 0; p < in->n; p++)
                r->v[pos].burden[p] = (int)cls[class_of[p]].burden;
        }
        if (in->recurring && have && rc == 0) {
            if ((rc = cv_grow(&r->v, &alloc, r->n + 1, sizeof(r->v[0]))) < 0) {
                cv_error_set(err, rc, "out of memory");
            } else {
                struct cv_slot *sl = &r->v[r->n++];
                *sl = best;
                sl->burden = burden;
                burden = NULL;
                for (size_t p = 0; p < in->n; p++) {
                    sl->burden[p] =
                        (int)outside(&cls[class_of[p]].h, day0 - 1, sl->start, sl->start + len);
                    r->total[p] += sl->burden[p];
                }
            }
        }
        free(burden);
    }
out:
    for (size_t c = 0; cls && c < ncls; c++) {
        free(cls[c].h.start);
        free(cls[c].h.end);
    }
    free(cls);
    free(class_of);
    free(all.w);
    free(one.w);
    return rc;
}
