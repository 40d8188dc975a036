/* SPDX-License-Identifier: MIT */
/* convene/mail.h: delivering the outbox: transports (SMTP, a folder of .eml files), the retry
 * schedule, rate limits, crash recovery and the notices sent to the organizer. */
#ifndef CONVENE_MAIL_H
#define CONVENE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/core.h>
#include <convene/net.h>
#include <convene/store.h>

/* ---- transports ------------------------------------------------------------------------------ */

struct cv_transport;

/*
 * A folder that receives one MESSAGE-ID.eml file per message (created when missing), each
 * written atomically (temporary file, fsync, rename); a resend rewrites the same file.
 * @return 0 with *@ret owned by the caller (cv_transport_free), CV_EIO or CV_ENOMEM
 */
int cv_transport_file_new(const char *dir, struct cv_transport **ret, struct cv_error *err);
/* An SMTP server (see struct cv_smtp_options). Same returns as cv_smtp_new(). */
int cv_transport_smtp_new(const struct cv_smtp_options *o, struct cv_transport **ret,
                          struct cv_error *err);
void cv_transport_free(struct cv_transport *t);
/*
 * Hands one message to @t directly, outside the outbox (the demo plays the delegates' clients
 * with it). A folder always "sends" (or fails with CV_EIO); an SMTP server
 * fills @res with how it went.
 * @return 0 with @res filled, CV_EINVAL (a bad address: nothing sent), CV_EIO or CV_ENOMEM
 */
int cv_transport_send(struct cv_transport *t, const char *message_id, const char *from,
                      const char *to, const char *data, size_t len, struct cv_smtp_result *res,
                      struct cv_error *err);
/* @return the connections an SMTP transport opened so far (0 for a folder) */
long cv_transport_connections(const struct cv_transport *t);

/* ---- rate limits ----------------------------------------------------------------------------- */

struct cv_rate {
    const char *name;
    long per_minute; /* 0: no limit */
    long per_day;    /* 0: no limit; counted over the last 24 h of attempts in the outbox */
};

/*
 * Fills @out with a provider's published sending limits: "none", "microsoft365" (30 messages a
 * minute, 10,000 recipients a day: Exchange Online limits) or "google-workspace" (2,000
 * messages a day: Gmail sending limits in Google Workspace). @return 0 or CV_EINVAL.
 */
int cv_rate_profile(const char *name, struct cv_rate *out);

/*
 * The last per_minute sends of a run, for the per-minute limit: a ring of their times in
 * seconds on a clock that only goes forward.
 */
struct cv_rate_window {
    double *t; /* 0 where no send happened yet */
    size_t n;
    size_t pos; /* the oldest */
};

/* @return seconds to wait at @now before one more send fits in the window (0: none) */
double cv_rate_window_delay(const struct cv_rate_window *w, double now);
/* Records a send at @now. */
void cv_rate_window_note(struct cv_rate_window *w, double now);

/* ---- sending the outbox ---------------------------------------------------------------------- */

/* Retry schedule: 5 minutes, doubling, at most an hour (Postfix: 300 s to 4,000 s). */
#define CV_BACKOFF_FIRST 300
#define CV_BACKOFF_MAX   3600

/* After a reply asking to slow down (4.7.28, 4.2.1), no message goes out for 5 minutes. */
#define CV_THROTTLE_PAUSE 300

/* @return the wait before attempt @attempts + 1 after a temporary failure, in seconds */
int64_t cv_backoff(int attempts);

/* Called after each message: how many were handled so far, of how many due at the start. */
typedef void (*cv_send_progress_fn)(void *data, size_t done, size_t total);

struct cv_send_options {
    struct cv_rate rate;
    cv_send_progress_fn progress;
    void *progress_data;
};

struct cv_send_report {
    long recovered; /* left `sending` by an interrupted run, queued again */
    long sent;
    long deferred;  /* temporary failures, to try again later */
    long ambiguous; /* no reply after the final dot (deferred once, then failed) */
    long failed;    /* permanent failures and messages given up */
    long gave_up;   /* of the failed: not delivered before their deadline */
    long notices;   /* notices queued for the organizer */
    long left;      /* still queued or deferred after the run */
    long connections;
    bool auth_refused;
    char stopped[512]; /* why the run stopped early, "" when it did not */
};

/*
 * Sends every message due now, oldest first, one at a time: each is claimed (`sending`) in a
 * durable transaction, handed to @t, and its outcome recorded in another: sent; deferred with
 * the next attempt after cv_backoff() (4xx, 421, a dropped connection); failed with the reply
 * kept (5xx); given up (failed) when the next attempt would fall after its deadline; after no
 * reply to the final dot, sent once more (same bytes, same Message-ID) in a later run, then
 * failed. A failure of an invitation queues a notice to the organizer. Messages a killed run left
 * in `sending` are queued again first (at most that one is sent twice). A reply asking to slow
 * down (enhanced code 4.7.28 or 4.2.1) stops the run and makes every due message wait
 * CV_THROTTLE_PAUSE seconds. One run at a time per database (cv_store_outbox_lock()). Each
 * `sent` mark is synced while the next message goes out, always before its final dot.
 * @return 0 when every due message was handled; CV_ESMTP when the server refused the login
 * (nothing was marked: the messages stay queued), CV_ETEMP when the server cannot be reached,
 * asks to slow down or a daily limit is reached (the same), CV_EBUSY when another run holds
 * the send lock, CV_EIO when a `sent` mark could not be synced, or a store error. @report is filled
 * in every case.
 */
int cv_outbox_send(struct cv_store *st, struct cv_ctx *ctx, struct cv_transport *t,
                   const struct cv_send_options *opt, struct cv_send_report *report,
                   struct cv_error *err);

#endif
