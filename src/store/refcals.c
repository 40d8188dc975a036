/* SPDX-License-Identifier: MIT */
/* refcals.c: storing reference calendars and their dated entries. */
#include <string.h>

#include "store_int.h"

#include "banned.h"

static int entries_read(struct cv_store *st, int64_t id, struct cv_refcal *c, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT uid, key, summary, first_date, last_date, meaning, confidence,"
                           " url, category, description FROM refcal_entry WHERE refcal_id = ?1"
                           " ORDER BY id",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        struct cv_refentry *e;
        if ((rc = cv_refcal_add_entry(c, &e)) < 0 || (rc = store_col_text(stmt, 0, &e->uid)) < 0 ||
            (rc = store_col_text(stmt, 1, &e->key)) < 0 ||
            (rc = store_col_text(stmt, 2, &e->summary)) < 0 ||
            (rc = store_col_text(stmt, 6, &e->confidence)) < 0 ||
            (rc = store_col_text(stmt, 7, &e->url)) < 0 ||
            (rc = store_col_text(stmt, 8, &e->category)) < 0 ||
            (rc = store_col_text(stmt, 9, &e->description)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        store_col_date(stmt, 3, &e->first);
        store_col_date(stmt, 4, &e->last);
        const char *m = (const char *)sqlite3_column_text(stmt, 5);
        e->has_meaning = m && cv_meaning_parse(m, &e->meaning) == 0;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot read calendar entries");
out:
    sqlite3_finalize(stmt);
    return rc;
}

static int refcal_from_row(struct cv_store *st, sqlite3_stmt *stmt, struct cv_refcal *c,
                           struct cv_error *err)
{
    int rc;
    if ((rc = store_col_text(stmt, 1, &c->key)) < 0 ||
        (rc = store_col_text(stmt, 2, &c->name)) < 0 ||
        (rc = store_col_text(stmt, 3, &c->scope)) < 0 ||
        (rc = store_col_text(stmt, 5, &c->sources)) < 0 ||
        (rc = store_col_text(stmt, 6, &c->description)) < 0 ||
        (rc = store_col_text(stmt, 7, &c->fetched_from)) < 0 ||
        (rc = store_col_text(stmt, 8, &c->etag)) < 0 ||
        (rc = store_col_text(stmt, 9, &c->last_modified)) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (cv_meaning_parse((const char *)sqlite3_column_text(stmt, 4), &c->meaning) < 0)
        return cv_error_set(err, CV_ESTORE, "calendar %s has an unknown meaning", c->key);
    return entries_read(st, sqlite3_column_int64(stmt, 0), c, err);
}

#define REFCAL_SELECT                                                                              \
    "SELECT id, key, name, scope, meaning, sources, description, fetched_from, etag,"              \
    " last_modified FROM refcal"

int cv_store_refcal_get(struct cv_store *st, const char *key, struct cv_refcal *out,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, REFCAL_SELECT " WHERE key = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, key);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = refcal_from_row(st, stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND,
                          "no calendar '%s'; 'convene calendar list' shows "
                          "them",
                          key);
    else
        rc = store_error(st, err, rc, "cannot read a calendar");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_refcal_find_url(struct cv_store *st, const char *url, struct cv_refcal *out,
                             struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, REFCAL_SELECT " WHERE fetched_from = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, url);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = refcal_from_row(st, stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = CV_ENOTFOUND;
    else
        rc = store_error(st, err, rc, "cannot read a calendar");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_refcal_list(struct cv_store *st, struct cv_refcal_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, REFCAL_SELECT " ORDER BY key", &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct cv_refcal *c;
        if ((rc = cv_refcal_list_add(out, &c)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if ((rc = refcal_from_row(st, stmt, c, err)) < 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list calendars");
out:
    sqlite3_finalize(stmt);
    return rc;
}

static int entries_write(struct cv_store *st, int64_t id, const struct cv_refcal *c,
                         struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "INSERT INTO refcal_entry (refcal_id, uid, key, summary, first_date,"
                           " last_date, meaning, confidence, url, category, description)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           &stmt, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < c->n; i++) {
        const struct cv_refentry *e = &c->entries[i];
        sqlite3_reset(stmt);
        struct store_binds b = {st, stmt, SQLITE_OK};
        store_bind_int(&b, 1, id);
        store_bind_text(&b, 2, e->uid);
        store_bind_text(&b, 3, e->key);
        store_bind_text(&b, 4, e->summary);
        store_bind_date(&b, 5, &e->first);
        store_bind_date(&b, 6, &e->last);
        store_bind_text(&b, 7, e->has_meaning ? cv_meaning_name(e->meaning) : NULL);
        store_bind_text(&b, 8, e->confidence);
        store_bind_text(&b, 9, e->url);
        store_bind_text(&b, 10, e->category);
        store_bind_text(&b, 11, e->description);
        rc = store_step(&b);
        if (rc != SQLITE_DONE) {
            rc = store_error(st, err, rc, "cannot store a calendar entry");
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_refcal_put(struct cv_store *st, const struct cv_refcal *c, enum cv_upsert *how,
                        struct cv_error *err)
{
    struct cv_refcal old;
    sqlite3_stmt *stmt = NULL;
    int rc = cv_refcal_validate(c, err);
    if (rc < 0)
        return rc;
    cv_refcal_init(&old);
    rc = cv_store_refcal_get(st, c->key, &old, err);
    if (rc == 0 && cv_refcal_equal(&old, c)) {
        *how = CV_UPSERT_UNCHANGED;
        goto out;
    }
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    *how = rc == 0 ? CV_UPSERT_UPDATED : CV_UPSERT_INSERTED;
    rc = store_prepare(st,
                       "INSERT INTO refcal (key, name, scope, meaning, sources, description,"
                       " fetched_from, etag, last_modified)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (key) DO UPDATE"
                       " SET name = excluded.name, scope = excluded.scope,"
                       " meaning = excluded.meaning, sources = excluded.sources,"
                       " description = excluded.description, fetched_from = excluded.fetched_from,"
                       " etag = excluded.etag, last_modified = excluded.last_modified"
                       " RETURNING id",
                       &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, c->key);
    store_bind_text(&b, 2, c->name);
    store_bind_text(&b, 3, c->scope);
    store_bind_text(&b, 4, cv_meaning_name(c->meaning));
    store_bind_text(&b, 5, c->sources);
    store_bind_text(&b, 6, c->description);
    store_bind_text(&b, 7, c->fetched_from);
    store_bind_text(&b, 8, c->etag);
    store_bind_text(&b, 9, c->last_modified);
    rc = store_step(&b);
    if (rc != SQLITE_ROW) {
        rc = store_error(st, err, rc, "cannot store the calendar");
        goto out;
    }
    int64_t id = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    stmt = NULL;
    rc = store_prepare(st, "DELETE FROM refcal_entry WHERE refcal_id = ?1", &stmt, err);
    if (rc < 0)
        goto out;
    b = (struct store_binds){st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    rc = store_step(&b);
    if (rc != SQLITE_DONE) {
        rc = store_error(st, err, rc, "cannot replace the calendar's entries");
        goto out;
    }
    rc = entries_write(st, id, c, err);
out:
    sqlite3_finalize(stmt);
    cv_refcal_release(&old);
    return rc;
}
