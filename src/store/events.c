/* SPDX-License-Identifier: MIT */
/* events.c: storing and reading events and their titles. */
#include <string.h>

#include "store_int.h"

#include "banned.h"

#define EVENT_COLUMNS                                                                              \
    "id, key, uid, kind, title, region, city, country, venue, tzid, status, window_start,"         \
    " window_end, days, start_date, end_date, sequence, revision, source_url, description,"        \
    " inside, scenario, audience, lead_days, blackouts, avoids, prefer_weekdays, prefer_first,"    \
    " prefer_last, opens_min, closes_min, breaks"

static int event_from_row(struct cv_store *st, sqlite3_stmt *stmt, struct cv_event *e,
                          struct cv_error *err)
{
    sqlite3_stmt *titles = NULL;
    int rc;

    if ((rc = store_col_text(stmt, 1, &e->key)) < 0 ||
        (rc = store_col_text(stmt, 2, &e->uid)) < 0 ||
        (rc = store_col_text(stmt, 4, &e->title)) < 0 ||
        (rc = store_col_text(stmt, 5, &e->region)) < 0 ||
        (rc = store_col_text(stmt, 6, &e->city)) < 0 ||
        (rc = store_col_text(stmt, 7, &e->country)) < 0 ||
        (rc = store_col_text(stmt, 8, &e->venue)) < 0 ||
        (rc = store_col_text(stmt, 9, &e->tzid)) < 0 ||
        (rc = store_col_text(stmt, 18, &e->source_url)) < 0 ||
        (rc = store_col_text(stmt, 19, &e->description)) < 0 ||
        (rc = store_col_text(stmt, 20, &e->inside)) < 0 ||
        (rc = store_col_text(stmt, 22, &e->audience)) < 0 ||
        (rc = store_col_text(stmt, 24, &e->blackouts)) < 0 ||
        (rc = store_col_text(stmt, 25, &e->avoids)) < 0)
        return cv_error_set(err, rc, "out of memory");
    e->lead_days = sqlite3_column_int(stmt, 23);
    e->prefer_weekdays = (unsigned)sqlite3_column_int(stmt, 26);
    store_col_date(stmt, 27, &e->prefer_first);
    store_col_date(stmt, 28, &e->prefer_last);
    e->opens_min = sqlite3_column_int(stmt, 29);
    e->closes_min = sqlite3_column_int(stmt, 30);
    if ((rc = store_col_text(stmt, 31, &e->breaks)) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (cv_event_kind_parse((const char *)sqlite3_column_text(stmt, 3), &e->kind) < 0 ||
        cv_event_status_parse((const char *)sqlite3_column_text(stmt, 10), &e->status) < 0)
        return cv_error_set(err, CV_ESTORE, "event %s has an unknown kind or status", e->key);
    store_col_date(stmt, 11, &e->window_start);
    store_col_date(stmt, 12, &e->window_end);
    e->days = sqlite3_column_int(stmt, 13);
    store_col_date(stmt, 14, &e->start);
    store_col_date(stmt, 15, &e->end);
    e->sequence = sqlite3_column_int(stmt, 16);
    e->revision = sqlite3_column_int64(stmt, 17);
    e->scenario = sqlite3_column_int(stmt, 21) != 0;

    rc = store_prepare(st, "SELECT lang, title FROM event_title WHERE event_id = ?1 ORDER BY lang",
                       &titles, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, titles, SQLITE_OK};
    store_bind_int(&b, 1, sqlite3_column_int64(stmt, 0));
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        rc = cv_event_set_title(e, (const char *)sqlite3_column_text(titles, 0),
                                (const char *)sqlite3_column_text(titles, 1));
        if (rc < 0) {
            rc = rc == CV_ENOMEM ? cv_error_set(err, rc, "out of memory")
                                 : cv_error_set(err, rc, "event %s has a bad title", e->key);
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot read titles");
out:
    sqlite3_finalize(titles);
    return rc;
}

int cv_store_event_get(struct cv_store *st, const char *key, struct cv_event *out,
                       struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT " EVENT_COLUMNS " FROM event WHERE key = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, key);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = event_from_row(st, stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'; 'convene event list' shows the keys",
                          key);
    else
        rc = store_error(st, err, rc, "cannot read an event");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_event_list(struct cv_store *st, struct cv_event_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT " EVENT_COLUMNS " FROM event"
                           " ORDER BY coalesce(start_date, window_start, '9999') , key",
                           &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct cv_event *e;
        if ((rc = cv_event_list_add(out, &e)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if ((rc = event_from_row(st, stmt, e, err)) < 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list events");
out:
    sqlite3_finalize(stmt);
    return rc;
}

/* Binds every column but id, in EVENT_COLUMNS order from ?1 (key) to ?28 (prefer_last). */
static void bind_event(struct store_binds *b, const struct cv_event *e)
{
    store_bind_text(b, 1, e->key);
    store_bind_text(b, 2, e->uid);
    store_bind_text(b, 3, cv_event_kind_name(e->kind));
    store_bind_text(b, 4, e->title);
    store_bind_text(b, 5, e->region);
    store_bind_text(b, 6, e->city);
    store_bind_text(b, 7, e->country);
    store_bind_text(b, 8, e->venue);
    store_bind_text(b, 9, e->tzid);
    store_bind_text(b, 10, cv_event_status_name(e->status));
    store_bind_date(b, 11, &e->window_start);
    store_bind_date(b, 12, &e->window_end);
    store_bind_int(b, 13, e->days);
    store_bind_date(b, 14, &e->start);
    store_bind_date(b, 15, &e->end);
    store_bind_int(b, 16, e->sequence);
    store_bind_int(b, 17, e->revision);
    store_bind_text(b, 18, e->source_url);
    store_bind_text(b, 19, e->description);
    store_bind_text(b, 20, e->inside);
    store_bind_int(b, 21, e->scenario);
    store_bind_text(b, 22, e->audience);
    store_bind_int(b, 23, e->lead_days);
    store_bind_text(b, 24, e->blackouts);
    store_bind_text(b, 25, e->avoids);
    store_bind_int(b, 26, (int)e->prefer_weekdays);
    store_bind_date(b, 27, &e->prefer_first);
    store_bind_date(b, 28, &e->prefer_last);
    store_bind_int(b, 29, e->opens_min);
    store_bind_int(b, 30, e->closes_min);
    store_bind_text(b, 31, e->breaks);
}

static int put_titles(struct cv_store *st, const struct cv_event *e, struct cv_error *err)
{
    sqlite3_stmt *del = NULL, *ins = NULL;
    int rc = store_prepare(st,
                           "DELETE FROM event_title WHERE event_id ="
                           " (SELECT id FROM event WHERE key = ?1)",
                           &del, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, del, SQLITE_OK};
    store_bind_text(&b, 1, e->key);
    rc = store_step(&b);
    if (rc != SQLITE_DONE) {
        rc = store_error(st, err, rc, "cannot store titles");
        goto out;
    }
    rc = store_prepare(st,
                       "INSERT INTO event_title (event_id, lang, title)"
                       " SELECT id, ?2, ?3 FROM event WHERE key = ?1",
                       &ins, err);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < e->ntitles; i++) {
        sqlite3_reset(ins);
        b = (struct store_binds){st, ins, SQLITE_OK};
        store_bind_text(&b, 1, e->key);
        store_bind_text(&b, 2, e->titles[i].lang);
        store_bind_text(&b, 3, e->titles[i].text);
        rc = store_step(&b);
        if (rc != SQLITE_DONE) {
            rc = store_error(st, err, rc, "cannot store titles");
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    return rc;
}

int cv_store_event_insert(struct cv_store *st, const struct cv_event *e, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = cv_event_validate(e, err);
    if (rc < 0)
        return rc;
    rc = store_prepare(
        st,
        "INSERT INTO event (key, uid, kind, title, region, city, country, venue,"
        " tzid, status, window_start, window_end, days, start_date, end_date,"
        " sequence, revision, source_url, description, inside, scenario, audience,"
        " lead_days, blackouts, avoids, prefer_weekdays, prefer_first, prefer_last,"
        " opens_min, closes_min, breaks)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    bind_event(&b, e);
    rc = store_step(&b);
    if (rc == SQLITE_DONE) {
        rc = put_titles(st, e, err);
    } else {
        rc = store_error(st, err, rc, "cannot add the event");
        if (rc == CV_ECONFLICT)
            cv_error_set(err, CV_ECONFLICT,
                         "an event with the key '%s' or its UID exists already; choose another "
                         "key",
                         e->key);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_event_update(struct cv_store *st, const struct cv_event *e, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = cv_event_validate(e, err);
    if (rc < 0)
        return rc;
    rc = store_prepare(st,
                       "UPDATE event SET uid = ?2, kind = ?3, title = ?4, region = ?5, city = ?6,"
                       " country = ?7, venue = ?8, tzid = ?9, status = ?10, window_start = ?11,"
                       " window_end = ?12, days = ?13, start_date = ?14, end_date = ?15,"
                       " sequence = ?16, revision = ?17, source_url = ?18, description = ?19,"
                       " inside = ?20, scenario = ?21, audience = ?22, lead_days = ?23,"
                       " blackouts = ?24, avoids = ?25, prefer_weekdays = ?26, prefer_first = ?27,"
                       " prefer_last = ?28, opens_min = ?29, closes_min = ?30, breaks = ?31"
                       " WHERE key = ?1",
                       &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    bind_event(&b, e);
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot update the event");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'", e->key);
    else
        rc = put_titles(st, e, err);
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_event_put(struct cv_store *st, const struct cv_event *e, enum cv_upsert *how,
                       struct cv_error *err)
{
    struct cv_event old;
    cv_event_init(&old);
    int rc = cv_store_event_get(st, e->key, &old, err);
    if (rc == CV_ENOTFOUND) {
        rc = cv_store_event_insert(st, e, err);
        *how = CV_UPSERT_INSERTED;
    } else if (rc == 0 && cv_event_equal(&old, e)) {
        *how = CV_UPSERT_UNCHANGED;
    } else if (rc == 0) {
        rc = cv_store_event_update(st, e, err);
        *how = CV_UPSERT_UPDATED;
    }
    cv_event_release(&old);
    return rc;
}
