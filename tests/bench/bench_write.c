/* SPDX-License-Identifier: MIT */
/* bench_write.c: the convene contender for publishing: fills events, sessions and items from the
 * generated programme and calls cv_ical_write() once, then writes the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/ical.h>
#include <convene/model.h>
#include <convene/util.h>

#include "bench_data.h"

static struct cv_date date_of(const char *s)
{
    struct cv_date d = {0, 0, 0};
    cv_date_parse(s, &d);
    return d;
}

static enum cv_event_status status_of(const char *s)
{
    if (strcmp(s, "CONFIRMED") == 0)
        return CV_EVENT_CONFIRMED;
    if (strcmp(s, "CANCELLED") == 0)
        return CV_EVENT_CANCELLED;
    return CV_EVENT_TENTATIVE;
}

int main(int argc, char **argv)
{
    int lint = argc == 4 && strcmp(argv[3], "--lint") == 0;
    if (argc != 3 && !lint) {
        fprintf(stderr, "usage: bench_write DATA.tsv OUT.ics [--lint]\n");
        return 64;
    }
    struct bench_data d;
    if (bench_load(argv[1], &d) < 0)
        return 65;

    double t0 = bench_now();
    /* The model, as the store would hand it over; strings are borrowed from the loaded data. */
    struct cv_event *events = calloc(d.n, sizeof(*events));
    struct cv_session *sessions = calloc(d.n, sizeof(*sessions));
    struct cv_ical_item *items = calloc(d.n, sizeof(*items));
    if (!events || !sessions || !items) {
        fprintf(stderr, "bench_write: out of memory\n");
        return 70;
    }
    struct cv_event *ev = NULL;
    for (size_t i = 0; i < d.n; i++) {
        char **f = d.rows[i].f;
        struct cv_ical_item *it = &items[i];
        if (f[F_KIND][0] == 'E') {
            ev = &events[i];
            cv_event_init(ev);
            ev->key = f[F_KEY];
            ev->uid = f[F_UID];
            ev->title = f[F_SUMMARY];
            ev->tzid = f[F_TZID];
            ev->status = status_of(f[F_STATUS]);
            ev->start = date_of(f[F_START]);
            ev->end = date_of(f[F_END]);
            ev->days = (int)(cv_date_to_days(&ev->end) - cv_date_to_days(&ev->start) + 1);
            ev->sequence = (int)strtol(f[F_SEQ], NULL, 10);
            ev->revision = d.dtstamp;
            ev->source_url = f[F_URL];
            ev->description = f[F_DESC];
            it->kind = CV_ITEM_EVENT;
        } else {
            struct cv_session *s = &sessions[i];
            if (!ev) {
                fprintf(stderr, "bench_write: a session before any event\n");
                return 65;
            }
            cv_session_init(s);
            s->event_key = f[F_EKEY];
            s->key = f[F_KEY];
            s->uid = f[F_UID];
            s->title = f[F_SUMMARY];
            s->start = strtoll(f[F_START], NULL, 10);
            s->minutes = (int)strtol(f[F_END], NULL, 10);
            s->sequence = (int)strtol(f[F_SEQ], NULL, 10);
            s->revision = d.dtstamp;
            s->source_url = f[F_URL];
            s->description = f[F_DESC];
            it->kind = CV_ITEM_SESSION;
            it->session = s;
        }
        it->event = ev;
        it->location = f[F_LOCATION];
    }
    struct cv_ical_cal cal = {0};
    cal.name = "Benchmark programme";
    cal.url = "https://ogp.example.org/feeds/programme.ics";
    cal.lang = "en";
    cal.refresh_hours = 12;

    struct cv_buf out;
    struct cv_error err;
    cv_buf_init(&out, CV_BUF_NOLIMIT);
    cv_error_init(&err);
    int rc = cv_ical_write(&cal, items, d.n, &out, &err);
    if (rc < 0) {
        fprintf(stderr, "bench_write: cv_ical_write: %s: %s\n", cv_strerror(rc), err.msg);
        return 70;
    }
    FILE *fo = fopen(argv[2], "wb");
    if (!fo || fwrite(out.buf, 1, out.len, fo) != out.len || fclose(fo) != 0) {
        perror(argv[2]);
        return 74;
    }
    double t1 = bench_now();
    double lint_s = 0;
    if (lint) {
        /* What the publishing path adds (cv_feed_build lints every file before it goes out). */
        struct cv_lint_report rep;
        cv_lint_report_init(&rep);
        rc = cv_ical_lint(out.buf, out.len, argv[2], CV_LINT_PUBLIC, &rep, &err);
        if (rc < 0) {
            fprintf(stderr, "bench_write: cv_ical_lint: %s: %s\n", cv_strerror(rc), err.msg);
            return 70;
        }
        for (size_t i = 0; i < rep.n && i < 5; i++)
            fprintf(stderr, "bench_write: lint: line %ld: %s: %s\n", rep.v[i].line, rep.v[i].rule,
                    rep.v[i].msg);
        if (rep.n) {
            fprintf(stderr, "bench_write: the linter found %zu issues\n", rep.n);
            return 65;
        }
        cv_lint_report_release(&rep);
        lint_s = bench_now() - t1;
    }
    printf("events %zu work %.6f bytes %zu lint %.6f\n", d.n, bench_now() - t0, out.len, lint_s);
    cv_buf_release(&out);
    free(items);
    free(sessions);
    free(events);
    bench_free(&d);
    return 0;
}
