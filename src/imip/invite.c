/* SPDX-License-Identifier: MIT */
/* invite.c: the ledger of an event's invitations (who must receive what: a first invitation,
 * an update with a higher SEQUENCE, a cancellation, nothing) and queueing its messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imip_int.h"

#include "banned.h"

/* How long the outbox keeps trying a message, at most (RFC 5321 4.5.4.1: 4-5 days). */
#define MAX_LIFETIME (5 * 86400)

void cv_imip_ledger_init(struct cv_imip_ledger *l)
{
    memset(l, 0, sizeof(*l));
    cv_programme_init(&l->programme);
    cv_event_init(&l->event);
}

void cv_imip_ledger_release(struct cv_imip_ledger *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_person_release(&l->v[i].person);
    free(l->v);
    free(l->location);
    cv_event_release(&l->event);
    cv_programme_release(&l->programme);
    cv_imip_ledger_init(l);
}

/* What a message about @e says, one "field: value" a line, to name what changed later. */
static int state_of(const struct cv_event *e, const char *location, struct cv_buf *out)
{
    char a[CV_DATE_SIZE], b[CV_DATE_SIZE];
    cv_date_format(&e->start, a);
    cv_date_format(&e->end, b);
    return cv_buf_addf(out, "dates: %s..%s\nhours: %d-%d\nvenue: %s\nstatus: %s\ntitle: %s\n", a, b,
                       e->opens_min, e->closes_min, location ? location : "",
                       cv_event_status_name(e->status), e->title);
}

/* Names the fields whose lines differ between two states, "dates, venue". */
static void changed_fields(const char *was, const char *now, char *out, size_t size)
{
    static const char *const fields[] = {"dates", "hours", "venue", "status", "title"};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        char key[16];
        snprintf(key, sizeof(key), "%s: ", fields[i]);
        const char *x = strstr(was ? was : "", key), *y = strstr(now, key);
        size_t nx = x ? strcspn(x, "\n") : 0, ny = y ? strcspn(y, "\n") : 0;
        if (x && y && nx == ny && strncmp(x, y, nx) == 0)
            continue;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? ", " : "", fields[i]);
    }
}

static const char *region_of(const struct cv_country_list *members, const char *iso2)
{
    for (size_t i = 0; iso2 && i < members->n; i++) {
        if (strcmp(members->v[i].iso2, iso2) == 0)
            return members->v[i].region;
    }
    return NULL;
}

static int max(int a, int b)
{
    return a > b ? a : b;
}

int cv_imip_ledger_compute(struct cv_store *st, const char *event_key, const char *filter,
                           struct cv_imip_ledger *out, struct cv_error *err)
{
    struct cv_person_list people;
    struct cv_country_list members;
    struct cv_store_invitation inv;
    struct cv_buf now;
    int rc;

    cv_person_list_init(&people);
    cv_country_list_init(&members);
    cv_store_invitation_init(&inv);
    cv_buf_init(&now, CV_BUF_NOLIMIT);
    if (filter && (rc = cv_audience_check(filter, err)) < 0)
        goto out;
    if ((rc = cv_store_programme_get(st, &out->programme, err)) < 0)
        goto out;
    rc = cv_store_event_get(st, event_key, &out->event, err);
    if (rc == CV_ENOTFOUND)
        rc = cv_error_set(err, CV_ENOTFOUND, "no event '%s'; see 'convene event list'", event_key);
    if (rc < 0)
        goto out;
    const struct cv_event *e = &out->event;
    if (!cv_event_has_dates(e)) {
        rc = cv_error_set(err, CV_EINVAL,
                          "event %s has no dates yet; fix them first ('convene plan --apply' or "
                          "'convene event set %s --dates ...')",
                          e->key, e->key);
        goto out;
    }
    if (!out->programme.organizer || strncasecmp(out->programme.organizer, "mailto:", 7) != 0 ||
        !cv_email_is_valid(out->programme.organizer + 7)) {
        rc = cv_error_set(err, CV_EINVAL, "the programme's organizer is not a mailto: address");
        goto out;
    }
    if ((rc = cv_store_person_list(st, &people, err)) < 0 ||
        (rc = cv_store_country_list(st, &members, err)) < 0 ||
        (rc = cv_event_location(e, &members, &out->location)) < 0 ||
        (rc = state_of(e, out->location, &now)) < 0)
        goto out;

    for (size_t i = 0; i < people.n; i++) {
        struct cv_person *p = &people.v[i];
        const char *region = region_of(&members, p->country);
        if (strcasecmp(p->email, out->programme.organizer + 7) == 0)
            continue; /* the office does not invite itself */
        if (filter && !cv_audience_filter_match(filter, e, p, region))
            continue;
        char *via = NULL;
        rc = cv_store_guest_via(st, p->email, e->key, &via, err);
        if (rc < 0 && rc != CV_ENOTFOUND)
            goto out;
        /* A guest (a delegate, someone the organizer let in) is in the audience too. */
        bool audience = rc == 0 || cv_audience_match(e, p, region);
        char from[320] = "";
        if (via && strncmp(via, "delegated by ", 13) == 0)
            snprintf(from, sizeof(from), "%s", via + 13);
        free(via);
        bool cancelled = e->status == CV_EVENT_CANCELLED;
        cv_store_invitation_release(&inv);
        rc = cv_store_invitation_get(st, p->email, e->key, &inv, err);
        if (rc < 0 && rc != CV_ENOTFOUND)
            goto out;
        bool had = rc == 0;
        bool live = had && cv_str_eq(inv.method, "REQUEST");
        struct cv_imip_entry x = {0};
        x.seq_from = had ? inv.inv.sequence_sent : -1;
        if (!live) {
            if (!audience || cancelled)
                continue;
            x.action = CV_IMIP_NEW;
            x.seq_to = had ? max(e->sequence, inv.inv.sequence_sent + 1) : e->sequence;
            x.why = had ? "invited again" : "new";
        } else if (cancelled) {
            x.action = CV_IMIP_CANCEL;
            x.seq_to = max(e->sequence, inv.inv.sequence_sent + 1);
            x.why = "event cancelled";
        } else if (!audience) {
            x.action = CV_IMIP_CANCEL;
            x.seq_to = inv.inv.sequence_sent + 1;
            x.why = "no longer invited";
        } else if (e->sequence > inv.event_sequence) {
            x.action = CV_IMIP_CHANGE;
            x.seq_to = max(e->sequence, inv.inv.sequence_sent + 1);
            changed_fields(inv.sent_state, now.buf, x.changes, sizeof(x.changes));
            x.why = "changed";
        } else {
            x.action = CV_IMIP_NOTHING;
            x.seq_to = inv.inv.sequence_sent;
            x.why = "up to date";
        }
        if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(x.delegated_from, from, sizeof(from));
        x.person = *p;
        cv_person_init(p); /* moved into the ledger */
        out->v[out->n++] = x;
        out->count[x.action]++;
    }
    rc = 0;
out:
    cv_buf_release(&now);
    cv_store_invitation_release(&inv);
    cv_country_list_release(&members);
    cv_person_list_release(&people);
    return rc;
}

/* The instant the event starts: its venue's opening on its first day, in its zone. */
static int64_t event_start(const struct cv_event *e)
{
    struct cv_tz *tz = NULL;
    int open = e->opens_min ? e->opens_min : 9 * 60;
    int64_t t = cv_date_to_days(&e->start) * 86400 + (int64_t)open * 60;
    if (cv_tz_load(e->tzid, &tz, NULL) == 0) {
        t = cv_tz_local_to_utc(tz, &e->start, open);
        cv_tz_free(tz);
    }
    return t;
}

/* The private feed's address for @token under @base ("http(s)://..."), as a webcal:// link. */
static void subscribe_link(const char *base, const char *token, char *out, size_t size)
{
    const char *host = strstr(base, "://");
    size_t bl = strlen(base);
    const char *slash = bl && base[bl - 1] == '/' ? "" : "/";
    snprintf(out, size, "webcal://%s%sprivate/%s.ics", host ? host + 3 : base, slash, token);
}

int cv_imip_queue(struct cv_store *st, struct cv_ctx *ctx, const struct cv_imip_ledger *ledger,
                  const struct cv_imip_options *opt, struct cv_imip_report *report,
                  struct cv_error *err)
{
    int rc = cv_store_begin(st, err);
    if (rc == 0)
        rc = imip_queue_in_tx(st, ctx, ledger, opt, report, err);
    if (rc == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0) {
        cv_store_rollback(st);
        memset(report, 0, sizeof(*report));
    }
    return rc;
}

/* Adds one built message to the outbox; *@added says whether it was new. */
static int outbox_add(struct cv_store *st, const struct cv_imip_message *msg, const char *event_key,
                      enum cv_imip_kind kind, int sequence, int64_t now, int64_t start, bool *added,
                      struct cv_error *err)
{
    struct cv_outbox_msg m;
    cv_outbox_msg_init(&m);
    m.message_id = msg->message_id;
    m.event_key = (char *)event_key;
    m.kind = (char *)cv_imip_kind_name(kind);
    m.method = (char *)msg->method;
    m.sequence = sequence;
    m.sender = msg->sender;
    m.recipient = msg->recipient;
    m.created = now;
    m.next_attempt = now;
    m.expires = now + MAX_LIFETIME < start ? now + MAX_LIFETIME : start;
    m.data = msg->data.buf;
    m.len = msg->data.len;
    return cv_store_outbox_add(st, &m, added, err);
}

int imip_queue_in_tx(struct cv_store *st, struct cv_ctx *ctx, const struct cv_imip_ledger *ledger,
                     const struct cv_imip_options *opt, struct cv_imip_report *report,
                     struct cv_error *err)
{
    const struct cv_event *e = &ledger->event;
    struct cv_imip_message msg;
    struct cv_store_invitation inv;
    struct cv_buf state;
    int64_t now = cv_ctx_now(ctx);
    int64_t start = event_start(e);
    char link[600], hash[CV_SHA256_HEX_SIZE];
    int rc;

    memset(report, 0, sizeof(*report));
    cv_imip_message_init(&msg);
    cv_store_invitation_init(&inv);
    cv_buf_init(&state, CV_BUF_NOLIMIT);
    if (opt->base_url && !cv_uri_is_valid(opt->base_url))
        return cv_error_set(err, CV_EINVAL, "'%.80s' is not a clean http(s) URL", opt->base_url);
    if ((rc = state_of(e, ledger->location, &state)) < 0)
        return cv_error_set(err, rc, "out of memory");
    for (size_t i = 0; i < ledger->n; i++) {
        const struct cv_imip_entry *x = &ledger->v[i];
        if (x->action == CV_IMIP_NOTHING)
            continue;
        struct cv_imip_input in = {0};
        char token[CV_TOKEN_SIZE] = "";
        in.programme = &ledger->programme;
        in.event = e;
        in.location = ledger->location;
        in.person = &x->person;
        in.kind = x->action == CV_IMIP_NEW      ? CV_IMIP_INVITATION
                  : x->action == CV_IMIP_CHANGE ? CV_IMIP_UPDATE
                                                : CV_IMIP_CANCELLATION;
        in.sequence = x->seq_to;
        in.changes = x->changes[0] ? x->changes : NULL;
        in.sent_by = opt->sent_by;
        in.delegated_from = x->delegated_from[0] ? x->delegated_from : NULL;
        /* A first invitation carries the private feed's address, which only exists when the
         * token is minted: only its hash is stored, so a person who has one already keeps it. */
        if (x->action == CV_IMIP_NEW && opt->base_url) {
            struct cv_error probe;
            cv_error_init(&probe);
            rc = cv_store_person_token_hash(st, x->person.email, hash, &probe);
            if (rc == CV_ENOTFOUND) {
                if ((rc = cv_store_person_token_new(st, x->person.email, token, err)) < 0)
                    goto out;
                subscribe_link(opt->base_url, token, link, sizeof(link));
                in.subscribe = link;
                report->subscribed++;
            } else if (rc < 0) {
                /* Out of memory, or the database failed: the queueing stops whole. */
                if (err)
                    *err = probe;
                goto out;
            }
        }
        cv_imip_message_release(&msg);
        rc = cv_imip_message_build(ctx, opt->templates, &in, &msg, err);
        memset(token, 0, sizeof(token));
        memset(link, 0, sizeof(link));
        if (rc < 0)
            goto out;
        bool added = false;
        if ((rc = outbox_add(st, &msg, e->key, in.kind, in.sequence, now, start, &added, err)) < 0)
            goto out;
        if (added)
            report->queued[x->action]++;
        else
            report->already++;
        cv_store_invitation_release(&inv);
        inv.inv.email = x->person.email;
        inv.inv.event_key = e->key;
        inv.inv.role = x->person.role;
        inv.inv.partstat = CV_PARTSTAT_NEEDS_ACTION;
        inv.inv.sequence_sent = in.sequence;
        inv.method = (char *)msg.method;
        inv.event_sequence = e->sequence;
        inv.sent_state = state.buf;
        inv.updated = now;
        rc = cv_store_invitation_put(st, &inv, err);
        cv_store_invitation_init(&inv); /* its strings were borrowed */
        if (rc < 0)
            goto out;
    }
    rc = 0;
out:
    cv_buf_release(&state);
    cv_store_invitation_release(&inv);
    cv_imip_message_release(&msg);
    return rc;
}

int cv_imip_remind(struct cv_store *st, struct cv_ctx *ctx, const char *event_key,
                   const struct cv_imip_options *opt, int interval_days, size_t *queued,
                   size_t *skipped, struct cv_error *err)
{
    struct cv_imip_ledger l;
    struct cv_attendance_list who;
    struct cv_imip_message msg;
    int64_t now = cv_ctx_now(ctx);
    int rc;

    *queued = *skipped = 0;
    cv_imip_ledger_init(&l);
    cv_attendance_list_init(&who);
    cv_imip_message_init(&msg);
    /* The ledger gives the event, the programme and the location, as an invitation has them. */
    if ((rc = cv_imip_ledger_compute(st, event_key, NULL, &l, err)) < 0 ||
        (rc = cv_store_attendance(st, event_key, &who, err)) < 0)
        goto out;
    if (l.event.status == CV_EVENT_CANCELLED) {
        rc = cv_error_set(err, CV_EINVAL, "event %s is cancelled: no reminders", event_key);
        goto out;
    }
    int64_t start = event_start(&l.event);
    if ((rc = cv_store_begin(st, err)) < 0)
        goto out;
    for (size_t i = 0; i < who.n; i++) {
        const struct cv_attendance_row *r = &who.v[i];
        if (r->partstat != CV_PARTSTAT_NEEDS_ACTION)
            continue;
        if (r->reminded && now - r->reminded < (int64_t)interval_days * 86400) {
            (*skipped)++;
            continue;
        }
        struct cv_imip_input in = {0};
        in.programme = &l.programme;
        in.event = &l.event;
        in.location = l.location;
        in.person = &r->person;
        in.kind = CV_IMIP_REMINDER;
        in.sequence = r->sequence_sent;
        in.sent_by = opt->sent_by;
        cv_imip_message_release(&msg);
        bool added = false;
        if ((rc = cv_imip_message_build(ctx, opt->templates, &in, &msg, err)) < 0 ||
            (rc = outbox_add(st, &msg, event_key, CV_IMIP_REMINDER, in.sequence, now, start, &added,
                             err)) < 0 ||
            (rc = cv_store_invitation_reminded(st, r->person.email, event_key, now, err)) < 0)
            break;
        *queued += added;
    }
    if (rc == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0) {
        cv_store_rollback(st);
        *queued = *skipped = 0;
    }
out:
    cv_imip_message_release(&msg);
    cv_attendance_list_release(&who);
    cv_imip_ledger_release(&l);
    return rc;
}

int cv_imip_decline_counter(struct cv_store *st, struct cv_ctx *ctx,
                            const struct cv_store_reply *counter, const struct cv_imip_options *opt,
                            bool *queued, struct cv_error *err)
{
    struct cv_imip_ledger l;
    struct cv_person p;
    struct cv_store_invitation inv;
    struct cv_imip_message msg;
    int64_t now = cv_ctx_now(ctx);
    int rc;

    *queued = false;
    if (counter->outcome != CV_REPLY_COUNTER || !counter->event_key || !counter->attendee)
        return cv_error_set(err, CV_EINVAL, "reply %lld is not a COUNTER", (long long)counter->id);
    cv_imip_ledger_init(&l);
    cv_person_init(&p);
    cv_store_invitation_init(&inv);
    cv_imip_message_init(&msg);
    /* The ledger gives the event, the programme and the location, as an invitation has them. */
    char filter[340];
    snprintf(filter, sizeof(filter), "email:%s", counter->attendee);
    if ((rc = cv_imip_ledger_compute(st, counter->event_key, filter, &l, err)) < 0)
        goto out;
    rc = cv_store_person_get(st, counter->attendee, &p, err);
    if (rc == CV_ENOTFOUND)
        rc = cv_error_set(err, CV_ENOTFOUND, "%s, who sent COUNTER %lld, is no longer a person",
                          counter->attendee, (long long)counter->id);
    if (rc < 0)
        goto out;
    rc = cv_store_invitation_get(st, counter->attendee, counter->event_key, &inv, err);
    if (rc < 0 && rc != CV_ENOTFOUND)
        goto out;
    struct cv_imip_input in = {0};
    in.programme = &l.programme;
    in.event = &l.event;
    in.location = l.location;
    in.person = &p;
    in.kind = CV_IMIP_DECLINECOUNTER;
    in.sequence = counter->sequence; /* RFC 5546 3.2.8: echo the SEQUENCE countered */
    in.sent_by = opt->sent_by;
    in.partstat = rc == 0 ? inv.inv.partstat : CV_PARTSTAT_NEEDS_ACTION;
    in.counter_id = counter->id;
    if ((rc = cv_imip_message_build(ctx, opt->templates, &in, &msg, err)) < 0 ||
        (rc = outbox_add(st, &msg, counter->event_key, CV_IMIP_DECLINECOUNTER, in.sequence, now,
                         event_start(&l.event), queued, err)) < 0)
        goto out;
    rc = 0;
out:
    cv_imip_message_release(&msg);
    cv_store_invitation_release(&inv);
    cv_person_release(&p);
    cv_imip_ledger_release(&l);
    return rc;
}
