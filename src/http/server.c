/* SPDX-License-Identifier: MIT */
/* server.c: convene serve: every feed and page built into memory once per change of the
 * database, with its validators, a gzip copy and ready-made libmicrohttpd responses, answered
 * from the library's threads. The only file that includes <microhttpd.h> and <zlib.h>.
 *
 * Threads: the requests read an immutable snapshot of the files (struct site) under the read
 * side of a lock, so that they never wait for one another; they count fetches with atomics. A
 * change of the database is built beside the snapshot under the store's mutex, then swapped in
 * under the write side. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#include "http_int.h"

#include "banned.h"

#define AGENT_MAX      200
#define RETRY_SECONDS  5
#define HEADER_BYTES   (8 * 1024) /* a request's line and headers, as nginx's default */
#define IDLE_SECONDS   15         /* a connection that sends nothing for this long is closed */
#define MAX_CONNECTION 1024
#define SENDFILE_BYTES 16384 /* bodies from this size on go out with sendfile() */

/* One file the server answers. */
struct entry {
    char *path; /* the key: "programme.ics", "private/<hash>.ics" */
    bool is_private;
    const char *type;
    unsigned char digest[CV_SHA256_SIZE]; /* private files: the SHA-256 of their token */
    char etag[CV_SHA256_HEX_SIZE + 2];    /* "\"<sha256>\"" */
    char etag_gz[CV_SHA256_HEX_SIZE + 5]; /* "\"<sha256>-gz\"": the gzip copy's own tag */
    int64_t modified;
    char modified_http[40];
    struct MHD_Response *full, *gz, *nm, *nm_gz;
    char *data; /* kept only when it holds CV_FEED_TOKEN_MARKER (built per request) */
    size_t len, gzlen;
    /* Fetches since the last flush, counted by every thread at once. */
    atomic_long fetches, not_modified;
    _Atomic int64_t last_fetch, google_fetch;
    atomic_int last_status;
    atomic_size_t agent_hash;  /* of @agent: the same client again costs no copy, no lock */
    char agent[AGENT_MAX + 1]; /* under the site's agent_lock */
};

struct site {
    struct entry *v;
    size_t n;
    size_t *slots; /* open addressing: index + 1 into v, 0 when empty */
    size_t cap;
    pthread_mutex_t agent_lock; /* the entries' agent strings */
    void *zone_views;           /* pages in any zone (?tz=), or NULL */
    cv_zone_page_fn zone_page;
    void (*zone_views_free)(void *views);
    /* The pages drawn from @zone_views, kept: they belong to this snapshot, so a rebuild (a
     * database change) starts with none and the old ones go with the old snapshot. */
    struct cv_page_cache *zone_kept;
};

struct cv_server {
    struct cv_ctx *ctx;
    struct cv_store *st;
    struct cv_server_options opt;
    /* Readers: the requests, for as long as they use srv->site; writer: its swap. Writers
     * first, so that a rebuild under a steady load is not kept waiting. */
    pthread_rwlock_t site_lock;
    struct site *site;
    pthread_mutex_t store_lock; /* the store, version, stats_ok, a rebuild, a flush */
    long version;
    _Atomic int64_t retry_at; /* after a failed rebuild, when to try again */
    bool stats_ok;            /* the store took the validators: fetches can be written */
    struct MHD_Response *bad, *notfound, *method;
    struct MHD_Daemon *d;
    unsigned port;
    int watch; /* inotify on the database's folder, or -1: then every request asks SQLite */
    _Atomic int64_t recheck_until; /* CLOCK_MONOTONIC seconds: look again until then */
    atomic_bool writing;           /* the server writes the store itself: its own events */
    atomic_bool changed;           /* the published folder changed since the last build */
    char watch_name[256];          /* the database file's name in the watched folder */
};

/* ---- the table of files ------------------------------------------------------------------- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static struct entry *site_find(const struct site *s, const char *path)
{
    if (!s || !s->cap)
        return NULL;
    for (size_t i = hash_str(path) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        size_t k = s->slots[i];
        if (!k)
            return NULL;
        if (strcmp(s->v[k - 1].path, path) == 0)
            return &s->v[k - 1];
    }
}

static int site_index(struct site *s)
{
    s->cap = 16;
    while (s->cap < 2 * s->n)
        s->cap *= 2;
    if (!(s->slots = calloc(s->cap, sizeof(s->slots[0]))))
        return CV_ENOMEM;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = hash_str(s->v[k].path) & (s->cap - 1);
        while (s->slots[i])
            i = (i + 1) & (s->cap - 1);
        s->slots[i] = k + 1;
    }
    return 0;
}

static void site_free(struct site *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        struct entry *e = &s->v[i];
        /* libmicrohttpd counts references: a response still being sent lives on. */
        if (e->full)
            MHD_destroy_response(e->full);
        if (e->gz)
            MHD_destroy_response(e->gz);
        if (e->nm)
            MHD_destroy_response(e->nm);
        if (e->nm_gz)
            MHD_destroy_response(e->nm_gz);
        free(e->path);
        free(e->data);
    }
    free(s->v);
    free(s->slots);
    if (s->zone_views && s->zone_views_free)
        s->zone_views_free(s->zone_views);
    cv_page_cache_free(s->zone_kept);
    pthread_mutex_destroy(&s->agent_lock);
    free(s);
}

/* ---- building responses -------------------------------------------------------------------- */

static void http_date(int64_t t, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm)) {
        memset(&tm, 0, sizeof(tm));
        tm.tm_mday = 1;
        tm.tm_year = 70;
    }
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The headers every answer about @e carries; @body: a 200 (not a 304). */
static int add_headers(struct MHD_Response *r, const struct entry *e, bool gz, bool body)
{
    bool html = strncmp(e->type, "text/html", 9) == 0;
    int ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, gz ? e->etag_gz : e->etag) &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, e->modified_http) &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                     e->is_private ? "private, no-cache" : "public, max-age=300") &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") &&
             MHD_add_response_header(r, "Referrer-Policy", "no-referrer") &&
             MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (ok && body)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, e->type);
    if (ok && body && gz)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (ok && html)
        ok = MHD_add_response_header(r, "Content-Security-Policy",
                                     "default-src 'none'; style-src 'unsafe-inline'; "
                                     "script-src 'unsafe-inline'; img-src data:; "
                                     "base-uri 'none'; form-action 'self'; "
                                     "frame-ancestors 'none'");
    return ok ? 0 : CV_ENOMEM;
}

/* A 200 with @body (malloc'd, taken even on failure): a person's page with their token. */
static struct MHD_Response *response_take(const struct entry *e, char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return NULL;
    }
    if (add_headers(r, e, false, true) < 0) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r;
}

static struct MHD_Response *response(const struct entry *e, const void *data, size_t len, bool gz,
                                     bool body)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (r && add_headers(r, e, gz, body) < 0) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r;
}

/*
 * A large body is answered with sendfile() from a sealed memory file, as a static server
 * answers from the page cache: no copy through user space for each request.
 */
static struct MHD_Response *file_response(const struct entry *e, const char *data, size_t len,
                                          bool gz)
{
    if (len < SENDFILE_BYTES)
        return response(e, data, len, gz, true);
    int fd = memfd_create("convene", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return response(e, data, len, gz, true);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            return response(e, data, len, gz, true);
        }
        off += (size_t)w;
    }
    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    /* The response owns the descriptor from here and closes it when it is freed. */
    struct MHD_Response *r = MHD_create_response_from_fd64(len, fd);
    if (!r) {
        close(fd);
        return NULL;
    }
    if (add_headers(r, e, gz, true) < 0) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

/* Compresses @len bytes as a gzip member. @return 0 with *@out (malloc'd), or CV_ENOMEM. */
static int gzip_bytes(const char *data, size_t len, char **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return CV_ENOMEM;
    size_t cap = deflateBound(&z, (uLong)len);
    char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return CV_ENOMEM;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int zr = deflate(&z, Z_FINISH);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    if (zr != Z_STREAM_END) {
        free(buf);
        return CV_ENOMEM;
    }
    *out = buf;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A hex digit of either case: only the letters are folded, so no control byte reads as a digit. */
static int hexval_any(char c)
{
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : hexval(c);
}

/* Fills entry @e for @path; its responses are built once here, not per request. */
static int entry_init(struct cv_server *srv, struct entry *e, const char *path, const char *data,
                      size_t len, const char *type, bool is_private, bool has_marker,
                      int64_t modified, struct cv_error *err)
{
    struct cv_error serr;
    char *gz = NULL;
    size_t gzlen = 0;
    int rc;

    if (!(e->path = strdup(path)))
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    e->type = type;
    e->is_private = is_private;
    e->len = len;
    cv_sha256_hex(data, len, e->etag + 1);
    e->etag[0] = '"';
    e->etag[CV_SHA256_HEX_SIZE] = '"';
    snprintf(e->etag_gz, sizeof(e->etag_gz), "\"%.64s-gz\"", e->etag + 1);
    if (is_private) {
        /* private/<64 hex digits>.<ext>: the token's digest, for the constant-time compare */
        const char *h = path + 8;
        for (size_t i = 0; i < CV_SHA256_SIZE; i++) {
            int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
            if (hi < 0 || lo < 0)
                return cv_error_set(err, CV_EINVAL, "a private file not named by a hash: %s", path);
            e->digest[i] = (unsigned char)(hi << 4 | lo);
        }
    }

    /* Last-Modified: when these bytes were first served, kept in the store across restarts. */
    int64_t now = cv_ctx_now(srv->ctx);
    cv_error_init(&serr);
    if (modified)
        e->modified = modified;
    else if (!srv->stats_ok ||
             cv_store_served_validators(srv->st, path, e->etag, now, &e->modified, &serr) < 0)
        e->modified = now;
    http_date(e->modified, e->modified_http);

    if (has_marker) {
        /* The bytes change with the token of each request: kept, answered per request. */
        if (!(e->data = malloc(len + 1)))
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        memcpy(e->data, data, len);
        e->data[len] = '\0';
    } else {
        if (!(e->full = file_response(e, data, len, false)))
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        if ((rc = gzip_bytes(data, len, &gz, &gzlen)) < 0)
            return cv_error_set(err, rc, "out of memory");
        e->gzlen = gzlen;
        if (gzlen < len && !(e->gz = file_response(e, gz, gzlen, true))) {
            free(gz);
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        }
        free(gz);
    }
    if (!(e->nm = response(e, "", 0, false, false)) ||
        (e->gz && !(e->nm_gz = response(e, "", 0, true, false))))
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    return 0;
}

/* Builds every feed and page from the store. @return 0 with *@ret, or an error. */
static int site_build(struct cv_server *srv, struct site **ret, struct cv_error *err)
{
    struct cv_feed_set feeds;
    struct cv_site pages;
    struct cv_error txerr;
    struct cv_buf index;
    struct site *s = calloc(1, sizeof(*s));
    int rc;

    *ret = NULL;
    cv_buf_init(&index, CV_BUF_NOLIMIT);
    cv_feed_set_init(&feeds);
    cv_site_init(&pages);
    if (!s)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    pthread_mutex_init(&s->agent_lock, NULL);
    if (srv->opt.dir)
        rc = http_site_load_dir(srv->opt.dir, &pages, err);
    else
        rc = cv_feed_build(srv->st, srv->ctx, &srv->opt.feed, &feeds, err);
    if (rc == 0 && !srv->opt.dir && srv->opt.build_site)
        rc = srv->opt.build_site(srv->opt.build_site_data, srv->st, srv->ctx, &srv->opt.feed,
                                 &feeds, &pages, err);
    /* index.json as publish writes it: the public feeds and their ETags, nothing private. */
    if (rc == 0 && !srv->opt.dir && (rc = cv_feed_index_json(&feeds, &index)) < 0)
        cv_error_set(err, rc, "out of memory");
    if (rc < 0)
        goto out;
    if (!(s->v = calloc(feeds.n + pages.n + 1, sizeof(s->v[0])))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    /* The validators of every file in one transaction; a store that cannot be written (read
     * only, locked) costs the Last-Modified of a restart, not the service. */
    cv_error_init(&txerr);
    srv->stats_ok = srv->st && cv_store_begin(srv->st, &txerr) == 0;
    for (size_t i = 0; rc == 0 && i < feeds.n; i++) {
        const struct cv_feed_file *f = &feeds.v[i];
        rc = entry_init(srv, &s->v[s->n++], f->path, f->data, f->len, TYPE_CALENDAR,
                        f->kind == CV_FEED_PERSON, false, 0, err);
    }
    for (size_t i = 0; rc == 0 && i < pages.n; i++) {
        const struct cv_site_file *f = &pages.v[i];
        rc = entry_init(srv, &s->v[s->n++], f->path, f->data, f->len, f->type, f->is_private,
                        f->has_marker, f->modified, err);
    }
    if (rc == 0 && !srv->opt.dir)
        rc = entry_init(srv, &s->v[s->n++], "index.json", index.buf, index.len, TYPE_JSON, false,
                        false, 0, err);
    if (srv->stats_ok && (rc < 0 || cv_store_commit(srv->st, &txerr) < 0)) {
        cv_store_rollback(srv->st);
        srv->stats_ok = false;
    }
    if (rc == 0 && (rc = site_index(s)) < 0)
        cv_error_set(err, rc, "out of memory");
    if (rc == 0) {
        s->zone_views = pages.zone_views;
        s->zone_page = pages.zone_page;
        s->zone_views_free = pages.zone_views_free;
        pages.zone_views = NULL;
        if (s->zone_page && (rc = cv_page_cache_new(CV_PAGE_CACHE_ENTRIES, &s->zone_kept)) < 0)
            cv_error_set(err, rc, "out of memory");
    }
out:
    cv_buf_release(&index);
    cv_site_release(&pages);
    cv_feed_set_release(&feeds);
    if (rc < 0)
        site_free(s);
    else
        *ret = s;
    return rc;
}

/* ---- fetch statistics --------------------------------------------------------------------- */

/* Writes the counts of @s to the store, then takes what it wrote off them: what the request
 * threads count meanwhile stays for the next flush. Under store_lock, with @s kept alive, and
 * with srv->writing set by the caller. */
static int flush_site(struct cv_server *srv, struct site *s, struct cv_error *err)
{
    size_t dirty = 0;
    long *taken = NULL;
    int rc;

    for (size_t i = 0; s && i < s->n; i++)
        dirty += atomic_load(&s->v[i].fetches) > 0;
    if (!dirty || !srv->st)
        return 0; /* a published folder is served without a store: nothing is written */
    if (!(taken = calloc(2 * s->n, sizeof(*taken))))
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    if ((rc = cv_store_begin(srv->st, err)) < 0)
        goto out;
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        struct entry *e = &s->v[i];
        char agent[AGENT_MAX + 1];
        taken[2 * i] = atomic_load(&e->fetches);
        taken[2 * i + 1] = atomic_load(&e->not_modified);
        if (!taken[2 * i])
            continue;
        pthread_mutex_lock(&s->agent_lock);
        memcpy(agent, e->agent, sizeof(agent));
        pthread_mutex_unlock(&s->agent_lock);
        struct cv_served_file f = {
            .path = e->path,
            .etag = e->etag,
            .modified = e->modified,
            .fetches = taken[2 * i],
            .not_modified = taken[2 * i + 1],
            .last_fetch = atomic_load(&e->last_fetch),
            .last_status = atomic_load(&e->last_status),
            .last_agent = agent,
            .google_fetch = atomic_load(&e->google_fetch),
        };
        rc = cv_store_served_record(srv->st, &f, err);
    }
    if (rc == 0)
        rc = cv_store_commit(srv->st, err);
    if (rc < 0) {
        cv_store_rollback(srv->st);
        goto out;
    }
    for (size_t i = 0; i < s->n; i++) {
        int64_t g = atomic_load(&s->v[i].google_fetch);
        atomic_fetch_sub(&s->v[i].fetches, taken[2 * i]);
        atomic_fetch_sub(&s->v[i].not_modified, taken[2 * i + 1]);
        atomic_compare_exchange_strong(&s->v[i].google_fetch, &g, 0);
    }
out:
    free(taken);
    return rc;
}

/*
 * Reads what inotify saw since the last look and drops it: the events that the server's own
 * writes to the store cause (fetch statistics, validators) are not changes to serve. A write
 * by another process at the same moment is dropped with them: so the caller asks SQLite
 * afterwards (PRAGMA data_version does not count the server's own writes), and srv->writing
 * stays set until it has, so that a request meanwhile waits for that answer (should_look())
 * instead of answering from a snapshot the drain made it blind to.
 */
static void drain_own_events(struct cv_server *srv)
{
    char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (srv->watch >= 0 && !srv->opt.dir && read(srv->watch, ev, sizeof(ev)) > 0)
        ;
}

static void refresh_locked(struct cv_server *srv);

int cv_server_flush(struct cv_server *srv, struct cv_error *err)
{
    pthread_mutex_lock(&srv->store_lock);
    bool was = srv->opt.dir ? false : atomic_exchange(&srv->writing, true);
    pthread_rwlock_rdlock(&srv->site_lock);
    int rc = flush_site(srv, srv->site, err);
    pthread_rwlock_unlock(&srv->site_lock);
    drain_own_events(srv);
    if (srv->d && !srv->opt.dir)
        refresh_locked(srv); /* a change the drain may have taken */
    if (!srv->opt.dir)
        atomic_store(&srv->writing, was);
    pthread_mutex_unlock(&srv->store_lock);
    return rc;
}

static int64_t mono_seconds(void)
{
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &mono);
    return (int64_t)mono.tv_sec;
}

/*
 * Whether this request must look for a change, without a lock and, in the common case, with
 * one system call (a read of the inotify descriptor that finds nothing).
 */
static bool should_look(struct cv_server *srv)
{
    char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool seen = false;
    ssize_t n;

    if (atomic_load_explicit(&srv->retry_at, memory_order_relaxed))
        return true;
    if (srv->watch < 0)
        return !srv->opt.dir; /* no watch on the database: every request asks SQLite */
    /* The server writes the store (and will drain what inotify saw, another process's write
     * with its own): wait for it and the look at SQLite after it, under store_lock. */
    if (atomic_load_explicit(&srv->writing, memory_order_relaxed))
        return true;
    while ((n = read(srv->watch, ev, sizeof(ev))) > 0) {
        /* A published folder: any change in it (publish renames files into place). The
         * database: only its own files count (FILE, FILE-wal, FILE-shm, FILE-journal); an
         * access log beside it is written every second. */
        for (char *q = ev; q < ev + n;) {
            const struct inotify_event *ie = (const struct inotify_event *)(void *)q;
            if (srv->opt.dir ||
                (ie->len && strncmp(ie->name, srv->watch_name, strlen(srv->watch_name)) == 0))
                seen = true;
            q += sizeof(*ie) + ie->len;
        }
    }
    if (seen && srv->opt.dir)
        atomic_store(&srv->changed, true);
    /* A writer appends its last frame to the WAL (the event) a moment before it updates the
     * WAL index that PRAGMA data_version reads: so SQLite is asked on every request for two
     * seconds after an event, not just once. The requests that come meanwhile wait for a
     * rebuild under way and then answer from its result. */
    int64_t now = mono_seconds();
    if (seen) {
        atomic_store(&srv->recheck_until, now + 2);
        return true;
    }
    return now <= atomic_load_explicit(&srv->recheck_until, memory_order_relaxed);
}

/* Rebuilds when another process changed the database (or the folder) since the last build,
 * and swaps the new snapshot in. Under store_lock. */
static void refresh_locked(struct cv_server *srv)
{
    struct cv_error err;
    struct site *s = NULL, *old;
    long v = srv->version;

    cv_error_init(&err);
    int64_t now = cv_ctx_now(srv->ctx);
    int64_t retry = atomic_load(&srv->retry_at);
    if (retry && now < retry)
        return;
    if (srv->opt.dir ? !atomic_exchange(&srv->changed, false) && !retry
                     : cv_store_data_version(srv->st, &v, &err) < 0 || v == srv->version)
        return;
    bool was = atomic_exchange(&srv->writing, true);
    if (site_build(srv, &s, &err) < 0) {
        drain_own_events(srv);
        atomic_store(&srv->writing, was);
        cv_log(srv->ctx, CV_LOG_WARN,
               "the database changed but the feeds cannot be rebuilt "
               "(still serving the last ones): %s%s%s",
               err.file, err.file[0] ? ": " : "", err.msg);
        atomic_store(&srv->retry_at, now + RETRY_SECONDS);
        return;
    }
    pthread_rwlock_wrlock(&srv->site_lock);
    old = srv->site;
    srv->site = s;
    pthread_rwlock_unlock(&srv->site_lock);
    /* No request uses the old snapshot any more: its counts go to the store, then it goes. */
    cv_error_init(&err);
    if (flush_site(srv, old, &err) < 0)
        cv_log(srv->ctx, CV_LOG_WARN, "fetch statistics not written: %s", err.msg);
    drain_own_events(srv);
    site_free(old);
    srv->version = v;
    atomic_store(&srv->writing, was);
    atomic_store(&srv->retry_at, 0);
}

static void refresh(struct cv_server *srv)
{
    if (!should_look(srv))
        return;
    pthread_mutex_lock(&srv->store_lock);
    refresh_locked(srv);
    pthread_mutex_unlock(&srv->store_lock);
}

/* ---- answering ---------------------------------------------------------------------------- */

/* @return true when the If-None-Match list @h holds @etag (weak comparison, RFC 9110 8.8.3.2) */
static bool etag_listed(const char *h, const char *etag)
{
    size_t el = strlen(etag);
    while (*h) {
        while (*h == ' ' || *h == '\t' || *h == ',')
            h++;
        if (*h == '*')
            return true;
        if (h[0] == 'W' && h[1] == '/')
            h += 2;
        size_t n = strcspn(h, ",");
        size_t m = n;
        while (m && (h[m - 1] == ' ' || h[m - 1] == '\t'))
            m--;
        if (m == el && memcmp(h, etag, el) == 0)
            return true;
        h += n;
    }
    return false;
}

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). @return 0 or -1. */
static int parse_http_date(const char *s, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char wd[4], mon[4], zone[4];
    int day, year, hh, mm, ss;
    if (sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s", wd, &day, mon, &year, &hh, &mm, &ss, zone) !=
            8 ||
        strcmp(zone, "GMT") != 0)
        return -1;
    const char *m = strstr(months, mon);
    if (!m || (m - months) % 3 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    struct cv_date d = {year, (int)(m - months) / 3 + 1, day};
    if (!cv_date_is_valid(&d))
        return -1;
    *out = cv_date_to_days(&d) * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

/* @return true when Accept-Encoding @h admits gzip (a q of 0 refuses it) */
static bool accepts_gzip(const char *h)
{
    bool star = false;
    while (h && *h) {
        while (*h == ' ' || *h == '\t' || *h == ',')
            h++;
        size_t n = strcspn(h, ",");
        size_t name = strcspn(h, ";, \t");
        bool zero = false;
        const char *q = memchr(h, ';', n);
        if (q) {
            q++;
            while (*q == ' ')
                q++;
            if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
                zero = true;
                for (const char *p = q + 2; p < h + n && *p != ' '; p++) {
                    if (*p >= '1' && *p <= '9')
                        zero = false;
                }
            }
        }
        if ((name == 4 && strncasecmp(h, "gzip", 4) == 0) ||
            (name == 6 && strncasecmp(h, "x-gzip", 6) == 0))
            return !zero;
        if (name == 1 && h[0] == '*')
            star = !zero;
        h += n;
    }
    return star;
}

static void copy_agent(char *dst, const char *agent);

/* Counts a fetch of @e, with the read side of site_lock held. */
static void count_fetch(struct cv_server *srv, struct entry *e, unsigned status, const char *agent)
{
    int64_t now = cv_ctx_now(srv->ctx);
    size_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)(agent ? agent : ""); *p; p++)
        h = (h ^ *p) * 1099511628211u;
    atomic_fetch_add_explicit(&e->fetches, 1, memory_order_relaxed);
    if (status == MHD_HTTP_NOT_MODIFIED)
        atomic_fetch_add_explicit(&e->not_modified, 1, memory_order_relaxed);
    atomic_store_explicit(&e->last_fetch, now, memory_order_relaxed);
    atomic_store_explicit(&e->last_status, (int)status, memory_order_relaxed);
    if (atomic_load_explicit(&e->agent_hash, memory_order_relaxed) != h) {
        pthread_mutex_lock(&srv->site->agent_lock);
        copy_agent(e->agent, agent);
        atomic_store(&e->agent_hash, h);
        pthread_mutex_unlock(&srv->site->agent_lock);
    }
    if (agent && cv_http_agent_is_google(agent))
        atomic_store_explicit(&e->google_fetch, now, memory_order_relaxed);
}

static void copy_agent(char *dst, const char *agent)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(agent ? agent : ""); *p && o < AGENT_MAX;
         p++) {
        if (*p >= 0x20 && *p != 0x7f)
            dst[o++] = (char)*p;
    }
    dst[o] = '\0';
}

/* A log line is put together by hand: formatting it with snprintf() cost a tenth of the time
 * of a request answered 304. */
struct out {
    char *p, *end;
};

static void o_str(struct out *o, const char *s)
{
    size_t n = strlen(s);
    if (n > (size_t)(o->end - o->p))
        n = (size_t)(o->end - o->p);
    memcpy(o->p, s, n);
    o->p += n;
}

static void o_num(struct out *o, unsigned long long v, int width)
{
    char t[24];
    int i = 0;
    do {
        t[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || i < width);
    while (i && o->p < o->end)
        *o->p++ = t[--i];
}

static void access_log(struct cv_server *srv, struct MHD_Connection *c, const char *method,
                       const char *url, const char *version, unsigned status, size_t bytes)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char host[INET6_ADDRSTRLEN] = "-", path[CV_HTTP_PATH_MAX * 2 + 64], line[1024], m[16];
    struct out o = {line, line + sizeof(line) - 1};
    if (!srv->opt.access_log)
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host,
                      sizeof(host));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host,
                      sizeof(host));
    }
    cv_http_path_redact(url, path, sizeof(path));
    cv_http_path_redact(method, m, sizeof(m));
    /* The date by arithmetic: glibc's gmtime_r() and strftime() take a process-wide lock. */
    int64_t t = cv_ctx_now(srv->ctx);
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    unsigned sod = (unsigned)(t - days * 86400);
    struct cv_date d = cv_date_from_days(days);

    /* HOST - - [DD/Mon/YYYY:HH:MM:SS +0000] "METHOD PATH VERSION" STATUS BYTES */
    o_str(&o, host);
    o_str(&o, " - - [");
    o_num(&o, (unsigned)d.day, 2);
    o_str(&o, "/");
    o_str(&o, months[(d.month + 11) % 12]);
    o_str(&o, "/");
    o_num(&o, (unsigned)d.year, 4);
    o_str(&o, ":");
    o_num(&o, sod / 3600, 2);
    o_str(&o, ":");
    o_num(&o, sod / 60 % 60, 2);
    o_str(&o, ":");
    o_num(&o, sod % 60, 2);
    o_str(&o, " +0000] \"");
    o_str(&o, m);
    o_str(&o, " ");
    o_str(&o, path);
    o_str(&o, " ");
    o_str(&o, strcmp(version, "HTTP/1.1") == 0 || strcmp(version, "HTTP/1.0") == 0 ? version : "-");
    o_str(&o, "\" ");
    o_num(&o, status, 1);
    o_str(&o, " ");
    if (bytes)
        o_num(&o, bytes, 1);
    else
        o_str(&o, "-");
    *o.p = '\0';
    srv->opt.access_log(srv->opt.access_log_data, line);
}

int cv_http_query_decode(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            int hi = hexval_any(p[1]), lo = hi < 0 ? -1 : hexval_any(p[2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = hi << 4 | lo;
            p += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c == 0 || o + 1 >= size)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

/*
 * PAGE?tz=ZONE: the page @e drawn in another zone, with validators of its own. The zone is
 * never written back as it came: only a zone of the system's database reaches the page. A page
 * drawn once is kept with the snapshot (site->zone_kept), so the same question asked again
 * costs a copy, not a drawing; the key is the zone as decoded, so "America%2FBogota" and
 * "America/Bogota" are one entry.
 * @return 0 (no such variant of @e: the query is ignored), 400 (not a zone), 500, or 200 or 304
 * with *@own (a response the caller queues, then destroys)
 */
static unsigned zone_answer(struct cv_server *srv, const struct entry *e, const char *query,
                            const char *inm, const char *ims, bool head, struct MHD_Response **own,
                            size_t *bytes)
{
    struct cv_error err;
    struct entry v;
    char zone[65], *body = NULL;
    size_t len = 0;
    int64_t since;

    if (cv_http_query_decode(query, zone, sizeof(zone)) < 0)
        zone[0] = '\0'; /* no zone: 400 for a timetable, ignored elsewhere */
    memset(&v, 0, sizeof(v));
    struct cv_page_cache *kept = srv->site->zone_kept;
    int rc = zone[0] && kept ? cv_page_cache_get(kept, e->path, zone, &body, &len, v.etag)
                             : CV_ENOTFOUND;
    if (rc == CV_ENOTFOUND) {
        cv_error_init(&err);
        rc = srv->site->zone_page(srv->site->zone_views, e->path, zone, &body, &len, &err);
        if (rc == CV_ENOTFOUND)
            return 0;
        if (rc == CV_EINVAL)
            return MHD_HTTP_BAD_REQUEST;
        if (rc < 0)
            return MHD_HTTP_INTERNAL_SERVER_ERROR;
        cv_sha256_hex(body, len, v.etag + 1);
        v.etag[0] = '"';
        v.etag[CV_SHA256_HEX_SIZE] = '"';
        /* Not kept (no memory): drawn again next time, nothing else lost. */
        if (kept)
            (void)cv_page_cache_put(kept, e->path, zone, body, len, v.etag);
    } else if (rc < 0) {
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    v.path = e->path;
    v.type = e->type;
    v.modified = e->modified;
    memcpy(v.modified_http, e->modified_http, sizeof(v.modified_http));
    bool fresh = inm ? etag_listed(inm, v.etag)
                     : ims && parse_http_date(ims, &since) == 0 && v.modified <= since;
    if (fresh) {
        free(body);
        *own = response(&v, "", 0, false, false);
    } else {
        *bytes = head ? 0 : len;
        *own = response_take(&v, body, len);
    }
    if (!*own)
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    return fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con)
{
    struct cv_server *srv = cls;
    struct cv_http_path p;
    struct MHD_Response *r = NULL, *own = NULL;
    unsigned status;
    size_t bytes = 0;
    enum MHD_Result ret;
    char key[CV_HTTP_PATH_MAX + 80];

    (void)upload_data;
    /* The first call comes with the headers; answering then would make libmicrohttpd close
     * the connection (the request is not read to its end), so the answer waits for the last
     * call. A body (GETs have none) is read and dropped, within the connection's memory. */
    if (!*con) {
        *con = srv;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!head && strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
        status = MHD_HTTP_METHOD_NOT_ALLOWED;
        ret = MHD_queue_response(c, status, srv->method);
        access_log(srv, c, method, url, version, status, 0);
        return ret;
    }
    int prc = cv_http_path_parse(url, &p);
    if (prc) {
        status = (unsigned)prc;
        ret = MHD_queue_response(c, status, prc == 400 ? srv->bad : srv->notfound);
        access_log(srv, c, method, url, version, status, 0);
        return ret;
    }

    unsigned char digest[CV_SHA256_SIZE];
    if (p.kind == CV_HTTP_PRIVATE) {
        /* Every private request takes the same steps, known token or not: hash, indexed
         * lookup of the hash, constant-time compare (against itself when nothing was found). */
        char hex[CV_SHA256_HEX_SIZE];
        cv_sha256(p.token, strlen(p.token), digest);
        cv_hex(digest, sizeof(digest), hex);
        memcpy(key, "private/", 8);
        memcpy(key + 8, hex, CV_SHA256_HEX_SIZE - 1);
        key[8 + CV_SHA256_HEX_SIZE - 1] = '.';
        memcpy(key + 8 + CV_SHA256_HEX_SIZE, p.ext, strlen(p.ext) + 1);
    } else {
        memcpy(key, p.name, strlen(p.name) + 1);
    }
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    const char *agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");

    refresh(srv);
    pthread_rwlock_rdlock(&srv->site_lock);
    struct entry *e = site_find(srv->site, key);
    if (p.kind == CV_HTTP_PRIVATE) {
        bool same = cv_mem_equal_ct(e ? e->digest : digest, digest, sizeof(digest));
        if (!same || !e || !p.token[0] || !e->is_private)
            e = NULL;
    } else if (e && e->is_private) {
        e = NULL;
    }
    if (!e) {
        pthread_rwlock_unlock(&srv->site_lock);
        status = MHD_HTTP_NOT_FOUND;
        ret = MHD_queue_response(c, status, srv->notfound);
        access_log(srv, c, method, url, version, status, 0);
        return ret;
    }
    const char *tzq = NULL;
    if (p.kind == CV_HTTP_FILE && srv->site->zone_page && strncmp(e->type, "text/html", 9) == 0)
        tzq = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tz");
    unsigned zs = tzq && *tzq ? zone_answer(srv, e, tzq, inm, ims, head, &own, &bytes) : 0;
    bool gz = e->gz && accepts_gzip(ae);
    bool fresh = false;
    int64_t since;
    if (inm)
        fresh = etag_listed(inm, e->etag) || etag_listed(inm, e->etag_gz);
    else if (ims && parse_http_date(ims, &since) == 0)
        fresh = e->modified <= since;
    if (zs) {
        status = zs;
        r = own ? own : zs == MHD_HTTP_BAD_REQUEST ? srv->bad : srv->notfound;
    } else if (fresh) {
        status = MHD_HTTP_NOT_MODIFIED;
        r = gz ? e->nm_gz : e->nm;
    } else if (e->data) {
        size_t len = 0;
        char *body = cv_feed_fill_token(e->data, e->len, p.token, &len);
        own = body ? response_take(e, body, len) : NULL;
        status = own ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
        r = own ? own : srv->notfound;
        bytes = own && !head ? len : 0;
    } else {
        status = MHD_HTTP_OK;
        r = gz ? e->gz : e->full;
        bytes = head ? 0 : gz ? e->gzlen : e->len;
    }
    count_fetch(srv, e, status, agent);
    /* libmicrohttpd takes its own reference to the response: it outlives the snapshot. */
    ret = MHD_queue_response(c, status, r);
    pthread_rwlock_unlock(&srv->site_lock);
    if (own)
        MHD_destroy_response(own);
    access_log(srv, c, method, url, version, status, bytes);
    return ret;
}

/* libmicrohttpd decodes %XX in the path by default; convene reads the path as it came. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* ---- the server --------------------------------------------------------------------------- */

void cv_server_options_init(struct cv_server_options *o)
{
    memset(o, 0, sizeof(*o));
    o->host = "127.0.0.1";
    o->port = 8080;
    o->threads = 2;
    cv_feed_options_init(&o->feed);
}

static struct MHD_Response *plain(const char *text, bool allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                                             MHD_RESPMEM_PERSISTENT);
    if (r &&
        !(MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8") &&
          MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") &&
          MHD_add_response_header(r, "Referrer-Policy", "no-referrer") &&
          (!allow || MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD")))) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r;
}

int cv_server_new(struct cv_ctx *ctx, struct cv_store *st, const struct cv_server_options *o,
                  struct cv_server **ret, struct cv_error *err)
{
    struct sockaddr_in6 a6;
    struct sockaddr_in a4;
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    int rc;

    *ret = NULL;
    memset(&a4, 0, sizeof(a4));
    memset(&a6, 0, sizeof(a6));
    if (o->port > 65535)
        return cv_error_set(err, CV_EINVAL, "the port %u is not a TCP port", o->port);
    if (inet_pton(AF_INET, o->host, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)o->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, o->host, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)o->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        return cv_error_set(err, CV_EINVAL,
                            "'%s' is not a numeric IP address; give one such as 127.0.0.1",
                            o->host);
    }

    struct cv_server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    srv->watch = -1;
    if (!st && !o->dir) {
        free(srv);
        return cv_error_set(err, CV_EINVAL, "neither a database nor a folder to serve");
    }
    if (o->dir) {
        char priv[4096];
        snprintf(priv, sizeof(priv), "%s/private", o->dir);
        srv->watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        unsigned mask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO |
                        IN_MOVED_FROM | IN_ATTRIB;
        if (srv->watch >= 0 && inotify_add_watch(srv->watch, o->dir, mask) >= 0)
            inotify_add_watch(srv->watch, priv, mask); /* a folder without private feeds */
    } else if (o->watch_path) {
        /* Any write by another process to the database or its WAL shows as an event on its
         * folder, read before each request with one system call; without the watch, each
         * request asks SQLite (PRAGMA data_version), which takes a lock on the WAL index. */
        char dir[4096];
        cv_str_copy(dir, sizeof(dir), o->watch_path);
        char *slash = strrchr(dir, '/');
        cv_str_copy(srv->watch_name, sizeof(srv->watch_name), slash ? slash + 1 : dir);
        if (!slash)
            cv_str_copy(dir, sizeof(dir), ".");
        else if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
        srv->watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (srv->watch >= 0 &&
            inotify_add_watch(srv->watch, dir,
                              IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO |
                                  IN_MOVED_FROM | IN_ATTRIB) < 0) {
            close(srv->watch);
            srv->watch = -1;
        }
    }
    srv->ctx = ctx;
    srv->st = st;
    srv->opt = *o;
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&srv->site_lock, &ra);
    pthread_rwlockattr_destroy(&ra);
    pthread_mutex_init(&srv->store_lock, NULL);
    srv->bad = plain("400 bad request\n", false);
    srv->notfound = plain("404 not found\n", false);
    srv->method = plain("405 only GET and HEAD\n", true);
    if (!srv->bad || !srv->notfound || !srv->method) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto fail;
    }
    if ((st && !o->dir && (rc = cv_store_data_version(st, &srv->version, err)) < 0) ||
        (rc = site_build(srv, &srv->site, err)) < 0)
        goto fail;
    drain_own_events(srv); /* the validators just written */

    srv->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, sa,
                              MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 2),
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_BYTES,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTION,
                              MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL, MHD_OPTION_END);
    if (!srv->d) {
        rc = cv_error_set(err, CV_EIO,
                          "cannot listen on %s port %u (taken, or not an address of this "
                          "machine); give another with --listen",
                          o->host, o->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : o->port;
    *ret = srv;
    return 0;
fail:
    cv_server_free(srv);
    return rc;
}

unsigned cv_server_port(const struct cv_server *srv)
{
    return srv->port;
}

size_t cv_server_files(const struct cv_server *srv)
{
    return srv->site ? srv->site->n : 0;
}

void cv_server_stop(struct cv_server *srv)
{
    if (srv->d)
        MHD_stop_daemon(srv->d);
    srv->d = NULL;
}

void cv_server_free(struct cv_server *srv)
{
    if (!srv)
        return;
    cv_server_stop(srv);
    site_free(srv->site);
    if (srv->bad)
        MHD_destroy_response(srv->bad);
    if (srv->notfound)
        MHD_destroy_response(srv->notfound);
    if (srv->method)
        MHD_destroy_response(srv->method);
    pthread_rwlock_destroy(&srv->site_lock);
    pthread_mutex_destroy(&srv->store_lock);
    if (srv->watch >= 0)
        close(srv->watch);
    free(srv);
}

/* ---- the pages' file list ------------------------------------------------------------------ */

void cv_site_init(struct cv_site *s)
{
    memset(s, 0, sizeof(*s));
}

void cv_site_release(struct cv_site *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].data);
    }
    if (s->zone_views && s->zone_views_free)
        s->zone_views_free(s->zone_views);
    free(s->v);
    cv_site_init(s);
}

int cv_site_add(struct cv_site *s, const char *path, const char *data, size_t len, const char *type,
                bool is_private, bool has_marker)
{
    if (cv_grow(&s->v, &s->alloc, s->n + 1, sizeof(s->v[0])) < 0)
        return CV_ENOMEM;
    struct cv_site_file *f = &s->v[s->n];
    memset(f, 0, sizeof(*f));
    f->path = strdup(path);
    f->data = malloc(len + 1);
    if (!f->path || !f->data) {
        free(f->path);
        free(f->data);
        return CV_ENOMEM;
    }
    memcpy(f->data, data, len);
    f->data[len] = '\0';
    f->len = len;
    f->type = type;
    f->is_private = is_private;
    f->has_marker = has_marker;
    s->n++;
    return 0;
}
