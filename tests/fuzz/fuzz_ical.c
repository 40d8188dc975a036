/* SPDX-License-Identifier: MIT */
/* fuzz_ical.c: libFuzzer target for the iCalendar import paths: the pre-check, the programme and
 * reference-calendar readers, busy times and the linter (RELIABILITY.md L2). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cv_ical_limits lim;
    struct cv_error err;
    const char *text = (const char *)data;

    cv_ical_limits_init(&lim);
    lim.max_bytes = 256 * 1024;
    cv_error_init(&err);

    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_session_list sessions;
    cv_programme_init(&prog);
    cv_event_list_init(&events);
    cv_session_list_init(&sessions);
    cv_ical_read_programme(text, size, "fuzz.ics", &lim, &prog, &events, &sessions, &err);
    cv_session_list_release(&sessions);
    cv_event_list_release(&events);
    cv_programme_release(&prog);

    struct cv_refcal cal;
    cv_refcal_init(&cal);
    cv_ical_read_refcal(text, size, "fuzz.ics", &lim, &cal, &err);
    cv_refcal_release(&cal);

    struct cv_interval *busy = NULL;
    size_t n = 0, alloc = 0;
    cv_ical_read_busy(text, size, "fuzz.ics", &lim, 946684800, 2240524800LL, &busy, &n, &alloc,
                      &err);
    free(busy);

    struct cv_lint_report rep;
    cv_lint_report_init(&rep);
    cv_ical_lint(text, size, "fuzz.ics", CV_LINT_PUBLIC, &rep, &err);
    cv_lint_report_release(&rep);
    return 0;
}
