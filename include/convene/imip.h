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
};

const char *cv_imip_kind_name(enum cv_imip_kind k);

/* What one message says. Pointers are borrowed. */
struct cv_imip_input {
    const struct cv_programme *programme;
    const struct cv_event *event; /* as it is now */
    const char *location;         /* "Venue, City, Country", or NULL */
    const struct cv_person *person;
    enum cv_imip_kind kind;
    int sequence;          /* the SEQUENCE of this message */
    const char *changes;   /* what changed, for an update ("dates, venue"), or NULL */
    const char *subscribe; /* the private feed's address, or NULL */
    const char *sent_by;   /* an address sending for the organizer (SENT-BY), or NULL */
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
    int seq_from;     /* the SEQUENCE last sent, -1 when none */
    int seq_to;       /* the SEQUENCE of the message to send */
    char changes[96]; /* "dates, venue, status" for an update */
    const char *why;  /* one phrase: "new", "event cancelled", "no longer invited", ... */
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

#endif
