/* SPDX-License-Identifier: MIT */
/* caldav.c: keeping a CalDAV collection in step with the programme (RFC 4791): one resource
 * per event and session, conditional PUTs and DELETEs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/net.h>

#include "feed_int.h"

#include "banned.h"

/* The resource URL of @uid in @collection (which ends in '/'), UID characters percent-encoded. */
static void resource_url(const char *collection, const char *uid, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%s", collection);
    for (const unsigned char *p = (const unsigned char *)uid; *p && n + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_')
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
    }
    if (n < size)
        cv_str_copy(out + n, size - n, ".ics");
}

/* One PUT or DELETE with its precondition; the store remembers a success. */
static int put_one(struct cv_store *st, const char *collection, const char *uid,
                   const struct cv_buf *body, const struct cv_caldav_resource *old,
                   const struct cv_http_limits *lim, struct cv_caldav_report *rep,
                   struct cv_error *err)
{
    struct cv_http_response resp;
    struct cv_caldav_resource now = {0};
    char url[2048], cond[600], hash[CV_SHA256_HEX_SIZE];
    const char *headers[3] = {"Content-Type: text/calendar; charset=utf-8", cond, NULL};
    int rc;

    cv_sha256_hex(body->buf, body->len, hash);
    if (old && cv_str_eq(old->hash, hash)) {
        rep->unchanged++;
        return 0;
    }
    resource_url(collection, uid, url, sizeof(url));
    if (old && old->etag)
        snprintf(cond, sizeof(cond), "If-Match: %s", old->etag);
    else
        snprintf(cond, sizeof(cond), "If-None-Match: *");
    cv_http_response_init(&resp, 64 * 1024);
    rc = cv_http_request("PUT", url, headers, body->buf, body->len, lim, &resp, err);
    if (rc < 0)
        goto out;
    if (resp.status == 412) {
        if (!rep->conflicts++)
            cv_str_copy(rep->conflict, sizeof(rep->conflict), uid);
        goto out;
    }
    if (resp.status != 201 && resp.status != 204 && resp.status != 200) {
        rc = cv_error_set(err, resp.status >= 500 ? CV_ETEMP : CV_EHTTP,
                          "the CalDAV server answered HTTP %ld to the PUT of %s", resp.status, uid);
        if (err)
            err->lib_code = resp.status;
        goto out;
    }
    now.uid = (char *)uid;
    now.href = url;
    now.etag = resp.etag;
    now.hash = hash;
    if ((rc = cv_store_begin(st, err)) == 0 &&
        (rc = cv_store_caldav_put(st, collection, &now, err)) == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0)
        cv_store_rollback(st);
    else if (old)
        rep->updated++;
    else
        rep->created++;
out:
    cv_http_response_release(&resp);
    return rc;
}

static int delete_one(struct cv_store *st, const char *collection,
                      const struct cv_caldav_resource *old, const struct cv_http_limits *lim,
                      struct cv_caldav_report *rep, struct cv_error *err)
{
    struct cv_http_response resp;
    char cond[600];
    const char *headers[2] = {cond, NULL};
    int rc;

    if (old->etag)
        snprintf(cond, sizeof(cond), "If-Match: %s", old->etag);
    else
        headers[0] = NULL;
    cv_http_response_init(&resp, 64 * 1024);
    rc = cv_http_request("DELETE", old->href, headers, NULL, 0, lim, &resp, err);
    if (rc == 0 && resp.status == 412) {
        if (!rep->conflicts++)
            cv_str_copy(rep->conflict, sizeof(rep->conflict), old->uid);
    } else if (rc == 0 && resp.status != 200 && resp.status != 204 && resp.status != 404) {
        rc = cv_error_set(err, resp.status >= 500 ? CV_ETEMP : CV_EHTTP,
                          "the CalDAV server answered HTTP %ld to the DELETE of %s", resp.status,
                          old->uid);
        if (err)
            err->lib_code = resp.status;
    } else if (rc == 0) {
        if ((rc = cv_store_begin(st, err)) == 0 &&
            (rc = cv_store_caldav_delete(st, collection, old->uid, err)) == 0)
            rc = cv_store_commit(st, err);
        if (rc < 0)
            cv_store_rollback(st);
        else
            rep->deleted++;
    }
    cv_http_response_release(&resp);
    return rc;
}

static const struct cv_caldav_resource *find(const struct cv_caldav_resource *v, size_t n,
                                             const char *uid)
{
    for (size_t i = 0; i < n; i++) {
        if (cv_str_eq(v[i].uid, uid))
            return &v[i];
    }
    return NULL;
}

int cv_feed_caldav_push(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                        const char *collection, const char *user, const char *password,
                        struct cv_caldav_report *report, struct cv_error *err)
{
    struct feed_world w;
    struct cv_http_limits lim;
    struct cv_caldav_resource *old = NULL;
    size_t nold = 0, oalloc = 0;
    struct feed_items it = {0};
    char coll[2100], fixed[2048];
    const char **kept = NULL;
    size_t nkept = 0;
    int rc;

    memset(report, 0, sizeof(*report));
    if ((rc = cv_http_url_normalise(collection, fixed, sizeof(fixed) - 1, err)) < 0)
        return rc;
    snprintf(coll, sizeof(coll), "%s%s", fixed, fixed[strlen(fixed) - 1] == '/' ? "" : "/");
    cv_http_limits_init(&lim);
    lim.user = user;
    lim.password = password;
    if ((rc = feed_world_load(st, ctx, opt, &w, err)) < 0)
        return rc;
    if ((rc = cv_store_caldav_list(st, coll, &old, &nold, &oalloc, err)) < 0)
        goto out;
    kept = calloc(w.events.n + w.sessions.n + 1, sizeof(char *));
    if (!kept) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    const char *lang = "en";
    char first[8] = "en";
    if (w.prog.languages) {
        size_t n = strcspn(w.prog.languages, ",");
        if (n > 0 && n < sizeof(first)) {
            memcpy(first, w.prog.languages, n);
            first[n] = '\0';
            lang = first;
        }
    }
    for (size_t k = 0; rc == 0 && k < w.events.n; k++) {
        if (!feed_is_published(&w, &w.events.v[k]))
            continue;
        it.n = 0;
        if ((rc = feed_add_event(&w, k, true, false, NULL, &it)) < 0) {
            cv_error_set(err, rc, "out of memory");
            break;
        }
        /* Each event and each session is a resource of its own (RFC 4791 section 4.1). */
        for (size_t i = 0; rc == 0 && i < it.n; i++) {
            struct cv_ical_cal cal = {0};
            struct cv_buf body;
            const char *uid =
                it.v[i].kind == CV_ITEM_SESSION ? it.v[i].session->uid : it.v[i].event->uid;
            cal.name = w.prog.name;
            cal.lang = lang;
            cal.refresh_hours = opt->refresh_hours;
            cal.schedule_agent_client = true;
            cv_buf_init(&body, 16u * 1024 * 1024);
            rc = cv_ical_write(&cal, &it.v[i], 1, &body, err);
            if (rc == 0)
                rc = put_one(st, coll, uid, &body, find(old, nold, uid), &lim, report, err);
            cv_buf_release(&body);
            kept[nkept++] = uid;
        }
    }
    for (size_t i = 0; rc == 0 && i < nold; i++) {
        bool still = false;
        for (size_t k = 0; k < nkept && !still; k++)
            still = cv_str_eq(kept[k], old[i].uid);
        if (!still)
            rc = delete_one(st, coll, &old[i], &lim, report, err);
    }
    if (rc < 0)
        cv_error_at(err, coll, 0);
out:
    free(kept);
    free(it.v);
    for (size_t i = 0; i < nold; i++)
        cv_caldav_resource_release(&old[i]);
    free(old);
    feed_world_release(&w);
    return rc;
}
