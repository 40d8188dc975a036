/* SPDX-License-Identifier: MIT */
/* store.c: opening the database, its settings, migrations and transactions. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

#include "banned.h"

#define APPLICATION_ID  1668703298 /* 'cvDB' */
#define BUSY_TIMEOUT_MS 5000

int cv_store_schema_latest(void)
{
    return store_nmigrations;
}

int store_error(struct cv_store *st, struct cv_error *err, int rc, const char *what)
{
    int code;
    if (rc == SQLITE_ABORT && st && st->in_tx && sqlite3_get_autocommit(st->db)) {
        /* store_step() refused a write: SQLite's own message is of a later call that worked. */
        if (err) {
            cv_error_set(err, CV_EIO,
                         "%s: the transaction was rolled back by an earlier error (out of memory, "
                         "the disk failing or full); nothing of it was written",
                         what);
            err->lib_code = rc;
        }
        return CV_EIO;
    }
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = CV_EBUSY;
        break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        code = (rc & 0xff) == SQLITE_CANTOPEN ? CV_EIO : CV_EREADONLY;
        break;
    case SQLITE_NOTADB:
        code = CV_ENOTDB;
        break;
    case SQLITE_CORRUPT:
        code = CV_ENOTDB;
        break;
    case SQLITE_NOMEM:
        code = CV_ENOMEM;
        break;
    case SQLITE_CONSTRAINT:
        code = CV_ECONFLICT;
        break;
    case SQLITE_FULL:
    case SQLITE_IOERR:
        code = CV_EIO;
        break;
    default:
        code = CV_ESTORE;
    }
    if (err) {
        cv_error_set(err, code, "%s: %s", what,
                     st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        err->lib_code = rc;
    }
    return code;
}

int store_prepare(struct cv_store *st, const char *sql, sqlite3_stmt **stmt, struct cv_error *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
    if (rc != SQLITE_OK)
        return store_error(st, err, rc, "cannot prepare a query");
    return 0;
}

int store_cached(struct cv_store *st, size_t slot, const char *sql, sqlite3_stmt **stmt,
                 struct cv_error *err)
{
    assert(slot < sizeof(st->cached) / sizeof(st->cached[0]));
    if (!st->cached[slot]) {
        int rc =
            sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->cached[slot], NULL);
        if (rc != SQLITE_OK)
            return store_error(st, err, rc, "cannot prepare a query");
    }
    *stmt = st->cached[slot];
    return 0;
}

void store_cached_done(sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

int store_exec(struct cv_store *st, const char *sql, struct cv_error *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_error(st, err, rc, "database");
    return 0;
}

void store_bind_text(struct store_binds *b, int idx, const char *s)
{
    if (b->rc == SQLITE_OK)
        b->rc = s ? sqlite3_bind_text(b->stmt, idx, s, -1, SQLITE_TRANSIENT)
                  : sqlite3_bind_null(b->stmt, idx);
}

void store_bind_date(struct store_binds *b, int idx, const struct cv_date *d)
{
    char buf[CV_DATE_SIZE];
    if (!cv_date_is_set(d)) {
        store_bind_null(b, idx);
        return;
    }
    cv_date_format(d, buf);
    store_bind_text(b, idx, buf);
}

void store_bind_static(struct store_binds *b, int idx, const char *s)
{
    if (b->rc == SQLITE_OK)
        b->rc = sqlite3_bind_text(b->stmt, idx, s, -1, SQLITE_STATIC);
}

void store_bind_int(struct store_binds *b, int idx, int64_t v)
{
    if (b->rc == SQLITE_OK)
        b->rc = sqlite3_bind_int64(b->stmt, idx, v);
}

void store_bind_null(struct store_binds *b, int idx)
{
    if (b->rc == SQLITE_OK)
        b->rc = sqlite3_bind_null(b->stmt, idx);
}

void store_bind_blob(struct store_binds *b, int idx, const void *data, size_t len,
                     sqlite3_destructor_type del)
{
    if (b->rc == SQLITE_OK)
        b->rc = sqlite3_bind_blob64(b->stmt, idx, data, len, del);
}

int store_step(struct store_binds *b)
{
    if (b->rc != SQLITE_OK)
        return b->rc;
    if (b->st->in_tx && sqlite3_get_autocommit(b->st->db) && !sqlite3_stmt_readonly(b->stmt))
        return SQLITE_ABORT;
    return sqlite3_step(b->stmt);
}

int store_col_text(sqlite3_stmt *stmt, int col, char **dst)
{
    const unsigned char *s = sqlite3_column_text(stmt, col);
    /* NULL for a value that is not NULL: SQLite could not convert it (out of memory). */
    if (!s && sqlite3_column_type(stmt, col) != SQLITE_NULL)
        return CV_ENOMEM;
    return cv_str_set(dst, (const char *)s);
}

void store_col_date(sqlite3_stmt *stmt, int col, struct cv_date *d)
{
    const unsigned char *s = sqlite3_column_text(stmt, col);
    memset(d, 0, sizeof(*d));
    if (s)
        cv_date_parse((const char *)s, d);
}

/* Reads one integer PRAGMA. */
static int pragma_int(struct cv_store *st, const char *sql, int *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(stmt, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return store_error(st, err, rc, "cannot read the database");
    return 0;
}

static int migrate(struct cv_store *st, struct cv_error *err)
{
    char sql[64];
    int rc = 0;

    for (int v = st->schema_found; v < store_nmigrations; v++) {
        rc = cv_store_begin(st, err);
        if (rc < 0)
            return rc;
        rc = store_exec(st, store_migrations[v], err);
        if (rc == 0) {
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
            rc = store_exec(st, sql, err);
        }
        if (rc == 0)
            rc = cv_store_commit(st, err);
        if (rc < 0) {
            cv_store_rollback(st);
            return rc;
        }
        cv_log(st->ctx, CV_LOG_INFO, "database upgraded to schema %d", v + 1);
    }
    return 0;
}

/* A database convene did not write: tables, but neither our application_id nor user_version. */
static int check_ours(struct cv_store *st, int version, struct cv_error *err)
{
    int app = 0, tables = 0;
    int rc = pragma_int(st, "PRAGMA application_id", &app, err);
    if (rc < 0)
        return rc;
    rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &tables, err);
    if (rc < 0)
        return rc;
    if (app != 0 && app != APPLICATION_ID)
        return cv_error_set(err, CV_ENOTDB, "the file is a SQLite database of another program");
    if (app == 0 && (version != 0 || tables != 0))
        return cv_error_set(err, CV_ENOTDB, "the file is a SQLite database of another program");
    return 0;
}

int cv_store_open(struct cv_ctx *ctx, const char *path, unsigned flags, struct cv_store **ret,
                  struct cv_error *err)
{
    struct cv_store *st;
    struct stat sb;
    int rc, version = 0;
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;

    *ret = NULL;
    if (stat(path, &sb) < 0) {
        if (errno != ENOENT || !(flags & CV_STORE_CREATE)) {
            cv_error_at(err, path, 0);
            if (errno == ENOENT)
                return cv_error_set(err, CV_ENOTFOUND,
                                    "no database here; run 'convene init' first or give --db");
            return cv_error_set(err, CV_EIO, "cannot open the database: %s", strerror(errno));
        }
    } else if (!S_ISREG(sb.st_mode)) {
        cv_error_at(err, path, 0);
        return cv_error_set(err, CV_ENOTDB, "not a regular file; give the database file");
    }

    st = calloc(1, sizeof(*st));
    if (!st)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->flags = flags;
    st->send_lock = -1;
    /* A read-only store still opens read-write when it can (then PRAGMA query_only guards
     * it), so that closing it checkpoints the WAL and removes the -wal and -shm files. SQLite
     * falls back to read-only by itself when the file is write-protected. */
    oflags |= SQLITE_OPEN_READWRITE;
    if ((flags & CV_STORE_CREATE) && !(flags & CV_STORE_READONLY))
        oflags |= SQLITE_OPEN_CREATE;

    rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        rc = store_error(st, err, rc, "cannot open the database");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024);

    long timeout = BUSY_TIMEOUT_MS;
    const char *env = getenv("CONVENE_BUSY_TIMEOUT_MS");
    if (env && cv_parse_long(env, 0, 600000, &timeout) < 0)
        timeout = BUSY_TIMEOUT_MS;
    sqlite3_busy_timeout(st->db, (int)timeout);

    /* Read before writing anything: a newer or foreign file is refused untouched. */
    rc = pragma_int(st, "PRAGMA user_version", &version, err);
    if (rc < 0)
        goto fail;
    rc = check_ours(st, version, err);
    if (rc < 0)
        goto fail;
    if (version > store_nmigrations) {
        rc = cv_error_set(err, CV_ESCHEMA,
                          "the database has schema %d, newer than this convene knows (%d); "
                          "use a newer convene",
                          version, store_nmigrations);
        goto fail;
    }
    st->schema_found = version;

    if (flags & CV_STORE_READONLY) {
        if (version < store_nmigrations) {
            rc = cv_error_set(err, CV_ESCHEMA,
                              "the database has schema %d and needs an upgrade to %d; run "
                              "'convene init'",
                              version, store_nmigrations);
            goto fail;
        }
        rc = store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA query_only = ON", err);
        if (rc < 0)
            goto fail;
        *ret = st;
        return 0;
    }

    if (sqlite3_db_readonly(st->db, "main") == 1) {
        rc = cv_error_set(err, CV_EREADONLY,
                          "the database is read-only; check the file's permissions");
        goto fail;
    }
    rc = store_exec(st, "PRAGMA journal_mode = WAL", err);
    if (rc == 0)
        rc = store_exec(st, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", err);
    if (rc < 0)
        goto fail;
    rc = migrate(st, err);
    if (rc < 0)
        goto fail;
    *ret = st;
    return 0;
fail:
    cv_error_at(err, path, 0);
    cv_store_free(st);
    return rc;
}

void cv_store_free(struct cv_store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        cv_store_rollback(st);
    store_sync_release(st);
    cv_store_outbox_unlock(st);
    sqlite3_finalize(st->data_version);
    for (size_t i = 0; i < sizeof(st->cached) / sizeof(st->cached[0]); i++)
        sqlite3_finalize(st->cached[i]);
    sqlite3_close_v2(st->db);
    free(st);
}

int cv_store_schema_found(const struct cv_store *st)
{
    return st->schema_found;
}

int cv_store_begin(struct cv_store *st, struct cv_error *err)
{
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = store_error(st, err, rc, "cannot start a transaction");
        if (rc == CV_EBUSY)
            cv_error_set(err, CV_EBUSY,
                         "the database is locked by another process; try again when it is done");
        return rc;
    }
    st->in_tx = 1;
    return 0;
}

int cv_store_commit(struct cv_store *st, struct cv_error *err)
{
    int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = store_error(st, err, rc, "cannot commit");
        cv_store_rollback(st);
        return rc;
    }
    st->in_tx = 0;
    store_sync_ask(st);
    return 0;
}

void cv_store_rollback(struct cv_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

int cv_store_counts(struct cv_store *st, struct cv_store_counts *out, struct cv_error *err)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM person),"
                              " (SELECT count(*) FROM country), (SELECT count(*) FROM refcal),"
                              " (SELECT count(*) FROM refcal_entry)";
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, sql, &stmt, err);
    if (rc < 0)
        return rc;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        out->events = sqlite3_column_int64(stmt, 0);
        out->people = sqlite3_column_int64(stmt, 1);
        out->countries = sqlite3_column_int64(stmt, 2);
        out->refcals = sqlite3_column_int64(stmt, 3);
        out->refentries = sqlite3_column_int64(stmt, 4);
        rc = 0;
    } else {
        rc = store_error(st, err, rc, "cannot count");
    }
    sqlite3_finalize(stmt);
    return rc;
}
