/* SPDX-License-Identifier: MIT */
/* outbox.c: invitations (what each person was last sent) and the outbox of mail messages, with
 * the state changes of a delivery attempt each in its own durable transaction. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "store_int.h"

#include "banned.h"

static const char *const state_names[] = {"queued", "sending", "sent", "deferred", "failed"};

const char *cv_outbox_state_name(enum cv_outbox_state s)
{
    return (unsigned)s < 5 ? state_names[s] : "queued";
}

static enum cv_outbox_state state_parse(const char *s)
{
    for (int i = 0; s && i < 5; i++) {
        if (strcmp(s, state_names[i]) == 0)
            return (enum cv_outbox_state)i;
    }
    return CV_OUTBOX_QUEUED;
}

/* ---- invitations ---- */

void cv_store_invitation_init(struct cv_store_invitation *i)
{
    memset(i, 0, sizeof(*i));
    cv_invitation_init(&i->inv);
    i->reply_sequence = -1;
}

void cv_store_invitation_release(struct cv_store_invitation *i)
{
    cv_invitation_release(&i->inv);
    free(i->method);
    free(i->sent_state);
    free(i->delegated_to);
    cv_store_invitation_init(i);
}

int cv_store_invitation_get(struct cv_store *st, const char *email, const char *event_key,
                            struct cv_store_invitation *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT p.email, e.key, i.role, i.partstat, i.sequence_sent, i.replied,"
                           " i.method, i.event_sequence, i.sent_state, i.updated,"
                           " i.reply_sequence, i.reply_dtstamp, i.delegated_to, i.reminded"
                           " FROM invitation i JOIN person p ON p.id = i.person_id"
                           " JOIN event e ON e.id = i.event_id WHERE p.email = ?1 AND e.key = ?2",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    store_bind_text(&b, 2, event_key);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        char *role = NULL, *partstat = NULL;
        rc = 0;
        if (store_col_text(stmt, 0, &out->inv.email) < 0 ||
            store_col_text(stmt, 1, &out->inv.event_key) < 0 ||
            store_col_text(stmt, 2, &role) < 0 || store_col_text(stmt, 3, &partstat) < 0 ||
            store_col_text(stmt, 6, &out->method) < 0 ||
            store_col_text(stmt, 8, &out->sent_state) < 0 ||
            store_col_text(stmt, 12, &out->delegated_to) < 0)
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        if (role)
            cv_role_parse(role, &out->inv.role);
        if (partstat)
            cv_partstat_parse(partstat, &out->inv.partstat);
        free(role);
        free(partstat);
        out->inv.sequence_sent = sqlite3_column_int(stmt, 4);
        out->inv.replied = sqlite3_column_int64(stmt, 5);
        out->event_sequence = sqlite3_column_int(stmt, 7);
        out->updated = sqlite3_column_int64(stmt, 9);
        out->reply_sequence =
            sqlite3_column_type(stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(stmt, 10);
        out->reply_dtstamp = sqlite3_column_int64(stmt, 11);
        out->reminded = sqlite3_column_int64(stmt, 13);
    } else if (rc == SQLITE_DONE) {
        rc = CV_ENOTFOUND;
    } else {
        rc = store_error(st, err, rc, "cannot read an invitation");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_invitation_emails(struct cv_store *st, const char *event_key, struct cv_strset *out,
                               struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT p.email FROM invitation i JOIN person p ON p.id = i.person_id"
                           " JOIN event e ON e.id = i.event_id WHERE e.key = ?1",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        if (cv_strset_add(out, (const char *)sqlite3_column_text(stmt, 0)) < 0) {
            sqlite3_finalize(stmt);
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list invitations");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_invitation_put(struct cv_store *st, const struct cv_store_invitation *i,
                            struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(
        st,
        "INSERT INTO invitation (person_id, event_id, role, partstat, method, sequence_sent,"
        " event_sequence, sent_state, updated, replied)"
        " SELECT p.id, e.id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL FROM person p, event e"
        " WHERE p.email = ?1 AND e.key = ?2"
        " ON CONFLICT (person_id, event_id) DO UPDATE SET role = excluded.role,"
        " method = excluded.method, sequence_sent = excluded.sequence_sent,"
        " event_sequence = excluded.event_sequence, sent_state = excluded.sent_state,"
        " updated = excluded.updated",
        &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, i->inv.email);
    store_bind_text(&b, 2, i->inv.event_key);
    store_bind_text(&b, 3, cv_role_name(i->inv.role));
    store_bind_text(&b, 4, cv_partstat_name(i->inv.partstat));
    store_bind_text(&b, 5, i->method);
    store_bind_int(&b, 6, i->inv.sequence_sent);
    store_bind_int(&b, 7, i->event_sequence);
    store_bind_text(&b, 8, i->sent_state ? i->sent_state : "");
    store_bind_int(&b, 9, i->updated);
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store an invitation");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "no person %s or no event %s", i->inv.email,
                          i->inv.event_key);
    else
        rc = 0;
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- outbox ---- */

void cv_outbox_msg_init(struct cv_outbox_msg *m)
{
    memset(m, 0, sizeof(*m));
}

void cv_outbox_msg_release(struct cv_outbox_msg *m)
{
    free(m->message_id);
    free(m->event_key);
    free(m->kind);
    free(m->method);
    free(m->sender);
    free(m->recipient);
    free(m->last_reply);
    free(m->data);
    cv_outbox_msg_init(m);
}

void cv_outbox_list_init(struct cv_outbox_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_outbox_list_release(struct cv_outbox_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_outbox_msg_release(&l->v[i]);
    free(l->v);
    cv_outbox_list_init(l);
}

#define OUTBOX_COLUMNS                                                                             \
    "id, message_id, event_key, kind, method, sequence, sender, recipient, state, attempts,"       \
    " ambiguous, created, next_attempt, expires, last_attempt, sent_at, last_code, last_reply"

/* Reads the OUTBOX_COLUMNS of a row, and the bytes from column 18 when @with_data. */
static int read_msg(sqlite3_stmt *stmt, bool with_data, struct cv_outbox_msg *m,
                    struct cv_error *err)
{
    char *state = NULL;
    m->id = sqlite3_column_int64(stmt, 0);
    if (store_col_text(stmt, 1, &m->message_id) < 0 || store_col_text(stmt, 2, &m->event_key) < 0 ||
        store_col_text(stmt, 3, &m->kind) < 0 || store_col_text(stmt, 4, &m->method) < 0 ||
        store_col_text(stmt, 6, &m->sender) < 0 || store_col_text(stmt, 7, &m->recipient) < 0 ||
        store_col_text(stmt, 8, &state) < 0 || store_col_text(stmt, 17, &m->last_reply) < 0) {
        free(state);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    m->sequence = sqlite3_column_int(stmt, 5);
    m->state = state_parse(state);
    free(state);
    m->attempts = sqlite3_column_int(stmt, 9);
    m->ambiguous = sqlite3_column_int(stmt, 10);
    m->created = sqlite3_column_int64(stmt, 11);
    m->next_attempt = sqlite3_column_int64(stmt, 12);
    m->expires = sqlite3_column_int64(stmt, 13);
    m->last_attempt = sqlite3_column_int64(stmt, 14);
    m->sent_at = sqlite3_column_int64(stmt, 15);
    m->last_code = (long)sqlite3_column_int64(stmt, 16);
    if (with_data) {
        const void *p = sqlite3_column_blob(stmt, 18);
        size_t n = (size_t)sqlite3_column_bytes(stmt, 18);
        m->data = malloc(n + 1);
        if (!m->data)
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        if (n)
            memcpy(m->data, p, n);
        m->data[n] = '\0';
        m->len = n;
    }
    return 0;
}

int cv_store_outbox_add(struct cv_store *st, const struct cv_outbox_msg *m, bool *added,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "INSERT INTO outbox (message_id, event_key, kind, method, sequence,"
                           " sender, recipient, state, created, next_attempt, expires)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?9, ?10)"
                           " ON CONFLICT (message_id) DO NOTHING",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, m->message_id);
    store_bind_text(&b, 2, m->event_key);
    store_bind_text(&b, 3, m->kind);
    store_bind_text(&b, 4, m->method);
    store_bind_int(&b, 5, m->sequence);
    store_bind_text(&b, 6, m->sender);
    store_bind_text(&b, 7, m->recipient);
    store_bind_int(&b, 8, m->created);
    store_bind_int(&b, 9, m->next_attempt);
    store_bind_int(&b, 10, m->expires);
    rc = store_step(&b);
    if (rc != SQLITE_DONE) {
        rc = store_error(st, err, rc, "cannot queue a message");
        goto out;
    }
    *added = sqlite3_changes(st->db) > 0;
    rc = 0;
    if (!*added)
        goto out;
    int64_t id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(stmt);
    stmt = NULL;
    if ((rc = store_prepare(st, "INSERT INTO outbox_data (outbox_id, data) VALUES (?1, ?2)", &stmt,
                            err)) < 0)
        goto out;
    b = (struct store_binds){st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    store_bind_blob(&b, 2, m->data, m->len, SQLITE_TRANSIENT);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot queue a message");
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_outbox_list(struct cv_store *st, struct cv_outbox_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id", &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0) {
            sqlite3_finalize(stmt);
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        }
        struct cv_outbox_msg *m = &out->v[out->n++];
        cv_outbox_msg_init(m);
        if ((rc = read_msg(stmt, false, m, err)) < 0) {
            sqlite3_finalize(stmt);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list the outbox");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_outbox_get(struct cv_store *st, int64_t id, struct cv_outbox_msg *out,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT " OUTBOX_COLUMNS ", data FROM outbox JOIN outbox_data ON"
                           " outbox_id = id WHERE id = ?1",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, id);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = read_msg(stmt, true, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND,
                          "no message %lld in the outbox; see 'convene outbox "
                          "list'",
                          (long long)id);
    else
        rc = store_error(st, err, rc, "cannot read the outbox");
    sqlite3_finalize(stmt);
    return rc;
}

enum { Q_DUE, Q_TAKE, Q_FINISH, Q_RELEASE };

/* A claim reads messages no further than this many bytes in all (the first always). */
#define CLAIM_BYTES (4u << 20)

void cv_outbox_batch_release(struct cv_outbox_msg *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cv_outbox_msg_release(&v[i]);
}

int cv_store_outbox_claim(struct cv_store *st, int64_t now, struct cv_outbox_msg *out, size_t max,
                          size_t *n, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    size_t k = 0, bytes = 0;
    *n = 0;
    int rc = cv_store_begin(st, err);
    if (rc < 0)
        return rc;
    rc = store_cached(st, Q_DUE,
                      "SELECT " OUTBOX_COLUMNS ", data FROM outbox JOIN outbox_data ON"
                      " outbox_id = id WHERE state IN ('queued', 'deferred') AND"
                      " next_attempt <= ?1 ORDER BY next_attempt, id LIMIT ?2",
                      &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, now);
    store_bind_int(&b, 2, (int64_t)max);
    while (k < max && bytes < CLAIM_BYTES) {
        int step = store_step(&b);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = store_error(st, err, step, "cannot read the outbox");
            break;
        }
        cv_outbox_msg_init(&out[k]);
        if ((rc = read_msg(stmt, true, &out[k], err)) < 0) {
            cv_outbox_msg_release(&out[k]);
            break;
        }
        bytes += out[k++].len;
    }
    store_cached_done(stmt);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < k && rc == 0; i++) {
        if ((rc = store_cached(st, Q_TAKE, "UPDATE outbox SET state = 'sending' WHERE id = ?1",
                               &stmt, err)) < 0)
            break;
        b = (struct store_binds){st, stmt, SQLITE_OK};
        store_bind_int(&b, 1, out[i].id);
        int step = store_step(&b);
        rc = step == SQLITE_DONE ? 0 : store_error(st, err, step, "cannot claim a message");
        store_cached_done(stmt);
    }
    if (rc == 0)
        rc = cv_store_commit(st, err);
out:
    if (rc < 0) {
        cv_store_rollback(st);
        cv_outbox_batch_release(out, k);
        return rc;
    }
    *n = k;
    return k ? 0 : CV_ENOTFOUND;
}

int cv_store_outbox_unclaim(struct cv_store *st, const struct cv_outbox_msg *v, size_t n,
                            struct cv_error *err)
{
    if (!n)
        return 0;
    int rc = cv_store_begin(st, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_stmt *stmt = NULL;
        if ((rc = store_cached(st, Q_RELEASE,
                               "UPDATE outbox SET state = ?2 WHERE id = ?1 AND state = 'sending'",
                               &stmt, err)) < 0)
            break;
        struct store_binds b = {st, stmt, SQLITE_OK};
        store_bind_int(&b, 1, v[i].id);
        store_bind_static(&b, 2, cv_outbox_state_name(v[i].state));
        int step = store_step(&b);
        rc = step == SQLITE_DONE ? 0 : store_error(st, err, step, "cannot give a message back");
        store_cached_done(stmt);
    }
    if (rc == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0)
        cv_store_rollback(st);
    return rc;
}

/* Records the outcome of @m's attempt: one UPDATE. */
static int finish_row(struct cv_store *st, const struct cv_outbox_msg *m, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_cached(st, Q_FINISH,
                          "UPDATE outbox SET state = ?2, next_attempt = ?3, ambiguous = ?4,"
                          " sent_at = ?5, last_code = ?6, last_reply = ?7, attempts = ?8,"
                          " last_attempt = ?9 WHERE id = ?1",
                          &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, m->id);
    store_bind_static(&b, 2, cv_outbox_state_name(m->state));
    store_bind_int(&b, 3, m->next_attempt);
    store_bind_int(&b, 4, m->ambiguous);
    if (m->sent_at)
        store_bind_int(&b, 5, m->sent_at);
    if (m->last_code)
        store_bind_int(&b, 6, m->last_code);
    store_bind_text(&b, 7, m->last_reply);
    store_bind_int(&b, 8, m->attempts);
    if (m->last_attempt)
        store_bind_int(&b, 9, m->last_attempt);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot record a delivery");
    store_cached_done(stmt);
    return rc;
}

int cv_store_outbox_finish(struct cv_store *st, const struct cv_outbox_msg *m, struct cv_error *err)
{
    /* One UPDATE, its own transaction (autocommit): BEGIN and COMMIT around it cost a third
     * of the time between the reply to a final dot and the next MAIL. */
    int rc = finish_row(st, m, err);
    if (rc == 0)
        store_sync_ask(st);
    return rc;
}

/* Runs one UPDATE with ?1 = @a and, if it has one, ?2 = @b in its own transaction; *@n gets the
 * rows changed. */
static int update_count(struct cv_store *st, const char *sql, int64_t a, int64_t b, long *n,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = cv_store_begin(st, err);
    if (rc < 0)
        return rc;
    rc = store_prepare(st, sql, &stmt, err);
    if (rc == 0) {
        struct store_binds binds = {st, stmt, SQLITE_OK};
        store_bind_int(&binds, 1, a);
        if (sqlite3_bind_parameter_count(stmt) >= 2)
            store_bind_int(&binds, 2, b);
        rc = store_step(&binds);
        rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot update the outbox");
        *n = sqlite3_changes(st->db);
        sqlite3_finalize(stmt);
    }
    if (rc == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0)
        cv_store_rollback(st);
    return rc;
}

int cv_store_outbox_recover(struct cv_store *st, int64_t now, long *n, struct cv_error *err)
{
    return update_count(st,
                        "UPDATE outbox SET state = 'queued', next_attempt = ?1,"
                        " last_reply = coalesce(last_reply,"
                        " 'a run that had taken it was interrupted; queued again')"
                        " WHERE state = 'sending'",
                        now, 0, n, err);
}

int cv_store_outbox_retry(struct cv_store *st, int64_t id, int64_t now, long *n,
                          struct cv_error *err)
{
    int rc = update_count(st,
                          "UPDATE outbox SET state = 'queued', next_attempt = ?2"
                          " WHERE state IN ('deferred', 'failed') AND (?1 = 0 OR id = ?1)",
                          id, now, n, err);
    if (rc == 0 && id && *n == 0) {
        struct cv_outbox_msg m;
        cv_outbox_msg_init(&m);
        rc = cv_store_outbox_get(st, id, &m, err);
        if (rc == 0)
            rc = cv_error_set(err, CV_ECONFLICT, "message %lld is %s, not deferred or failed",
                              (long long)id, cv_outbox_state_name(m.state));
        cv_outbox_msg_release(&m);
    }
    return rc;
}

int cv_store_outbox_pause(struct cv_store *st, int64_t until, long *n, struct cv_error *err)
{
    return update_count(st,
                        "UPDATE outbox SET next_attempt = ?1 WHERE state IN ('queued', 'deferred')"
                        " AND next_attempt < ?1",
                        until, 0, n, err);
}

int cv_store_outbox_attempts_since(struct cv_store *st, int64_t since, long *n,
                                   struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT count(*) FROM outbox WHERE last_attempt >= ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_int(&b, 1, since);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(stmt, 0);
        rc = 0;
    } else {
        rc = store_error(st, err, rc, "cannot count the outbox");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_outbox_counts(struct cv_store *st, long counts[5], struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT state, count(*) FROM outbox GROUP BY state", &stmt, err);
    if (rc < 0)
        return rc;
    for (int i = 0; i < 5; i++)
        counts[i] = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        counts[state_parse((const char *)sqlite3_column_text(stmt, 0))] =
            (long)sqlite3_column_int64(stmt, 1);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot count the outbox");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_outbox_lock(struct cv_store *st, struct cv_error *err)
{
    char path[4200];
    const char *db = sqlite3_db_filename(st->db, "main");
    if (st->send_lock >= 0)
        return 0;
    if (!db || !*db)
        return cv_error_set(err, CV_EINVAL, "the database has no file to lock beside");
    snprintf(path, sizeof(path), "%s.send-lock", db);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        cv_error_at(err, path, 0);
        return cv_error_set(err, CV_EIO, "cannot create the send lock: %s", strerror(errno));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return cv_error_set(err, CV_EBUSY,
                                "another 'convene outbox send' is sending from %s; wait for it "
                                "to finish",
                                db);
        cv_error_at(err, path, 0);
        return cv_error_set(err, CV_EIO, "cannot take the send lock: %s", strerror(e));
    }
    st->send_lock = fd;
    return 0;
}

void cv_store_outbox_unlock(struct cv_store *st)
{
    if (st->send_lock >= 0)
        close(st->send_lock);
    st->send_lock = -1;
}
