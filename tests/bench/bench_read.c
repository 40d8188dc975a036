/* SPDX-License-Identifier: MIT */
/* bench_read.c: the convene contender for importing: cv_ical_read_refcal() on the published feed
 * (with "probe-refcal", cv_ical_probe() first, as `convene calendar import` does), or
 * cv_ical_read_programme() on the programme-shaped file, with limits raised for the size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/ical.h>
#include <convene/model.h>
#include <convene/util.h>

#include "bench_data.h"

int main(int argc, char **argv)
{
    int probe = argc == 3 && strcmp(argv[1], "probe-refcal") == 0;
    if (argc != 3 ||
        (strcmp(argv[1], "refcal") != 0 && strcmp(argv[1], "programme") != 0 && !probe)) {
        fprintf(stderr, "usage: bench_read refcal|probe-refcal|programme FILE.ics\n");
        return 64;
    }
    size_t len;
    char *data = bench_slurp(argv[2], &len);
    if (!data)
        return 66;
    struct cv_ical_limits lim;
    cv_ical_limits_init(&lim);
    lim.max_bytes = (size_t)4 << 30;
    lim.max_components = 50 * 1000 * 1000;

    struct cv_error err;
    cv_error_init(&err);
    size_t n = 0, uidlen = 0, textlen = 0;
    int rc;
    double t0 = bench_now(), work;
    if (strcmp(argv[1], "programme") != 0) {
        struct cv_refcal cal;
        cv_refcal_init(&cal);
        /* The probe parses in a child under its own fixed caps (CPU seconds, address space). */
        rc = probe ? cv_ical_probe(data, len, argv[2], &lim, &err) : 0;
        if (rc == 0)
            rc = cv_ical_read_refcal(data, len, argv[2], &lim, &cal, &err);
        for (size_t i = 0; rc == 0 && i < cal.n; i++) {
            const struct cv_refentry *e = &cal.entries[i];
            uidlen += e->uid ? strlen(e->uid) : 0;
            textlen += (e->summary ? strlen(e->summary) : 0) +
                       (e->description ? strlen(e->description) : 0);
        }
        n = cal.n;
        work = bench_now() - t0;
        cv_refcal_release(&cal);
    } else {
        struct cv_programme prog;
        struct cv_event_list events;
        struct cv_session_list sessions;
        cv_programme_init(&prog);
        cv_event_list_init(&events);
        cv_session_list_init(&sessions);
        rc = cv_ical_read_programme(data, len, argv[2], &lim, &prog, &events, &sessions, &err);
        for (size_t i = 0; rc == 0 && i < events.n; i++) {
            const struct cv_event *e = &events.v[i];
            uidlen += strlen(e->uid);
            textlen += strlen(e->title) + (e->description ? strlen(e->description) : 0);
        }
        for (size_t i = 0; rc == 0 && i < sessions.n; i++) {
            const struct cv_session *s = &sessions.v[i];
            uidlen += strlen(s->uid);
            textlen += strlen(s->title) + (s->description ? strlen(s->description) : 0);
        }
        n = events.n + sessions.n;
        work = bench_now() - t0;
        cv_session_list_release(&sessions);
        cv_event_list_release(&events);
        cv_programme_release(&prog);
    }
    if (rc < 0) {
        fprintf(stderr, "bench_read: %s:%ld: %s: %s\n", err.file, err.line, cv_strerror(rc),
                err.msg);
        return 65;
    }
    printf("events %zu work %.6f uidlen %zu textlen %zu\n", n, work, uidlen, textlen);
    free(data);
    return 0;
}
