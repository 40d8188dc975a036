/* SPDX-License-Identifier: MIT */
/* convene/sched.h: the scheduling engine: choosing the dates of a programme's events under hard
 * and soft constraints, with the reasons. Pure C over model values: no store, no libical. */
#ifndef CONVENE_SCHED_H
#define CONVENE_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/error.h>
#include <convene/model.h>

enum cv_con_kind {
    CV_CON_WINDOW,    /* hard: the event's planning window */
    CV_CON_WEEKEND,   /* hard: the host's weekly rest days */
    CV_CON_BLACKOUT,  /* hard: a reference entry the event may not touch */
    CV_CON_INSIDE,    /* hard: the event within a reference entry */
    CV_CON_LEAD,      /* hard: invitation lead time from the planning date */
    CV_CON_GAP,       /* hard, two events: at least N days apart */
    CV_CON_AVOID,     /* soft: a reference entry to stay out of */
    CV_CON_PREFER,    /* soft: reference entries to be inside */
    CV_CON_DELEGATES, /* soft: a national holiday of invited delegates */
    CV_CON_WEEKDAY,   /* soft: the preferred first weekdays */
    CV_CON_DATES,     /* soft: the preferred dates */
    CV_CON_SPREAD,    /* soft, two events: spread across the year */
};

/* One constraint, as data: what it concerns, how much it weighs, and the sentence that says it. */
struct cv_constraint {
    enum cv_con_kind kind;
    bool hard;
    int weight;           /* soft: the cost of one unit (a day, a delegate-day) */
    size_t event;         /* index into the input's events */
    size_t other;         /* the second event of CV_CON_GAP and CV_CON_SPREAD */
    struct cv_date first; /* the days it concerns, inclusive */
    struct cv_date last;
    unsigned weekdays; /* CV_CON_WEEKEND: the rest days; CV_CON_WEEKDAY: the preferred */
    int days;          /* CV_CON_GAP, CV_CON_SPREAD: the distance in days */
    int count;         /* CV_CON_DELEGATES: how many delegates */
    char why[240];     /* "1 May 2024: Labour Day in Kenya" */
};

/* What the planner knows. Every pointer is borrowed. */
struct cv_plan_input {
    const struct cv_event *events;
    size_t nevents;
    const struct cv_refcal *refcals;
    size_t nrefcals;
    const struct cv_country *countries;
    size_t ncountries;
    const struct cv_person *people;
    size_t npeople;
    struct cv_date planning_date; /* unset: no lead-time constraint */
    int gap_days;                 /* between any two events; default 14 */
    int spread_days;              /* soft: events closer than this cost; default 60 */
    uint64_t seed;                /* for the local search */
    double time_limit;            /* seconds of search, counted in nodes (runs repeat); 10 */
    unsigned long node_limit;     /* the budget in search nodes, instead of the time limit; 0:
                                   * 200,000 a second of @time_limit (at least 1,000) */
};

void cv_plan_input_init(struct cv_plan_input *in);

/* A day a hard constraint removed from an event's window. */
struct cv_plan_removed {
    struct cv_date day;
    size_t constraint;
};

/* The plan of one event. */
struct cv_plan_event {
    size_t event;              /* index into the input's events */
    bool fixed;                /* confirmed or held: its dates were kept */
    bool placed;               /* it has dates in the plan */
    struct cv_date start, end; /* inclusive */
    long cost;                 /* its share of the soft score */
    size_t candidates;         /* first days that passed every hard constraint of its own */
    bool has_runner_up;
    struct cv_date runner_start;
    long runner_cost;   /* its share of the score there, the others staying */
    char lost_on[400];  /* what the runner-up lost on */
    char cost_why[400]; /* what the chosen dates cost */
    struct cv_plan_removed *removed;
    size_t nremoved;
};

struct cv_plan_result {
    struct cv_constraint *cons; /* every constraint the input gave */
    size_t ncons;
    struct cv_plan_event *ev; /* one per event that is not cancelled */
    size_t nev;
    long score;          /* the soft score: lower is better */
    int hard_violations; /* 0 when feasible */
    bool feasible;
    bool optimal;        /* the search finished: no better plan exists */
    bool complete;       /* the search finished within its budget (else: best found, or none) */
    unsigned long nodes; /* search nodes visited, the conflict's search included; the whole
                          * budget when no plan was found within it */
    size_t *conflict;    /* when infeasible: a smallest set of constraints that conflict */
    size_t nconflict;
    /* The conflict is proven the smallest: false when the budget ran out while narrowing it
     * (it still conflicts, proven, but fewer of its constraints may). */
    bool conflict_minimal;
};

void cv_plan_result_init(struct cv_plan_result *r);
void cv_plan_result_release(struct cv_plan_result *r);

/*
 * Turns the input into constraints (appended to @r->cons): for each event that is not fixed
 * or cancelled and has a window, its window, its host's weekend, the reference entries that
 * apply to it by scope and meaning (host holidays and calendars for everyone: blackout is hard,
 * avoid and prefer soft), its own blackouts and avoids, inside, the lead time, its invited
 * delegates' national holidays, preferred weekdays and dates; for each pair of events, the gap
 * and the spread.
 * @return 0 or CV_ENOMEM
 */
int cv_plan_constraints(const struct cv_plan_input *in, struct cv_plan_result *r,
                        struct cv_error *err);

/*
 * Chooses the first day of every event that is neither fixed (confirmed, held) nor cancelled,
 * inside its window: branch and bound with the hard constraints propagated, exact when it
 * finishes within the time limit, then a seeded local search to improve the soft score.
 * The same input and seed give the same plan. An infeasible input ends with a smallest set of
 * constraints that conflict (found by removing one at a time), within the same budget: when it
 * runs out first, the set narrowed so far, which conflicts, and @r->conflict_minimal false.
 * @return 0 with @r filled (initialised by the caller; feasible or not), CV_EINVAL (an event
 * to plan without a window) or CV_ENOMEM
 */
int cv_plan_dates(const struct cv_plan_input *in, struct cv_plan_result *r, struct cv_error *err);

/* Writes "1 May 2024" for @d into @out of @size bytes. */
void cv_date_format_long(const struct cv_date *d, char *out, size_t size);
/* Writes "1 May 2024", or "11 March 2024 to 9 April 2024" when @b differs from @a. */
void cv_date_span_format_long(const struct cv_date *a, const struct cv_date *b, char *out,
                              size_t size);

/*
 * Checks a plan against the constraints, independently of the search: the number of hard
 * constraints violated by the dates in @r->ev.
 */
int cv_plan_check(const struct cv_plan_input *in, const struct cv_plan_result *r);

/* ---- call slots across time zones ------------------------------------------------------------ */

/* One participant of a call. Pointers are borrowed. */
struct cv_slot_person {
    const char *email;
    const struct cv_tz *tz;   /* their own zone */
    int day_start, day_end;   /* hard: the hours a call may take, minutes after local midnight */
    int work_start, work_end; /* soft: working hours; time outside them is a burden */
    unsigned rest_days;       /* CV_WEEKDAY_BIT mask of days without calls */
    const struct cv_interval *busy; /* sorted or not */
    size_t nbusy;
};

struct cv_slot_input {
    const struct cv_slot_person *people;
    size_t n;
    struct cv_date first, last; /* the days to search, inclusive, from 00:00 UTC of @first */
    int minutes;                /* the call's length */
    int step;                   /* minutes between candidate starts (default 30) */
    int recurring;              /* 0: the best slots; N: one call a week for N weeks */
    size_t max_results;         /* with recurring 0 (default 10) */
};

void cv_slot_input_init(struct cv_slot_input *in);

struct cv_slot {
    int64_t start; /* UTC seconds */
    long score;    /* the sum over people of the squared minutes outside their hours */
    int *burden;   /* per person: minutes of the call outside their working hours */
};

struct cv_slot_result {
    struct cv_slot *v;
    size_t n;
    size_t candidates; /* starts that fit every hard limit */
    long *total;       /* recurring: each person's burden over all the calls */
    size_t npeople;
};

void cv_slot_result_init(struct cv_slot_result *r);
void cv_slot_result_release(struct cv_slot_result *r);

/*
 * Finds call times inside every participant's hours (day_start..day_end in their own zone, DST
 * included), off their rest days and busy times, ranked by fairness: the sum of the squared
 * minutes each person spends outside working hours, then the earliest. With @in->recurring N,
 * chooses one call in each of N consecutive weeks, each time the one that keeps the heaviest
 * burden so far lowest, so the early and late hours rotate among the participants.
 * @return 0 with @r filled (possibly empty: nothing fits), CV_EINVAL (a bad input: no people, a
 * length of 0, fewer weeks than asked) or CV_ENOMEM
 */
int cv_slots_find(const struct cv_slot_input *in, struct cv_slot_result *r, struct cv_error *err);

/* ---- timetables -------------------------------------------------------------------------------
 */

/* What the timetable of one event is made of. Pointers are borrowed. */
struct cv_tt_input {
    const struct cv_event *event;      /* its dates, hours (opens/closes) and breaks */
    const struct cv_tz *tz;            /* the venue's zone */
    const struct cv_session *sessions; /* speakers one per line (or ';'-separated) */
    size_t nsessions;
    const struct cv_room *rooms;
    size_t nrooms;
    const char *const *required; /* people at every plenary (the co-chairs) */
    size_t nrequired;
    const struct cv_speaker_pref *prefs; /* speakers' days and hours: preferred, or hard */
    size_t nprefs;
    int step; /* minutes between possible starts (default 15) */
    uint64_t seed;
    double time_limit; /* seconds (default 5) */
};

void cv_tt_input_init(struct cv_tt_input *in);

/* Where one session goes. */
struct cv_tt_place {
    bool placed;
    int day;       /* 0 for the event's first day */
    int start_min; /* local minutes after midnight */
    size_t room;   /* index into the rooms */
    int64_t start; /* UTC seconds */
    char why[320]; /* unplaced: the constraints that leave it no place, in words */
};

/* How one session's speakers' preferences fare where it is placed. */
struct cv_tt_prefs_met {
    long cost; /* what they cost there */
    /* "Speaker A prefers 13:00-18:00 on 16 May 2024: met; ...", or "" when none of its
     * speakers has a preferred day or hour (or it has no place) */
    char why[400];
};

struct cv_tt_result {
    struct cv_tt_place *v;         /* one per session, in input order */
    struct cv_tt_prefs_met *prefs; /* one per session, in input order */
    size_t n;
    long score;          /* soft: lower is better */
    bool feasible;       /* every session placed under every hard constraint */
    bool optimal;        /* the score reached its lower bound (0) */
    int hard_violations; /* of the placed sessions, checked afresh: 0 when feasible */
    char costs[400];     /* what the score is made of */
};

void cv_tt_result_init(struct cv_tt_result *r);
void cv_tt_result_release(struct cv_tt_result *r);

/*
 * Places an event's sessions into its days, start times and rooms. Hard: the room holds the
 * session's capacity, the session fits the venue's hours and no break, no room holds two
 * sessions at once, no person (speaker, or required attendee of a plenary) is in two places,
 * no session on a day one of its speakers cannot come (not_on) or starting before the hour
 * they can (not_before; every speaker of a session counts). Soft: no two
 * sessions of one track in parallel (20 per pair), each track spread over the days (5 per session
 * above its share of a day), plenaries in the largest room (10), speakers' preferences (a session
 * placed outside the days or hours one of its speakers prefers costs that preference's weight). A
 * preferred date outside the event's days is never met. Greedy placement, hardest session first,
 * then a seeded local search within the time limit; the same seed gives the same timetable.
 * Sessions that cannot be placed say why.
 * @return 0 with @r filled, CV_EINVAL (an event without dates, no rooms, no sessions, a
 * preference with bad dates) or CV_ENOMEM
 */
int cv_timetable(const struct cv_tt_input *in, struct cv_tt_result *r, struct cv_error *err);

#endif
