/* SPDX-License-Identifier: MIT */
/* convene/feed.h: which calendar feeds exist, what each contains, and publishing them to a
 * folder atomically. */
#ifndef CONVENE_FEED_H
#define CONVENE_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include <convene/core.h>
#include <convene/store.h>

struct cv_feed_options {
    const char *base_url; /* where the feeds are served, as http(s)://host[:port][/path] */
    int cancelled_days;   /* how long a cancelled event stays in feeds, as STATUS:CANCELLED */
    int refresh_hours;    /* REFRESH-INTERVAL and X-PUBLISHED-TTL */
};

/*
 * Stands for a private feed's token in a page built before any request brings the token:
 * convene serve puts the token of the request in its place, publishing the SHA-256 of the
 * token (the name the private feed has in a published folder). Never in escaped text, which
 * writes '@' as a character reference.
 */
#define CV_FEED_TOKEN_MARKER "@@token@@"

/*
 * Copies @len bytes at @data (NUL-terminated) with every CV_FEED_TOKEN_MARKER replaced by
 * @with. @return the copy (its length in *@outlen), which the caller frees, or NULL (no memory)
 */
char *cv_feed_fill_token(const char *data, size_t len, const char *with, size_t *outlen);

/* Defaults: http://127.0.0.1:8080, 30 days, 12 hours. */
void cv_feed_options_init(struct cv_feed_options *o);

enum cv_feed_kind {
    CV_FEED_PROGRAMME, /* every event */
    CV_FEED_REGION,    /* the events of one OGP region, and the global ones */
    CV_FEED_EVENT,     /* one event with its sessions */
    CV_FEED_PERSON,    /* private: one person's events and sessions, with their PARTSTAT */
};

/* One feed file, built in memory. */
struct cv_feed_file {
    char *path; /* relative to the publishing folder: a slug name, or private/HASH.ics */
    enum cv_feed_kind kind;
    char lang[8];
    char *title; /* NAME of the calendar; NULL for private feeds (never in index.json) */
    char *data;
    size_t len;
    char etag[CV_SHA256_HEX_SIZE + 2]; /* "\"<sha256 of the bytes>\"" */
    size_t events;                     /* VEVENT and VTODO components */
};

struct cv_feed_set {
    struct cv_feed_file *v;
    size_t n;
    size_t alloc;
};

void cv_feed_set_init(struct cv_feed_set *s);
void cv_feed_set_release(struct cv_feed_set *s);
/* @return the feed at @path, or NULL */
const struct cv_feed_file *cv_feed_set_find(const struct cv_feed_set *s, const char *path);

/*
 * Builds every feed from the store: for each language of the programme the whole programme,
 * one feed per OGP region and one per event (public: no ATTENDEE, no personal address); and a
 * private feed for each person with a token, in their language: their events and sessions
 * with their own ATTENDEE line, and, for organizers, every event and the milestones (VTODO).
 * Events without dates are not in feeds; a cancelled event stays as STATUS:CANCELLED for
 * cancelled_days after its last change. Each file is checked with cv_ical_lint(); a violation
 * is refused (CV_EINVAL naming the file and the rule).
 * @return 0 with the files appended to @out; CV_EINVAL, a store error or CV_ENOMEM
 */
int cv_feed_build(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                  struct cv_feed_set *out, struct cv_error *err);

/* What publishing did. The path lists are owned by the report. */
struct cv_publish_report {
    char **written;
    size_t nwritten;
    char **removed;
    size_t nremoved;
    size_t unchanged;
    size_t alloc_w, alloc_r;
};

void cv_publish_report_init(struct cv_publish_report *r);
void cv_publish_report_release(struct cv_publish_report *r);

/*
 * Writes @set to the folder @dir (created when missing), public feeds at its top and private
 * ones under private/, with an index.json listing each feed's path and ETag. A file is written
 * only when its bytes change, atomically (a temporary file, fsync, rename); symbolic links in
 * @dir are never followed and nothing is written outside it. Feeds that are no longer built
 * (a revoked token, a removed event) are removed.
 * @return 0 with @report filled; CV_EIO (with the path in @err) or CV_ENOMEM
 */
int cv_feed_publish(const struct cv_feed_set *set, const char *dir,
                    struct cv_publish_report *report, struct cv_error *err);

/* One file for cv_publish_files(). */
struct cv_publish_file {
    const char *path; /* "NAME" or "private/NAME" */
    const char *data;
    size_t len;
};

/*
 * Writes @files into @dir the way cv_feed_publish() writes feeds (atomically, only when the
 * bytes change, never through a link, never outside @dir): each NAME of [a-z0-9-] ending in
 * @ext (".html"); then removes the files of @dir and @dir/private ending in @ext that are not
 * among @files. @return 0 with @report appended to; CV_EINVAL (a bad name), CV_EIO or CV_ENOMEM
 */
int cv_publish_files(const struct cv_publish_file *files, size_t n, const char *dir,
                     const char *ext, struct cv_publish_report *report, struct cv_error *err);

/* What a CalDAV push did. */
struct cv_caldav_report {
    size_t created;
    size_t updated;
    size_t unchanged;
    size_t deleted;
    size_t conflicts;   /* changed on the server since convene put them: left alone */
    char conflict[256]; /* the first conflicting UID */
};

/*
 * Puts each public event and session of the programme, in its first language, on the CalDAV
 * collection @collection (RFC 4791) as its own resource <collection>/<UID>.ics: with
 * If-None-Match: * when new, If-Match with the ETag convene last saw when it changed, not at all
 * when its bytes are those put last; then deletes (If-Match) the resources of events that have
 * left the feeds. A 412 means someone changed the resource on the server: it is counted as a
 * conflict and left alone. Each success is remembered in the store at once.
 * @param user, password  credentials for the server, or NULL
 * @return 0 with @report filled (conflicts included); CV_EINVAL (a bad URL), CV_EHTTP (the
 * server refused a request: the status in @err->lib_code), CV_ETEMP or a store error
 */
int cv_feed_caldav_push(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                        const char *collection, const char *user, const char *password,
                        struct cv_caldav_report *report, struct cv_error *err);

#endif
