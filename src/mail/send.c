/* SPDX-License-Identifier: MIT */
/* send.c: the delivery loop over the outbox: claim, send, record, each step durable; the retry
 * schedule, the deadlines, rate limits, and the notices that tell the organizer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <convene/imip.h>

#include "mail_int.h"

#include "banned.h"

int cv_rate_profile(const char *name, struct cv_rate *out)
{
    /* Exchange Online: 30 messages a minute, 10,000 recipients a day (one per message here).
     * Google Workspace: 2,000 messages a day; Google publishes no per-minute figure. */
    static const struct cv_rate profiles[] = {
        {"none", 0, 0},
        {"microsoft365", 30, 10000},
        {"google-workspace", 0, 2000},
    };
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
        if (strcmp(profiles[i].name, name) == 0) {
            *out = profiles[i];
            return 0;
        }
    }
    return CV_EINVAL;
}

int64_t cv_backoff(int attempts)
{
    int64_t wait = CV_BACKOFF_FIRST;
    for (int i = 1; i < attempts && wait < CV_BACKOFF_MAX; i++)
        wait *= 2;
    return wait < CV_BACKOFF_MAX ? wait : CV_BACKOFF_MAX;
}

double cv_rate_window_delay(const struct cv_rate_window *w, double now)
{
    if (!w->n)
        return 0;
    double oldest = w->t[w->pos]; /* the send n sends ago, 0 when not yet */
    return oldest > 0 && now - oldest < 60 ? 60 - (now - oldest) : 0;
}

void cv_rate_window_note(struct cv_rate_window *w, double now)
{
    if (!w->n)
        return;
    w->t[w->pos] = now;
    w->pos = (w->pos + 1) % w->n;
}

/* Waits until one more message fits in the last minute's window (on the context's clock, so
 * that tests run it forward instead of waiting). */
static void rate_wait(struct cv_rate_window *w, struct cv_ctx *ctx)
{
    cv_ctx_sleep(ctx, cv_rate_window_delay(w, cv_ctx_monotonic(ctx)));
    cv_rate_window_note(w, cv_ctx_monotonic(ctx));
}

/* Queues a plain-text notice to the organizer about message @m, which will not arrive. */
static int queue_notice(struct cv_store *st, struct cv_ctx *ctx, const char *organizer,
                        const struct cv_outbox_msg *m, struct cv_error *err)
{
    struct cv_buf body, msg, hdr;
    struct cv_outbox_msg n;
    char mid[400], date[40], when[CV_TIME_SIZE];
    const char *domain = strchr(organizer, '@');
    int64_t now = cv_ctx_now(ctx);
    bool added = false;
    int rc;

    if (!domain || !cv_email_is_valid(organizer))
        return 0; /* no mailbox to tell: the report says it */
    cv_buf_init(&body, 64 * 1024);
    cv_buf_init(&msg, 256 * 1024);
    cv_buf_init(&hdr, 4096);
    snprintf(mid, sizeof(mid), "<notice.%lld.%d@%s>", (long long)m->id, m->attempts, domain + 1);
    cv_mime_date(now, date);
    cv_time_format_utc(m->last_attempt ? m->last_attempt : now, when);
    rc = cv_buf_addf(
        &body,
        "convene could not deliver this message and will not try again:\n\n"
        "  to:          %s\n  what:        %s%s%s (SEQUENCE %d)\n"
        "  Message-ID:  %s\n  attempts:    %d, the last at %s\n"
        "  last reply:  %s\n\n"
        "See 'convene outbox show %lld'; 'convene outbox retry %lld' queues it again.\n",
        m->recipient, m->kind ? m->kind : "message", m->event_key ? " for " : "",
        m->event_key ? m->event_key : "", m->sequence, m->message_id, m->attempts, when,
        m->last_reply ? m->last_reply : "(none)", (long long)m->id, (long long)m->id);
    if (rc == 0)
        rc = cv_mime_address("convene", organizer, &hdr);
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "From", hdr.buf);
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "To", organizer);
    cv_buf_reset(&hdr);
    if (rc == 0)
        rc = cv_buf_addf(&hdr, "Not delivered: %s to %s", m->kind ? m->kind : "message",
                         m->recipient);
    if (rc == 0) {
        struct cv_buf subj;
        cv_buf_init(&subj, 4096);
        rc = cv_mime_encode_words(hdr.buf, &subj);
        if (rc == 0)
            rc = cv_mime_add_header(&msg, "Subject", subj.buf);
        cv_buf_release(&subj);
    }
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "Date", date);
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "Message-ID", mid);
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "MIME-Version", "1.0");
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "Content-Type", "text/plain; charset=UTF-8");
    if (rc == 0)
        rc = cv_mime_add_header(&msg, "Content-Transfer-Encoding", "quoted-printable");
    if (rc == 0)
        rc = cv_buf_addstr(&msg, "\r\n");
    if (rc == 0)
        rc = cv_mime_qp(body.buf, body.len, &msg);
    if (rc < 0) {
        rc = cv_error_set(err, rc, "cannot write a notice to the organizer");
        goto out;
    }
    cv_outbox_msg_init(&n);
    n.message_id = mid;
    n.event_key = m->event_key;
    n.kind = (char *)"notice";
    n.sender = (char *)organizer;
    n.recipient = (char *)organizer;
    n.created = now;
    n.next_attempt = now;
    n.expires = now + 5 * 86400;
    n.data = msg.buf;
    n.len = msg.len;
    if ((rc = cv_store_begin(st, err)) == 0) {
        rc = cv_store_outbox_add(st, &n, &added, err);
        if (rc == 0)
            rc = cv_store_commit(st, err);
        else
            cv_store_rollback(st);
    }
out:
    cv_buf_release(&hdr);
    cv_buf_release(&msg);
    cv_buf_release(&body);
    return rc;
}

/* A reply that asks the client to send less: an enhanced status code (RFC 3463) 4.7.28 (Gmail:
 * too many messages from this sender) or 4.2.1 (the mailbox receives too fast), after the
 * basic code. */
static bool is_throttled(const char *reply)
{
    if (strlen(reply) < 4 || reply[0] != '4')
        return false;
    const char *x = reply + 4; /* after "421 " or "450-" */
    return strncmp(x, "4.7.28", 6) == 0 || (strncmp(x, "4.2.1", 5) == 0 && (x[5] == ' ' || !x[5]));
}

static void set_reply(struct cv_outbox_msg *m, const char *reply)
{
    cv_str_set(&m->last_reply, reply && *reply ? reply : NULL);
}

/* Fails @m for good; queues a notice unless @m is one. */
static int fail(struct cv_store *st, struct cv_ctx *ctx, const char *organizer,
                struct cv_outbox_msg *m, struct cv_send_report *r, struct cv_error *err)
{
    int rc;
    m->state = CV_OUTBOX_FAILED;
    r->failed++;
    if ((rc = cv_store_outbox_finish(st, m, err)) < 0)
        return rc;
    if (cv_str_eq(m->kind, "notice"))
        return 0;
    if ((rc = queue_notice(st, ctx, organizer, m, err)) < 0)
        return rc;
    r->notices++;
    return 0;
}

/* Messages claimed at a time (no further than 4 MiB): a run killed holding them leaves them in
 * `sending`, queued again by the next run; only the one in flight can have been delivered. */
enum { SEND_BATCH = 32 };

/* The hold before each final dot: the last `sent` mark must be on disk first, so that a crash
 * (or power cut) at any moment leaves at most one delivered message not marked. @err's code is
 * set when the sync failed. */
struct sync_hold {
    struct cv_store *st;
    struct cv_error err;
};

static int hold_for_sync(void *data)
{
    struct sync_hold *h = data;
    return cv_store_sync_wait(h->st, &h->err) < 0 ? -1 : 0;
}

/* Puts @m back as it was claimed (state @was, last attempt @before): this claim made no
 * attempt. */
static void no_attempt(struct cv_outbox_msg *m, enum cv_outbox_state was, int64_t before)
{
    m->state = was;
    m->attempts--;
    m->last_attempt = before;
}

/* Gives the claimed messages not yet taken (@batch[*@next..@nbatch)) back as they were. */
static int unclaim_rest(struct cv_store *st, struct cv_outbox_msg *batch, size_t *next,
                        size_t nbatch, struct cv_error *err)
{
    int rc = cv_store_outbox_unclaim(st, batch + *next, nbatch - *next, err);
    if (rc == 0)
        *next = nbatch;
    return rc;
}

static int count_due(struct cv_store *st, int64_t now, long *due, long *left, struct cv_error *err)
{
    struct cv_outbox_list l;
    cv_outbox_list_init(&l);
    int rc = cv_store_outbox_list(st, &l, err);
    *due = *left = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        if (l.v[i].state == CV_OUTBOX_QUEUED || l.v[i].state == CV_OUTBOX_DEFERRED) {
            (*left)++;
            *due += l.v[i].next_attempt <= now;
        }
    }
    cv_outbox_list_release(&l);
    return rc;
}

int cv_outbox_send(struct cv_store *st, struct cv_ctx *ctx, struct cv_transport *t,
                   const struct cv_send_options *opt, struct cv_send_report *r,
                   struct cv_error *err)
{
    struct cv_programme prog;
    struct cv_outbox_msg m;
    struct cv_outbox_msg batch[SEND_BATCH]; /* claimed: batch[next..nbatch) not yet taken */
    size_t nbatch = 0, next = 0;
    struct cv_rate_window window = {NULL, 0, 0};
    struct sync_hold hold = {st, {0}};
    bool deferred = false;
    size_t done = 0;
    long due = 0, left = 0;
    int rc;

    memset(r, 0, sizeof(*r));
    cv_programme_init(&prog);
    cv_outbox_msg_init(&m);
    /* One run at a time: a second would take this one's message in `sending` for a lost one. */
    if ((rc = cv_store_outbox_lock(st, err)) < 0) {
        cv_programme_release(&prog);
        return rc;
    }
    if ((rc = cv_store_programme_get(st, &prog, err)) < 0)
        goto out;
    const char *organizer =
        prog.organizer && strncasecmp(prog.organizer, "mailto:", 7) == 0 ? prog.organizer + 7 : "";
    if (opt->rate.per_minute > 0) {
        window.n = (size_t)opt->rate.per_minute;
        if (!(window.t = calloc(window.n, sizeof(double)))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* Each `sent` mark goes to disk once the next message's envelope is out, while the server
     * answers it, and before its final dot (hold_for_sync). */
    cv_error_init(&hold.err);
    if ((rc = cv_store_sync_defer(st, true, err)) < 0)
        goto out;
    deferred = true;
    /* A run killed while sending left its message in `sending`: send it again. */
    if ((rc = cv_store_outbox_recover(st, cv_ctx_now(ctx), &r->recovered, err)) < 0)
        goto out;
    if ((rc = count_due(st, cv_ctx_now(ctx), &due, &left, err)) < 0)
        goto out;

    for (;;) {
        int64_t now = cv_ctx_now(ctx);
        if (opt->rate.per_day > 0) {
            long n = 0;
            if ((rc = cv_store_outbox_attempts_since(st, now - 86400, &n, err)) < 0)
                goto out;
            if (n >= opt->rate.per_day) {
                snprintf(r->stopped, sizeof(r->stopped),
                         "the %s limit of %ld messages a day is reached; run again later",
                         opt->rate.name, opt->rate.per_day);
                rc = cv_error_set(err, CV_ETEMP, "%s", r->stopped);
                goto out;
            }
        }
        cv_outbox_msg_release(&m);
        if (next == nbatch) {
            /* Claimed a batch at a time: each message's own commit is then its outcome only. */
            cv_outbox_batch_release(batch, nbatch);
            nbatch = next = 0;
            rc = cv_store_outbox_claim(st, now, batch, SEND_BATCH, &nbatch, err);
            if (rc == CV_ENOTFOUND)
                break;
            if (rc < 0)
                goto out;
        }
        m = batch[next];
        cv_outbox_msg_init(&batch[next++]);
        /* As it was, for when this claim turns out no attempt. */
        enum cv_outbox_state was = m.state;
        int64_t before = m.last_attempt;
        m.state = CV_OUTBOX_SENDING;
        m.attempts++;
        m.last_attempt = now;
        if (m.attempts > 1 && now >= m.expires) {
            char why[600];
            snprintf(why, sizeof(why), "gave up: not delivered before its deadline; last: %s",
                     m.last_reply ? m.last_reply : "no reply");
            set_reply(&m, why);
            no_attempt(&m, was, before); /* then failed */
            r->gave_up++;
            if ((rc = fail(st, ctx, organizer, &m, r, err)) < 0)
                goto out;
            continue;
        }
        if (window.n) {
            rate_wait(&window, ctx);
            now = m.last_attempt = cv_ctx_now(ctx); /* after the wait */
        }
        struct cv_smtp_result res;
        struct cv_error terr;
        cv_error_init(&terr);
        rc = mail_transport_send(t, m.message_id, m.sender, m.recipient, m.data, m.len,
                                 hold_for_sync, &hold, &res, &terr);
        if (rc == CV_EINVAL) {
            /* An address no envelope may hold: never sent, never retried. */
            set_reply(&m, terr.msg);
            if ((rc = fail(st, ctx, organizer, &m, r, err)) < 0)
                goto out;
            continue;
        }
        if (rc < 0) {
            /* The folder cannot be written, or no memory: the message stays as it was (sent
             * again by the next run even if it went: at most one copy more). */
            no_attempt(&m, was, before);
            struct cv_error ignored;
            cv_store_outbox_finish(st, &m, &ignored);
            if (err)
                *err = terr;
            goto out;
        }
        m.last_code = res.code;
        switch (res.outcome) {
        case CV_SMTP_SENT:
            m.state = CV_OUTBOX_SENT;
            m.sent_at = now;
            set_reply(&m, res.reply);
            r->sent++;
            /* Durable before the next message's final dot (hold_for_sync): a crash leaves at
             * most one delivered message unmarked. */
            rc = cv_store_outbox_finish(st, &m, err);
            break;
        case CV_SMTP_AMBIGUOUS:
            r->ambiguous++;
            set_reply(&m, res.reply);
            if (m.ambiguous >= 1) {
                /* Resent once with the same Message-ID already: a third copy is not risked. */
                m.ambiguous++;
                rc = fail(st, ctx, organizer, &m, r, err);
                break;
            }
            m.ambiguous++;
            /* Sent again later, like after a temporary failure. */
            __attribute__((fallthrough));
        case CV_SMTP_TEMPORARY:
            if (res.outcome == CV_SMTP_TEMPORARY)
                set_reply(&m, res.reply);
            m.next_attempt = now + cv_backoff(m.attempts);
            if (m.next_attempt > m.expires) {
                char why[700];
                snprintf(why, sizeof(why), "gave up: the next attempt would pass its deadline; %s",
                         res.reply);
                set_reply(&m, why);
                r->gave_up++;
                rc = fail(st, ctx, organizer, &m, r, err);
                break;
            }
            m.state = CV_OUTBOX_DEFERRED;
            r->deferred++;
            rc = cv_store_outbox_finish(st, &m, err);
            if (rc == 0 && res.outcome == CV_SMTP_TEMPORARY && is_throttled(res.reply)) {
                /* The server asks to slow down: nothing more to it for a while, in this run or
                 * the next (RELIABILITY.md R10: Gmail's 421 4.7.28, 450 4.2.1). */
                long n = 0;
                char until[CV_TIME_SIZE];
                rc = unclaim_rest(st, batch, &next, nbatch, err);
                if (rc == 0)
                    rc = cv_store_outbox_pause(st, now + CV_THROTTLE_PAUSE, &n, err);
                cv_time_format_utc(now + CV_THROTTLE_PAUSE, until);
                snprintf(r->stopped, sizeof(r->stopped),
                         "the server asks to slow down (%.300s); %ld message%s wait until %s",
                         res.reply, n, n == 1 ? "" : "s", until);
                if (rc == 0)
                    rc = cv_error_set(err, CV_ETEMP, "%s", r->stopped);
                goto out;
            }
            break;
        case CV_SMTP_PERMANENT:
            set_reply(&m, res.reply);
            rc = fail(st, ctx, organizer, &m, r, err);
            break;
        case CV_SMTP_HELD:
            /* The last mark could not be synced: stop before anything more is delivered. */
            no_attempt(&m, was, before);
            cv_store_outbox_finish(st, &m, NULL);
            rc = hold.err.code ? hold.err.code : CV_EIO;
            if (err)
                *err = hold.err;
            goto out;
        case CV_SMTP_AUTH:
        case CV_SMTP_TLS:
        case CV_SMTP_UNAVAILABLE:
            /* Not this message's fault: it goes back as it was, and the run stops. */
            no_attempt(&m, was, before);
            r->auth_refused = res.outcome == CV_SMTP_AUTH;
            snprintf(r->stopped, sizeof(r->stopped), "%s: %.400s",
                     r->auth_refused              ? "the server refused the login"
                     : res.outcome == CV_SMTP_TLS ? "no secure connection (TLS) to the server"
                                                  : "the server is unavailable",
                     res.reply[0] ? res.reply : "no reply");
            rc = cv_store_outbox_finish(st, &m, err);
            if (rc == 0)
                rc = cv_error_set(err, res.outcome == CV_SMTP_UNAVAILABLE ? CV_ETEMP : CV_ESMTP,
                                  "%s", r->stopped);
            if (err)
                err->lib_code = res.code;
            goto out;
        }
        if (rc < 0)
            goto out;
        done++;
        if (opt->progress)
            opt->progress(opt->progress_data, done, (size_t)due);
    }
    rc = 0;
out:
    if (next < nbatch) {
        struct cv_error uerr;
        cv_error_init(&uerr);
        int urc = unclaim_rest(st, batch, &next, nbatch, &uerr);
        if (urc < 0 && rc == 0) {
            rc = urc;
            if (err)
                *err = uerr;
        }
    }
    cv_outbox_batch_release(batch, nbatch);
    if (deferred) {
        struct cv_error serr;
        cv_error_init(&serr);
        int src = cv_store_sync_defer(st, false, &serr);
        if (src < 0 && rc == 0) {
            rc = src;
            if (err)
                *err = serr;
        }
    }
    r->connections = cv_transport_connections(t);
    {
        long ignored_due = 0;
        struct cv_error ignored;
        cv_error_init(&ignored);
        count_due(st, cv_ctx_now(ctx), &ignored_due, &r->left, &ignored);
    }
    free(window.t);
    cv_outbox_msg_release(&m);
    cv_programme_release(&prog);
    cv_store_outbox_unlock(st);
    return rc;
}
