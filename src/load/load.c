/* SPDX-License-Identifier: MIT */
/* load.c: the shipped calendars, delegate lists and reference calendars into the store. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/defaults.h>
#include <convene/load.h>

#include "banned.h"

#define MAX_CSV_BYTES (16u * 1024 * 1024)

bool cv_load_report_is_noop(const struct cv_load_report *r)
{
    return r->programme == CV_UPSERT_UNCHANGED && !r->events.added && !r->events.updated &&
           !r->sessions.added && !r->members.added && !r->members.updated && !r->refcals.added &&
           !r->refcals.updated;
}

static void count(struct cv_load_counts *c, enum cv_upsert how)
{
    if (how == CV_UPSERT_INSERTED)
        c->added++;
    else if (how == CV_UPSERT_UPDATED)
        c->updated++;
    else
        c->unchanged++;
}

/* One input file: from a folder or from the compiled-in copies. */
struct source {
    const char *dir;
    char path[4096]; /* for messages */
    struct cv_buf data;
};

static int source_read(struct source *s, const char *rel, size_t max, struct cv_error *err)
{
    cv_buf_reset(&s->data);
    if (!s->dir) {
        const struct cv_default_file *f = cv_defaults_find(rel);
        snprintf(s->path, sizeof(s->path), "calendars/%s", rel);
        if (!f) {
            cv_error_at(err, s->path, 0);
            return cv_error_set(err, CV_ENOTFOUND, "not among the shipped calendars");
        }
        int rc = cv_buf_add(&s->data, f->data, f->len);
        return rc < 0 ? cv_error_set(err, rc, "out of memory") : 0;
    }
    int w = snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, rel);
    if (w < 0 || (size_t)w >= sizeof(s->path))
        return cv_error_set(err, CV_EINVAL, "the calendars folder's path is too long");
    return cv_file_read(s->path, max, &s->data, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The reference calendar files, relative to the calendars folder, sorted. */
static int list_refcals(const char *dir, char ***ret, size_t *n, struct cv_error *err)
{
    char **names = NULL;
    size_t alloc = 0;
    int rc = 0;

    *n = 0;
    if (!dir) {
        size_t nfiles;
        const struct cv_default_file *files = cv_defaults_files(&nfiles);
        for (size_t i = 0; i < nfiles && rc == 0; i++) {
            const char *p = files[i].path;
            size_t len = strlen(p);
            if (strncmp(p, "reference/", 10) != 0 || len < 4 || strcmp(p + len - 4, ".ics"))
                continue;
            rc = cv_grow(&names, &alloc, *n + 1, sizeof(char *));
            if (rc == 0 && !(names[*n] = strdup(p)))
                rc = CV_ENOMEM;
            if (rc == 0)
                (*n)++;
        }
    } else {
        char path[4096];
        snprintf(path, sizeof(path), "%s/reference", dir);
        DIR *d = opendir(path);
        if (!d) {
            cv_error_at(err, path, 0);
            return cv_error_set(err, CV_ENOTFOUND,
                                "no reference/ folder; give a folder laid out like calendars/");
        }
        struct dirent *de;
        while (rc == 0 && (de = readdir(d))) {
            size_t len = strlen(de->d_name);
            if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
                continue;
            rc = cv_grow(&names, &alloc, *n + 1, sizeof(char *));
            char rel[300];
            snprintf(rel, sizeof(rel), "reference/%s", de->d_name);
            if (rc == 0 && !(names[*n] = strdup(rel)))
                rc = CV_ENOMEM;
            if (rc == 0)
                (*n)++;
        }
        closedir(d);
    }
    if (rc < 0) {
        for (size_t i = 0; i < *n; i++)
            free(names[i]);
        free(names);
        *n = 0;
        return cv_error_set(err, rc, "out of memory");
    }
    if (*n)
        qsort(names, *n, sizeof(char *), cmp_str);
    *ret = names;
    return 0;
}

static int load_programme(struct cv_store *st, struct source *src, const struct cv_ical_limits *lim,
                          struct cv_load_report *rep, struct cv_error *err)
{
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_session_list sessions;
    int rc;

    cv_programme_init(&prog);
    cv_event_list_init(&events);
    cv_session_list_init(&sessions);
    rc = source_read(src, "ogp-programme.ics", lim->max_bytes, err);
    if (rc == 0)
        rc = cv_ical_read_programme(src->data.buf, src->data.len, src->path, lim, &prog, &events,
                                    &sessions, err);
    if (rc == 0)
        rc = cv_store_programme_put(st, &prog, &rep->programme, err);
    for (size_t i = 0; rc == 0 && i < events.n; i++) {
        struct cv_event old;
        cv_event_init(&old);
        rc = cv_store_event_get(st, events.v[i].key, &old, err);
        if (rc == CV_ENOTFOUND) {
            rc = cv_store_event_insert(st, &events.v[i], err);
            rep->events.added++;
        } else if (rc == 0) {
            /* The planner may have edited it since: never overwrite. */
            if (cv_event_equal(&old, &events.v[i]))
                rep->events.unchanged++;
            else
                rep->events.kept++;
        }
        cv_event_release(&old);
    }
    /* Sessions are added once, like events: the planner may have moved them since. */
    for (size_t i = 0; rc == 0 && i < sessions.n; i++) {
        struct cv_session_list have;
        cv_session_list_init(&have);
        rc = cv_store_session_list(st, sessions.v[i].event_key, &have, err);
        bool known = false;
        for (size_t k = 0; rc == 0 && k < have.n && !known; k++)
            known = cv_str_eq(have.v[k].key, sessions.v[i].key);
        if (rc == 0 && !known) {
            enum cv_upsert how;
            rc = cv_store_session_put(st, &sessions.v[i], &how, err);
            rep->sessions.added++;
        } else if (rc == 0) {
            rep->sessions.unchanged++;
        }
        cv_session_list_release(&have);
    }
    cv_session_list_release(&sessions);
    cv_event_list_release(&events);
    cv_programme_release(&prog);
    return rc;
}

static int load_members(struct cv_store *st, struct source *src, struct cv_load_report *rep,
                        struct cv_error *err)
{
    struct cv_country_list members;
    cv_country_list_init(&members);
    int rc = source_read(src, "ogp-members.csv", MAX_CSV_BYTES, err);
    if (rc == 0)
        rc = cv_countries_parse_csv(src->data.buf, src->data.len, src->path, &members, err);
    for (size_t i = 0; rc == 0 && i < members.n; i++) {
        enum cv_upsert how;
        rc = cv_store_country_put(st, &members.v[i], &how, err);
        count(&rep->members, how);
    }
    cv_country_list_release(&members);
    return rc;
}

static int load_refcals(struct cv_store *st, struct source *src, const struct cv_ical_limits *lim,
                        struct cv_load_report *rep, struct cv_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = list_refcals(src->dir, &names, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct cv_refcal cal;
        enum cv_upsert how;
        cv_refcal_init(&cal);
        rc = source_read(src, names[i], lim->max_bytes, err);
        if (rc == 0)
            rc = cv_ical_read_refcal(src->data.buf, src->data.len, src->path, lim, &cal, err);
        if (rc == 0)
            rc = cv_store_refcal_put(st, &cal, &how, err);
        if (rc == 0) {
            count(&rep->refcals, how);
            rep->refentries += cal.n;
        }
        cv_refcal_release(&cal);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int cv_load_calendars(struct cv_store *st, const char *dir, struct cv_load_report *report,
                      struct cv_error *err)
{
    struct cv_ical_limits lim;
    struct source src;
    int rc;

    memset(report, 0, sizeof(*report));
    cv_ical_limits_init(&lim);
    src.dir = dir;
    src.path[0] = '\0';
    cv_buf_init(&src.data, CV_BUF_NOLIMIT);

    rc = cv_store_begin(st, err);
    if (rc < 0)
        goto out;
    if ((rc = load_programme(st, &src, &lim, report, err)) < 0 ||
        (rc = load_members(st, &src, report, err)) < 0 ||
        (rc = load_refcals(st, &src, &lim, report, err)) < 0)
        goto out;
    if (cv_load_report_is_noop(report)) {
        /* Nothing to write: leave the file exactly as it was. */
        cv_store_rollback(st);
        goto out;
    }
    rc = cv_store_commit(st, err);
out:
    if (rc < 0)
        cv_store_rollback(st);
    cv_buf_release(&src.data);
    return rc;
}

int cv_load_people(struct cv_store *st, const char *data, size_t len, const char *name,
                   unsigned flags, struct cv_import_report *report, struct cv_error *err)
{
    struct cv_country_list members;
    struct cv_person_list people;
    int rc;

    cv_country_list_init(&members);
    cv_person_list_init(&people);
    rc = cv_store_country_list(st, &members, err);
    if (rc == 0)
        rc = cv_people_parse_csv(data, len, name, &members, flags, &people, report, err);
    if (rc == 0)
        rc = cv_store_begin(st, err);
    for (size_t i = 0; rc == 0 && i < people.n; i++) {
        enum cv_upsert how;
        rc = cv_store_person_put(st, &people.v[i], &how, err);
        if (how == CV_UPSERT_INSERTED)
            report->imported++;
        else if (how == CV_UPSERT_UPDATED)
            report->updated++;
        else
            report->unchanged++;
    }
    if (rc == 0 && (report->imported || report->updated))
        rc = cv_store_commit(st, err);
    else
        cv_store_rollback(st);
    cv_person_list_release(&people);
    cv_country_list_release(&members);
    return rc;
}

/* Reads, overrides and validates a reference calendar; no store access. */
static int refcal_prepare(const char *data, size_t len, const char *name, const char *scope,
                          const enum cv_meaning *meaning, const char *key, struct cv_refcal *out,
                          struct cv_error *err)
{
    struct cv_ical_limits lim;
    int rc;

    cv_ical_limits_init(&lim);
    /* Input from outside: a crash of libical on it must not take convene down. */
    rc = cv_ical_probe(data, len, name, &lim, err);
    if (rc == 0)
        rc = cv_ical_read_refcal(data, len, name, &lim, out, err);
    if (rc < 0)
        return rc;
    if (scope && (rc = cv_str_set(&out->scope, scope)) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (key && (rc = cv_str_set(&out->key, key)) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (meaning)
        out->meaning = *meaning;
    rc = cv_refcal_validate(out, err);
    if (rc < 0)
        cv_error_at(err, name, 0);
    return rc;
}

/* Stores @c in one transaction, committing only a change. */
static int refcal_store(struct cv_store *st, const struct cv_refcal *c, enum cv_upsert *how,
                        struct cv_error *err)
{
    int rc = cv_store_begin(st, err);
    if (rc == 0)
        rc = cv_store_refcal_put(st, c, how, err);
    if (rc == 0 && *how != CV_UPSERT_UNCHANGED)
        rc = cv_store_commit(st, err);
    else
        cv_store_rollback(st);
    return rc;
}

int cv_load_refcal(struct cv_store *st, const char *data, size_t len, const char *name,
                   const char *scope, const enum cv_meaning *meaning, const char *key,
                   struct cv_refcal *out, enum cv_upsert *how, struct cv_error *err)
{
    int rc = refcal_prepare(data, len, name, scope, meaning, key, out, err);
    return rc < 0 ? rc : refcal_store(st, out, how, err);
}

int cv_load_refcal_url(struct cv_store *st, const char *url, const char *scope,
                       const enum cv_meaning *meaning, const char *key, struct cv_refcal *out,
                       enum cv_upsert *how, size_t *transferred, struct cv_error *err)
{
    struct cv_http_limits lim;
    struct cv_http_response resp;
    struct cv_refcal old;
    char fixed[4096], inm[600], ims[200];
    const char *headers[3] = {NULL, NULL, NULL};
    size_t nh = 0;
    int rc;

    *transferred = 0;
    cv_http_limits_init(&lim);
    cv_refcal_init(&old);
    cv_http_response_init(&resp, lim.max_bytes);
    if ((rc = cv_http_url_normalise(url, fixed, sizeof(fixed), err)) < 0)
        goto out;
    rc = cv_store_refcal_find_url(st, fixed, &old, err);
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    if (rc == 0 && old.etag && snprintf(inm, sizeof(inm), "If-None-Match: %s", old.etag) > 0)
        headers[nh++] = inm;
    if (rc == 0 && old.last_modified &&
        snprintf(ims, sizeof(ims), "If-Modified-Since: %s", old.last_modified) > 0)
        headers[nh++] = ims;
    rc = cv_http_request("GET", fixed, headers, NULL, 0, &lim, &resp, err);
    if (rc < 0) {
        cv_error_at(err, url, 0);
        goto out;
    }
    *transferred = resp.body.len;
    if (resp.status == 304 && old.key) {
        /* Unchanged at the source: nothing to read, nothing to write. */
        *how = CV_UPSERT_UNCHANGED;
        cv_refcal_release(out);
        rc = cv_store_refcal_get(st, old.key, out, err);
        goto out;
    }
    if (resp.status != 200) {
        /* A 5xx may pass; a 4xx will not until the URL changes. */
        rc = cv_error_set(err, resp.status >= 500 ? CV_ETEMP : CV_EHTTP,
                          "the server answered HTTP %ld; %s", resp.status,
                          resp.status >= 500 ? "try again later" : "check the URL");
        if (err)
            err->lib_code = resp.status;
        cv_error_at(err, url, 0);
        goto out;
    }
    rc = refcal_prepare(resp.body.buf, resp.body.len, url, scope, meaning, key, out, err);
    if (rc == 0 && ((rc = cv_str_set(&out->fetched_from, fixed)) < 0 ||
                    (rc = cv_str_set(&out->etag, resp.etag)) < 0 ||
                    (rc = cv_str_set(&out->last_modified, resp.last_modified)) < 0))
        cv_error_set(err, rc, "out of memory");
    if (rc == 0)
        rc = refcal_store(st, out, how, err);
out:
    cv_http_response_release(&resp);
    cv_refcal_release(&old);
    return rc;
}
