/* SPDX-License-Identifier: MIT */
/* caldav.c: remembering what was put on CalDAV collections. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#include "banned.h"

void cv_caldav_resource_release(struct cv_caldav_resource *r)
{
    free(r->uid);
    free(r->href);
    free(r->etag);
    free(r->hash);
    memset(r, 0, sizeof(*r));
}

int cv_store_caldav_list(struct cv_store *st, const char *collection, struct cv_caldav_resource **v,
                         size_t *n, size_t *alloc, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT uid, href, etag, hash FROM caldav_resource WHERE collection = ?1"
                           " ORDER BY uid",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, collection);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        if ((rc = cv_grow(v, alloc, *n + 1, sizeof(**v))) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        struct cv_caldav_resource *r = &(*v)[*n];
        memset(r, 0, sizeof(*r));
        (*n)++;
        if ((rc = store_col_text(stmt, 0, &r->uid)) < 0 ||
            (rc = store_col_text(stmt, 1, &r->href)) < 0 ||
            (rc = store_col_text(stmt, 2, &r->etag)) < 0 ||
            (rc = store_col_text(stmt, 3, &r->hash)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list CalDAV resources");
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_caldav_put(struct cv_store *st, const char *collection,
                        const struct cv_caldav_resource *r, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc =
        store_prepare(st,
                      "INSERT OR REPLACE INTO caldav_resource (collection, uid, href, etag, hash)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
                      &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, collection);
    store_bind_text(&b, 2, r->uid);
    store_bind_text(&b, 3, r->href);
    store_bind_text(&b, 4, r->etag);
    store_bind_text(&b, 5, r->hash);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store a CalDAV resource");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_caldav_delete(struct cv_store *st, const char *collection, const char *uid,
                           struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "DELETE FROM caldav_resource WHERE collection = ?1 AND uid = ?2",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, collection);
    store_bind_text(&b, 2, uid);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot forget a CalDAV resource");
    sqlite3_finalize(stmt);
    return rc;
}
