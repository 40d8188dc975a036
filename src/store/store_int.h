/* SPDX-License-Identifier: MIT */
/* store_int.h: what the store's files share; no other module includes it. */
#ifndef CV_STORE_INT_H
#define CV_STORE_INT_H

#include <sqlite3.h>

#include <convene/store.h>

struct cv_store {
    sqlite3 *db;
    struct cv_ctx *ctx;
    int schema_found;
    int in_tx;
    unsigned flags;
    sqlite3_stmt *data_version;  /* prepared once: convene serve reads it on every request */
    sqlite3_stmt *cached[4];     /* the outbox's per-message statements (store_cached) */
    struct store_syncer *syncer; /* deferred syncs (sync.c), NULL when commits sync */
    int send_lock;               /* the outbox's send lock (flock), -1 when not held */
};

/* After a commit: when syncs are deferred, notes that the WAL has one to sync. */
void store_sync_ask(struct cv_store *st);
/* Stops deferred syncs after the last one (cv_store_free). */
void store_sync_release(struct cv_store *st);

/* Maps a SQLite result to a cv_status and fills @err with "@what: <sqlite message>". */
int store_error(struct cv_store *st, struct cv_error *err, int rc, const char *what);
/* Prepares constant SQL. @return 0 or a mapped error. */
int store_prepare(struct cv_store *st, const char *sql, sqlite3_stmt **stmt, struct cv_error *err);
/*
 * The statement for constant @sql in slot @slot of @st's cache, prepared on first use and kept
 * until cv_store_free() (the delivery loop runs the same few statements per message; preparing
 * them each time was a third of its CPU). Borrowed: reset it with store_cached_done().
 */
int store_cached(struct cv_store *st, size_t slot, const char *sql, sqlite3_stmt **stmt,
                 struct cv_error *err);
/* Resets a cached statement and clears its bindings; NULL is a no-op. */
void store_cached_done(sqlite3_stmt *stmt);
/* Runs constant SQL without results. */
int store_exec(struct cv_store *st, const char *sql, struct cv_error *err);

/*
 * The values bound to one statement, checked once. A bind can fail (SQLITE_NOMEM copying a
 * value, SQLITE_RANGE, SQLITE_TOOBIG) and leaves its parameter NULL, which a step would write or
 * look up as if it were the value: out of memory became a NOT NULL constraint. @rc keeps the
 * first failure and the binds after it do nothing (one that succeeded would clear the message
 * store_error() reads); store_step() then returns it without stepping, so the step's own error
 * path reports it. Start with {st, stmt, SQLITE_OK}.
 */
struct store_binds {
    struct cv_store *st;
    sqlite3_stmt *stmt;
    int rc;
};

/* NULL strings and unset dates bind as SQL NULL; both are copied. */
void store_bind_text(struct store_binds *b, int idx, const char *s);
void store_bind_date(struct store_binds *b, int idx, const struct cv_date *d);
/* A constant string (a state's name), bound without a copy. */
void store_bind_static(struct store_binds *b, int idx, const char *s);
void store_bind_int(struct store_binds *b, int idx, int64_t v);
void store_bind_null(struct store_binds *b, int idx);
/* @data is copied unless @del is SQLITE_STATIC (it outlives the statement's use). */
void store_bind_blob(struct store_binds *b, int idx, const void *data, size_t len,
                     sqlite3_destructor_type del);
/*
 * sqlite3_step() on @b's statement; or, when a bind failed, that bind's SQLite code; or
 * SQLITE_ABORT for a write when the transaction cv_store_begin() opened is gone: SQLite rolls
 * one back by itself on some errors (out of memory, I/O, a full disk), and a write after that
 * would be committed alone instead of failing with the rest.
 */
int store_step(struct store_binds *b);

/* Reading: a NULL column leaves *@dst NULL / the date unset. @return 0 or CV_ENOMEM. */
int store_col_text(sqlite3_stmt *stmt, int col, char **dst);
void store_col_date(sqlite3_stmt *stmt, int col, struct cv_date *d);

/* The schema migrations, in order: store_migrations[0] makes version 1. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

#endif
