/* SPDX-License-Identifier: MIT */
/* replies.c: what replies did to invitations (PARTSTAT, the SEQUENCE and DTSTAMP that make a
 * later reply stale), the log of every reply read, the replies held back by the per-sender
 * limit, guests invited outside an audience. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#include "banned.h"

static const char *const outcome_names[] = {"applied", "ignored", "pending", "counter", "limited"};

const char *cv_reply_outcome_name(enum cv_reply_outcome o)
{
    return (unsigned)o < 5 ? outcome_names[o] : "ignored";
}

static enum cv_reply_outcome outcome_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++) {
        if (strcmp(s, outcome_names[i]) == 0)
            return (enum cv_reply_outcome)i;
    }
    return CV_REPLY_IGNORED;
}

/* Runs a one-row UPDATE already bound; CV_ENOTFOUND when it changed nothing. */
static int step_update(struct cv_store *st, struct store_binds *b, const char *what,
                       struct cv_error *err)
{
    int rc = store_step(b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, what);
    else
        rc = sqlite3_changes(st->db) ? 0 : CV_ENOTFOUND;
    sqlite3_finalize(b->stmt);
    return rc;
}

int cv_store_invitation_reply(struct cv_store *st, const char *email, const char *event_key,
                              enum cv_partstat partstat, int sequence, int64_t dtstamp,
                              int64_t replied, const char *delegated_to, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "UPDATE invitation SET partstat = ?3, reply_sequence = ?4,"
                           " reply_dtstamp = ?5, replied = ?6, delegated_to = ?7"
                           " WHERE person_id = (SELECT id FROM person WHERE email = ?1)"
                           " AND event_id = (SELECT id FROM event WHERE key = ?2)",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    store_bind_text(&b, 2, event_key);
    store_bind_text(&b, 3, cv_partstat_name(partstat));
    store_bind_int(&b, 4, sequence);
    store_bind_int(&b, 5, dtstamp);
    store_bind_int(&b, 6, replied);
    store_bind_text(&b, 7, delegated_to);
    return step_update(st, &b, "cannot record a reply", err);
}

int cv_store_invitation_reminded(struct cv_store *st, const char *email, const char *event_key,
                                 int64_t when, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "UPDATE invitation SET reminded = ?3"
                           " WHERE person_id = (SELECT id FROM person WHERE email = ?1)"
                           " AND event_id = (SELECT id FROM event WHERE key = ?2)",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    store_bind_text(&b, 2, event_key);
    store_bind_int(&b, 3, when);
    return step_update(st, &b, "cannot record a reminder", err);
}

int cv_store_guest_add(struct cv_store *st, const char *email, const char *event_key,
                       const char *via, int64_t now, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "INSERT INTO guest (person_id, event_id, via, added)"
                           " SELECT p.id, e.id, ?3, ?4 FROM person p, event e"
                           " WHERE p.email = ?1 AND e.key = ?2"
                           " ON CONFLICT (person_id, event_id) DO NOTHING",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    store_bind_text(&b, 2, event_key);
    store_bind_text(&b, 3, via);
    store_bind_int(&b, 4, now);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot add a guest");
    sqlite3_finalize(stmt);
    if (rc == 0) {
        char *was = NULL;
        rc = cv_store_guest_via(st, email, event_key, &was, err);
        free(was);
        if (rc == CV_ENOTFOUND)
            rc = cv_error_set(err, CV_ENOTFOUND, "no person %s or no event %s", email, event_key);
    }
    return rc;
}

/* Runs @sql (one text column) with ?1 = @a, ?2 = @b (may be NULL): *@out gets the first row's
 * value; CV_ENOTFOUND (silently) when there is none. */
static int one_text(struct cv_store *st, const char *sql, const char *a, const char *b, char **out,
                    const char *what, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, sql, &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds binds = {st, stmt, SQLITE_OK};
    store_bind_text(&binds, 1, a);
    if (b)
        store_bind_text(&binds, 2, b);
    rc = store_step(&binds);
    if (rc == SQLITE_ROW)
        rc = store_col_text(stmt, 0, out) < 0 ? cv_error_set(err, CV_ENOMEM, "out of memory") : 0;
    else if (rc == SQLITE_DONE)
        rc = CV_ENOTFOUND;
    else
        rc = store_error(st, err, rc, what);
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_guest_via(struct cv_store *st, const char *email, const char *event_key, char **via,
                       struct cv_error *err)
{
    return one_text(st,
                    "SELECT g.via FROM guest g JOIN person p ON p.id = g.person_id"
                    " JOIN event e ON e.id = g.event_id WHERE p.email = ?1 AND e.key = ?2",
                    email, event_key, via, "cannot read a guest", err);
}

void cv_store_reply_init(struct cv_store_reply *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_store_reply_release(struct cv_store_reply *r)
{
    free(r->source);
    free(r->message_id);
    free(r->sender);
    free(r->attendee);
    free(r->name);
    free(r->event_key);
    free(r->uid);
    free(r->method);
    free(r->partstat);
    free(r->reason);
    free(r->proposal);
    free(r->decision);
    cv_store_reply_init(r);
}

void cv_store_reply_list_init(struct cv_store_reply_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_store_reply_list_release(struct cv_store_reply_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_store_reply_release(&l->v[i]);
    free(l->v);
    cv_store_reply_list_init(l);
}

int cv_store_reply_add(struct cv_store *st, const struct cv_store_reply *r, int64_t *id,
                       struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "INSERT INTO reply (received, source, message_id, sender, attendee,"
                           " name, event_key, uid, method, partstat, sequence, dtstamp, outcome,"
                           " reason, proposal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                           " ?11, ?12, ?13, ?14, ?15)",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, r->received);
    store_bind_text(&b, 2, r->source ? r->source : "");
    store_bind_text(&b, 3, r->message_id);
    store_bind_text(&b, 4, r->sender);
    store_bind_text(&b, 5, r->attendee);
    store_bind_text(&b, 6, r->name);
    store_bind_text(&b, 7, r->event_key);
    store_bind_text(&b, 8, r->uid);
    store_bind_text(&b, 9, r->method);
    store_bind_text(&b, 10, r->partstat);
    store_bind_int(&b, 11, r->sequence);
    store_bind_int(&b, 12, r->dtstamp);
    store_bind_text(&b, 13, cv_reply_outcome_name(r->outcome));
    store_bind_text(&b, 14, r->reason ? r->reason : "");
    store_bind_text(&b, 15, r->proposal);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot record a reply");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(stmt);
    return rc;
}

#define REPLY_SELECT                                                                               \
    "SELECT id, received, source, message_id, sender, attendee, name, event_key, uid, method,"     \
    " partstat, sequence, dtstamp, outcome, reason, proposal, decision, decided FROM reply"

static int reply_from_row(sqlite3_stmt *stmt, struct cv_store_reply *r, struct cv_error *err)
{
    char *outcome = NULL;
    r->id = sqlite3_column_int64(stmt, 0);
    r->received = sqlite3_column_int64(stmt, 1);
    r->sequence = sqlite3_column_int(stmt, 11);
    r->dtstamp = sqlite3_column_int64(stmt, 12);
    r->decided = sqlite3_column_int64(stmt, 17);
    if (store_col_text(stmt, 2, &r->source) < 0 || store_col_text(stmt, 3, &r->message_id) < 0 ||
        store_col_text(stmt, 4, &r->sender) < 0 || store_col_text(stmt, 5, &r->attendee) < 0 ||
        store_col_text(stmt, 6, &r->name) < 0 || store_col_text(stmt, 7, &r->event_key) < 0 ||
        store_col_text(stmt, 8, &r->uid) < 0 || store_col_text(stmt, 9, &r->method) < 0 ||
        store_col_text(stmt, 10, &r->partstat) < 0 || store_col_text(stmt, 13, &outcome) < 0 ||
        store_col_text(stmt, 14, &r->reason) < 0 || store_col_text(stmt, 15, &r->proposal) < 0 ||
        store_col_text(stmt, 16, &r->decision) < 0) {
        free(outcome);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    r->outcome = outcome_parse(outcome);
    free(outcome);
    return 0;
}

int cv_store_reply_list(struct cv_store *st, bool open_only, struct cv_store_reply_list *out,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           REPLY_SELECT " WHERE ?1 = 0 OR (outcome IN ('pending', 'counter') AND"
                                        " decision IS NULL) ORDER BY id",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, open_only);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0) {
            sqlite3_finalize(stmt);
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        }
        cv_store_reply_init(&out->v[out->n]);
        if ((rc = reply_from_row(stmt, &out->v[out->n++], err)) < 0) {
            sqlite3_finalize(stmt);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list replies");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_reply_get(struct cv_store *st, int64_t id, struct cv_store_reply *out,
                       struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, REPLY_SELECT " WHERE id = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = reply_from_row(stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND, "no reply %lld; see 'convene rsvp pending'",
                          (long long)id);
    else
        rc = store_error(st, err, rc, "cannot read a reply");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_reply_decide(struct cv_store *st, int64_t id, const char *decision, int64_t now,
                          struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc =
        store_prepare(st, "UPDATE reply SET decision = ?2, decided = ?3 WHERE id = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    store_bind_text(&b, 2, decision);
    store_bind_int(&b, 3, now);
    rc = step_update(st, &b, "cannot record a decision", err);
    if (rc == CV_ENOTFOUND)
        rc = cv_error_set(err, CV_ENOTFOUND, "no reply %lld", (long long)id);
    return rc;
}

int cv_store_event_key_by_uid(struct cv_store *st, const char *uid, char **key,
                              struct cv_error *err)
{
    return one_text(st, "SELECT key FROM event WHERE uid = ?1", uid, NULL, key,
                    "cannot look an event up", err);
}

int cv_store_reply_held(struct cv_store *st, const char *event_key, const char *attendee,
                        const char *method, int64_t dtstamp, bool *seen, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT count(*) FROM reply WHERE event_key = ?1 AND attendee = ?2"
                           " COLLATE NOCASE AND method = ?3 COLLATE NOCASE AND dtstamp = ?4"
                           " AND outcome IN ('pending', 'counter')",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    store_bind_text(&b, 2, attendee);
    store_bind_text(&b, 3, method);
    store_bind_int(&b, 4, dtstamp);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        *seen = sqlite3_column_int64(stmt, 0) > 0;
        rc = 0;
    } else {
        rc = store_error(st, err, rc, "cannot read the reply log");
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Runs @sql, a count(*) with ?1 = @a (text, may be NULL) and, if it has one, ?2 = @b. */
static int count_of(struct cv_store *st, const char *sql, const char *a, int64_t b, long *n,
                    const char *what, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, sql, &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds binds = {st, stmt, SQLITE_OK};
    store_bind_text(&binds, 1, a);
    if (sqlite3_bind_parameter_count(stmt) >= 2)
        store_bind_int(&binds, 2, b);
    rc = store_step(&binds);
    if (rc == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(stmt, 0);
        rc = 0;
    } else {
        rc = store_error(st, err, rc, what);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_reply_count_since(struct cv_store *st, const char *sender, int64_t since, long *n,
                               struct cv_error *err)
{
    return count_of(st,
                    "SELECT count(*) FROM reply WHERE sender = ?1 COLLATE NOCASE"
                    " AND received >= ?2",
                    sender, since, n, "cannot count a sender's replies", err);
}

void cv_store_held_init(struct cv_store_held *h)
{
    memset(h, 0, sizeof(*h));
}

void cv_store_held_release(struct cv_store_held *h)
{
    free(h->sender);
    free(h->source);
    free(h->message_id);
    free(h->authserv_id);
    free(h->data);
    cv_store_held_init(h);
}

void cv_store_held_list_init(struct cv_store_held_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_store_held_list_release(struct cv_store_held_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_store_held_release(&l->v[i]);
    free(l->v);
    cv_store_held_list_init(l);
}

int cv_store_held_add(struct cv_store *st, const struct cv_store_held *h, int64_t *id,
                      struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (!h->sender || !h->data)
        return cv_error_set(err, CV_EINVAL, "a held reply needs its sender and its message");
    int rc = store_prepare(st,
                           "INSERT INTO reply_held (received, sender, source, message_id,"
                           " authserv_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, h->received);
    store_bind_text(&b, 2, h->sender);
    store_bind_text(&b, 3, h->source ? h->source : "");
    store_bind_text(&b, 4, h->message_id);
    store_bind_text(&b, 5, h->authserv_id);
    store_bind_blob(&b, 6, h->data, h->len, SQLITE_STATIC);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot hold a reply");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_held_count(struct cv_store *st, const char *sender, long *n, struct cv_error *err)
{
    return count_of(st,
                    "SELECT count(*) FROM reply_held WHERE ?1 IS NULL"
                    " OR sender = ?1 COLLATE NOCASE",
                    sender, 0, n, "cannot count held replies", err);
}

/* Fills @h from a row of (id, received, sender, source, message_id, authserv_id[, data]). */
static int held_from_row(sqlite3_stmt *stmt, bool data, struct cv_store_held *h,
                         struct cv_error *err)
{
    h->id = sqlite3_column_int64(stmt, 0);
    h->received = sqlite3_column_int64(stmt, 1);
    if (store_col_text(stmt, 2, &h->sender) < 0 || store_col_text(stmt, 3, &h->source) < 0 ||
        store_col_text(stmt, 4, &h->message_id) < 0 || store_col_text(stmt, 5, &h->authserv_id) < 0)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    if (data) {
        const void *b = sqlite3_column_blob(stmt, 6);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 6);
        if (!(h->data = malloc(len + 1)))
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        if (len)
            memcpy(h->data, b, len);
        h->data[len] = '\0';
        h->len = len;
    }
    return 0;
}

int cv_store_held_list(struct cv_store *st, struct cv_store_held_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc =
        store_prepare(st,
                      "SELECT id, received, sender, source, message_id, authserv_id FROM reply_held"
                      " ORDER BY id",
                      &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0) {
            sqlite3_finalize(stmt);
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        }
        cv_store_held_init(&out->v[out->n]);
        if ((rc = held_from_row(stmt, false, &out->v[out->n++], err)) < 0) {
            sqlite3_finalize(stmt);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list held replies");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_held_get(struct cv_store *st, int64_t id, struct cv_store_held *out,
                      struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(
        st,
        "SELECT id, received, sender, source, message_id, authserv_id, data FROM reply_held"
        " WHERE id = ?1",
        &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = held_from_row(stmt, true, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND, "no held reply %lld", (long long)id);
    else
        rc = store_error(st, err, rc, "cannot read a held reply");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_held_delete(struct cv_store *st, int64_t id, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "DELETE FROM reply_held WHERE id = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    rc = step_update(st, &b, "cannot forget a held reply", err);
    if (rc == CV_ENOTFOUND)
        rc = cv_error_set(err, CV_ENOTFOUND, "no held reply %lld", (long long)id);
    return rc;
}
