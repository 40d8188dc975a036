/* SPDX-License-Identifier: MIT */
/* convene/http.h: `convene serve`: the feeds and pages over HTTP, from memory, with validators,
 * gzip, private feeds behind tokens, an access log without tokens and fetch statistics. */
#ifndef CONVENE_HTTP_H
#define CONVENE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/core.h>
#include <convene/feed.h>
#include <convene/store.h>

/* ---- request paths ------------------------------------------------------------------------ */

enum cv_http_target {
    CV_HTTP_FILE,    /* a public file: the programme, a feed, a page */
    CV_HTTP_PRIVATE, /* /private/<token>.ics or .html */
};

/* The longest request path convene answers; anything longer is a bad request. */
#define CV_HTTP_PATH_MAX 200

struct cv_http_path {
    enum cv_http_target kind;
    char name[CV_HTTP_PATH_MAX + 1]; /* CV_HTTP_FILE: the file, "index.html" for "/" */
    char token[CV_TOKEN_SIZE];       /* CV_HTTP_PRIVATE: 32 hex digits, or "" when malformed */
    char ext[6];                     /* CV_HTTP_PRIVATE: "ics" or "html" */
};

/*
 * Reads a request path exactly as it came on the wire (not percent-decoded, no query). Only
 * "/", "/NAME" and "/private/TOKEN.EXT" exist, NAME being [a-z0-9][a-z0-9.-]*: any byte outside
 * [A-Za-z0-9._~/-] (a percent escape such as %2f or %00, CR, LF, NUL, a space), an empty, "." or
 * ".." segment, or a path longer than CV_HTTP_PATH_MAX is a bad request; any other shape is not
 * found. A private path with a malformed token is parsed (token "") so that it takes the same
 * way as an unknown one.
 * @return 0 with @out filled, 400 (bad request) or 404 (no such file can exist)
 */
int cv_http_path_parse(const char *raw, struct cv_http_path *out);

/*
 * Writes @raw for a log line: a private token replaced by "[token]", every byte outside
 * printable ASCII, '"' and '\\' written as \xHH; cut to fit @size (at least 16).
 */
void cv_http_path_redact(const char *raw, char *out, size_t size);

/*
 * Percent-decodes the query value @in (the ZONE of PAGE?tz=ZONE) into @out (of @size), '+' as a
 * space. Public for its fuzz target; `convene serve` is its only caller.
 * @return 0, or -1 for a bad escape, a NUL or a value too long
 */
int cv_http_query_decode(const char *in, char *out, size_t size);

/* ---- pages drawn on request, kept ----------------------------------------------------------- */

/*
 * A bounded cache of pages drawn on request (PAGE?tz=ZONE), for one snapshot of the site: the
 * server keeps one beside each snapshot and frees it with it, so a database change (a new
 * snapshot) starts an empty one. Keyed by the page's path (which names its language) and the
 * zone; at most @max entries, the least recently used going first. Safe to call from any
 * number of threads at once (a mutex of its own); public for its unit test.
 */
struct cv_page_cache;

#define CV_PAGE_CACHE_ENTRIES 32         /* what `convene serve` keeps per snapshot */
#define CV_PAGE_CACHE_BODY    (1u << 20) /* a larger page is drawn each time, never kept */

/* @return 0 with *@ret (free with cv_page_cache_free()), or CV_EINVAL (@max is 0), CV_ENOMEM */
int cv_page_cache_new(size_t max, struct cv_page_cache **ret);
/* Frees @c and every page in it; NULL is a no-op. No other thread may be using it. */
void cv_page_cache_free(struct cv_page_cache *c);

/*
 * Looks up the page @path in @zone. On a hit, *@ret_data is a copy of its bytes that the
 * caller frees (NUL-terminated, *@ret_len without the NUL) and @etag its quoted strong ETag.
 * @return 0 (a hit), CV_ENOTFOUND (a miss: the outputs untouched), CV_ENOMEM
 */
int cv_page_cache_get(struct cv_page_cache *c, const char *path, const char *zone, char **ret_data,
                      size_t *ret_len, char etag[CV_SHA256_HEX_SIZE + 2]);

/*
 * Keeps a copy of @data (@len bytes) with its quoted ETag @etag as the page @path in @zone,
 * replacing what was kept under that key, evicting the least recently used entry when full.
 * A page over CV_PAGE_CACHE_BODY bytes, or a key over 255 bytes, is not kept (and 0 returned).
 * @return 0, or CV_ENOMEM (nothing kept; the cache is as it was)
 */
int cv_page_cache_put(struct cv_page_cache *c, const char *path, const char *zone, const char *data,
                      size_t len, const char *etag);

/* @return the number of pages @c holds now (for the tests) */
size_t cv_page_cache_count(struct cv_page_cache *c);

/* ---- the server --------------------------------------------------------------------------- */

/* One file the server answers besides the feeds (the pages). */
struct cv_site_file {
    char *path; /* "NAME" or "private/<SHA-256 of the token>.EXT" */
    char *data;
    size_t len;
    const char *type; /* a constant Content-Type */
    bool is_private;  /* Cache-Control: private, no-cache */
    bool has_marker;  /* CV_FEED_TOKEN_MARKER in @data stands for the token of the request */
    int64_t modified; /* Last-Modified, or 0: when the server first served these bytes */
};

/*
 * Draws the page @path in the IANA zone @zone on request (a GET of PATH?tz=ZONE), from @views
 * alone, from any of the server's threads. @return 0 with *@ret_data (malloc'd, taken by the
 * server) and *@ret_len; CV_ENOTFOUND when @path has no such variant (the query is then
 * ignored), CV_EINVAL when @zone is no zone (400), another error (500).
 */
typedef int (*cv_zone_page_fn)(const void *views, const char *path, const char *zone,
                               char **ret_data, size_t *ret_len, struct cv_error *err);

struct cv_site {
    struct cv_site_file *v;
    size_t n;
    size_t alloc;
    /* Pages in any zone on request, or NULL: the server takes @zone_views (and frees it with
     * @zone_views_free) along with the files; cv_site_release() frees it if still here. */
    void *zone_views;
    cv_zone_page_fn zone_page;
    void (*zone_views_free)(void *views);
};

void cv_site_init(struct cv_site *s);
void cv_site_release(struct cv_site *s);
/* Appends a file (modified 0); @path and @data are copied. @return 0 or CV_ENOMEM. */
int cv_site_add(struct cv_site *s, const char *path, const char *data, size_t len, const char *type,
                bool is_private, bool has_marker);

/*
 * Builds the files served beside the feeds from @st and the feeds just built; called under the
 * server's lock, at start and after each change of the database. @return 0 or an error.
 */
typedef int (*cv_site_build_fn)(void *data, struct cv_store *st, struct cv_ctx *ctx,
                                const struct cv_feed_options *opt, const struct cv_feed_set *feeds,
                                struct cv_site *out, struct cv_error *err);

/* Receives one access log line (common log format, no newline, no token). */
typedef void (*cv_access_log_fn)(void *data, const char *line);

struct cv_server_options {
    const char *host; /* a numeric IPv4 or IPv6 address; default 127.0.0.1 */
    unsigned port;    /* 0: a free port (see cv_server_port); default 8080 */
    unsigned threads; /* worker threads; default 2 */
    struct cv_feed_options feed;
    cv_site_build_fn build_site; /* may be NULL: feeds only */
    void *build_site_data;
    cv_access_log_fn access_log; /* may be NULL */
    void *access_log_data;
    /* The database file: its folder is watched (inotify), so that a request asks SQLite
     * whether the database changed only after something was written there. NULL: every
     * request asks. */
    const char *watch_path;
    /* Serve this published folder (what convene publish wrote) instead of the database: its
     * feeds and pages as they are, Last-Modified from each file's time, reloaded when the
     * folder changes; no fetch statistics are written. The store may then be NULL. */
    const char *dir;
};

/* Defaults: 127.0.0.1:8080, 2 threads, cv_feed_options_init(), no pages, no log. */
void cv_server_options_init(struct cv_server_options *o);

struct cv_server;

/*
 * Builds every feed and page from @st into memory (with gzip copies), then listens on
 * @o->host:@o->port and answers GET and HEAD from its own threads. Each request first checks
 * whether another process changed the database (cv_store_data_version) and rebuilds before
 * answering when it did, so a change is served at once and a revoked token is refused at once.
 * @st and @ctx are borrowed: they must outlive the server, and nothing else may use @st while
 * it runs; @st is NULL when @o->dir is set. @return 0 with *@ret (cv_server_free); CV_EINVAL (a bad
 * address), CV_EIO (cannot listen: the port is taken), a build error, or CV_ENOMEM; then *@ret is
 * NULL
 */
int cv_server_new(struct cv_ctx *ctx, struct cv_store *st, const struct cv_server_options *o,
                  struct cv_server **ret, struct cv_error *err);

/* @return the port the server listens on */
unsigned cv_server_port(const struct cv_server *srv);

/* @return how many files (feeds and pages) the server answers now */
size_t cv_server_files(const struct cv_server *srv);

/*
 * Writes the fetch statistics counted since the last flush to the store (one transaction).
 * @return 0, or a store error (the counts are kept for the next flush)
 */
int cv_server_flush(struct cv_server *srv, struct cv_error *err);

/* Stops listening and waits for the requests being answered; cv_server_flush() then writes
 * every fetch counted. Calling it twice is harmless. */
void cv_server_stop(struct cv_server *srv);

/* Stops the server if it runs (without flushing), frees @srv; NULL is a no-op. */
void cv_server_free(struct cv_server *srv);

/* @return true when @agent (a User-Agent) is Google Calendar's fetcher, which polls every 12 to
 * 24 hours whatever the feed asks */
bool cv_http_agent_is_google(const char *agent);

#endif
