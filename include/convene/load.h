/* SPDX-License-Identifier: MIT */
/* convene/load.h: loading calendars and spreadsheets into the store, each load in one
 * transaction: it happens whole or not at all. */
#ifndef CONVENE_LOAD_H
#define CONVENE_LOAD_H

#include <stddef.h>

#include <convene/ical.h>
#include <convene/model.h>
#include <convene/net.h>
#include <convene/store.h>

/* Counts of one kind of row: added, changed, already equal, kept as the user edited them. */
struct cv_load_counts {
    size_t added;
    size_t updated;
    size_t unchanged;
    size_t kept;
};

struct cv_load_report {
    enum cv_upsert programme;
    struct cv_load_counts events;
    struct cv_load_counts sessions;
    struct cv_load_counts members;
    struct cv_load_counts refcals;
    size_t refentries;
};

/* @return true when the load changed nothing in the database */
bool cv_load_report_is_noop(const struct cv_load_report *r);

/*
 * Loads the shipped programme, member list and reference calendars: from the folder @dir
 * (the layout of calendars/: ogp-programme.ics, ogp-members.csv, reference/ *.ics) or, when
 * @dir is NULL, from the copies compiled into the library. Members and reference calendars are
 * brought up to date; an event that exists already is kept as it is, since the planner may
 * have edited it. Running it twice changes nothing the second time.
 * @return 0 with @report filled; CV_ENOTFOUND, CV_EIO, CV_ELIMIT, CV_EPARSE, CV_EINVAL (with
 * @err's file and line), CV_EBUSY, CV_EREADONLY, CV_ESTORE or CV_ENOMEM, and then the database
 * is as it was
 */
int cv_load_calendars(struct cv_store *st, const char *dir, struct cv_load_report *report,
                      struct cv_error *err);

/*
 * Imports a delegate list (see cv_people_parse_csv()) in one transaction: new people are added,
 * known ones (same email, any case) updated.
 * @return 0 with @report counted; the errors of cv_people_parse_csv() and the store's, and then
 * the database is as it was
 */
int cv_load_people(struct cv_store *st, const char *data, size_t len, const char *name,
                   unsigned flags, struct cv_import_report *report, struct cv_error *err);

/*
 * Imports one reference calendar in one transaction, replacing the calendar of the same key.
 * @param scope    overrides X-CONVENE-SCOPE when not NULL
 * @param meaning  overrides X-CONVENE-MEANING when not NULL
 * @param key      overrides X-CONVENE-KEY when not NULL
 * @param out      receives the calendar as stored (initialised by the caller)
 * @return 0 with *@how set; the errors of cv_ical_read_refcal() and the store's
 */
int cv_load_refcal(struct cv_store *st, const char *data, size_t len, const char *name,
                   const char *scope, const enum cv_meaning *meaning, const char *key,
                   struct cv_refcal *out, enum cv_upsert *how, struct cv_error *err);

/*
 * Imports a reference calendar from an http://, https:// or webcal:// URL (see
 * cv_load_refcal()). A calendar imported from the same URL before is asked for with its ETag
 * and Last-Modified: an unchanged one answers 304 and transfers nothing. Redirects, size and
 * time are bounded (cv_http_limits_init()).
 * @param transferred  receives the bytes of the body received (0 for a 304)
 * @return 0 with *@how set (CV_UPSERT_UNCHANGED for a 304); CV_EHTTP (no answer, or a status
 * other than 200 and 304, in @err with the status in lib_code), CV_ETEMP (a timeout),
 * CV_ELIMIT, and the errors of cv_load_refcal()
 */
int cv_load_refcal_url(struct cv_store *st, const char *url, const char *scope,
                       const enum cv_meaning *meaning, const char *key, struct cv_refcal *out,
                       enum cv_upsert *how, size_t *transferred, struct cv_error *err);

#endif
