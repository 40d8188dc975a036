/* SPDX-License-Identifier: MIT */
/* served.c: what convene serve answered: the validators of each file and who fetched it. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#include "banned.h"

int cv_store_data_version(struct cv_store *st, long *version, struct cv_error *err)
{
    int rc = 0;
    if (!st->data_version)
        rc = store_prepare(st, "PRAGMA data_version", &st->data_version, err);
    if (rc < 0)
        return rc;
    rc = sqlite3_step(st->data_version);
    if (rc == SQLITE_ROW) {
        *version = (long)sqlite3_column_int64(st->data_version, 0);
        rc = 0;
    } else {
        rc = store_error(st, err, rc, "cannot read the database's version");
    }
    sqlite3_reset(st->data_version);
    return rc;
}

int cv_store_served_validators(struct cv_store *st, const char *path, const char *etag, int64_t now,
                               int64_t *modified, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc;

    *modified = now;
    rc = store_prepare(st, "SELECT etag, modified FROM served_file WHERE path = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, path);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(stmt, 0);
        if (old && strcmp(old, etag) == 0) {
            *modified = sqlite3_column_int64(stmt, 1);
            sqlite3_finalize(stmt);
            return 0;
        }
    } else if (rc != SQLITE_DONE) {
        rc = store_error(st, err, rc, "cannot read a served file");
        sqlite3_finalize(stmt);
        return rc;
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    rc = store_prepare(st,
                       "INSERT INTO served_file (path, etag, modified) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT (path) DO UPDATE SET etag = ?2, modified = ?3",
                       &stmt, err);
    if (rc < 0)
        return rc;
    b = (struct store_binds){st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, path);
    store_bind_text(&b, 2, etag);
    store_bind_int(&b, 3, now);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store a served file");
    sqlite3_finalize(stmt);
    return rc;
}

void cv_served_file_init(struct cv_served_file *f)
{
    memset(f, 0, sizeof(*f));
}

void cv_served_file_release(struct cv_served_file *f)
{
    free(f->path);
    free(f->etag);
    free(f->last_agent);
    free(f->email);
    cv_served_file_init(f);
}

int cv_store_served_record(struct cv_store *st, const struct cv_served_file *f,
                           struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(
        st,
        "INSERT INTO served_file (path, etag, modified, fetches, not_modified, last_fetch,"
        " last_status, last_agent, google_fetch) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
        " nullif(?9, 0))"
        " ON CONFLICT (path) DO UPDATE SET fetches = fetches + ?4,"
        " not_modified = not_modified + ?5, last_fetch = ?6, last_status = ?7, last_agent = ?8,"
        " google_fetch = coalesce(nullif(?9, 0), google_fetch)",
        &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, f->path);
    store_bind_text(&b, 2, f->etag ? f->etag : "");
    store_bind_int(&b, 3, f->modified);
    store_bind_int(&b, 4, f->fetches);
    store_bind_int(&b, 5, f->not_modified);
    store_bind_int(&b, 6, f->last_fetch);
    store_bind_int(&b, 7, f->last_status);
    store_bind_text(&b, 8, f->last_agent);
    store_bind_int(&b, 9, f->google_fetch);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot record fetches");
    sqlite3_finalize(stmt);
    return rc;
}

void cv_served_file_list_init(struct cv_served_file_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_served_file_list_release(struct cv_served_file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_served_file_release(&l->v[i]);
    free(l->v);
    cv_served_file_list_init(l);
}

int cv_store_served_list(struct cv_store *st, struct cv_served_file_list *out, struct cv_error *err)
{
    /* A private file is private/<hash>.<ext>: its owner is the person with that token hash. */
    static const char sql[] =
        "SELECT s.path, s.etag, s.modified, s.fetches, s.not_modified, s.last_fetch,"
        " s.last_status, s.last_agent, s.google_fetch, p.email FROM served_file s"
        " LEFT JOIN person p ON s.path LIKE 'private/%' AND p.token_hash IS NOT NULL"
        " AND p.token_hash = substr(s.path, 9, 64)"
        " WHERE s.fetches > 0 ORDER BY s.path";
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, sql, &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((rc = cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0]))) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        struct cv_served_file *f = &out->v[out->n++];
        cv_served_file_init(f);
        f->modified = sqlite3_column_int64(stmt, 2);
        f->fetches = (long)sqlite3_column_int64(stmt, 3);
        f->not_modified = (long)sqlite3_column_int64(stmt, 4);
        f->last_fetch = sqlite3_column_int64(stmt, 5);
        f->last_status = sqlite3_column_int(stmt, 6);
        f->google_fetch = sqlite3_column_int64(stmt, 8);
        if ((rc = store_col_text(stmt, 0, &f->path)) < 0 ||
            (rc = store_col_text(stmt, 1, &f->etag)) < 0 ||
            (rc = store_col_text(stmt, 7, &f->last_agent)) < 0 ||
            (rc = store_col_text(stmt, 9, &f->email)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list served files");
out:
    sqlite3_finalize(stmt);
    return rc;
}
