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
    sqlite3_stmt *data_version; /* prepared once: convene serve reads it on every request */
};

/* Maps a SQLite result to a cv_status and fills @err with "@what: <sqlite message>". */
int store_error(struct cv_store *st, struct cv_error *err, int rc, const char *what);
/* Prepares constant SQL. @return 0 or a mapped error. */
int store_prepare(struct cv_store *st, const char *sql, sqlite3_stmt **stmt, struct cv_error *err);
/* Runs constant SQL without results. */
int store_exec(struct cv_store *st, const char *sql, struct cv_error *err);

/* Binding: NULL strings and unset dates bind as SQL NULL. @return a SQLite code. */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *s);
int store_bind_date(sqlite3_stmt *stmt, int idx, const struct cv_date *d);
/* Reading: a NULL column leaves *@dst NULL / the date unset. @return 0 or CV_ENOMEM. */
int store_col_text(sqlite3_stmt *stmt, int col, char **dst);
void store_col_date(sqlite3_stmt *stmt, int col, struct cv_date *d);

/* The schema migrations, in order: store_migrations[0] makes version 1. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

#endif
