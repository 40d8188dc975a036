/* SPDX-License-Identifier: MIT */
/* event.c: struct cv_event, its rules and what counts as a material change. */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#include "banned.h"

void cv_event_init(struct cv_event *e)
{
    memset(e, 0, sizeof(*e));
    e->days = 1;
}

void cv_event_release(struct cv_event *e)
{
    free(e->key);
    free(e->uid);
    free(e->title);
    model_title_free(&e->titles, &e->ntitles);
    free(e->region);
    free(e->city);
    free(e->country);
    free(e->venue);
    free(e->tzid);
    free(e->source_url);
    free(e->description);
    free(e->inside);
    free(e->audience);
    free(e->blackouts);
    free(e->avoids);
    free(e->breaks);
    cv_event_init(e);
}

int cv_event_copy(struct cv_event *dst, const struct cv_event *src)
{
    struct cv_event e = *src;
    int rc = 0;

    /* Start from the scalar fields, then replace every pointer with a copy. */
    e.key = e.uid = e.title = e.region = e.city = e.country = e.venue = e.tzid = NULL;
    e.source_url = e.description = e.inside = e.audience = e.blackouts = e.avoids = NULL;
    e.breaks = NULL;
    e.titles = NULL;
    e.ntitles = 0;
    if ((rc = cv_str_set(&e.key, src->key)) < 0 || (rc = cv_str_set(&e.uid, src->uid)) < 0 ||
        (rc = cv_str_set(&e.title, src->title)) < 0 ||
        (rc = cv_str_set(&e.region, src->region)) < 0 ||
        (rc = cv_str_set(&e.city, src->city)) < 0 ||
        (rc = cv_str_set(&e.country, src->country)) < 0 ||
        (rc = cv_str_set(&e.venue, src->venue)) < 0 || (rc = cv_str_set(&e.tzid, src->tzid)) < 0 ||
        (rc = cv_str_set(&e.source_url, src->source_url)) < 0 ||
        (rc = cv_str_set(&e.description, src->description)) < 0 ||
        (rc = cv_str_set(&e.inside, src->inside)) < 0 ||
        (rc = cv_str_set(&e.audience, src->audience)) < 0 ||
        (rc = cv_str_set(&e.blackouts, src->blackouts)) < 0 ||
        (rc = cv_str_set(&e.avoids, src->avoids)) < 0 ||
        (rc = cv_str_set(&e.breaks, src->breaks)) < 0)
        goto out;
    for (size_t i = 0; i < src->ntitles; i++) {
        rc = cv_event_set_title(&e, src->titles[i].lang, src->titles[i].text);
        if (rc < 0)
            goto out;
    }
out:
    if (rc < 0) {
        cv_event_release(&e);
        cv_event_init(dst);
        return rc;
    }
    *dst = e;
    return 0;
}

const char *cv_event_title_in(const struct cv_event *e, const char *lang)
{
    const char *t = model_title_find(e->titles, e->ntitles, lang);
    return t ? t : e->title;
}

int cv_event_set_title(struct cv_event *e, const char *lang, const char *text)
{
    if (!lang || strcmp(lang, "en") == 0)
        return cv_str_set(&e->title, text);
    return model_title_set(&e->titles, &e->ntitles, lang, text);
}

bool cv_event_has_dates(const struct cv_event *e)
{
    return cv_date_is_set(&e->start);
}

/* A text field is optional but, when present, one line of printable UTF-8. */
static int check_text(const char *what, const char *s, bool multiline, struct cv_error *err)
{
    if (!s)
        return 0;
    if (!cv_utf8_is_valid(s, strlen(s)))
        return cv_error_set(err, CV_EINVAL, "the %s is not valid UTF-8", what);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && !(multiline && *p == '\n')) || *p == 0x7f)
            return cv_error_set(err, CV_EINVAL, "the %s contains a control character", what);
    }
    return 0;
}

/* A comma-separated list of reference keys (slugs). */
static int check_keys(const char *what, const char *list, struct cv_error *err)
{
    char key[80];
    if (!list)
        return 0;
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof(key))
            return cv_error_set(err, CV_EINVAL, "a bad %s list '%s'; give keys separated by commas",
                                what, list);
        memcpy(key, s, n);
        key[n] = '\0';
        if (!cv_slug_is_valid(key))
            return cv_error_set(err, CV_EINVAL, "'%s' is not a reference key (%s)", key, what);
        s += n;
        if (*s == ',')
            s++;
    }
    return 0;
}

int cv_event_validate(const struct cv_event *e, struct cv_error *err)
{
    char a[CV_DATE_SIZE], b[CV_DATE_SIZE];
    int rc;

    if (!e->key || !cv_slug_is_valid(e->key))
        return cv_error_set(err, CV_EINVAL,
                            "the event key '%s' is not a slug; use lower-case letters, digits "
                            "and '-', at most 64",
                            e->key ? e->key : "");
    if (!e->uid || !*e->uid || cv_has_ctl(e->uid) || strlen(e->uid) > 255)
        return cv_error_set(err, CV_EINVAL, "event %s has no valid UID", e->key);
    if (!e->title || !*e->title)
        return cv_error_set(err, CV_EINVAL, "event %s has no title; give one with --title", e->key);
    if ((rc = check_text("title", e->title, false, err)) < 0 ||
        (rc = check_text("region", e->region, false, err)) < 0 ||
        (rc = check_text("city", e->city, false, err)) < 0 ||
        (rc = check_text("venue", e->venue, false, err)) < 0 ||
        (rc = check_text("description", e->description, true, err)) < 0)
        return rc;
    for (size_t i = 0; i < e->ntitles; i++) {
        if ((rc = check_text("title", e->titles[i].text, false, err)) < 0)
            return rc;
    }
    if (!e->tzid || !cv_tz_exists(e->tzid))
        return cv_error_set(err, CV_EINVAL,
                            "event %s: unknown time zone '%s'; use an IANA name such as "
                            "Africa/Nairobi",
                            e->key, e->tzid ? e->tzid : "");
    if (e->country && !cv_country_code_is_valid(e->country))
        return cv_error_set(err, CV_EINVAL,
                            "event %s: country '%s' is not an ISO 3166 alpha-2 code such as KE",
                            e->key, e->country);
    if (e->source_url && !cv_uri_is_valid(e->source_url))
        return cv_error_set(err, CV_EINVAL,
                            "event %s: the source URL must be a plain http(s) URL with a host, "
                            "without spaces, quotes or angle brackets (percent-encode them)",
                            e->key);
    if (e->inside && !cv_slug_is_valid(e->inside))
        return cv_error_set(err, CV_EINVAL, "event %s: '%s' is not a reference entry key", e->key,
                            e->inside);
    if (e->audience && (rc = cv_audience_check(e->audience, err)) < 0)
        return rc;
    if ((rc = check_keys("blackout", e->blackouts, err)) < 0 ||
        (rc = check_keys("avoid", e->avoids, err)) < 0)
        return rc;
    if (e->opens_min < 0 || e->closes_min < 0 || e->closes_min > 24 * 60 ||
        (e->closes_min && e->closes_min <= (e->opens_min ? e->opens_min : 540)))
        return cv_error_set(err, CV_EINVAL, "event %s: the venue closes before it opens", e->key);
    int bf[16], bt[16];
    if (e->breaks && cv_spans_parse(e->breaks, bf, bt, 16) < 0)
        return cv_error_set(err, CV_EINVAL,
                            "event %s: breaks are HH:MM-HH:MM separated by commas, not '%s'",
                            e->key, e->breaks);
    if (e->lead_days < 0 || e->lead_days > 730)
        return cv_error_set(err, CV_EINVAL, "event %s: a lead time of 0 to 730 days", e->key);
    if (e->prefer_weekdays > 127)
        return cv_error_set(err, CV_EINVAL, "event %s: bad preferred weekdays", e->key);
    if (cv_date_is_set(&e->prefer_first) != cv_date_is_set(&e->prefer_last) ||
        (cv_date_is_set(&e->prefer_first) &&
         (!cv_date_is_valid(&e->prefer_first) || !cv_date_is_valid(&e->prefer_last) ||
          cv_date_cmp(&e->prefer_last, &e->prefer_first) < 0)))
        return cv_error_set(err, CV_EINVAL,
                            "event %s: preferred dates need a first and a last day, "
                            "in order",
                            e->key);
    if (e->days < 1 || e->days > 366)
        return cv_error_set(err, CV_EINVAL, "event %s: the length must be 1 to 366 days", e->key);
    if ((cv_date_is_set(&e->window_start) && !cv_date_is_valid(&e->window_start)) ||
        (cv_date_is_set(&e->window_end) && !cv_date_is_valid(&e->window_end)) ||
        (cv_date_is_set(&e->start) && !cv_date_is_valid(&e->start)) ||
        (cv_date_is_set(&e->end) && !cv_date_is_valid(&e->end)))
        return cv_error_set(err, CV_EINVAL, "event %s: a date that does not exist", e->key);
    if (cv_date_is_set(&e->window_start) != cv_date_is_set(&e->window_end))
        return cv_error_set(err, CV_EINVAL, "event %s: a window needs both its first and last day",
                            e->key);
    if (cv_date_is_set(&e->window_start)) {
        if (cv_date_cmp(&e->window_end, &e->window_start) < 0) {
            cv_date_format(&e->window_start, a);
            cv_date_format(&e->window_end, b);
            return cv_error_set(err, CV_EINVAL,
                                "event %s: the window ends (%s) before it starts "
                                "(%s)",
                                e->key, b, a);
        }
        int64_t span = cv_date_to_days(&e->window_end) - cv_date_to_days(&e->window_start) + 1;
        if (span < e->days)
            return cv_error_set(err, CV_EINVAL,
                                "event %s: a %d-day event does not fit a %lld-day window", e->key,
                                e->days, (long long)span);
    }
    if (cv_date_is_set(&e->start) != cv_date_is_set(&e->end))
        return cv_error_set(err, CV_EINVAL, "event %s: fixed dates need a first and a last day",
                            e->key);
    if (cv_date_is_set(&e->start)) {
        int64_t len = cv_date_to_days(&e->end) - cv_date_to_days(&e->start) + 1;
        if (len < 1)
            return cv_error_set(err, CV_EINVAL, "event %s: the last day is before the first",
                                e->key);
        if (len != e->days)
            return cv_error_set(err, CV_EINVAL,
                                "event %s: the dates span %lld days but the event lasts %d; "
                                "change --days or the dates",
                                e->key, (long long)len, e->days);
    }
    if (e->sequence < 0)
        return cv_error_set(err, CV_EINVAL, "event %s: negative SEQUENCE", e->key);
    return 0;
}

bool cv_event_is_material_change(const struct cv_event *a, const struct cv_event *b)
{
    return cv_date_cmp(&a->start, &b->start) != 0 || cv_date_cmp(&a->end, &b->end) != 0 ||
           a->status != b->status || !cv_str_eq(a->tzid, b->tzid) || !cv_str_eq(a->city, b->city) ||
           !cv_str_eq(a->country, b->country) || !cv_str_eq(a->venue, b->venue);
}

bool cv_event_equal(const struct cv_event *a, const struct cv_event *b)
{
    if (!cv_str_eq(a->key, b->key) || !cv_str_eq(a->uid, b->uid) ||
        !cv_str_eq(a->title, b->title) || a->kind != b->kind || !cv_str_eq(a->region, b->region) ||
        cv_event_is_material_change(a, b) || cv_date_cmp(&a->window_start, &b->window_start) ||
        cv_date_cmp(&a->window_end, &b->window_end) || a->days != b->days ||
        a->sequence != b->sequence || a->revision != b->revision ||
        !cv_str_eq(a->source_url, b->source_url) || !cv_str_eq(a->description, b->description) ||
        !cv_str_eq(a->inside, b->inside) || a->scenario != b->scenario ||
        !cv_str_eq(a->audience, b->audience) || a->lead_days != b->lead_days ||
        !cv_str_eq(a->blackouts, b->blackouts) || !cv_str_eq(a->avoids, b->avoids) ||
        a->prefer_weekdays != b->prefer_weekdays || a->opens_min != b->opens_min ||
        a->closes_min != b->closes_min || !cv_str_eq(a->breaks, b->breaks) ||
        cv_date_cmp(&a->prefer_first, &b->prefer_first) ||
        cv_date_cmp(&a->prefer_last, &b->prefer_last))
        return false;
    /* Same languages with the same texts: no fallback to the English title here. */
    return model_title_equal(a->titles, a->ntitles, b->titles, b->ntitles);
}

void cv_event_list_init(struct cv_event_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_event_list_release(struct cv_event_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_event_release(&l->v[i]);
    free(l->v);
    cv_event_list_init(l);
}

int cv_event_list_add(struct cv_event_list *l, struct cv_event **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_event_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}
