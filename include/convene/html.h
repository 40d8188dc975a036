/* SPDX-License-Identifier: MIT */
/* convene/html.h: the human views: the programme's timeline, each event's timetable, the
 * subscribe page and each person's page, as static HTML with inline SVG, in en, fr, es, ar. */
#ifndef CONVENE_HTML_H
#define CONVENE_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include <convene/core.h>
#include <convene/feed.h>
#include <convene/store.h>
#include <convene/util.h>

/*
 * Appends @s to @out escaped for HTML text and attribute values: & < > " ' and @ become
 * character references (so that no value can spell CV_FEED_TOKEN_MARKER), control characters
 * other than tab and newline are dropped, invalid UTF-8 bytes become U+FFFD.
 * @return 0 or the error of cv_buf_add()
 */
int cv_html_escape(struct cv_buf *out, const char *s);

/* One page. */
struct cv_page {
    char *path; /* "index.html", "event-KEY-fr.html", "private/<SHA-256 of the token>.html" */
    char *data;
    size_t len;
    bool is_private; /* a person's page: CV_FEED_TOKEN_MARKER stands for their token */
};

struct cv_page_set {
    struct cv_page *v;
    size_t n;
    size_t alloc;
};

void cv_page_set_init(struct cv_page_set *s);
void cv_page_set_release(struct cv_page_set *s);
/* @return the page at @path, or NULL */
const struct cv_page *cv_page_set_find(const struct cv_page_set *s, const char *path);

/*
 * Builds every page from the store and the feeds just built (for their links), in each
 * language of the programme (the first unsuffixed, then -fr, -es, -ar):
 * index.html (the programme's timeline: windows, dates, milestones and the reference
 * blackouts as bands), event-KEY.html (the timetable in the venue's time, and a copy per
 * zone of the people invited, event-KEY-tz-ZONE.html), subscribe.html (each public feed's
 * webcal:// and https:// links, a QR code, how to subscribe in Outlook, Google, Apple and
 * Thunderbird), and private/<hash>.html for each person with a private feed.
 * @return 0 with the pages appended to @out; a store error or CV_ENOMEM
 */
int cv_html_build(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                  const struct cv_feed_set *feeds, struct cv_page_set *out, struct cv_error *err);

/*
 * Writes @pages into @dir beside the feeds, as cv_feed_publish() writes feeds (atomic, only
 * when the bytes change, never through a link), a person's page with the hash of their token in
 * place of CV_FEED_TOKEN_MARKER; removes the .html files no longer built.
 * @return 0 with @report filled (appended to), CV_EIO or CV_ENOMEM
 */
int cv_html_publish(const struct cv_page_set *pages, const char *dir,
                    struct cv_publish_report *report, struct cv_error *err);

#endif
