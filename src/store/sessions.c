/* SPDX-License-Identifier: MIT */
/* sessions.c: storing the agenda items of events. */
#include <string.h>

#include "store_int.h"

#include "banned.h"

#define SESSION_SELECT                                                                             \
    "SELECT e.key, s.key, s.uid, s.title, s.track, s.minutes, s.min_capacity, s.start_utc,"        \
    " s.room, s.speakers, s.description, s.source_url, s.sequence, s.revision"                     \
    " FROM session s JOIN event e ON e.id = s.event_id"

static int session_from_row(sqlite3_stmt *stmt, struct cv_session *s, struct cv_error *err)
{
    int rc;
    if ((rc = store_col_text(stmt, 0, &s->event_key)) < 0 ||
        (rc = store_col_text(stmt, 1, &s->key)) < 0 ||
        (rc = store_col_text(stmt, 2, &s->uid)) < 0 ||
        (rc = store_col_text(stmt, 3, &s->title)) < 0 ||
        (rc = store_col_text(stmt, 8, &s->room)) < 0 ||
        (rc = store_col_text(stmt, 9, &s->speakers)) < 0 ||
        (rc = store_col_text(stmt, 10, &s->description)) < 0 ||
        (rc = store_col_text(stmt, 11, &s->source_url)) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (cv_track_parse((const char *)sqlite3_column_text(stmt, 4), &s->track) < 0)
        return cv_error_set(err, CV_ESTORE, "session %s has an unknown track", s->key);
    s->minutes = sqlite3_column_int(stmt, 5);
    s->min_capacity = sqlite3_column_int(stmt, 6);
    s->start = sqlite3_column_int64(stmt, 7);
    s->sequence = sqlite3_column_int(stmt, 12);
    s->revision = sqlite3_column_int64(stmt, 13);
    return 0;
}

int cv_store_session_list(struct cv_store *st, const char *event_key, struct cv_session_list *out,
                          struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           SESSION_SELECT " WHERE ?1 IS NULL OR e.key = ?1"
                                          " ORDER BY e.key, coalesce(s.start_utc, 0), s.key",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        struct cv_session *s;
        if ((rc = cv_session_list_add(out, &s)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if ((rc = session_from_row(stmt, s, err)) < 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list sessions");
out:
    sqlite3_finalize(stmt);
    return rc;
}

static int session_get(struct cv_store *st, const char *event_key, const char *key,
                       struct cv_session *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, SESSION_SELECT " WHERE e.key = ?1 AND s.key = ?2", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    store_bind_text(&b, 2, key);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = session_from_row(stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = CV_ENOTFOUND;
    else
        rc = store_error(st, err, rc, "cannot read a session");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_session_put(struct cv_store *st, const struct cv_session *s, enum cv_upsert *how,
                         struct cv_error *err)
{
    struct cv_session old;
    sqlite3_stmt *stmt = NULL;
    int rc = cv_session_validate(s, err);
    if (rc < 0)
        return rc;
    cv_session_init(&old);
    rc = session_get(st, s->event_key, s->key, &old, err);
    if (rc == 0 && cv_session_equal(&old, s)) {
        *how = CV_UPSERT_UNCHANGED;
        goto out;
    }
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    *how = rc == 0 ? CV_UPSERT_UPDATED : CV_UPSERT_INSERTED;
    rc = store_prepare(st,
                       "INSERT INTO session (event_id, key, uid, title, track, minutes,"
                       " min_capacity, start_utc, room, speakers, description, source_url,"
                       " sequence, revision)"
                       " SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14"
                       " FROM event WHERE key = ?1"
                       " ON CONFLICT (event_id, key) DO UPDATE SET uid = excluded.uid,"
                       " title = excluded.title, track = excluded.track,"
                       " minutes = excluded.minutes, min_capacity = excluded.min_capacity,"
                       " start_utc = excluded.start_utc, room = excluded.room,"
                       " speakers = excluded.speakers, description = excluded.description,"
                       " source_url = excluded.source_url, sequence = excluded.sequence,"
                       " revision = excluded.revision",
                       &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, s->event_key);
    store_bind_text(&b, 2, s->key);
    store_bind_text(&b, 3, s->uid);
    store_bind_text(&b, 4, s->title);
    store_bind_text(&b, 5, cv_track_name(s->track));
    store_bind_int(&b, 6, s->minutes);
    store_bind_int(&b, 7, s->min_capacity);
    if (s->start)
        store_bind_int(&b, 8, s->start);
    else
        store_bind_null(&b, 8);
    store_bind_text(&b, 9, s->room);
    store_bind_text(&b, 10, s->speakers);
    store_bind_text(&b, 11, s->description);
    store_bind_text(&b, 12, s->source_url);
    store_bind_int(&b, 13, s->sequence);
    store_bind_int(&b, 14, s->revision);
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store a session");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "session %s: no event '%s'", s->key, s->event_key);
    else
        rc = 0;
out:
    sqlite3_finalize(stmt);
    cv_session_release(&old);
    return rc;
}

/* ---- rooms ---- */

int cv_store_room_list(struct cv_store *st, const char *event_key, struct cv_room_list *out,
                       struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc =
        store_prepare(st,
                      "SELECT e.key, r.name, r.capacity FROM room r JOIN event e"
                      " ON e.id = r.event_id WHERE e.key = ?1 ORDER BY r.capacity DESC, r.name",
                      &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        struct cv_room *r;
        if ((rc = cv_room_list_add(out, &r)) < 0 ||
            (rc = store_col_text(stmt, 0, &r->event_key)) < 0 ||
            (rc = store_col_text(stmt, 1, &r->name)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        r->capacity = sqlite3_column_int(stmt, 2);
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list rooms");
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_room_put(struct cv_store *st, const struct cv_room *r, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (!r->name || !*r->name || cv_has_ctl(r->name) || r->capacity < 1)
        return cv_error_set(err, CV_EINVAL, "a room needs a name and a capacity of at least 1");
    int rc =
        store_prepare(st,
                      "INSERT INTO room (event_id, name, capacity) SELECT id, ?2, ?3 FROM event"
                      " WHERE key = ?1 ON CONFLICT (event_id, name) DO UPDATE SET"
                      " capacity = excluded.capacity",
                      &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, r->event_key);
    store_bind_text(&b, 2, r->name);
    store_bind_int(&b, 3, r->capacity);
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store a room");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'; 'convene event list' shows the keys",
                          r->event_key);
    else
        rc = 0;
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- speakers' preferences ---- */

int cv_store_speaker_pref_list(struct cv_store *st, const char *event_key,
                               struct cv_speaker_pref_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT e.key, p.name, p.days, p.from_min, p.to_min, p.weight,"
                           " p.not_on, p.not_before"
                           " FROM speaker_pref p JOIN event e ON e.id = p.event_id"
                           " WHERE e.key = ?1 ORDER BY p.name",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        struct cv_speaker_pref *p;
        if ((rc = cv_speaker_pref_list_add(out, &p)) < 0 ||
            (rc = store_col_text(stmt, 0, &p->event_key)) < 0 ||
            (rc = store_col_text(stmt, 1, &p->name)) < 0 ||
            (rc = store_col_text(stmt, 2, &p->days)) < 0 ||
            (rc = store_col_text(stmt, 6, &p->not_on)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        p->from_min = sqlite3_column_int(stmt, 3);
        p->to_min = sqlite3_column_int(stmt, 4);
        p->weight = sqlite3_column_int(stmt, 5);
        p->not_before = sqlite3_column_int(stmt, 7);
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list speakers' preferences");
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_speaker_pref_put(struct cv_store *st, const struct cv_speaker_pref *p,
                              struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (!p->name || !*p->name || cv_has_ctl(p->name) || strchr(p->name, ';'))
        return cv_error_set(err, CV_EINVAL, "a speaker's preference needs a name without ';'");
    if (p->weight < 1 || p->weight > 1000)
        return cv_error_set(err, CV_EINVAL, "a weight of 1 to 1000");
    if (p->from_min < 0 || p->to_min > 24 * 60 || p->from_min > p->to_min ||
        (p->from_min == p->to_min && p->from_min != 0))
        return cv_error_set(err, CV_EINVAL, "hours as HH:MM-HH:MM, the first before the second");
    if (p->not_before < 0 || p->not_before >= 24 * 60)
        return cv_error_set(err, CV_EINVAL, "not before a time of day, 00:00 to 23:59");
    int rc = store_prepare(st,
                           "INSERT INTO speaker_pref (event_id, name, days, from_min, to_min,"
                           " weight, not_on, not_before)"
                           " SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM event WHERE key = ?1"
                           " ON CONFLICT (event_id, name) DO UPDATE SET name = excluded.name,"
                           " days = excluded.days, from_min = excluded.from_min,"
                           " to_min = excluded.to_min, weight = excluded.weight,"
                           " not_on = excluded.not_on, not_before = excluded.not_before",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, p->event_key);
    store_bind_text(&b, 2, p->name);
    store_bind_text(&b, 3, p->days);
    store_bind_int(&b, 4, p->from_min);
    store_bind_int(&b, 5, p->to_min);
    store_bind_int(&b, 6, p->weight);
    store_bind_text(&b, 7, p->not_on);
    store_bind_int(&b, 8, p->not_before);
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store a speaker's preference");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'; 'convene event list' shows the keys",
                          p->event_key);
    else
        rc = 0;
    sqlite3_finalize(stmt);
    return rc;
}
