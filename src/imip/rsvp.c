/* SPDX-License-Identifier: MIT */
/* rsvp.c: replies to invitations (RFC 5546 REPLY and COUNTER, carried by RFC 6047 iMIP): which
 * calendar of a message to read, and the checks before a reply may change an invitation. Only
 * the respondent may set their status (RFC 6047 2.2.1): a reply whose sender is not that
 * attendee, or that is stale, changes nothing, and every reply is logged with what was done. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imip_int.h"

#include "banned.h"

void cv_rsvp_msg_init(struct cv_rsvp_msg *m)
{
    memset(m, 0, sizeof(*m));
    cv_mail_init(&m->mail);
    cv_itip_message_init(&m->itip);
}

void cv_rsvp_msg_release(struct cv_rsvp_msg *m)
{
    free(m->raw);
    cv_mail_release(&m->mail);
    cv_itip_message_release(&m->itip);
    cv_rsvp_msg_init(m);
}

int cv_rsvp_read(const char *data, size_t len, const char *name, struct cv_rsvp_msg *out,
                 struct cv_error *err)
{
    struct cv_ical_limits lim;
    int rc = cv_mail_parse(data, len, name, &out->mail, err);
    if (rc < 0)
        return rc;
    if (!(out->raw = malloc(len + 1)))
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    memcpy(out->raw, data, len);
    out->raw[len] = '\0';
    out->raw_len = len;
    if (out->mail.nparts == 0) {
        cv_error_at(err, name, 0);
        return cv_error_set(err, CV_EPARSE,
                            "the message holds no calendar (text/calendar or .ics): it is not a "
                            "reply to an invitation");
    }
    /* The inline part with a method (what Outlook and Gmail read), else the first calendar. */
    out->part = &out->mail.parts[0];
    for (size_t i = 0; i < out->mail.nparts; i++) {
        if (out->mail.parts[i].method) {
            out->part = &out->mail.parts[i];
            break;
        }
    }
    cv_ical_limits_init(&lim);
    if ((rc = cv_ical_probe(out->part->data, out->part->len, name, &lim, err)) < 0)
        return rc;
    return cv_ical_read_itip(out->part->data, out->part->len, name, &lim, &out->itip, err);
}

/* Sets @res's outcome and reason. */
static void say(struct cv_rsvp_result *res, enum cv_reply_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct cv_rsvp_result *res, enum cv_reply_outcome o, const char *fmt, ...)
{
    va_list ap;
    res->outcome = o;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
    va_end(ap);
}

/* The authserv-id of an Authentication-Results value: its first token, before ';'. */
static bool from_server(const char *ar, const char *id)
{
    while (*ar == ' ')
        ar++;
    size_t n = strcspn(ar, "; \t");
    return n == strlen(id) && strncasecmp(ar, id, n) == 0;
}

/* @return true when @ar holds "@method=@result" (any case) as a word. */
static bool has_result(const char *ar, const char *method, const char *result)
{
    char want[64];
    snprintf(want, sizeof(want), "%s=%s", method, result);
    size_t n = strlen(want);
    for (const char *p = ar; (p = strcasestr(p, want)) != NULL; p += n) {
        bool start = p == ar || p[-1] == ' ' || p[-1] == ';' || p[-1] == '\t';
        char after = p[n];
        bool end = after == '\0' || after == ' ' || after == ';' || after == '\t' || after == '(';
        if (start && end)
            return true;
    }
    return false;
}

/*
 * The check of RFC 8601 headers: the topmost one from our own server decides (a sender can
 * write any number of them, but the receiving server adds its own on top).
 * @return NULL when it passes, else why not
 */
static const char *auth_check(const struct cv_mail *m, const char *id, char *why, size_t size)
{
    for (size_t i = 0; i < m->nauth; i++) {
        const char *ar = m->auth_results[i];
        if (!from_server(ar, id))
            continue;
        static const char *const methods[] = {"dkim", "spf", "dmarc"};
        for (int k = 0; k < 3; k++) {
            if (has_result(ar, methods[k], "fail") || has_result(ar, methods[k], "permerror") ||
                has_result(ar, methods[k], "softfail")) {
                snprintf(why, size, "%s says %s failed for this message", id, methods[k]);
                return why;
            }
        }
        if (!has_result(ar, "dkim", "pass") && !has_result(ar, "spf", "pass") &&
            !has_result(ar, "dmarc", "pass")) {
            snprintf(why, size, "%s found no passing dkim, spf or dmarc for this message", id);
            return why;
        }
        return NULL;
    }
    snprintf(why, size, "no Authentication-Results from %s: the sender cannot be checked", id);
    return why;
}

/* The attendee of the reply: the one whose address is From (any case). */
static const struct cv_itip_attendee *attendee_of(const struct cv_rsvp_msg *msg)
{
    const struct cv_itip_message *it = &msg->itip;
    if (msg->mail.from) {
        for (size_t i = 0; i < it->nattendees; i++) {
            if (strcasecmp(it->attendees[i].email, msg->mail.from) == 0)
                return &it->attendees[i];
        }
        return NULL;
    }
    /* A bare .ics: the one who answered (not a delegate named in the reply). */
    for (size_t i = 0; i < it->nattendees; i++) {
        if (!it->attendees[i].delegated_from)
            return &it->attendees[i];
    }
    return it->nattendees ? &it->attendees[0] : NULL;
}

/* The delegate's line in the reply, if the delegator's client included it. */
static const struct cv_itip_attendee *delegate_line(const struct cv_itip_message *it,
                                                    const char *email)
{
    for (size_t i = 0; i < it->nattendees; i++) {
        if (strcasecmp(it->attendees[i].email, email) == 0)
            return &it->attendees[i];
    }
    return NULL;
}

/*
 * The delegate of @from becomes a person (when new: the delegator's language, country,
 * delegation and zone, the name the reply gives), a guest of the event, and is invited.
 */
static int invite_delegate(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                           const struct cv_itip_attendee *a, const char *event_key,
                           const struct cv_rsvp_options *opt, struct cv_rsvp_result *res,
                           struct cv_error *err)
{
    struct cv_person from, d;
    struct cv_imip_ledger l;
    struct cv_imip_report rep;
    struct cv_error probe;
    char via[400], filter[340];
    int rc;

    cv_person_init(&from);
    cv_person_init(&d);
    cv_imip_ledger_init(&l);
    cv_error_init(&probe);
    if ((rc = cv_store_person_get(st, a->email, &from, err)) < 0)
        goto out;
    rc = cv_store_person_get(st, a->delegated_to, &d, &probe);
    if (rc == CV_ENOTFOUND) {
        const struct cv_itip_attendee *dl = delegate_line(&msg->itip, a->delegated_to);
        struct cv_buf name;
        enum cv_upsert how;
        cv_buf_init(&name, 1024);
        if (dl && dl->name)
            cv_mime_text_clean(dl->name, &name);
        if (!name.len)
            cv_buf_add(&name, a->delegated_to, strcspn(a->delegated_to, "@"));
        d.email = strdup(a->delegated_to);
        d.name = cv_buf_detach(&name);
        cv_buf_release(&name);
        d.lang = from.lang ? strdup(from.lang) : NULL;
        d.country = from.country ? strdup(from.country) : NULL;
        d.tzid = from.tzid ? strdup(from.tzid) : NULL;
        d.delegation = from.delegation;
        d.role = CV_ROLE_DELEGATE;
        if (!d.email || !d.name || (from.lang && !d.lang) || (from.country && !d.country) ||
            (from.tzid && !d.tzid)) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        if ((rc = cv_person_validate(&d, err)) < 0 ||
            (rc = cv_store_person_put(st, &d, &how, err)) < 0)
            goto out;
    } else if (rc < 0) {
        *err = probe;
        goto out;
    }
    snprintf(via, sizeof(via), "delegated by %s", from.email);
    if ((rc = cv_store_guest_add(st, a->delegated_to, event_key, via, cv_ctx_now(ctx), err)) < 0)
        goto out;
    snprintf(filter, sizeof(filter), "email:%s", a->delegated_to);
    if ((rc = cv_imip_ledger_compute(st, event_key, filter, &l, err)) < 0)
        goto out;
    struct cv_imip_options io = {opt->templates, opt->base_url, NULL};
    if ((rc = imip_queue_in_tx(st, ctx, &l, &io, &rep, err)) < 0)
        goto out;
    res->delegate_invited = rep.queued[CV_IMIP_NEW] > 0;
out:
    cv_imip_ledger_release(&l);
    cv_person_release(&d);
    cv_person_release(&from);
    return rc;
}

/* The checks, in order; the first that fails decides. Writes only what an applied reply sets. */
static int judge(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                 const struct cv_rsvp_options *opt, struct cv_rsvp_result *res,
                 struct cv_store_reply *log, struct cv_error *err)
{
    const struct cv_itip_message *it = &msg->itip;
    const char *method = it->method ? it->method : "";
    struct cv_store_invitation inv;
    struct cv_event ev;
    char *key = NULL, why[300];
    int rc = 0;

    cv_store_invitation_init(&inv);
    cv_event_init(&ev);
    bool reply = strcasecmp(method, "REPLY") == 0, counter = strcasecmp(method, "COUNTER") == 0;
    if (!reply && !counter) {
        /* A REQUEST or CANCEL claiming our organizer (RELIABILITY.md T2), or anything else:
         * only the organizer changes events, and the organizer is convene itself. */
        say(res, CV_REPLY_IGNORED,
            "METHOD:%.20s: convene takes only REPLY and COUNTER from attendees; nothing changed",
            *method ? method : "(none)");
        goto out;
    }
    for (size_t i = 0; i < msg->mail.nparts; i++) {
        const char *pm = msg->mail.parts[i].method;
        if (pm && strcasecmp(pm, method) != 0) {
            say(res, CV_REPLY_IGNORED,
                "the calendar says METHOD:%.20s but its MIME part says method=%.20s", method, pm);
            goto out;
        }
    }
    if (!it->uid) {
        say(res, CV_REPLY_IGNORED, "the reply has no UID");
        goto out;
    }
    rc = cv_store_event_key_by_uid(st, it->uid, &key, err);
    if (rc == CV_ENOTFOUND) {
        rc = 0;
        say(res, CV_REPLY_IGNORED, "no event has the UID %.100s", it->uid);
        goto out;
    }
    if (rc < 0 || (rc = cv_store_event_get(st, key, &ev, err)) < 0)
        goto out;
    cv_str_copy(res->event_key, sizeof(res->event_key), key);
    cv_str_set(&log->event_key, key);
    if (it->recurrence_id) {
        char start[CV_DATE_SIZE];
        cv_date_format(&ev.start, start);
        if (!cv_event_has_dates(&ev) || strcmp(start, it->recurrence_id) != 0) {
            say(res, CV_REPLY_IGNORED, "RECURRENCE-ID %s names no occurrence of %s (it starts %s)",
                it->recurrence_id, key, cv_event_has_dates(&ev) ? start : "on no date yet");
            goto out;
        }
    }
    if (!msg->mail.bare && !msg->mail.from) {
        say(res, CV_REPLY_IGNORED, "the message has no single From address to check");
        goto out;
    }
    const struct cv_itip_attendee *a = attendee_of(msg);
    if (!a) {
        const struct cv_itip_attendee *sb = NULL;
        for (size_t i = 0; i < it->nattendees && !sb; i++) {
            if (it->attendees[i].sent_by &&
                strcasecmp(it->attendees[i].sent_by, msg->mail.from) == 0)
                sb = &it->attendees[i];
        }
        if (sb)
            say(res, CV_REPLY_IGNORED,
                "%s answers for %s (SENT-BY), which no one approved: only the attendee may",
                msg->mail.from, sb->email);
        else if (it->nattendees)
            say(res, CV_REPLY_IGNORED, "From %s is not the attendee of the reply (%s)",
                msg->mail.from ? msg->mail.from : "(none)", it->attendees[0].email);
        else
            say(res, CV_REPLY_IGNORED, "the reply names no ATTENDEE");
        goto out;
    }
    cv_str_copy(res->attendee, sizeof(res->attendee), a->email);
    cv_str_set(&log->attendee, a->email);
    cv_str_set(&log->name, a->name);
    if (a->has_partstat)
        cv_str_set(&log->partstat, cv_partstat_name(a->partstat));
    if (opt->authserv_id && !msg->mail.bare &&
        auth_check(&msg->mail, opt->authserv_id, why, sizeof(why))) {
        say(res, CV_REPLY_IGNORED, "%s", why);
        goto out;
    }
    /* A held reply read again (the same mail fetched twice) is held once. */
    bool held = false;
    if ((rc = cv_store_reply_held(st, key, a->email, method, it->dtstamp, &held, err)) < 0)
        goto out;
    if (held) {
        say(res, CV_REPLY_IGNORED, "the same %s from %s was read before and is held already",
            method, a->email);
        goto out;
    }
    rc = cv_store_invitation_get(st, a->email, key, &inv, err);
    if (rc == CV_ENOTFOUND || (rc == 0 && !cv_str_eq(inv.method, "REQUEST"))) {
        rc = 0;
        say(res, CV_REPLY_PENDING,
            "%s is not invited to %s: held for the organizer ('convene rsvp pending')", a->email,
            key);
        goto out;
    }
    if (rc < 0)
        goto out;
    /* From here on the address is named as the invitation has it, whatever case the reply used. */
    cv_str_copy(res->attendee, sizeof(res->attendee), inv.inv.email);
    if (!it->dtstamp) {
        say(res, CV_REPLY_IGNORED, "the reply has no DTSTAMP: its age cannot be told");
        goto out;
    }
    if (it->sequence < inv.inv.sequence_sent) {
        say(res, CV_REPLY_IGNORED, "stale: it answers SEQUENCE %d; %s was last sent SEQUENCE %d",
            it->sequence, res->attendee, inv.inv.sequence_sent);
        goto out;
    }
    if (it->sequence > inv.inv.sequence_sent) {
        say(res, CV_REPLY_IGNORED, "it answers SEQUENCE %d, which was never sent (last: %d)",
            it->sequence, inv.inv.sequence_sent);
        goto out;
    }
    if (inv.reply_sequence == it->sequence && it->dtstamp <= inv.reply_dtstamp) {
        char a1[CV_TIME_SIZE], a2[CV_TIME_SIZE];
        cv_time_format_utc(it->dtstamp, a1);
        cv_time_format_utc(inv.reply_dtstamp, a2);
        say(res, CV_REPLY_IGNORED, "stale: DTSTAMP %s is %s the reply already taken (%s)", a1,
            it->dtstamp == inv.reply_dtstamp ? "that of" : "older than", a2);
        goto out;
    }
    if (counter) {
        say(res, CV_REPLY_COUNTER, "%s proposes %s: held for the organizer", res->attendee,
            it->proposal && *it->proposal ? it->proposal : "a change");
        cv_str_set(&log->proposal, it->proposal);
        goto out;
    }
    if (!a->has_partstat || a->partstat == CV_PARTSTAT_NEEDS_ACTION) {
        say(res, CV_REPLY_IGNORED, "the reply gives no answer (PARTSTAT)");
        goto out;
    }
    if (a->partstat == CV_PARTSTAT_DELEGATED &&
        (!a->delegated_to || strcasecmp(a->delegated_to, a->email) == 0)) {
        say(res, CV_REPLY_IGNORED, "DELEGATED without a DELEGATED-TO address of someone else");
        goto out;
    }
    res->partstat = a->partstat;
    if ((rc = cv_store_invitation_reply(
             st, res->attendee, key, a->partstat, it->sequence, it->dtstamp, cv_ctx_now(ctx),
             a->partstat == CV_PARTSTAT_DELEGATED ? a->delegated_to : NULL, err)) < 0)
        goto out;
    if (a->partstat == CV_PARTSTAT_DELEGATED) {
        if ((rc = invite_delegate(st, ctx, msg, a, key, opt, res, err)) < 0)
            goto out;
        say(res, CV_REPLY_APPLIED, "%s DELEGATED to %s%s", res->attendee, a->delegated_to,
            res->delegate_invited ? ": invitation queued" : " (already invited)");
    } else {
        say(res, CV_REPLY_APPLIED, "%s %s", res->attendee, cv_partstat_name(a->partstat));
    }
out:
    free(key);
    cv_event_release(&ev);
    cv_store_invitation_release(&inv);
    return rc;
}

/*
 * RELIABILITY.md T5: whether @msg must wait, its sender having had @opt->per_sender_hour
 * replies processed in the last hour (or, for a new one, having replies held already, which go
 * first). Sets @res when it must. Messages without one From address are not limited: they are
 * ignored at once by the checks.
 */
static int over_limit(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                      const struct cv_rsvp_options *opt, int64_t held_id, bool *over,
                      struct cv_rsvp_result *res, struct cv_error *err)
{
    long recent = 0, waiting = 0;
    int rc;
    *over = false;
    if (opt->per_sender_hour <= 0 || !msg->mail.from)
        return 0;
    if ((rc = cv_store_reply_count_since(st, msg->mail.from, cv_ctx_now(ctx) - 3600 + 1, &recent,
                                         err)) < 0)
        return rc;
    if (!held_id && (rc = cv_store_held_count(st, msg->mail.from, &waiting, err)) < 0)
        return rc;
    if (recent < opt->per_sender_hour && waiting == 0)
        return 0;
    *over = true;
    say(res, CV_REPLY_LIMITED,
        "%ld replies from %s in the last hour (limit %d)%s: held whole, applied by a later run "
        "('convene rsvp pending' lists it)",
        recent, msg->mail.from, opt->per_sender_hour, waiting ? ", and older ones wait" : "");
    return 0;
}

/* cv_rsvp_apply(), for a new message (@held_id 0) or one the limit held (it leaves the held
 * queue in the transaction that applies it). */
static int apply_one(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                     const char *source, const struct cv_rsvp_options *opt, int64_t held_id,
                     struct cv_rsvp_result *res, struct cv_error *err)
{
    struct cv_store_reply log;
    bool over = false;
    int rc;

    memset(res, 0, sizeof(*res));
    cv_store_reply_init(&log);
    if ((rc = cv_store_begin(st, err)) < 0)
        return rc;
    if ((rc = over_limit(st, ctx, msg, opt, held_id, &over, res, err)) < 0)
        goto done;
    if (over) {
        struct cv_store_held h;
        cv_store_held_init(&h);
        h.received = cv_ctx_now(ctx);
        h.sender = msg->mail.from;
        h.source = (char *)source;
        h.message_id = msg->mail.message_id;
        h.authserv_id = (char *)opt->authserv_id;
        h.data = msg->raw;
        h.len = msg->raw_len;
        /* A new one is kept whole; one held already stays as it is. */
        if (!held_id && (rc = cv_store_held_add(st, &h, &res->reply_id, err)) == 0)
            rc = cv_store_commit(st, err);
        if (held_id || rc < 0)
            cv_store_rollback(st);
        if (rc == 0)
            cv_log(ctx, CV_LOG_INFO, "reply %s: limited: %s", source, res->reason);
        return rc;
    }
    if (held_id && (rc = cv_store_held_delete(st, held_id, err)) < 0)
        goto done;
    rc = judge(st, ctx, msg, opt, res, &log, err);
    if (rc == 0) {
        log.received = cv_ctx_now(ctx);
        log.sequence = msg->itip.sequence;
        log.dtstamp = msg->itip.dtstamp;
        log.outcome = res->outcome;
        if (cv_str_set(&log.source, source) < 0 ||
            cv_str_set(&log.message_id, msg->mail.message_id) < 0 ||
            cv_str_set(&log.sender, msg->mail.from) < 0 ||
            cv_str_set(&log.uid, msg->itip.uid) < 0 ||
            cv_str_set(&log.method, msg->itip.method) < 0 ||
            cv_str_set(&log.reason, res->reason) < 0)
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    if (rc == 0)
        rc = cv_store_reply_add(st, &log, &res->reply_id, err);
    if (rc == 0)
        rc = cv_store_commit(st, err);
done:
    if (rc < 0) {
        cv_store_rollback(st);
    } else {
        cv_log(ctx, CV_LOG_INFO, "reply %s: %s: %s", source, cv_reply_outcome_name(res->outcome),
               res->reason);
    }
    cv_store_reply_release(&log);
    return rc;
}

int cv_rsvp_apply(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                  const char *source, const struct cv_rsvp_options *opt, struct cv_rsvp_result *res,
                  struct cv_error *err)
{
    return apply_one(st, ctx, msg, source, opt, 0, res, err);
}

int cv_rsvp_apply_held(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_options *opt,
                       cv_rsvp_each_fn each, void *data, struct cv_rsvp_held_report *rep,
                       struct cv_error *err)
{
    struct cv_store_held_list l;
    int rc;

    memset(rep, 0, sizeof(*rep));
    cv_store_held_list_init(&l);
    if ((rc = cv_store_held_list(st, &l, err)) < 0)
        goto out;
    for (size_t i = 0; i < l.n; i++) {
        struct cv_store_held h;
        struct cv_rsvp_msg msg;
        struct cv_rsvp_result r;
        long recent = 0;
        char source[300];
        /* A sender whose hour is full waits, without reading the message again. */
        if (opt->per_sender_hour > 0) {
            if ((rc = cv_store_reply_count_since(st, l.v[i].sender, cv_ctx_now(ctx) - 3600 + 1,
                                                 &recent, err)) < 0)
                goto out;
            if (recent >= opt->per_sender_hour) {
                rep->still++;
                continue;
            }
        }
        cv_store_held_init(&h);
        cv_rsvp_msg_init(&msg);
        snprintf(source, sizeof(source), "%.280s (held %lld)", l.v[i].source, (long long)l.v[i].id);
        memset(&r, 0, sizeof(r));
        if ((rc = cv_store_held_get(st, l.v[i].id, &h, err)) == 0) {
            rc = cv_rsvp_read(h.data, h.len, source, &msg, err);
            if (rc == CV_EPARSE || rc == CV_ELIMIT) {
                /* It was read once; should it no longer be, it stays, and is reported. */
                say(&r, CV_REPLY_LIMITED, "cannot be read again: %s", err ? err->msg : "");
                rc = 0;
            } else if (rc == 0) {
                /* Judged as the run that read it would have: under the --authserv-id it was
                 * read with (a later run without one must not skip that check). */
                struct cv_rsvp_options o = *opt;
                if (h.authserv_id)
                    o.authserv_id = h.authserv_id;
                rc = apply_one(st, ctx, &msg, source, &o, h.id, &r, err);
            }
        }
        cv_rsvp_msg_release(&msg);
        cv_store_held_release(&h);
        if (rc < 0)
            goto out;
        if (r.outcome == CV_REPLY_LIMITED)
            rep->still++;
        else
            rep->done++;
        if (each)
            each(data, source, &r);
    }
    rc = 0;
out:
    cv_store_held_list_release(&l);
    return rc;
}
