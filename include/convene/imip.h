/* SPDX-License-Identifier: MIT */
/* convene/imip.h: invitations as iMIP mail (RFC 6047): who must receive what (the ledger), the
 * iTIP messages (RFC 5546), their MIME form (RFC 2045-2047) and the templates they are written
 * from, in English, French, Spanish and Arabic. */
#ifndef CONVENE_IMIP_H
#define CONVENE_IMIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/core.h>
#include <convene/ical.h>
#include <convene/model.h>
#include <convene/store.h>
#include <convene/util.h>

/* ---- MIME pieces (RFC 2045-2047, RFC 5322) --------------------------------------------------- */

/* The longest line convene writes in a header or body, in octets (RFC 5322 allows 998). */
#define CV_MIME_LINE_MAX 78

/*
 * Copies @in to @out without control characters (C0, DEL, C1, U+2028, U+2029): what a header
 * or a one-line value may carry of user text. Invalid UTF-8 bytes are dropped too.
 * @return 0, CV_ENOMEM or CV_ELIMIT
 */
int cv_mime_text_clean(const char *in, struct cv_buf *out);

/*
 * Appends the header "@name: @value" folded to lines of at most 78 octets. @value must be
 * printable ASCII already (encoded words, addresses): a CR, LF or any other control character
 * is refused, so that user data can never start a header of its own.
 * @return 0, CV_EINVAL (a control or non-ASCII character, or a token longer than a line) or
 * CV_ENOMEM
 */
int cv_mime_add_header(struct cv_buf *out, const char *name, const char *value);

/*
 * Appends @text (UTF-8, cleaned of controls) as header text: as is when it is printable
 * ASCII, else as RFC 2047 encoded words ("=?UTF-8?B?...?=", each at most 75 characters, never
 * splitting a UTF-8 character) separated by spaces.
 * @return 0, CV_EINVAL (invalid UTF-8) or CV_ENOMEM
 */
int cv_mime_encode_words(const char *text, struct cv_buf *out);

/*
 * Appends "display-name <address>" for a header: the name as a quoted string or encoded words.
 * @return 0, CV_EINVAL (an address that is not a plain local@domain) or CV_ENOMEM
 */
int cv_mime_address(const char *name, const char *address, struct cv_buf *out);

/* Appends @len bytes as quoted-printable (RFC 2045 6.7): CRLF line ends, lines <= 76 octets. */
int cv_mime_qp(const char *data, size_t len, struct cv_buf *out);
/* Appends @len bytes as base64 in lines of 76 characters, each ending in CRLF. */
int cv_mime_base64(const void *data, size_t len, struct cv_buf *out);
/* Writes @t as an RFC 5322 date, "Thu, 26 Nov 2026 21:13:04 +0000", into @out (40 bytes). */
void cv_mime_date(int64_t t, char out[40]);

/* ---- reading received mail (RFC 5322, RFC 2045-2047) ---------------------------------------- */

/* The largest message convene reads. */
#define CV_MAIL_MAX (8u * 1024 * 1024)

/* A calendar found in a message (text/calendar, application/ics, an .ics attachment), decoded. */
struct cv_mail_part {
    char *type;     /* "text/calendar", "application/ics", ... */
    char *method;   /* the Content-Type's method= parameter, or NULL */
    char *filename; /* or NULL */
    bool attachment;
    char *data; /* NUL-terminated */
    size_t len;
};

struct cv_mail {
    bool bare;           /* the input was an iCalendar file, not a mail message */
    char *from;          /* the one address of From, or NULL (none, several, unreadable) */
    char *from_name;     /* its display name, decoded, or NULL */
    char *message_id;    /* or NULL */
    char *subject;       /* decoded, control characters removed, or NULL */
    char **auth_results; /* every Authentication-Results value (RFC 8601), top first */
    size_t nauth, auth_alloc;
    struct cv_mail_part *parts; /* the calendars, in the order of the message */
    size_t nparts, alloc;
};

void cv_mail_init(struct cv_mail *m);
void cv_mail_release(struct cv_mail *m);

/*
 * Reads a mail message as clients send it (any multipart nesting, base64, quoted-printable,
 * CRLF or LF), or a bare iCalendar file. Bounded: CV_MAIL_MAX octets, 256 KiB of headers, 1,000
 * header fields, 256 parts, nesting 8 deep.
 * @return 0 with @out (initialised by the caller) filled; CV_EPARSE (neither mail nor
 * iCalendar), CV_ELIMIT or CV_ENOMEM, with @err's file set to @name
 */
int cv_mail_parse(const char *data, size_t len, const char *name, struct cv_mail *out,
                  struct cv_error *err);

/* Decoders of received text: base64 (stray characters skipped), quoted-printable (RFC 2045
 * 6.7), and RFC 2047 encoded words (UTF-8, ASCII, Latin-1; controls removed). @return 0,
 * CV_ENOMEM or CV_ELIMIT (@out's limit). */
int cv_mime_base64_decode(const char *in, size_t len, struct cv_buf *out);
int cv_mime_qp_decode(const char *in, size_t len, struct cv_buf *out);
int cv_mime_decode_words(const char *in, struct cv_buf *out);

/* ---- templates ------------------------------------------------------------------------------- */

/*
 * The texts of invitations, updates and cancellations: for each language (en, fr, es, ar) and
 * kind, LANG/KIND.txt (its first line "Subject: ...", a blank line, then the text) and
 * LANG/KIND.html. Placeholders {{name}} are replaced by values (HTML-escaped in .html); a block
 * {{#name}}...{{/name}} is kept only when the value is not empty.
 */
struct cv_imip_templates;

/*
 * Reads the templates from the folder @dir, or the built-in ones (calendars/templates/) when
 * @dir is NULL. Every file is checked: known placeholders only, blocks closed, valid UTF-8.
 * @return 0 with *@ret owned by the caller (cv_imip_templates_free); CV_ENOTFOUND (a missing
 * file), CV_EPARSE (with @err's file and line) or CV_ENOMEM
 */
int cv_imip_templates_load(const char *dir, struct cv_imip_templates **ret, struct cv_error *err);
void cv_imip_templates_free(struct cv_imip_templates *t);

/* ---- messages -------------------------------------------------------------------------------- */

enum cv_imip_kind {
    CV_IMIP_INVITATION, /* REQUEST, first */
    CV_IMIP_UPDATE,     /* REQUEST, a higher SEQUENCE */
    CV_IMIP_CANCELLATION,
    CV_IMIP_REMINDER,       /* REQUEST, the SEQUENCE last sent, to someone who has not answered */
    CV_IMIP_DECLINECOUNTER, /* DECLINECOUNTER (RFC 5546 3.2.8): the organizer refuses a COUNTER */
};

const char *cv_imip_kind_name(enum cv_imip_kind k);

/* What one message says. Pointers are borrowed. */
struct cv_imip_input {
    const struct cv_programme *programme;
    const struct cv_event *event; /* as it is now */
    const char *location;         /* "Venue, City, Country", or NULL */
    const struct cv_person *person;
    enum cv_imip_kind kind;
    int sequence;               /* the SEQUENCE of this message */
    const char *changes;        /* what changed, for an update ("dates, venue"), or NULL */
    const char *subscribe;      /* the private feed's address, or NULL */
    const char *sent_by;        /* an address sending for the organizer (SENT-BY), or NULL */
    const char *delegated_from; /* the delegator, for a delegate's invitation, or NULL */
    enum cv_partstat partstat;  /* DECLINECOUNTER: the answer the attendee gave (it stands) */
    int64_t counter_id;         /* DECLINECOUNTER: the COUNTER's row in the reply log, which
                                 * names the message (two COUNTERs refused, two messages) */
};

/* A built message. */
struct cv_imip_message {
    char *message_id; /* "<...>" */
    char *sender;     /* envelope: the organizer's (or SENT-BY) address */
    char *recipient;  /* envelope: the person's address */
    const char *method;
    struct cv_buf data; /* the whole message, CRLF lines */
    size_t calendar_len;
    char *calendar; /* the text/calendar part, decoded */
};

void cv_imip_message_init(struct cv_imip_message *m);
void cv_imip_message_release(struct cv_imip_message *m);

/*
 * The stable Message-ID of a message: the same event UID, recipient, SEQUENCE and method give
 * the same ID, so that a message queued twice is recognised, and a resend keeps it.
 * Written to @out (of @size bytes) as "<UID.SEQ.method.HASH@DOMAIN>".
 */
void cv_imip_message_id(const char *uid, const char *recipient, int sequence, const char *method,
                        const char *domain, char *out, size_t size);

/*
 * Builds one iMIP message: the iTIP calendar (checked with cv_ical_itip_check()), the texts from
 * the templates in the person's language, and the MIME message: multipart/mixed holding a
 * multipart/alternative (text/plain, text/html, text/calendar; method=...) and the .ics as an
 * attachment. Dates come from @ctx's clock; the boundary from the OS random source, checked
 * against every part.
 * @return 0 with @out filled (initialised by the caller); CV_EINVAL (a bad address or value,
 * named in @err), CV_ENOMEM
 */
int cv_imip_message_build(struct cv_ctx *ctx, const struct cv_imip_templates *tpl,
                          const struct cv_imip_input *in, struct cv_imip_message *out,
                          struct cv_error *err);

/*
 * Builds the reply a delegate's calendar client sends to an invitation (RFC 5546 REPLY in an
 * RFC 6047 message: multipart/alternative with text/plain and text/calendar; method=REPLY):
 * From @person to the organizer, their ATTENDEE line with @partstat (and DELEGATED-TO
 * @delegated_to), the event's UID and @sequence, DTSTAMP from @ctx's clock. The demo plays
 * the delegates with it; tests use it to make replies.
 * @return 0 with @out filled (initialised by the caller); CV_EINVAL or CV_ENOMEM
 */
int cv_imip_reply_build(struct cv_ctx *ctx, const struct cv_programme *programme,
                        const struct cv_event *event, const struct cv_person *person, int sequence,
                        enum cv_partstat partstat, const char *delegated_to,
                        struct cv_imip_message *out, struct cv_error *err);

/* ---- the ledger: who must receive what ------------------------------------------------------- */

enum cv_imip_action {
    CV_IMIP_NOTHING, /* up to date */
    CV_IMIP_NEW,     /* an invitation */
    CV_IMIP_CHANGE,  /* an update: SEQUENCE raised */
    CV_IMIP_CANCEL,  /* the event is cancelled, or the person is no longer invited */
};

struct cv_imip_entry {
    struct cv_person person;
    enum cv_imip_action action;
    int seq_from;             /* the SEQUENCE last sent, -1 when none */
    int seq_to;               /* the SEQUENCE of the message to send */
    char changes[96];         /* "dates, venue, status" for an update */
    const char *why;          /* one phrase: "new", "event cancelled", "no longer invited", ... */
    char delegated_from[320]; /* a delegate's delegator (RFC 5546 3.2.2.3), or "" */
};

struct cv_imip_ledger {
    struct cv_programme programme;
    struct cv_event event;
    char *location;
    struct cv_imip_entry *v;
    size_t n;
    size_t alloc;
    size_t count[4]; /* per action */
};

void cv_imip_ledger_init(struct cv_imip_ledger *l);
void cv_imip_ledger_release(struct cv_imip_ledger *l);

/*
 * Computes what each person must receive about @event_key: the event's audience (except the
 * organizer's own mailbox) and everyone invited before, narrowed to @filter (an audience
 * filter, see cv_audience_check(); NULL for all). Reads only.
 * @return 0 with @out filled; CV_ENOTFOUND (no such event), CV_EINVAL (a bad filter, an event
 * without dates), or a store error
 */
int cv_imip_ledger_compute(struct cv_store *st, const char *event_key, const char *filter,
                           struct cv_imip_ledger *out, struct cv_error *err);

struct cv_imip_options {
    const struct cv_imip_templates *templates;
    const char *base_url; /* where private feeds are served: http(s)://host[:port][/path] */
    const char *sent_by;  /* SENT-BY address, or NULL */
};

struct cv_imip_report {
    size_t queued[4];  /* per action */
    size_t already;    /* messages found queued before (same Message-ID) */
    size_t subscribed; /* private feed addresses minted for a first invitation */
};

/*
 * Queues the messages of @ledger in one transaction: for each entry with something to send,
 * builds the message, adds it to the outbox (unless its Message-ID is there) and records the
 * invitation. A person's first invitation mints their private feed token when they have none;
 * the address goes into that message only (never logged, never printed).
 * @return 0 with @report filled; any error leaves the database unchanged
 */
int cv_imip_queue(struct cv_store *st, struct cv_ctx *ctx, const struct cv_imip_ledger *ledger,
                  const struct cv_imip_options *opt, struct cv_imip_report *report,
                  struct cv_error *err);

/*
 * Queues a reminder (REQUEST, the SEQUENCE last sent, RSVP=TRUE, the reminder template) to each
 * person with a live invitation to @event_key who has not answered (NEEDS-ACTION) and was not
 * reminded in the last @interval_days days, in one transaction; records when.
 * @return 0 with *@queued and *@skipped (reminded too recently) set; CV_ENOTFOUND (no such
 * event), CV_EINVAL or a store error (the database unchanged)
 */
int cv_imip_remind(struct cv_store *st, struct cv_ctx *ctx, const char *event_key,
                   const struct cv_imip_options *opt, int interval_days, size_t *queued,
                   size_t *skipped, struct cv_error *err);

/*
 * Queues, inside the transaction the caller holds, the DECLINECOUNTER (RFC 5546 3.2.8) that
 * tells the attendee of @counter (a reply held as a COUNTER) that the organizer refuses it: the
 * event as it is, the SEQUENCE the COUNTER answered, their ATTENDEE line, the texts in their
 * language. The calendar is checked against RFC 5546's own DECLINECOUNTER table
 * (cv_ical_itip_check()).
 * @return 0 with *@queued set (false when the same message was queued already); CV_ENOTFOUND
 * (the event or the person is gone), CV_EINVAL (a COUNTER that is no COUNTER, an event without
 * dates), CV_ENOMEM or a store error. The caller rolls back on failure.
 */
int cv_imip_decline_counter(struct cv_store *st, struct cv_ctx *ctx,
                            const struct cv_store_reply *counter, const struct cv_imip_options *opt,
                            bool *queued, struct cv_error *err);

/* ---- replies (iTIP REPLY and COUNTER received: RFC 5546, RFC 6047) --------------------------- */

/* A received reply as read from its message: the mail and the iTIP calendar chosen in it. */
struct cv_rsvp_msg {
    struct cv_mail mail;
    struct cv_itip_message itip;
    const struct cv_mail_part *part; /* the calendar read (in mail.parts) */
    char *raw;                       /* the message as read, kept whole should it be held */
    size_t raw_len;
};

void cv_rsvp_msg_init(struct cv_rsvp_msg *m);
void cv_rsvp_msg_release(struct cv_rsvp_msg *m);

/*
 * Reads a reply from @data (an .eml or .ics file, untrusted): the message, then its calendar
 * (the inline text/calendar part with a method first), parsed first in a child process under
 * limits and then with libical. Touches no database.
 * @return 0 with @out filled; CV_EPARSE (no calendar, not iCalendar: @err names the file and
 * line), CV_ELIMIT or CV_ENOMEM
 */
int cv_rsvp_read(const char *data, size_t len, const char *name, struct cv_rsvp_msg *out,
                 struct cv_error *err);

struct cv_rsvp_options {
    const struct cv_imip_templates *templates; /* for a delegate's invitation */
    const char *base_url;                      /* where private feeds are served */
    /* RFC 8601: trust Authentication-Results only from this server (the receiving MTA), and
     * then require it: none, a dkim/spf/dmarc fail or no pass is ignored. NULL: the header is
     * never trusted (anyone can write it) and only the From check applies. */
    const char *authserv_id;
    /* RELIABILITY.md T5 (RFC 5546 6.1, flooding): at most this many replies from one From
     * address are processed in any hour (counted in the reply log); the rest are held whole and
     * applied by a later run, oldest first. 0: no limit. */
    int per_sender_hour;
};

/* What one reply did. */
struct cv_rsvp_result {
    enum cv_reply_outcome outcome;
    enum cv_partstat partstat;
    char attendee[320];
    char event_key[128];
    char reason[400]; /* one line: what was done, or why nothing was */
    bool delegate_invited;
    int64_t reply_id; /* the row in the reply log */
};

/*
 * Applies one reply, in one transaction: checks the method (REPLY or COUNTER, equal to the MIME
 * method=), the event (UID, RECURRENCE-ID), the sender (From is the ATTENDEE: SENT-BY is not
 * trusted; Authentication-Results as @opt says), the invitation (someone not invited is queued
 * for the organizer) and the sequencing (RFC 5546 2.1.5: a lower SEQUENCE, or the same and an
 * older or equal DTSTAMP, is stale); then sets PARTSTAT and the reply time, or records a
 * COUNTER for the organizer. DELEGATED adds the delegate as a person and guest and queues their
 * invitation (with DELEGATED-FROM). Every reply is logged with its outcome and reason. With
 * @opt->per_sender_hour, a reply whose sender had that many replies processed in the last hour,
 * or has replies held already, is held whole instead (outcome CV_REPLY_LIMITED), for
 * cv_rsvp_apply_held().
 * @param source  the file name or "imap:UID", for the log
 * @return 0 with @res filled (ignored replies included: no state changed but the log); a store
 * error (then nothing changed)
 */
int cv_rsvp_apply(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_msg *msg,
                  const char *source, const struct cv_rsvp_options *opt, struct cv_rsvp_result *res,
                  struct cv_error *err);

/* Called for each held reply a run processes, with what it did (outcome CV_REPLY_LIMITED: its
 * sender's hour is still full, it stays held). */
typedef void (*cv_rsvp_each_fn)(void *data, const char *source, const struct cv_rsvp_result *r);

struct cv_rsvp_held_report {
    size_t done;  /* applied, ignored or held for the organizer: out of the held queue */
    size_t still; /* still held (the sender's hour is full) */
};

/*
 * Applies the replies the per-sender limit held (cv_store_held_list()), oldest first, each as
 * cv_rsvp_apply() would (under the authserv-id it was held with, when it was held with one),
 * as far as each sender's hour allows; each one applied leaves the held
 * queue in the transaction that applies it, so none is lost or applied twice.
 * @param each  called for each (may be NULL)
 * @return 0 with @rep filled; a store error or CV_ENOMEM (what was done before stays done)
 */
int cv_rsvp_apply_held(struct cv_store *st, struct cv_ctx *ctx, const struct cv_rsvp_options *opt,
                       cv_rsvp_each_fn each, void *data, struct cv_rsvp_held_report *rep,
                       struct cv_error *err);

#endif
