/* SPDX-License-Identifier: MIT */
/* people.c: storing the programme record, people with their delegations, and member countries. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#include "banned.h"

/* ---- programme ---- */

/* Reads the programme's names in other languages into @out. */
static int programme_names_get(struct cv_store *st, struct cv_programme *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT lang, name FROM programme_name ORDER BY lang", &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(stmt, 0);
        const char *name = (const char *)sqlite3_column_text(stmt, 1);
        /* Both columns are NOT NULL: NULL is SQLite out of memory (NULL as the language would
         * have replaced the English name). */
        rc = lang && name ? cv_programme_set_name(out, lang, name) : CV_ENOMEM;
        if (rc < 0) {
            if (rc == CV_ENOMEM)
                cv_error_set(err, rc, "cannot read the programme's names: out of memory");
            else
                cv_error_set(err, CV_ESTORE, "the programme has a name in an unknown language");
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot read the programme's names");
out:
    sqlite3_finalize(stmt);
    return rc;
}

/* Replaces the programme's names in other languages with those of @p. */
static int programme_names_put(struct cv_store *st, const struct cv_programme *p,
                               struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "DELETE FROM programme_name", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds del = {st, stmt, SQLITE_OK};
    rc = store_step(&del);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store the programme's names");
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (rc < 0)
        return rc;
    rc = store_prepare(st, "INSERT INTO programme_name (lang, name) VALUES (?1, ?2)", &stmt, err);
    for (size_t i = 0; rc == 0 && i < p->nnames; i++) {
        sqlite3_reset(stmt);
        struct store_binds b = {st, stmt, SQLITE_OK};
        store_bind_text(&b, 1, p->names[i].lang);
        store_bind_text(&b, 2, p->names[i].text);
        rc = store_step(&b);
        rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store the programme's names");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_programme_get(struct cv_store *st, struct cv_programme *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(
        st, "SELECT key, name, organizer, languages, description, planning_date FROM programme",
        &stmt, err);
    if (rc < 0)
        return rc;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if ((rc = store_col_text(stmt, 0, &out->key)) < 0 ||
            (rc = store_col_text(stmt, 1, &out->name)) < 0 ||
            (rc = store_col_text(stmt, 2, &out->organizer)) < 0 ||
            (rc = store_col_text(stmt, 3, &out->languages)) < 0 ||
            (rc = store_col_text(stmt, 4, &out->description)) < 0)
            cv_error_set(err, rc, "out of memory");
        store_col_date(stmt, 5, &out->planning_date);
    } else if (rc == SQLITE_DONE) {
        rc = cv_error_set(err, CV_ENOTFOUND, "no programme yet; run 'convene init'");
    } else {
        rc = store_error(st, err, rc, "cannot read the programme");
    }
    sqlite3_finalize(stmt);
    if (rc == 0)
        rc = programme_names_get(st, out, err);
    return rc;
}

int cv_store_programme_put(struct cv_store *st, const struct cv_programme *p, enum cv_upsert *how,
                           struct cv_error *err)
{
    struct cv_programme old;
    sqlite3_stmt *stmt = NULL;
    int rc = cv_programme_validate(p, err);
    if (rc < 0)
        return rc;
    cv_programme_init(&old);
    rc = cv_store_programme_get(st, &old, err);
    if (rc == 0 && cv_programme_equal(&old, p)) {
        *how = CV_UPSERT_UNCHANGED;
        goto out;
    }
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    *how = rc == 0 ? CV_UPSERT_UPDATED : CV_UPSERT_INSERTED;
    rc = store_prepare(st,
                       "INSERT OR REPLACE INTO programme (id, key, name, organizer, languages,"
                       " description, planning_date) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                       &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, p->key);
    store_bind_text(&b, 2, p->name);
    store_bind_text(&b, 3, p->organizer);
    store_bind_text(&b, 4, p->languages);
    store_bind_text(&b, 5, p->description);
    store_bind_date(&b, 6, &p->planning_date);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store the programme");
    if (rc == 0)
        rc = programme_names_put(st, p, err);
out:
    sqlite3_finalize(stmt);
    cv_programme_release(&old);
    return rc;
}

/* ---- people ---- */

#define PERSON_COLUMNS "p.email, p.name, p.lang, p.country, d.country, d.kind, p.role, p.tzid"
#define PERSON_FROM    " FROM person p JOIN delegation d ON d.id = p.delegation_id"
#define PERSON_SELECT  "SELECT " PERSON_COLUMNS PERSON_FROM

static int person_from_row(sqlite3_stmt *stmt, struct cv_person *p, struct cv_error *err)
{
    int rc;
    if ((rc = store_col_text(stmt, 0, &p->email)) < 0 ||
        (rc = store_col_text(stmt, 1, &p->name)) < 0 ||
        (rc = store_col_text(stmt, 2, &p->lang)) < 0 ||
        (rc = store_col_text(stmt, 3, &p->country)) < 0 ||
        (rc = store_col_text(stmt, 7, &p->tzid)) < 0)
        return cv_error_set(err, rc, "out of memory");
    const char *dc = (const char *)sqlite3_column_text(stmt, 4);
    cv_str_copy(p->delegation.country, sizeof(p->delegation.country), dc ? dc : "");
    if (cv_delegation_kind_parse((const char *)sqlite3_column_text(stmt, 5), &p->delegation.kind) <
            0 ||
        cv_role_parse((const char *)sqlite3_column_text(stmt, 6), &p->role) < 0)
        return cv_error_set(err, CV_ESTORE, "person %s has an unknown delegation or role",
                            p->email);
    return 0;
}

int cv_store_person_get(struct cv_store *st, const char *email, struct cv_person *out,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, PERSON_SELECT " WHERE p.email = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = person_from_row(stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = cv_error_set(err, CV_ENOTFOUND, "no person with the address %s", email);
    else
        rc = store_error(st, err, rc, "cannot read a person");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_person_list(struct cv_store *st, struct cv_person_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, PERSON_SELECT " ORDER BY p.country, p.email", &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct cv_person *p;
        if ((rc = cv_person_list_add(out, &p)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if ((rc = person_from_row(stmt, p, err)) < 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list people");
out:
    sqlite3_finalize(stmt);
    return rc;
}

/* @return the id of the delegation (@country, @kind), creating it; < 0 on error. */
static int64_t delegation_id(struct cv_store *st, const struct cv_delegation *d,
                             struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int64_t id = CV_ESTORE;
    int rc = store_prepare(st,
                           "INSERT INTO delegation (country, kind) VALUES (?1, ?2)"
                           " ON CONFLICT (country, kind) DO UPDATE SET kind = excluded.kind"
                           " RETURNING id",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, d->country);
    store_bind_text(&b, 2, cv_delegation_kind_name(d->kind));
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(stmt, 0);
    else
        id = store_error(st, err, rc, "cannot store a delegation");
    sqlite3_finalize(stmt);
    return id;
}

int cv_store_person_put(struct cv_store *st, const struct cv_person *p, enum cv_upsert *how,
                        struct cv_error *err)
{
    struct cv_person old;
    sqlite3_stmt *stmt = NULL;
    int rc = cv_person_validate(p, err);
    if (rc < 0)
        return rc;
    cv_person_init(&old);
    rc = cv_store_person_get(st, p->email, &old, err);
    if (rc == 0 && cv_person_equal(&old, p)) {
        *how = CV_UPSERT_UNCHANGED;
        goto out;
    }
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    *how = rc == 0 ? CV_UPSERT_UPDATED : CV_UPSERT_INSERTED;
    int64_t did = delegation_id(st, &p->delegation, err);
    if (did < 0) {
        rc = (int)did;
        goto out;
    }
    rc = store_prepare(st,
                       "INSERT INTO person (email, name, lang, country, delegation_id, role, tzid)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                       " ON CONFLICT (email) DO UPDATE SET email = excluded.email,"
                       " name = excluded.name, lang = excluded.lang, country = excluded.country,"
                       " delegation_id = excluded.delegation_id, role = excluded.role,"
                       " tzid = excluded.tzid",
                       &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, p->email);
    store_bind_text(&b, 2, p->name);
    store_bind_text(&b, 3, p->lang);
    store_bind_text(&b, 4, p->country);
    store_bind_int(&b, 5, did);
    store_bind_text(&b, 6, cv_role_name(p->role));
    store_bind_text(&b, 7, p->tzid);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store a person");
out:
    sqlite3_finalize(stmt);
    cv_person_release(&old);
    return rc;
}

/* ---- member countries ---- */

#define COUNTRY_SELECT                                                                             \
    "SELECT iso2, name, region, capital, tzid, weekend, confidence, source_url FROM country"

static int country_from_row(sqlite3_stmt *stmt, struct cv_country *c, struct cv_error *err)
{
    int rc;
    const char *iso2 = (const char *)sqlite3_column_text(stmt, 0);
    cv_str_copy(c->iso2, sizeof(c->iso2), iso2 ? iso2 : "");
    if ((rc = store_col_text(stmt, 1, &c->name)) < 0 ||
        (rc = store_col_text(stmt, 2, &c->region)) < 0 ||
        (rc = store_col_text(stmt, 3, &c->capital)) < 0 ||
        (rc = store_col_text(stmt, 4, &c->tzid)) < 0 ||
        (rc = store_col_text(stmt, 6, &c->confidence)) < 0 ||
        (rc = store_col_text(stmt, 7, &c->source_url)) < 0)
        return cv_error_set(err, rc, "out of memory");
    c->weekend = (unsigned)sqlite3_column_int(stmt, 5);
    return 0;
}

static int country_get(struct cv_store *st, const char *iso2, struct cv_country *out,
                       struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, COUNTRY_SELECT " WHERE iso2 = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, iso2);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        rc = country_from_row(stmt, out, err);
    else if (rc == SQLITE_DONE)
        rc = CV_ENOTFOUND;
    else
        rc = store_error(st, err, rc, "cannot read a country");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_country_list(struct cv_store *st, struct cv_country_list *out, struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, COUNTRY_SELECT " ORDER BY region, name", &stmt, err);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct cv_country *c;
        if ((rc = cv_country_list_add(out, &c)) < 0) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if ((rc = country_from_row(stmt, c, err)) < 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list countries");
out:
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_country_put(struct cv_store *st, const struct cv_country *c, enum cv_upsert *how,
                         struct cv_error *err)
{
    struct cv_country old;
    sqlite3_stmt *stmt = NULL;
    int rc;

    cv_country_init(&old);
    rc = country_get(st, c->iso2, &old, err);
    if (rc == 0 && cv_country_equal(&old, c)) {
        *how = CV_UPSERT_UNCHANGED;
        goto out;
    }
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    *how = rc == 0 ? CV_UPSERT_UPDATED : CV_UPSERT_INSERTED;
    rc = store_prepare(st,
                       "INSERT OR REPLACE INTO country (iso2, name, region, capital, tzid,"
                       " weekend, confidence, source_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       &stmt, err);
    if (rc < 0)
        goto out;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, c->iso2);
    store_bind_text(&b, 2, c->name);
    store_bind_text(&b, 3, c->region);
    store_bind_text(&b, 4, c->capital);
    store_bind_text(&b, 5, c->tzid);
    store_bind_int(&b, 6, (int)c->weekend);
    store_bind_text(&b, 7, c->confidence);
    store_bind_text(&b, 8, c->source_url);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot store a country");
out:
    sqlite3_finalize(stmt);
    cv_country_release(&old);
    return rc;
}

/* ---- private-feed tokens ---- */

int cv_store_person_token_new(struct cv_store *st, const char *email, char token[CV_TOKEN_SIZE],
                              struct cv_error *err)
{
    unsigned char raw[16];
    char hash[CV_SHA256_HEX_SIZE];
    sqlite3_stmt *stmt = NULL;
    int rc;

    if (cv_random_bytes(raw, sizeof(raw)) < 0)
        return cv_error_set(err, CV_EIO, "the system's random source failed");
    cv_hex(raw, sizeof(raw), token);
    cv_sha256_hex(token, strlen(token), hash);
    rc = store_prepare(st, "UPDATE person SET token_hash = ?2, token_created = ?3 WHERE email = ?1",
                       &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    store_bind_text(&b, 2, hash);
    store_bind_int(&b, 3, cv_ctx_now(st->ctx));
    rc = store_step(&b);
    if (rc != SQLITE_DONE)
        rc = store_error(st, err, rc, "cannot store the token");
    else if (sqlite3_changes(st->db) == 0)
        rc = cv_error_set(err, CV_ENOTFOUND, "no person with the address %s", email);
    else
        rc = 0;
    sqlite3_finalize(stmt);
    if (rc < 0)
        memset(token, 0, CV_TOKEN_SIZE);
    return rc;
}

int cv_store_person_token_revoke(struct cv_store *st, const char *email, bool *had,
                                 struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc =
        store_prepare(st, "SELECT token_hash IS NOT NULL FROM person WHERE email = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    rc = store_step(&b);
    if (rc == SQLITE_ROW)
        *had = sqlite3_column_int(stmt, 0) != 0;
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (rc == SQLITE_DONE)
        return cv_error_set(err, CV_ENOTFOUND, "no person with the address %s", email);
    if (rc != SQLITE_ROW)
        return store_error(st, err, rc, "cannot read a token");
    rc = store_prepare(st,
                       "UPDATE person SET token_hash = NULL, token_created = NULL WHERE email = ?1",
                       &stmt, err);
    if (rc < 0)
        return rc;
    b = (struct store_binds){st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    rc = store_step(&b);
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot revoke the token");
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_person_token_hash(struct cv_store *st, const char *email,
                               char hash[CV_SHA256_HEX_SIZE], struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st, "SELECT token_hash FROM person WHERE email = ?1", &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, email);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(stmt, 0);
        if (h && strlen(h) == CV_SHA256_HEX_SIZE - 1) {
            memcpy(hash, h, CV_SHA256_HEX_SIZE);
            rc = 0;
        } else {
            rc = cv_error_set(err, CV_ENOTFOUND, "%s has no private feed token", email);
        }
    } else if (rc == SQLITE_DONE) {
        rc = cv_error_set(err, CV_ENOTFOUND, "no person with the address %s", email);
    } else {
        rc = store_error(st, err, rc, "cannot read a token");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int cv_store_person_by_token(struct cv_store *st, const char *token, struct cv_person *out,
                             struct cv_error *err)
{
    char hash[CV_SHA256_HEX_SIZE];
    sqlite3_stmt *stmt = NULL;
    cv_sha256_hex(token, strlen(token), hash);
    int rc = store_prepare(
        st, "SELECT " PERSON_COLUMNS ", p.token_hash" PERSON_FROM " WHERE p.token_hash = ?1", &stmt,
        err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, hash);
    rc = store_step(&b);
    if (rc == SQLITE_ROW) {
        /* The index found the row; compare once more in constant time. */
        const char *h = (const char *)sqlite3_column_text(stmt, 8);
        if (h && strlen(h) == strlen(hash) && cv_mem_equal_ct(h, hash, strlen(hash)))
            rc = person_from_row(stmt, out, err);
        else
            rc = cv_error_set(err, CV_ENOTFOUND, "no such feed");
    } else if (rc == SQLITE_DONE) {
        rc = cv_error_set(err, CV_ENOTFOUND, "no such feed");
    } else {
        rc = store_error(st, err, rc, "cannot look up a token");
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- attendance ---- */

void cv_attendance_list_init(struct cv_attendance_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_attendance_list_release(struct cv_attendance_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        cv_person_release(&l->v[i].person);
        free(l->v[i].delegated_to);
        free(l->v[i].via);
    }
    free(l->v);
    cv_attendance_list_init(l);
}

int cv_store_attendance(struct cv_store *st, const char *event_key, struct cv_attendance_list *out,
                        struct cv_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = store_prepare(st,
                           "SELECT " PERSON_COLUMNS ", i.partstat, i.replied, i.delegated_to,"
                           " g.via, i.reminded, i.sequence_sent" PERSON_FROM
                           " JOIN invitation i ON i.person_id = p.id"
                           " JOIN event e ON e.id = i.event_id"
                           " LEFT JOIN guest g ON g.person_id = p.id AND g.event_id = e.id"
                           " WHERE e.key = ?1 AND i.method = 'REQUEST' ORDER BY p.email",
                           &stmt, err);
    if (rc < 0)
        return rc;
    struct store_binds b = {st, stmt, SQLITE_OK};
    store_bind_text(&b, 1, event_key);
    while ((rc = store_step(&b)) == SQLITE_ROW) {
        if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        struct cv_attendance_row *r = &out->v[out->n++];
        memset(r, 0, sizeof(*r));
        cv_person_init(&r->person);
        if ((rc = person_from_row(stmt, &r->person, err)) < 0)
            goto out;
        cv_partstat_parse((const char *)sqlite3_column_text(stmt, 8), &r->partstat);
        r->replied = sqlite3_column_int64(stmt, 9);
        r->reminded = sqlite3_column_int64(stmt, 12);
        r->sequence_sent = sqlite3_column_int(stmt, 13);
        if (store_col_text(stmt, 10, &r->delegated_to) < 0 ||
            store_col_text(stmt, 11, &r->via) < 0) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_error(st, err, rc, "cannot list an event's invitations");
out:
    sqlite3_finalize(stmt);
    return rc;
}
