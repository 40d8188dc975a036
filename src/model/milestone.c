/* SPDX-License-Identifier: MIT */
/* milestone.c: the planning deadlines chained backward from an event's first day. */
#include <stdio.h>
#include <string.h>

#include <convene/model.h>

#include "banned.h"

/* Days before the first day; a leaders' event invites heads of state, so it starts earlier. */
static const struct {
    const char *key;
    const char *title;
    int days;
    int leaders_days;
} steps[CV_MILESTONES_MAX] = {
    {"venue-contract", "Sign the venue contract", 180, 240},
    {"save-the-date", "Send the save-the-date", 120, 180},
    {"invitations", "Send the invitations", 90, 120},
    {"visa-letters", "Issue visa support letters", 60, 75},
    {"registration-close", "Close registration", 21, 30},
    {"final-agenda", "Publish the final agenda", 7, 7},
};

size_t cv_milestones_for_event(const struct cv_event *e, struct cv_milestone out[CV_MILESTONES_MAX])
{
    char title[512];
    size_t n = 0;

    if (!cv_event_has_dates(e))
        return 0;
    for (size_t i = 0; i < CV_MILESTONES_MAX; i++) {
        struct cv_milestone *m = &out[n];
        cv_milestone_init(m);
        int days = e->kind == CV_KIND_LEADERS_EVENT ? steps[i].leaders_days : steps[i].days;
        snprintf(title, sizeof(title), "%s: %s", steps[i].title, e->title ? e->title : e->key);
        if (cv_str_set(&m->key, steps[i].key) < 0 || cv_str_set(&m->event_key, e->key) < 0 ||
            cv_str_set(&m->title, title) < 0 ||
            (i > 0 && cv_str_set(&m->depends_on, steps[i - 1].key) < 0)) {
            cv_milestone_release(m);
            break;
        }
        m->days_before = days;
        m->due = cv_date_add_days(&e->start, -days);
        n++;
    }
    return n;
}
