/* SPDX-License-Identifier: MIT */
/* test_model.c: unit tests for the domain values, their rules and the spreadsheet importers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/error.h>
#include <convene/model.h>
#include <convene/util.h>

/* ---- helpers --------------------------------------------------------------------------------- */

static void set(char **dst, const char *s)
{
    assert_int_equal(cv_str_set(dst, s), 0);
}

static struct cv_date date(int y, int m, int d)
{
    struct cv_date x = {y, m, d};
    return x;
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("'%s' is not in '%s'", needle, haystack);
}

/* A valid event: a three-day summit in Nairobi, dated past 2038. */
static void make_event(struct cv_event *e)
{
    cv_event_init(e);
    set(&e->key, "ogp-summit-2040");
    set(&e->uid, "0f8fad5b-d9cb-469f-a165-70867728950e");
    set(&e->title, "OGP Global Summit");
    e->kind = CV_KIND_SUMMIT;
    set(&e->region, "Africa and the Middle East");
    set(&e->city, "Nairobi");
    set(&e->country, "KE");
    set(&e->venue, "KICC");
    set(&e->tzid, "Africa/Nairobi");
    e->status = CV_EVENT_CONFIRMED;
    e->window_start = date(2040, 2, 1);
    e->window_end = date(2040, 3, 31);
    e->days = 3;
    e->start = date(2040, 2, 27);
    e->end = date(2040, 2, 29);
    e->sequence = 2;
    e->revision = INT64_C(2214131696);
    set(&e->source_url, "https://www.opengovpartnership.org/events/");
    set(&e->description, "Plenary and side events.\nBring your badge.");
}

static void expect_valid(struct cv_event *e)
{
    struct cv_error err;
    cv_error_init(&err);
    int rc = cv_event_validate(e, &err);
    if (rc != 0)
        fail_msg("expected a valid event, got %d: %s", rc, err.msg);
    assert_int_equal(err.code, 0);
    cv_event_release(e);
}

/*
 * Two events for tests that may fail half-way (the known bugs below): the teardown releases
 * them, so a failing assertion does not also report a leak.
 */
static int events_setup(void **state)
{
    struct cv_event *e = calloc(2, sizeof(*e));
    if (!e)
        return -1;
    cv_event_init(&e[0]);
    cv_event_init(&e[1]);
    *state = e;
    return 0;
}

static int events_teardown(void **state)
{
    struct cv_event *e = *state;
    cv_event_release(&e[0]);
    cv_event_release(&e[1]);
    free(e);
    return 0;
}

/* Checks that @e is refused with a message containing @needle, then releases it. */
static void expect_invalid(struct cv_event *e, const char *needle)
{
    struct cv_error err;
    cv_error_init(&err);
    assert_int_equal(cv_event_validate(e, &err), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_contains(err.msg, needle);
    cv_event_release(e);
}

/* ---- event: lifecycle and titles ------------------------------------------------------------- */

static void test_event_init_release(void **state)
{
    (void)state;
    struct cv_event e;

    memset(&e, 0x5a, sizeof(e));
    cv_event_init(&e);
    assert_null(e.key);
    assert_null(e.uid);
    assert_null(e.title);
    assert_null(e.titles);
    assert_int_equal(e.ntitles, 0);
    assert_null(e.tzid);
    assert_int_equal(e.days, 1);
    assert_int_equal(e.sequence, 0);
    assert_false(cv_date_is_set(&e.start));
    assert_false(cv_date_is_set(&e.window_start));
    assert_false(cv_event_has_dates(&e));
    assert_false(e.scenario);

    make_event(&e);
    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet mondial du PGO"), 0);
    assert_true(cv_event_has_dates(&e));
    cv_event_release(&e);
    assert_null(e.key);
    assert_null(e.title);
    assert_null(e.titles);
    assert_int_equal(e.ntitles, 0);
    assert_int_equal(e.days, 1);
    assert_false(cv_event_has_dates(&e));
    /* Releasing twice is harmless. */
    cv_event_release(&e);
}

static void test_event_copy(void **state)
{
    (void)state;
    struct cv_event a, b;

    make_event(&a);
    a.scenario = true;
    set(&a.inside, "un-general-assembly");
    assert_int_equal(cv_event_set_title(&a, "fr", "Sommet mondial"), 0);
    assert_int_equal(cv_event_set_title(&a, "es", "Cumbre mundial"), 0);
    assert_int_equal(cv_event_set_title(&a, "ar", "\xd9\x82\xd9\x85\xd8\xa9"), 0);

    cv_event_init(&b);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    assert_true(cv_event_equal(&a, &b));
    assert_false(cv_event_is_material_change(&a, &b));
    /* Deep: no pointer is shared. */
    assert_ptr_not_equal(a.key, b.key);
    assert_ptr_not_equal(a.title, b.title);
    assert_ptr_not_equal(a.description, b.description);
    assert_ptr_not_equal(a.titles, b.titles);
    assert_int_equal(b.ntitles, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_ptr_not_equal(a.titles[i].text, b.titles[i].text);
        assert_string_equal(a.titles[i].lang, b.titles[i].lang);
        assert_string_equal(a.titles[i].text, b.titles[i].text);
    }
    assert_string_equal(b.key, "ogp-summit-2040");
    assert_string_equal(b.inside, "un-general-assembly");
    assert_string_equal(cv_event_title_in(&b, "es"), "Cumbre mundial");
    assert_int_equal(b.days, 3);
    assert_int_equal(b.sequence, 2);
    assert_true(b.revision == INT64_C(2214131696));
    assert_true(b.scenario);
    assert_int_equal(cv_date_cmp(&b.end, &a.end), 0);

    /* Changing the source leaves the copy alone. */
    set(&a.title, "Changed");
    assert_int_equal(cv_event_set_title(&a, "fr", "Chang\xc3\xa9"), 0);
    assert_string_equal(b.title, "OGP Global Summit");
    assert_string_equal(cv_event_title_in(&b, "fr"), "Sommet mondial");
    cv_event_release(&a);
    assert_string_equal(b.city, "Nairobi");
    assert_int_equal(cv_event_validate(&b, NULL), 0);

    /* Copying an empty event gives an empty event. */
    struct cv_event empty, c;
    cv_event_init(&empty);
    cv_event_init(&c);
    assert_int_equal(cv_event_copy(&c, &empty), 0);
    assert_true(cv_event_equal(&c, &empty));
    assert_null(c.key);
    assert_null(c.titles);
    cv_event_release(&c);
    cv_event_release(&b);
}

static void test_event_set_title(void **state)
{
    (void)state;
    struct cv_event e;
    cv_event_init(&e);

    assert_int_equal(cv_event_set_title(&e, "en", "Summit"), 0);
    assert_string_equal(e.title, "Summit");
    assert_int_equal(e.ntitles, 0);
    assert_int_equal(cv_event_set_title(&e, NULL, "Summit 2"), 0);
    assert_string_equal(e.title, "Summit 2");
    assert_int_equal(e.ntitles, 0);

    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet"), 0);
    assert_int_equal(e.ntitles, 1);
    assert_string_equal(e.titles[0].lang, "fr");
    assert_string_equal(e.titles[0].text, "Sommet");
    /* Replacing an existing title keeps one entry. */
    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet 2"), 0);
    assert_int_equal(e.ntitles, 1);
    assert_string_equal(e.titles[0].text, "Sommet 2");
    assert_int_equal(cv_event_set_title(&e, "es", "Cumbre"), 0);
    assert_int_equal(cv_event_set_title(&e, "ar", "\xd9\x82\xd9\x85\xd8\xa9"), 0);
    assert_int_equal(e.ntitles, 3);
    assert_int_equal(cv_event_set_title(&e, "es", "Cumbre 2"), 0);
    assert_int_equal(e.ntitles, 3);
    assert_string_equal(cv_event_title_in(&e, "es"), "Cumbre 2");
    assert_string_equal(cv_event_title_in(&e, "fr"), "Sommet 2");
    assert_string_equal(e.title, "Summit 2");

    /* Unknown languages are refused and change nothing. */
    assert_int_equal(cv_event_set_title(&e, "de", "Gipfel"), CV_EINVAL);
    assert_int_equal(cv_event_set_title(&e, "FR", "Sommet"), CV_EINVAL);
    assert_int_equal(cv_event_set_title(&e, "fr-CA", "Sommet"), CV_EINVAL);
    assert_int_equal(cv_event_set_title(&e, "", "Rien"), CV_EINVAL);
    assert_int_equal(cv_event_set_title(&e, "english-language", "Long"), CV_EINVAL);
    assert_int_equal(e.ntitles, 3);
    assert_string_equal(e.title, "Summit 2");
    assert_string_equal(cv_event_title_in(&e, "fr"), "Sommet 2");
    cv_event_release(&e);
}

static void test_event_title_in(void **state)
{
    (void)state;
    struct cv_event e;
    make_event(&e);

    assert_string_equal(cv_event_title_in(&e, "fr"), "OGP Global Summit");
    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet mondial"), 0);
    assert_string_equal(cv_event_title_in(&e, "fr"), "Sommet mondial");
    assert_string_equal(cv_event_title_in(&e, "en"), "OGP Global Summit");
    assert_string_equal(cv_event_title_in(&e, "es"), "OGP Global Summit");
    assert_string_equal(cv_event_title_in(&e, "de"), "OGP Global Summit");
    assert_string_equal(cv_event_title_in(&e, NULL), "OGP Global Summit");
    assert_string_equal(cv_event_title_in(&e, ""), "OGP Global Summit");
    assert_ptr_equal(cv_event_title_in(&e, "es"), e.title);
    cv_event_release(&e);
}

/* ---- event: rules ---------------------------------------------------------------------------- */

static void test_event_validate_ok(void **state)
{
    (void)state;
    struct cv_event e;

    make_event(&e);
    expect_valid(&e);

    /* Optional fields may be absent; tabs and a multi-line description are fine. */
    make_event(&e);
    set(&e.venue, NULL);
    set(&e.country, NULL);
    set(&e.source_url, NULL);
    set(&e.region, NULL);
    set(&e.title, "Summit\twith a tab");
    expect_valid(&e);

    make_event(&e);
    set(&e.source_url, "http://example.org/");
    set(&e.inside, "unga-80");
    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet"), 0);
    expect_valid(&e);

    /* Neither window nor dates: only the length matters; 1 and 366 are the bounds. */
    make_event(&e);
    e.window_start = date(0, 0, 0);
    e.window_end = date(0, 0, 0);
    e.start = date(0, 0, 0);
    e.end = date(0, 0, 0);
    e.days = 366;
    expect_valid(&e);
    make_event(&e);
    e.window_start = e.window_end = date(0, 0, 0);
    e.start = e.end = date(2040, 2, 29);
    e.days = 1;
    expect_valid(&e);

    /* A window exactly as long as the event. */
    make_event(&e);
    e.window_start = date(2040, 2, 27);
    e.window_end = date(2040, 2, 29);
    expect_valid(&e);

    /* A 255-byte UID is allowed. */
    char uid[257];
    memset(uid, 'u', 255);
    uid[255] = '\0';
    make_event(&e);
    set(&e.uid, uid);
    expect_valid(&e);
}

static void test_event_validate_rules(void **state)
{
    (void)state;
    struct cv_event e;
    char uid[257];

    /* Key. */
    make_event(&e);
    set(&e.key, NULL);
    expect_invalid(&e, "is not a slug");
    make_event(&e);
    set(&e.key, "Bad Key");
    expect_invalid(&e, "'Bad Key' is not a slug");
    make_event(&e);
    set(&e.key, "../x");
    expect_invalid(&e, "is not a slug");
    make_event(&e);
    set(&e.key, "");
    expect_invalid(&e, "is not a slug");

    /* UID. */
    make_event(&e);
    set(&e.uid, NULL);
    expect_invalid(&e, "no valid UID");
    make_event(&e);
    set(&e.uid, "");
    expect_invalid(&e, "no valid UID");
    make_event(&e);
    set(&e.uid, "abc\r\nATTENDEE:x");
    expect_invalid(&e, "no valid UID");
    memset(uid, 'u', 256);
    uid[256] = '\0';
    make_event(&e);
    set(&e.uid, uid);
    expect_invalid(&e, "no valid UID");

    /* Title. */
    make_event(&e);
    set(&e.title, NULL);
    expect_invalid(&e, "has no title");
    make_event(&e);
    set(&e.title, "");
    expect_invalid(&e, "has no title");
    make_event(&e);
    set(&e.title, "Summit\r\nEND:VEVENT");
    expect_invalid(&e, "the title contains a control character");
    make_event(&e);
    set(&e.title, "Summit\nX");
    expect_invalid(&e, "the title contains a control character");
    make_event(&e);
    set(&e.title, "Summit\x7f");
    expect_invalid(&e, "the title contains a control character");
    make_event(&e);
    set(&e.title, "Sommet \xe9t\xe9");
    expect_invalid(&e, "the title is not valid UTF-8");
    make_event(&e);
    assert_int_equal(cv_event_set_title(&e, "fr", "Sommet\r\nEND:VEVENT"), 0);
    expect_invalid(&e, "the title contains a control character");
    make_event(&e);
    set(&e.city, "Nairobi\r\nLOCATION:x");
    expect_invalid(&e, "the city contains a control character");
    make_event(&e);
    set(&e.venue, "KICC\n");
    expect_invalid(&e, "the venue contains a control character");
    make_event(&e);
    set(&e.region, "Africa\x1b");
    expect_invalid(&e, "the region contains a control character");
    make_event(&e);
    set(&e.description, "Line one\r\nLine two");
    expect_invalid(&e, "the description contains a control character");

    /* Zone. */
    make_event(&e);
    set(&e.tzid, NULL);
    expect_invalid(&e, "unknown time zone");
    make_event(&e);
    set(&e.tzid, "Nowhere/City");
    expect_invalid(&e, "unknown time zone 'Nowhere/City'");
    make_event(&e);
    set(&e.tzid, "../../etc/passwd");
    expect_invalid(&e, "unknown time zone");

    /* Country. */
    make_event(&e);
    set(&e.country, "ke");
    expect_invalid(&e, "country 'ke' is not an ISO 3166");
    make_event(&e);
    set(&e.country, "KEN");
    expect_invalid(&e, "is not an ISO 3166");
    make_event(&e);
    set(&e.country, "");
    expect_invalid(&e, "is not an ISO 3166");

    /* Source URL. */
    make_event(&e);
    set(&e.source_url, "ftp://example.org/x");
    expect_invalid(&e, "http(s) URL");
    make_event(&e);
    set(&e.source_url, "javascript:alert(1)");
    expect_invalid(&e, "http(s) URL");
    make_event(&e);
    set(&e.source_url, "https://example.org/a b");
    expect_invalid(&e, "http(s) URL");
    make_event(&e);
    set(&e.source_url, "https://example.org/\r\nX-Injected: 1");
    expect_invalid(&e, "http(s) URL");

    /* Reference entry key. */
    make_event(&e);
    set(&e.inside, "Not A Key");
    expect_invalid(&e, "is not a reference entry key");

    /* Length. */
    make_event(&e);
    e.window_start = e.window_end = e.start = e.end = date(0, 0, 0);
    e.days = 0;
    expect_invalid(&e, "the length must be 1 to 366 days");
    make_event(&e);
    e.window_start = e.window_end = e.start = e.end = date(0, 0, 0);
    e.days = 367;
    expect_invalid(&e, "the length must be 1 to 366 days");
    make_event(&e);
    e.window_start = e.window_end = e.start = e.end = date(0, 0, 0);
    e.days = -1;
    expect_invalid(&e, "the length must be 1 to 366 days");

    /* Window. */
    make_event(&e);
    e.window_end = date(0, 0, 0);
    expect_invalid(&e, "a window needs both");
    make_event(&e);
    e.window_start = date(0, 0, 0);
    expect_invalid(&e, "a window needs both");
    make_event(&e);
    e.window_start = date(2040, 3, 31);
    e.window_end = date(2040, 2, 1);
    expect_invalid(&e, "the window ends (2040-02-01) before it starts (2040-03-31)");
    make_event(&e);
    e.window_start = date(2040, 2, 27);
    e.window_end = date(2040, 2, 28);
    expect_invalid(&e, "a 3-day event does not fit a 2-day window");

    /* Fixed dates. */
    make_event(&e);
    e.end = date(0, 0, 0);
    expect_invalid(&e, "fixed dates need a first and a last day");
    make_event(&e);
    e.start = date(0, 0, 0);
    expect_invalid(&e, "fixed dates need a first and a last day");
    make_event(&e);
    e.start = date(2040, 2, 29);
    e.end = date(2040, 2, 27);
    expect_invalid(&e, "the last day is before the first");
    make_event(&e);
    e.end = date(2040, 3, 1);
    expect_invalid(&e, "the dates span 4 days but the event lasts 3");
    make_event(&e);
    e.end = date(2040, 2, 28);
    expect_invalid(&e, "the dates span 2 days but the event lasts 3");

    /* SEQUENCE. */
    make_event(&e);
    e.sequence = -1;
    expect_invalid(&e, "negative SEQUENCE");

    /* A NULL err is fine. */
    make_event(&e);
    set(&e.key, "Bad");
    assert_int_equal(cv_event_validate(&e, NULL), CV_EINVAL);
    cv_event_release(&e);
}

/*
 * BUG: src/model/event.c cv_event_validate() checks that fixed dates and window dates are in
 * order and of the right length, but never that they are real dates (cv_date_is_valid), unlike
 * cv_refcal_validate(). 2023-02-29..2023-02-29 for a 1-day event, or 2040-13-45, is accepted.
 * Expected CV_EINVAL.
 */
static void test_event_validate_real_dates(void **state)
{
    struct cv_event *e = *state;
    struct cv_error err;

    make_event(&e[0]);
    e[0].window_start = e[0].window_end = date(0, 0, 0);
    e[0].start = e[0].end = date(2023, 2, 29);
    e[0].days = 1;
    cv_error_init(&err);
    assert_int_equal(cv_event_validate(&e[0], &err), CV_EINVAL);

    make_event(&e[1]);
    e[1].window_start = date(2040, 13, 1);
    e[1].window_end = date(2040, 13, 45);
    e[1].start = e[1].end = date(0, 0, 0);
    cv_error_init(&err);
    assert_int_equal(cv_event_validate(&e[1], &err), CV_EINVAL);
}

/* ---- event: changes -------------------------------------------------------------------------- */

/* Copies @base, lets the caller change the copy, and checks equal/material against @base. */
static void check_change(const struct cv_event *base, struct cv_event *changed, bool material)
{
    assert_false(cv_event_equal(base, changed));
    assert_false(cv_event_equal(changed, base));
    assert_int_equal(cv_event_is_material_change(base, changed), material);
    assert_int_equal(cv_event_is_material_change(changed, base), material);
    cv_event_release(changed);
}

static void test_event_changes(void **state)
{
    (void)state;
    struct cv_event a, b;

    make_event(&a);
    assert_int_equal(cv_event_set_title(&a, "fr", "Sommet"), 0);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    assert_true(cv_event_equal(&a, &b));
    assert_false(cv_event_is_material_change(&a, &b));
    cv_event_release(&b);

    /* Not material: wording, bookkeeping and planning fields. */
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.title, "OGP Global Summit 2040");
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    assert_int_equal(cv_event_set_title(&b, "fr", "Sommet mondial"), 0);
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    assert_int_equal(cv_event_set_title(&b, "es", "Cumbre"), 0);
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.description, "Other text");
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.sequence++;
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.revision++;
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.kind = CV_KIND_CALL;
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.window_end = date(2040, 4, 30);
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.scenario = true;
    check_change(&a, &b, false);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.source_url, "https://example.org/other");
    check_change(&a, &b, false);

    /* Material: time, place and status. */
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.start = date(2040, 2, 26);
    b.end = date(2040, 2, 28);
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.end = date(2040, 3, 1);
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.start = b.end = date(0, 0, 0);
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.status = CV_EVENT_CANCELLED;
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    b.status = CV_EVENT_TENTATIVE;
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.venue, "UN Gigiri");
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.venue, NULL);
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.tzid, "Africa/Addis_Ababa");
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.city, "Mombasa");
    check_change(&a, &b, true);
    assert_int_equal(cv_event_copy(&b, &a), 0);
    set(&b.country, "TZ");
    check_change(&a, &b, true);
    cv_event_release(&a);
}

/*
 * BUG: src/model/event.c cv_event_equal() compares translated titles through
 * cv_event_title_in(), which falls back to the English title. Two events with the same number
 * of translations in different languages compare equal when a's translation equals b's English
 * title: a {title "Summit", fr "Summit"} vs b {title "Summit", es "Cumbre"} gives true.
 * Expected false.
 */
static void test_event_equal_translations(void **state)
{
    struct cv_event *a = &((struct cv_event *)*state)[0];
    struct cv_event *b = &((struct cv_event *)*state)[1];

    make_event(a);
    set(&a->title, "Summit");
    assert_int_equal(cv_event_set_title(a, "fr", "Summit"), 0);
    make_event(b);
    set(&b->title, "Summit");
    assert_int_equal(cv_event_set_title(b, "es", "Cumbre"), 0);
    assert_string_equal(cv_event_title_in(b, "es"), "Cumbre");
    assert_string_equal(cv_event_title_in(a, "es"), "Summit");
    assert_false(cv_event_equal(b, a));
    assert_false(cv_event_equal(a, b));
}

/* ---- names ----------------------------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    static const char *const kinds[] = {"regional-meeting", "leaders-event", "summit", "call",
                                        "side-event"};
    static const char *const statuses[] = {"proposed", "tentative", "confirmed", "cancelled",
                                           "held"};
    static const char *const tracks[] = {"plenary", "digital-governance", "climate", "inclusion",
                                         "ogp-local"};
    static const char *const delegations[] = {"government", "civil-society", "local", "other"};
    static const char *const roles[] = {"delegate", "speaker", "principal", "organizer"};
    static const char *const partstats[] = {"NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE",
                                            "DELEGATED"};
    static const char *const meanings[] = {"blackout", "avoid", "prefer"};

    for (int i = 0; i < 5; i++) {
        enum cv_event_kind k = CV_KIND_CALL;
        assert_string_equal(cv_event_kind_name((enum cv_event_kind)i), kinds[i]);
        assert_int_equal(cv_event_kind_parse(kinds[i], &k), 0);
        assert_int_equal(k, i);
        enum cv_event_status s = CV_EVENT_HELD;
        assert_string_equal(cv_event_status_name((enum cv_event_status)i), statuses[i]);
        assert_int_equal(cv_event_status_parse(statuses[i], &s), 0);
        assert_int_equal(s, i);
        enum cv_track t = CV_TRACK_LOCAL;
        assert_string_equal(cv_track_name((enum cv_track)i), tracks[i]);
        assert_int_equal(cv_track_parse(tracks[i], &t), 0);
        assert_int_equal(t, i);
        enum cv_partstat p = CV_PARTSTAT_DELEGATED;
        assert_string_equal(cv_partstat_name((enum cv_partstat)i), partstats[i]);
        assert_int_equal(cv_partstat_parse(partstats[i], &p), 0);
        assert_int_equal(p, i);
    }
    for (int i = 0; i < 4; i++) {
        enum cv_delegation_kind d = CV_DELEGATION_OTHER;
        assert_string_equal(cv_delegation_kind_name((enum cv_delegation_kind)i), delegations[i]);
        assert_int_equal(cv_delegation_kind_parse(delegations[i], &d), 0);
        assert_int_equal(d, i);
        enum cv_role r = CV_ROLE_ORGANIZER;
        assert_string_equal(cv_role_name((enum cv_role)i), roles[i]);
        assert_int_equal(cv_role_parse(roles[i], &r), 0);
        assert_int_equal(r, i);
    }
    for (int i = 0; i < 3; i++) {
        enum cv_meaning m = CV_MEANING_PREFER;
        assert_string_equal(cv_meaning_name((enum cv_meaning)i), meanings[i]);
        assert_int_equal(cv_meaning_parse(meanings[i], &m), 0);
        assert_int_equal(m, i);
    }
    assert_int_equal(CV_KIND_SUMMIT, 2);
    assert_int_equal(CV_EVENT_CANCELLED, 3);
    assert_int_equal(CV_PARTSTAT_ACCEPTED, 1);

    /* Unknown words (including other cases) are refused and leave the output alone. */
    enum cv_event_kind k = CV_KIND_CALL;
    assert_int_equal(cv_event_kind_parse("Summit", &k), CV_EINVAL);
    assert_int_equal(cv_event_kind_parse("conference", &k), CV_EINVAL);
    assert_int_equal(cv_event_kind_parse("", &k), CV_EINVAL);
    assert_int_equal(k, CV_KIND_CALL);
    enum cv_event_status s = CV_EVENT_HELD;
    assert_int_equal(cv_event_status_parse("canceled", &s), CV_EINVAL);
    assert_int_equal(cv_event_status_parse("CONFIRMED", &s), CV_EINVAL);
    assert_int_equal(s, CV_EVENT_HELD);
    enum cv_track t = CV_TRACK_LOCAL;
    assert_int_equal(cv_track_parse("digital", &t), CV_EINVAL);
    assert_int_equal(t, CV_TRACK_LOCAL);
    enum cv_delegation_kind d = CV_DELEGATION_OTHER;
    assert_int_equal(cv_delegation_kind_parse("civil society", &d), CV_EINVAL);
    assert_int_equal(cv_delegation_kind_parse("Government", &d), CV_EINVAL);
    assert_int_equal(d, CV_DELEGATION_OTHER);
    enum cv_role r = CV_ROLE_ORGANIZER;
    assert_int_equal(cv_role_parse("chair", &r), CV_EINVAL);
    assert_int_equal(r, CV_ROLE_ORGANIZER);
    enum cv_partstat p = CV_PARTSTAT_DELEGATED;
    assert_int_equal(cv_partstat_parse("accepted", &p), CV_EINVAL);
    assert_int_equal(cv_partstat_parse("NEEDS_ACTION", &p), CV_EINVAL);
    assert_int_equal(p, CV_PARTSTAT_DELEGATED);
    enum cv_meaning m = CV_MEANING_PREFER;
    assert_int_equal(cv_meaning_parse("block", &m), CV_EINVAL);
    assert_int_equal(m, CV_MEANING_PREFER);

    /* Values out of range have a placeholder name, never NULL. */
    assert_string_equal(cv_event_kind_name((enum cv_event_kind)5), "?");
    assert_string_equal(cv_event_status_name((enum cv_event_status)99), "?");
    assert_string_equal(cv_role_name((enum cv_role)4), "?");
    assert_string_equal(cv_meaning_name((enum cv_meaning)3), "?");
}

/* ---- smaller values -------------------------------------------------------------------------- */

static void test_values(void **state)
{
    (void)state;
    struct cv_programme p;
    struct cv_error err;

    cv_programme_init(&p);
    assert_int_equal(cv_programme_validate(&p, NULL), CV_EINVAL);
    set(&p.key, "ogp-2040");
    set(&p.name, "OGP programme 2040");
    set(&p.organizer, "mailto:office@example.org");
    set(&p.languages, "en,fr,es,ar");
    assert_int_equal(cv_programme_validate(&p, NULL), 0);
    set(&p.languages, "en,de");
    cv_error_init(&err);
    assert_int_equal(cv_programme_validate(&p, &err), CV_EINVAL);
    assert_contains(err.msg, "unknown language 'de'");
    set(&p.languages, "en,,fr");
    assert_int_equal(cv_programme_validate(&p, NULL), CV_EINVAL);
    set(&p.languages, "en");
    set(&p.organizer, "office@example.org");
    assert_int_equal(cv_programme_validate(&p, NULL), CV_EINVAL);
    set(&p.organizer, "mailto:not an address");
    assert_int_equal(cv_programme_validate(&p, NULL), CV_EINVAL);
    set(&p.organizer, "mailto:office@example.org");
    set(&p.name, "Name\r\nX");
    assert_int_equal(cv_programme_validate(&p, NULL), CV_EINVAL);
    set(&p.name, "OGP programme 2040");

    /* The name per language, English where there is none. */
    assert_string_equal(cv_programme_name_in(&p, "fr"), "OGP programme 2040");
    assert_false(cv_programme_has_name_in(&p, "fr"));
    assert_true(cv_programme_has_name_in(&p, "en"));
    assert_int_equal(cv_programme_set_name(&p, "fr", "Programme du PGO 2040"), 0);
    assert_int_equal(cv_programme_set_name(&p, "es", "Programa de la AGA 2040"), 0);
    assert_int_equal(cv_programme_set_name(&p, "fr", "Programme du Partenariat 2040"), 0);
    assert_int_equal(p.nnames, 2);
    assert_string_equal(cv_programme_name_in(&p, "fr"), "Programme du Partenariat 2040");
    assert_string_equal(cv_programme_name_in(&p, "es"), "Programa de la AGA 2040");
    assert_string_equal(cv_programme_name_in(&p, "ar"), "OGP programme 2040");
    assert_string_equal(cv_programme_name_in(&p, "en"), "OGP programme 2040");
    assert_string_equal(cv_programme_name_in(&p, NULL), "OGP programme 2040");
    assert_true(cv_programme_has_name_in(&p, "fr"));
    assert_false(cv_programme_has_name_in(&p, "ar"));
    assert_false(cv_programme_has_name_in(&p, NULL));
    assert_int_equal(cv_programme_set_name(&p, "de", "Programm"), CV_EINVAL);
    assert_int_equal(cv_programme_set_name(&p, "english-too-long", "x"), CV_EINVAL);
    assert_int_equal(cv_programme_validate(&p, NULL), 0);
    /* Equality takes the names by language, in any order. */
    struct cv_programme q;
    cv_programme_init(&q);
    set(&q.key, "ogp-2040");
    set(&q.name, "OGP programme 2040");
    set(&q.organizer, "mailto:office@example.org");
    set(&q.languages, "en");
    assert_int_equal(cv_programme_set_name(&q, "es", "Programa de la AGA 2040"), 0);
    assert_false(cv_programme_equal(&p, &q));
    assert_int_equal(cv_programme_set_name(&q, "fr", "Programme du Partenariat 2040"), 0);
    assert_true(cv_programme_equal(&p, &q));
    assert_int_equal(cv_programme_set_name(&q, "fr", "Autre"), 0);
    assert_false(cv_programme_equal(&p, &q));
    cv_programme_release(&q);
    /* "" removes a translation; a name with a line break is refused. */
    assert_int_equal(cv_programme_set_name(&p, "es", ""), 0);
    assert_int_equal(p.nnames, 1);
    assert_false(cv_programme_has_name_in(&p, "es"));
    assert_int_equal(cv_programme_set_name(&p, "ar", "اسم\nآخر"), 0);
    cv_error_init(&err);
    assert_int_equal(cv_programme_validate(&p, &err), CV_EINVAL);
    assert_contains(err.msg, "name in 'ar'");
    cv_programme_release(&p);
    assert_null(p.key);
    assert_null(p.names);
    assert_int_equal(p.nnames, 0);

    /* The OGP regions in the page's language; a region convene has no words for stays as is. */
    assert_string_equal(cv_region_name_in("Africa and the Middle East", "fr"),
                        "Afrique et Moyen-Orient");
    assert_string_equal(cv_region_name_in("Americas", "es"), "Américas");
    assert_string_equal(cv_region_name_in("Asia and the Pacific", "ar"), "آسيا والمحيط الهادئ");
    assert_string_equal(cv_region_name_in("Europe", "en"), "Europe");
    assert_string_equal(cv_region_name_in("Antarctica", "fr"), "Antarctica");
    assert_null(cv_region_name_in(NULL, "fr"));

    struct cv_venue v;
    cv_venue_init(&v);
    assert_int_equal(v.opens_min, 540);
    assert_int_equal(v.closes_min, 1080);
    set(&v.name, "KICC");
    cv_venue_release(&v);
    assert_null(v.name);
    assert_int_equal(v.opens_min, 540);

    struct cv_invitation inv;
    cv_invitation_init(&inv);
    assert_int_equal(inv.sequence_sent, -1);
    assert_int_equal(inv.partstat, CV_PARTSTAT_NEEDS_ACTION);
    set(&inv.email, "a@b.co");
    cv_invitation_release(&inv);
    assert_null(inv.email);
    assert_int_equal(inv.sequence_sent, -1);

    struct cv_room room;
    cv_room_init(&room);
    set(&room.name, "Hall A");
    cv_room_release(&room);
    struct cv_session ses;
    cv_session_init(&ses);
    set(&ses.title, "Opening");
    set(&ses.room, "Hall A");
    cv_session_release(&ses);
    assert_null(ses.title);
    struct cv_milestone ms;
    cv_milestone_init(&ms);
    set(&ms.key, "visa-letters");
    set(&ms.depends_on, "registration");
    cv_milestone_release(&ms);
    assert_null(ms.key);

    /* Lists grow and hand out initialised elements. */
    struct cv_event_list el;
    cv_event_list_init(&el);
    for (int i = 0; i < 20; i++) {
        struct cv_event *e = NULL;
        assert_int_equal(cv_event_list_add(&el, &e), 0);
        assert_ptr_equal(e, &el.v[i]);
        assert_int_equal(e->days, 1);
        assert_null(e->key);
        char key[16];
        snprintf(key, sizeof(key), "e-%d", i);
        set(&e->key, key);
    }
    assert_int_equal(el.n, 20);
    assert_string_equal(el.v[0].key, "e-0");
    assert_string_equal(el.v[19].key, "e-19");
    cv_event_list_release(&el);
    assert_int_equal(el.n, 0);
    assert_null(el.v);

    struct cv_refcal_list rl;
    cv_refcal_list_init(&rl);
    for (int i = 0; i < 10; i++) {
        struct cv_refcal *c = NULL;
        assert_int_equal(cv_refcal_list_add(&rl, &c), 0);
        assert_null(c->key);
        set(&c->key, "k");
    }
    assert_int_equal(rl.n, 10);
    cv_refcal_list_release(&rl);
    assert_int_equal(rl.n, 0);

    struct cv_import_report rep;
    cv_import_report_init(&rep);
    for (int i = 0; i < 12; i++)
        assert_int_equal(cv_import_report_skip(&rep, i + 2, "row %d: %s", i, "bad"), 0);
    assert_int_equal(rep.skipped, 12);
    assert_int_equal(rep.nskips, 12);
    assert_int_equal(rep.skips[11].line, 13);
    assert_string_equal(rep.skips[11].reason, "row 11: bad");
    char longer[400];
    memset(longer, 'r', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(cv_import_report_skip(&rep, 99, "%s", longer), 0);
    assert_int_equal(strlen(rep.skips[12].reason), sizeof(rep.skips[12].reason) - 1);
    cv_import_report_release(&rep);
    assert_int_equal(rep.nskips, 0);
    assert_null(rep.skips);
}

/* ---- people ---------------------------------------------------------------------------------- */

static void make_person(struct cv_person *p)
{
    cv_person_init(p);
    set(&p->email, "Ana.Diaz@Example.org");
    set(&p->name, "Ana D\xc3\xad\x61z");
    set(&p->lang, "es");
    set(&p->country, "MX");
    set(&p->tzid, "America/Mexico_City");
    p->role = CV_ROLE_SPEAKER;
    p->delegation.kind = CV_DELEGATION_CIVIL_SOCIETY;
    cv_str_copy(p->delegation.country, sizeof(p->delegation.country), "MX");
}

static void expect_person_invalid(struct cv_person *p, const char *needle)
{
    struct cv_error err;
    cv_error_init(&err);
    assert_int_equal(cv_person_validate(p, &err), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_contains(err.msg, needle);
    cv_person_release(p);
}

static void test_person_validate(void **state)
{
    (void)state;
    struct cv_person p;

    make_person(&p);
    assert_int_equal(cv_person_validate(&p, NULL), 0);
    set(&p.country, NULL);
    set(&p.tzid, NULL);
    assert_int_equal(cv_person_validate(&p, NULL), 0);
    cv_person_release(&p);
    assert_null(p.email);

    make_person(&p);
    set(&p.email, "not-an-email");
    expect_person_invalid(&p, "'not-an-email' is not a valid email address");
    make_person(&p);
    set(&p.email, "a@b.co\r\nBcc: x@y.z");
    expect_person_invalid(&p, "is not a valid email address");
    make_person(&p);
    set(&p.email, NULL);
    expect_person_invalid(&p, "is not a valid email address");
    make_person(&p);
    set(&p.name, "");
    expect_person_invalid(&p, "the name is empty");
    make_person(&p);
    set(&p.name, NULL);
    expect_person_invalid(&p, "the name is empty");
    make_person(&p);
    set(&p.name, "Ana\nEvil");
    expect_person_invalid(&p, "control characters");
    make_person(&p);
    set(&p.name, "Ana \xff");
    expect_person_invalid(&p, "the name is empty or has control characters");
    make_person(&p);
    set(&p.lang, "de");
    expect_person_invalid(&p, "unknown language 'de'");
    make_person(&p);
    set(&p.lang, "ES");
    expect_person_invalid(&p, "unknown language 'ES'");
    make_person(&p);
    set(&p.lang, NULL);
    expect_person_invalid(&p, "unknown language");
    make_person(&p);
    set(&p.country, "mx");
    expect_person_invalid(&p, "country 'mx'");
    make_person(&p);
    set(&p.tzid, "Nowhere/City");
    expect_person_invalid(&p, "unknown time zone 'Nowhere/City'");
    make_person(&p);
    set(&p.tzid, "../etc/passwd");
    expect_person_invalid(&p, "unknown time zone");
}

static void test_person_equal(void **state)
{
    (void)state;
    struct cv_person a, b;

    make_person(&a);
    make_person(&b);
    assert_true(cv_person_equal(&a, &b));
    /* Email compared without case. */
    set(&b.email, "ana.diaz@EXAMPLE.ORG");
    assert_true(cv_person_equal(&a, &b));
    assert_true(cv_person_equal(&b, &a));
    set(&b.email, "ana.diaz2@example.org");
    assert_false(cv_person_equal(&a, &b));
    set(&b.email, "ana.diaz@example.org");

    /* Every other field counts, with case. */
    set(&b.name, "Ana Diaz");
    assert_false(cv_person_equal(&a, &b));
    set(&b.name, a.name);
    set(&b.lang, "en");
    assert_false(cv_person_equal(&a, &b));
    set(&b.lang, "es");
    set(&b.country, NULL);
    assert_false(cv_person_equal(&a, &b));
    set(&b.country, "MX");
    set(&b.tzid, "America/Cancun");
    assert_false(cv_person_equal(&a, &b));
    set(&b.tzid, "America/Mexico_City");
    b.role = CV_ROLE_DELEGATE;
    assert_false(cv_person_equal(&a, &b));
    b.role = CV_ROLE_SPEAKER;
    b.delegation.kind = CV_DELEGATION_GOVERNMENT;
    assert_false(cv_person_equal(&a, &b));
    b.delegation.kind = CV_DELEGATION_CIVIL_SOCIETY;
    cv_str_copy(b.delegation.country, sizeof(b.delegation.country), "US");
    assert_false(cv_person_equal(&a, &b));
    cv_str_copy(b.delegation.country, sizeof(b.delegation.country), "MX");
    assert_true(cv_person_equal(&a, &b));

    /* No email: never equal. */
    set(&b.email, NULL);
    assert_false(cv_person_equal(&a, &b));
    set(&a.email, NULL);
    assert_false(cv_person_equal(&a, &b));
    cv_person_release(&a);
    cv_person_release(&b);
}

/* ---- reference calendars --------------------------------------------------------------------- */

static void add_entry(struct cv_refcal *c, const char *key, const char *summary,
                      struct cv_date first, struct cv_date last)
{
    struct cv_refentry *e = NULL;
    assert_int_equal(cv_refcal_add_entry(c, &e), 0);
    assert_non_null(e);
    set(&e->key, key);
    set(&e->summary, summary);
    e->first = first;
    e->last = last;
}

static void make_refcal(struct cv_refcal *c)
{
    cv_refcal_init(c);
    set(&c->key, "ke-holidays");
    set(&c->name, "Kenya public holidays");
    set(&c->scope, "country:KE");
    c->meaning = CV_MEANING_AVOID;
    set(&c->sources, "https://example.org/a\nhttps://example.org/b");
    add_entry(c, "madaraka-2040", "Madaraka Day", date(2040, 6, 1), date(2040, 6, 1));
    add_entry(c, NULL, "Eid al-Fitr", date(2040, 9, 6), date(2040, 9, 7));
    add_entry(c, NULL, "Another unkeyed", date(2040, 12, 25), date(2040, 12, 26));
}

static void expect_refcal_invalid(struct cv_refcal *c, const char *needle)
{
    struct cv_error err;
    cv_error_init(&err);
    assert_int_equal(cv_refcal_validate(c, &err), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_contains(err.msg, needle);
    cv_refcal_release(c);
}

static void test_refcal_validate(void **state)
{
    (void)state;
    struct cv_refcal c;

    make_refcal(&c);
    assert_int_equal(cv_refcal_validate(&c, NULL), 0);
    cv_refcal_release(&c);
    assert_null(c.entries);
    assert_int_equal(c.n, 0);

    make_refcal(&c);
    set(&c.key, "KE Holidays");
    expect_refcal_invalid(&c, "the calendar key 'KE Holidays' is not a slug");
    make_refcal(&c);
    set(&c.name, NULL);
    expect_refcal_invalid(&c, "has no name");
    make_refcal(&c);
    set(&c.scope, "country:ke");
    expect_refcal_invalid(&c, "scope 'country:ke' is not all, country:XX or region:NAME");
    make_refcal(&c);
    set(&c.scope, "everywhere");
    expect_refcal_invalid(&c, "scope 'everywhere'");
    make_refcal(&c);
    set(&c.scope, NULL);
    expect_refcal_invalid(&c, "scope ''");

    /* Entries: reversed dates, an impossible date, no summary, a bad key, a key twice. */
    make_refcal(&c);
    c.entries[1].first = date(2040, 9, 7);
    c.entries[1].last = date(2040, 9, 6);
    expect_refcal_invalid(&c, "entry 'Eid al-Fitr' has no valid dates");
    make_refcal(&c);
    c.entries[0].first = c.entries[0].last = date(2041, 2, 29);
    expect_refcal_invalid(&c, "entry 'Madaraka Day' has no valid dates");
    make_refcal(&c);
    c.entries[2].first = date(0, 0, 0);
    expect_refcal_invalid(&c, "has no valid dates");
    make_refcal(&c);
    set(&c.entries[2].summary, "");
    expect_refcal_invalid(&c, "an entry has no SUMMARY");
    make_refcal(&c);
    set(&c.entries[2].summary, "Day\r\nEND:VEVENT");
    expect_refcal_invalid(&c, "an entry has no SUMMARY");
    make_refcal(&c);
    set(&c.entries[1].key, "Eid");
    expect_refcal_invalid(&c, "entry key 'Eid' is not a slug");
    make_refcal(&c);
    set(&c.entries[2].key, "madaraka-2040");
    expect_refcal_invalid(&c, "entry key 'madaraka-2040' is used twice");
    make_refcal(&c);
    set(&c.entries[1].key, "same");
    set(&c.entries[2].key, "same");
    expect_refcal_invalid(&c, "entry key 'same' is used twice");
}

static void test_scope_check(void **state)
{
    (void)state;
    assert_int_equal(cv_scope_check("all"), 0);
    assert_int_equal(cv_scope_check("country:KE"), 0);
    assert_int_equal(cv_scope_check("region:Americas"), 0);
    assert_int_equal(cv_scope_check("region:Africa and the Middle East"), 0);

    assert_int_equal(cv_scope_check(""), CV_EINVAL);
    assert_int_equal(cv_scope_check("All"), CV_EINVAL);
    assert_int_equal(cv_scope_check("all "), CV_EINVAL);
    assert_int_equal(cv_scope_check("country:"), CV_EINVAL);
    assert_int_equal(cv_scope_check("country:ke"), CV_EINVAL);
    assert_int_equal(cv_scope_check("country:KEN"), CV_EINVAL);
    assert_int_equal(cv_scope_check("country:KE,UG"), CV_EINVAL);
    assert_int_equal(cv_scope_check("Country:KE"), CV_EINVAL);
    assert_int_equal(cv_scope_check("region:"), CV_EINVAL);
    assert_int_equal(cv_scope_check("region:Americas\r\nX"), CV_EINVAL);
    assert_int_equal(cv_scope_check("continent:Africa"), CV_EINVAL);
}

static void test_refcal_equal(void **state)
{
    (void)state;
    struct cv_refcal a, b;

    make_refcal(&a);
    make_refcal(&b);
    assert_true(cv_refcal_equal(&a, &b));

    /* The meaning of an entry counts only when it has one. */
    a.entries[0].meaning = CV_MEANING_BLACKOUT;
    b.entries[0].meaning = CV_MEANING_PREFER;
    assert_true(cv_refcal_equal(&a, &b));
    a.entries[0].has_meaning = true;
    assert_false(cv_refcal_equal(&a, &b));
    b.entries[0].has_meaning = true;
    assert_false(cv_refcal_equal(&a, &b));
    b.entries[0].meaning = CV_MEANING_BLACKOUT;
    assert_true(cv_refcal_equal(&a, &b));

    b.meaning = CV_MEANING_BLACKOUT;
    assert_false(cv_refcal_equal(&a, &b));
    b.meaning = a.meaning;
    set(&b.scope, "all");
    assert_false(cv_refcal_equal(&a, &b));
    set(&b.scope, a.scope);
    set(&b.sources, NULL);
    assert_false(cv_refcal_equal(&a, &b));
    set(&b.sources, a.sources);
    set(&b.entries[1].url, "https://example.org/eid");
    assert_false(cv_refcal_equal(&a, &b));
    set(&b.entries[1].url, NULL);
    b.entries[2].last = date(2040, 12, 27);
    assert_false(cv_refcal_equal(&a, &b));
    b.entries[2].last = date(2040, 12, 26);
    set(&b.entries[2].summary, "Other");
    assert_false(cv_refcal_equal(&a, &b));
    set(&b.entries[2].summary, "Another unkeyed");
    assert_true(cv_refcal_equal(&a, &b));

    /* One entry more, and the same entries in another order. */
    add_entry(&b, NULL, "Extra", date(2040, 1, 1), date(2040, 1, 1));
    assert_false(cv_refcal_equal(&a, &b));
    cv_refcal_release(&b);
    make_refcal(&b);
    struct cv_refentry tmp = b.entries[1];
    b.entries[1] = b.entries[2];
    b.entries[2] = tmp;
    assert_false(cv_refcal_equal(&a, &b));
    cv_refcal_release(&a);
    cv_refcal_release(&b);
}

/* ---- importing delegate lists ---------------------------------------------------------------- */

struct import {
    struct cv_person_list people;
    struct cv_import_report report;
    struct cv_error err;
    int rc;
};

static void import_people(struct import *im, const char *csv, const struct cv_country_list *members,
                          unsigned flags)
{
    cv_person_list_init(&im->people);
    cv_import_report_init(&im->report);
    cv_error_init(&im->err);
    im->rc = cv_people_parse_csv(csv, strlen(csv), "people.csv", members, flags, &im->people,
                                 &im->report, &im->err);
}

static void import_release(struct import *im)
{
    cv_person_list_release(&im->people);
    cv_import_report_release(&im->report);
}

static void expect_import_error(const char *csv, unsigned flags, int code, long line,
                                const char *needle)
{
    struct import im;
    import_people(&im, csv, NULL, flags);
    assert_int_equal(im.rc, code);
    assert_int_equal(im.err.code, code);
    assert_int_equal(im.err.line, line);
    assert_string_equal(im.err.file, "people.csv");
    assert_contains(im.err.msg, needle);
    import_release(&im);
}

static void test_people_headers(void **state)
{
    (void)state;
    struct import im;

    /* Any order and case; spaces, '-' and '_' in header names are ignored. */
    import_people(&im,
                  "Role,E-mail Address,Time Zone,Full Name,LANG,Country,Delegation\n"
                  "Speaker, Ana.Diaz@Example.org ,America/Mexico_City, Ana D\xc3\xad\x61z ,ES,mx,"
                  "Civil Society\n",
                  NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 1);
    assert_int_equal(im.report.read, 1);
    assert_int_equal(im.report.skipped, 0);
    struct cv_person *p = &im.people.v[0];
    assert_string_equal(p->email, "Ana.Diaz@Example.org");
    assert_string_equal(p->name, "Ana D\xc3\xad\x61z");
    assert_string_equal(p->lang, "es");
    assert_string_equal(p->country, "MX");
    assert_string_equal(p->tzid, "America/Mexico_City");
    assert_int_equal(p->role, CV_ROLE_SPEAKER);
    assert_int_equal(p->delegation.kind, CV_DELEGATION_CIVIL_SOCIETY);
    assert_string_equal(p->delegation.country, "MX");
    import_release(&im);

    /* Every accepted spelling of each column. */
    static const char *const headers[] = {
        "name,email,language,country,delegation,role,timezone\n",
        "FULLNAME,mail,lang,COUNTRY,DELEGATION,ROLE,tz\n",
        "Full_Name,Email-Address,Lang,country,delegation,role,Zone\n",
        "full name,e_mail,Language,Country,Delegation,Role,time_zone\n",
        "Name,EMAIL,LANGUAGE,Country,Delegation,Role,TIME-ZONE\n",
    };
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        char csv[512];
        snprintf(csv, sizeof(csv), "%sBo,bo@example.org,fr,KE,local,principal,Africa/Nairobi\n",
                 headers[i]);
        import_people(&im, csv, NULL, 0);
        if (im.rc != 0)
            fail_msg("header %zu: %d %s", i, im.rc, im.err.msg);
        assert_int_equal(im.people.n, 1);
        p = &im.people.v[0];
        assert_string_equal(p->name, "Bo");
        assert_string_equal(p->email, "bo@example.org");
        assert_string_equal(p->lang, "fr");
        assert_string_equal(p->country, "KE");
        assert_int_equal(p->delegation.kind, CV_DELEGATION_LOCAL);
        assert_int_equal(p->role, CV_ROLE_PRINCIPAL);
        assert_string_equal(p->tzid, "Africa/Nairobi");
        import_release(&im);
    }

    /* Unknown columns are ignored. */
    import_people(&im, "notes,email,name,badge\nx,c@d.co,Cy,42\n", NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 1);
    assert_string_equal(im.people.v[0].email, "c@d.co");
    assert_string_equal(im.people.v[0].name, "Cy");
    import_release(&im);
}

static void test_people_missing_columns(void **state)
{
    (void)state;
    expect_import_error("name,language\nA,en\n", 0, CV_EPARSE, 1, "no 'email' column");
    expect_import_error("email,language\na@b.co,en\n", 0, CV_EPARSE, 1, "no 'name' column");
    expect_import_error("E-mail Addresses,Name\na@b.co,A\n", 0, CV_EPARSE, 1, "no 'email' column");
    /* Also with the skip flag: the header is not a row to skip. */
    expect_import_error("name,language\nA,en\n", CV_IMPORT_SKIP_INVALID, CV_EPARSE, 1,
                        "no 'email' column");
    expect_import_error("", 0, CV_EPARSE, 1, "the file is empty");
    expect_import_error("\xef\xbb\xbf", 0, CV_EPARSE, 1, "the file is empty");
}

static void test_people_bad_rows(void **state)
{
    (void)state;
    static const char csv[] = "name,email\n"
                              "Ann,ann@example.org\n"
                              "Bad,not-an-email\n"
                              "Cy,cy@example.org\n";
    struct import im;

    expect_import_error(csv, 0, CV_EINVAL, 3, "'not-an-email' is not a valid email address");

    /* Skipping: the bad row is reported with its line and reason, the others are kept. */
    import_people(&im, csv, NULL, CV_IMPORT_SKIP_INVALID);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 2);
    assert_string_equal(im.people.v[0].email, "ann@example.org");
    assert_string_equal(im.people.v[1].email, "cy@example.org");
    assert_int_equal(im.report.read, 3);
    assert_int_equal(im.report.skipped, 1);
    assert_int_equal(im.report.nskips, 1);
    assert_int_equal(im.report.skips[0].line, 3);
    assert_contains(im.report.skips[0].reason, "not-an-email");
    import_release(&im);

    /* Other bad values. */
    expect_import_error("name,email,language\nA,a@b.co,de\n", 0, CV_EINVAL, 2,
                        "unknown language 'de'");
    expect_import_error("name,email,delegation\nA,a@b.co,ngo\n", 0, CV_EINVAL, 2,
                        "unknown delegation 'ngo'");
    expect_import_error("name,email,role\nA,a@b.co,chair\n", 0, CV_EINVAL, 2,
                        "unknown role 'chair'");
    expect_import_error("name,email,country\nA,a@b.co,Kenya\n", 0, CV_EINVAL, 2, "country 'KENYA'");
    expect_import_error("name,email,tz\nA,a@b.co,Nowhere/City\n", 0, CV_EINVAL, 2,
                        "unknown time zone 'Nowhere/City'");
    expect_import_error("name,email\nA,  \n", 0, CV_EINVAL, 2, "the email is empty");
    expect_import_error("name,email\n ,a@b.co\n", 0, CV_EINVAL, 2, "the name is empty");
    expect_import_error("name,email\nA,\"a@b.co\r\nBcc: x@y.z\"\n", 0, CV_EINVAL, 2,
                        "is not a valid email address");

    /* A CSV syntax error names the file and the line where the quote opened. */
    expect_import_error("name,email\nA,a@b.co\nB,\"b@c.co\n", 0, CV_EPARSE, 3, "never closed");
    expect_import_error("name,email\nA,a@b.co\nB,\"b@c.co\n", CV_IMPORT_SKIP_INVALID, CV_EPARSE, 3,
                        "never closed");
}

static void test_people_duplicates(void **state)
{
    (void)state;
    static const char csv[] = "name,email\n"
                              "Ann,ann@example.org\n"
                              "Bo,bo@example.org\n"
                              "Ann again,ANN@Example.ORG\n";
    struct import im;

    expect_import_error(csv, 0, CV_EINVAL, 4, "ANN@Example.ORG is listed twice");

    import_people(&im, csv, NULL, CV_IMPORT_SKIP_INVALID);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 2);
    assert_string_equal(im.people.v[0].name, "Ann");
    assert_string_equal(im.people.v[1].name, "Bo");
    assert_int_equal(im.report.read, 3);
    assert_int_equal(im.report.skipped, 1);
    assert_int_equal(im.report.skips[0].line, 4);
    assert_contains(im.report.skips[0].reason, "ANN@Example.ORG is listed twice");
    import_release(&im);
}

static void test_people_width(void **state)
{
    (void)state;
    struct import im;

    expect_import_error("name,email\nA,a@b.co,extra\n", 0, CV_EINVAL, 2,
                        "the row has 3 fields but the header has 2");
    expect_import_error("name,email,role\nA,a@b.co,delegate\nB,b@c.co\n", 0, CV_EINVAL, 3,
                        "the row has 2 fields but the header has 3");

    import_people(&im, "name,email\nA,a@b.co,extra\nB,b@c.co\n", NULL, CV_IMPORT_SKIP_INVALID);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 1);
    assert_string_equal(im.people.v[0].email, "b@c.co");
    assert_int_equal(im.report.read, 2);
    assert_int_equal(im.report.skipped, 1);
    assert_int_equal(im.report.skips[0].line, 2);
    assert_contains(im.report.skips[0].reason, "3 fields");
    import_release(&im);
}

static void test_people_blank_rows(void **state)
{
    (void)state;
    struct import im;

    import_people(&im,
                  "name,email,role\n"
                  "\n"
                  "A,a@b.co,\n"
                  ",,\n"
                  "  \n"
                  "\"Multi\nline\",\"\",\"\"\n"
                  "B,b@c.co,speaker\n"
                  " , , \n",
                  NULL, CV_IMPORT_SKIP_INVALID);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 2);
    assert_string_equal(im.people.v[0].email, "a@b.co");
    assert_string_equal(im.people.v[1].email, "b@c.co");
    assert_int_equal(im.people.v[1].role, CV_ROLE_SPEAKER);
    /* Blank rows are not read; the multi-line row (no email) is read and skipped. */
    assert_int_equal(im.report.read, 3);
    assert_int_equal(im.report.skipped, 1);
    assert_int_equal(im.report.skips[0].line, 6);
    import_release(&im);

    /* The line of a row after blank rows and a two-line field. */
    expect_import_error("name,email,notes\n\n\nA,a@b.co,\n\nB,b@c.co,\"x\ny\"\nC,bad,\n", 0,
                        CV_EINVAL, 8, "'bad' is not a valid email address");

    /* Only a header and blank rows: nothing read. */
    import_people(&im, "name,email\n\n,\n", NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 0);
    assert_int_equal(im.report.read, 0);
    import_release(&im);
}

static void test_people_values(void **state)
{
    (void)state;
    struct import im;

    import_people(&im,
                  "name,email,language,delegation,role\n"
                  "A,a@x.org,FR,,\n"
                  "B,b@x.org,fr-CA,Civil_Society,Organizer\n"
                  "C,c@x.org, Es ,LOCAL,Principal\n"
                  "D,d@x.org,,other,delegate\n"
                  "E,e@x.org,ar,government,speaker\n"
                  "F,f@x.org,en-GB,,\n",
                  NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 6);
    assert_int_equal(im.report.read, 6);
    static const char *const langs[] = {"fr", "fr", "es", "en", "ar", "en"};
    static const enum cv_delegation_kind kinds[] = {
        CV_DELEGATION_GOVERNMENT, CV_DELEGATION_CIVIL_SOCIETY, CV_DELEGATION_LOCAL,
        CV_DELEGATION_OTHER,      CV_DELEGATION_GOVERNMENT,    CV_DELEGATION_GOVERNMENT,
    };
    static const enum cv_role roles[] = {CV_ROLE_DELEGATE, CV_ROLE_ORGANIZER, CV_ROLE_PRINCIPAL,
                                         CV_ROLE_DELEGATE, CV_ROLE_SPEAKER,   CV_ROLE_DELEGATE};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(im.people.v[i].lang, langs[i]);
        assert_int_equal(im.people.v[i].delegation.kind, kinds[i]);
        assert_int_equal(im.people.v[i].role, roles[i]);
        /* No country column: no country, no delegation country, no zone. */
        assert_null(im.people.v[i].country);
        assert_string_equal(im.people.v[i].delegation.country, "");
        assert_null(im.people.v[i].tzid);
    }
    import_release(&im);

    /* Minimal columns: the defaults. */
    import_people(&im, "email,name\nz@x.org,Zed\n", NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 1);
    assert_string_equal(im.people.v[0].lang, "en");
    assert_int_equal(im.people.v[0].delegation.kind, CV_DELEGATION_GOVERNMENT);
    assert_int_equal(im.people.v[0].role, CV_ROLE_DELEGATE);
    assert_null(im.people.v[0].country);
    assert_null(im.people.v[0].tzid);
    import_release(&im);
}

static void add_member(struct cv_country_list *l, const char *iso2, const char *tzid)
{
    struct cv_country *c = NULL;
    assert_int_equal(cv_country_list_add(l, &c), 0);
    cv_str_copy(c->iso2, sizeof(c->iso2), iso2);
    set(&c->tzid, tzid);
    c->weekend = CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7);
}

static void test_people_member_zones(void **state)
{
    (void)state;
    struct cv_country_list members;
    struct import im;
    static const char csv[] = "name,email,country,timezone\n"
                              "A,a@x.org,ke,\n"
                              "B,b@x.org,MX,\n"
                              "C,c@x.org,KE,Europe/Paris\n"
                              "D,d@x.org,FR,\n"
                              "E,e@x.org,,\n";

    cv_country_list_init(&members);
    add_member(&members, "KE", "Africa/Nairobi");
    add_member(&members, "MX", "America/Mexico_City");

    import_people(&im, csv, &members, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 5);
    assert_string_equal(im.people.v[0].country, "KE");
    assert_string_equal(im.people.v[0].delegation.country, "KE");
    assert_string_equal(im.people.v[0].tzid, "Africa/Nairobi");
    assert_string_equal(im.people.v[1].tzid, "America/Mexico_City");
    /* A zone given in the file wins. */
    assert_string_equal(im.people.v[2].tzid, "Europe/Paris");
    /* Not a member, or no country: no zone. */
    assert_string_equal(im.people.v[3].country, "FR");
    assert_null(im.people.v[3].tzid);
    assert_null(im.people.v[4].country);
    assert_null(im.people.v[4].tzid);
    import_release(&im);

    /* Without a member list nobody gets a zone. */
    import_people(&im, csv, NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_null(im.people.v[0].tzid);
    assert_null(im.people.v[1].tzid);
    assert_string_equal(im.people.v[2].tzid, "Europe/Paris");
    import_release(&im);
    cv_country_list_release(&members);
    assert_int_equal(members.n, 0);
}

static void test_people_bom_crlf(void **state)
{
    (void)state;
    struct import im;

    import_people(&im,
                  "\xef\xbb\xbfName,Email,Language\r\n"
                  "A,a@x.org,fr\r\n"
                  "\r\n"
                  "B,b@x.org,es\r\n",
                  NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 2);
    assert_string_equal(im.people.v[0].name, "A");
    assert_string_equal(im.people.v[0].lang, "fr");
    assert_string_equal(im.people.v[1].email, "b@x.org");
    assert_string_equal(im.people.v[1].lang, "es");
    assert_int_equal(im.report.read, 2);
    import_release(&im);

    /* Line numbers count CRLF lines, the BOM does not shift them. */
    expect_import_error("\xef\xbb\xbfName,Email\r\nA,a@x.org\r\n\r\nB,bad\r\n", 0, CV_EINVAL, 4,
                        "'bad'");
    /* No trailing newline. */
    import_people(&im, "name,email\r\nA,a@x.org", NULL, 0);
    assert_int_equal(im.rc, 0);
    assert_int_equal(im.people.n, 1);
    assert_string_equal(im.people.v[0].email, "a@x.org");
    import_release(&im);
}

static void test_people_appends(void **state)
{
    (void)state;
    struct cv_person_list list;
    struct cv_import_report report;
    struct cv_error err;
    struct cv_person *p = NULL;
    static const char csv[] = "name,email\nNew,new@x.org\n";

    cv_person_list_init(&list);
    cv_import_report_init(&report);
    cv_error_init(&err);
    assert_int_equal(cv_person_list_add(&list, &p), 0);
    set(&p->email, "old@x.org");
    set(&p->name, "Old");
    assert_int_equal(cv_people_parse_csv(csv, strlen(csv), "p.csv", NULL, 0, &list, &report, &err),
                     0);
    assert_int_equal(list.n, 2);
    assert_string_equal(list.v[0].email, "old@x.org");
    assert_string_equal(list.v[1].email, "new@x.org");
    assert_int_equal(report.read, 1);
    /* A NULL err is fine, even on failure. */
    static const char bad[] = "name\nA\n";
    assert_int_equal(cv_people_parse_csv(bad, strlen(bad), "p.csv", NULL, 0, &list, &report, NULL),
                     CV_EPARSE);
    assert_int_equal(list.n, 2);
    cv_person_list_release(&list);
    cv_import_report_release(&report);
}

/* ---- importing the member list --------------------------------------------------------------- */

#define MEMBERS_HEADER                                                                             \
    "country,iso3166_alpha2,ogp_region,capital,iana_tz,weekend,confidence,"                        \
    "source_url\n"

static int parse_members(const char *csv, struct cv_country_list *out, struct cv_error *err)
{
    cv_country_list_init(out);
    cv_error_init(err);
    return cv_countries_parse_csv(csv, strlen(csv), "members.csv", out, err);
}

static void expect_members_error(const char *csv, int code, long line, const char *needle)
{
    struct cv_country_list l;
    struct cv_error err;
    assert_int_equal(parse_members(csv, &l, &err), code);
    assert_int_equal(err.code, code);
    assert_int_equal(err.line, line);
    assert_string_equal(err.file, "members.csv");
    assert_contains(err.msg, needle);
    cv_country_list_release(&l);
}

static void test_countries_good(void **state)
{
    (void)state;
    struct cv_country_list l;
    struct cv_error err;

    assert_int_equal(
        parse_members(MEMBERS_HEADER
                      "Kenya,KE,Africa and the Middle East,Nairobi,Africa/Nairobi,\"sat,sun\","
                      "sourced,https://example.org/ke\n"
                      "\n"
                      "\"Mexico, United States of\",MX,Americas,Mexico City,America/Mexico_City,"
                      "sun,inferred,https://example.org/mx\n",
                      &l, &err),
        0);
    assert_int_equal(err.code, 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].iso2, "KE");
    assert_string_equal(l.v[0].name, "Kenya");
    assert_string_equal(l.v[0].region, "Africa and the Middle East");
    assert_string_equal(l.v[0].capital, "Nairobi");
    assert_string_equal(l.v[0].tzid, "Africa/Nairobi");
    assert_int_equal(l.v[0].weekend, CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7));
    assert_string_equal(l.v[0].confidence, "sourced");
    assert_string_equal(l.v[0].source_url, "https://example.org/ke");
    assert_string_equal(l.v[1].iso2, "MX");
    assert_string_equal(l.v[1].name, "Mexico, United States of");
    assert_int_equal(l.v[1].weekend, CV_WEEKDAY_BIT(7));
    assert_string_equal(l.v[1].confidence, "inferred");
    assert_false(cv_country_equal(&l.v[0], &l.v[1]));
    assert_true(cv_country_equal(&l.v[0], &l.v[0]));

    /* cv_country_equal compares every field. */
    struct cv_country c;
    cv_country_init(&c);
    cv_str_copy(c.iso2, sizeof(c.iso2), "KE");
    set(&c.name, "Kenya");
    set(&c.region, "Africa and the Middle East");
    set(&c.capital, "Nairobi");
    set(&c.tzid, "Africa/Nairobi");
    c.weekend = 0x60;
    set(&c.confidence, "sourced");
    set(&c.source_url, "https://example.org/ke");
    assert_true(cv_country_equal(&c, &l.v[0]));
    c.weekend = 0x40;
    assert_false(cv_country_equal(&c, &l.v[0]));
    c.weekend = 0x60;
    set(&c.capital, "Mombasa");
    assert_false(cv_country_equal(&c, &l.v[0]));
    cv_country_release(&c);
    assert_null(c.name);
    cv_country_list_release(&l);

    /* A BOM and CRLF; a header alone is an empty list. */
    assert_int_equal(parse_members("\xef\xbb\xbf"
                                   "country,iso3166_alpha2,ogp_region,capital,"
                                   "iana_tz,weekend,confidence,source_url\r\n",
                                   &l, &err),
                     0);
    assert_int_equal(l.n, 0);
    cv_country_list_release(&l);
}

static void test_countries_errors(void **state)
{
    (void)state;
    static const char ke[] = "Kenya,KE,Africa,Nairobi,Africa/Nairobi,\"sat,sun\",sourced,"
                             "https://example.org/ke\n";
    char csv[1024];

    expect_members_error("", CV_EPARSE, 1, "the member list is empty");
    expect_members_error("country,iso2,region,capital,tz,weekend,confidence,source_url\n",
                         CV_EPARSE, 1, "the header must be");
    expect_members_error("Country,iso3166_alpha2,ogp_region,capital,iana_tz,weekend,confidence,"
                         "source_url\n",
                         CV_EPARSE, 1, "the header must be");
    expect_members_error("country,iso3166_alpha2,ogp_region,capital,iana_tz,weekend,confidence\n",
                         CV_EPARSE, 1, "the header must be");

    snprintf(csv, sizeof(csv),
             "%s%sUganda,UG,Africa,Kampala,Africa/Kampala,\"sa,su\",sourced,"
             "https://example.org/ug\n",
             MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EINVAL, 3, "bad weekend 'sa,su'");

    snprintf(csv, sizeof(csv),
             "%s%sUganda,UG,Africa,Kampala,Africa/Nowhere,\"sat,sun\",sourced,"
             "https://example.org/ug\n",
             MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EINVAL, 3, "unknown time zone 'Africa/Nowhere'");

    snprintf(csv, sizeof(csv),
             "%s%s\nKenya again,KE,Africa,Nairobi,Africa/Nairobi,sun,sourced,"
             "https://example.org/ke2\n",
             MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EINVAL, 4, "KE is listed twice");

    snprintf(csv, sizeof(csv), "%s%sUganda,ug,Africa,Kampala,Africa/Kampala,sun,sourced,x\n",
             MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EINVAL, 3, "'ug' is not an ISO 3166 alpha-2 code");

    snprintf(csv, sizeof(csv), "%s%sUganda,UG,Africa,Kampala,Africa/Kampala,sun,guessed,x\n",
             MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EINVAL, 3, "confidence must be sourced or inferred");

    snprintf(csv, sizeof(csv), "%s%sUganda,UG,Africa,Kampala\n", MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EPARSE, 3, "the row has 4 fields, not 8");

    /* A quoted field that never closes: the line where it opens. */
    snprintf(csv, sizeof(csv), "%s%s\"Uganda,UG\n", MEMBERS_HEADER, ke);
    expect_members_error(csv, CV_EPARSE, 3, "never closed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_init_release),
        cmocka_unit_test(test_event_copy),
        cmocka_unit_test(test_event_set_title),
        cmocka_unit_test(test_event_title_in),
        cmocka_unit_test(test_event_validate_ok),
        cmocka_unit_test(test_event_validate_rules),
        cmocka_unit_test_setup_teardown(test_event_validate_real_dates, events_setup,
                                        events_teardown),
        cmocka_unit_test(test_event_changes),
        cmocka_unit_test_setup_teardown(test_event_equal_translations, events_setup,
                                        events_teardown),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_person_validate),
        cmocka_unit_test(test_person_equal),
        cmocka_unit_test(test_refcal_validate),
        cmocka_unit_test(test_scope_check),
        cmocka_unit_test(test_refcal_equal),
        cmocka_unit_test(test_people_headers),
        cmocka_unit_test(test_people_missing_columns),
        cmocka_unit_test(test_people_bad_rows),
        cmocka_unit_test(test_people_duplicates),
        cmocka_unit_test(test_people_width),
        cmocka_unit_test(test_people_blank_rows),
        cmocka_unit_test(test_people_values),
        cmocka_unit_test(test_people_member_zones),
        cmocka_unit_test(test_people_bom_crlf),
        cmocka_unit_test(test_people_appends),
        cmocka_unit_test(test_countries_good),
        cmocka_unit_test(test_countries_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
