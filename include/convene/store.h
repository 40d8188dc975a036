/* SPDX-License-Identifier: MIT */
/* convene/store.h: the one SQLite file that holds a programme: schema, migrations, queries. */
#ifndef CONVENE_STORE_H
#define CONVENE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <convene/core.h>
#include <convene/model.h>

struct cv_store;

/* Open flags. */
#define CV_STORE_CREATE   1u /* create the file when missing (else CV_ENOTFOUND) */
#define CV_STORE_READONLY 2u /* never write: no migration, no journal-mode change */

/* The schema version this build writes (PRAGMA user_version). */
int cv_store_schema_latest(void);

/*
 * Opens the database at @path: WAL, foreign keys on, synchronous=FULL, a busy timeout
 * (5 s, or $CONVENE_BUSY_TIMEOUT_MS), SQLITE_DBCONFIG_DEFENSIVE. A database whose schema is newer
 * than this build is refused before anything is written. A writable open upgrades an older
 * schema, one transaction per migration. @ctx is borrowed and must outlive the store.
 * @return 0 with *@ret owned by the caller (cv_store_free); CV_ENOTFOUND (no file and no
 * CV_STORE_CREATE), CV_ENOTDB (not a database), CV_ESCHEMA (newer schema), CV_EBUSY (locked),
 * CV_EREADONLY (cannot write), CV_ESTORE or CV_ENOMEM; then *@ret is NULL.
 */
int cv_store_open(struct cv_ctx *ctx, const char *path, unsigned flags, struct cv_store **ret,
                  struct cv_error *err);

/* Closes the database; NULL is a no-op. An open transaction is rolled back. */
void cv_store_free(struct cv_store *st);

/* @return the schema version found when the file was opened (0 for a new file) */
int cv_store_schema_found(const struct cv_store *st);

/*
 * Transactions: every command that writes runs between cv_store_begin() and cv_store_commit(),
 * so it happens whole or not at all. begin takes the write lock at once (BEGIN IMMEDIATE).
 * @return 0, CV_EBUSY, CV_EREADONLY or CV_ESTORE
 */
int cv_store_begin(struct cv_store *st, struct cv_error *err);
int cv_store_commit(struct cv_store *st, struct cv_error *err);
/* Rolls back the open transaction, if any. */
void cv_store_rollback(struct cv_store *st);

/*
 * How an upsert went: CV_UPSERT_INSERTED, CV_UPSERT_UPDATED or CV_UPSERT_UNCHANGED (nothing
 * written: the stored value was already equal).
 */
enum cv_upsert {
    CV_UPSERT_UNCHANGED = 0,
    CV_UPSERT_INSERTED = 1,
    CV_UPSERT_UPDATED = 2,
};

/* ---- programme ---- */

/* @return 0 with @out filled (initialised by the caller), CV_ENOTFOUND or CV_ESTORE */
int cv_store_programme_get(struct cv_store *st, struct cv_programme *out, struct cv_error *err);
int cv_store_programme_put(struct cv_store *st, const struct cv_programme *p, enum cv_upsert *how,
                           struct cv_error *err);

/* ---- events ---- */

/* @return 0, CV_ENOTFOUND (no event @key) or CV_ESTORE. @out is initialised by the caller. */
int cv_store_event_get(struct cv_store *st, const char *key, struct cv_event *out,
                       struct cv_error *err);
/* The key of the event with UID @uid into *@key (the caller frees). @return 0, CV_ENOTFOUND
 * (silently) or a store error */
int cv_store_event_key_by_uid(struct cv_store *st, const char *uid, char **key,
                              struct cv_error *err);
/* Appends every event to @out, ordered by first date (window or fixed), then key. */
int cv_store_event_list(struct cv_store *st, struct cv_event_list *out, struct cv_error *err);
/* @return 0, CV_ECONFLICT (the key or UID exists), CV_EINVAL or CV_ESTORE */
int cv_store_event_insert(struct cv_store *st, const struct cv_event *e, struct cv_error *err);
/* Replaces the event with @e->key. @return 0, CV_ENOTFOUND, CV_EINVAL or CV_ESTORE. */
int cv_store_event_update(struct cv_store *st, const struct cv_event *e, struct cv_error *err);
/* Inserts @e, or updates the event of the same key when it differs. */
int cv_store_event_put(struct cv_store *st, const struct cv_event *e, enum cv_upsert *how,
                       struct cv_error *err);

/* ---- people ---- */

int cv_store_person_get(struct cv_store *st, const char *email, struct cv_person *out,
                        struct cv_error *err);
int cv_store_person_list(struct cv_store *st, struct cv_person_list *out, struct cv_error *err);
/* Inserts @p or updates the person with the same email (any case). */
int cv_store_person_put(struct cv_store *st, const struct cv_person *p, enum cv_upsert *how,
                        struct cv_error *err);

/* ---- private-feed tokens ---- */

/* A token as text: 32 hex digits (128 bits from the OS CSPRNG) and a NUL. */
#define CV_TOKEN_SIZE 33

/*
 * Mints a new private-feed token for the person @email, replacing any earlier one (which stops
 * working at once). Only its SHA-256 is stored: the caller shows @token once and never logs it.
 * @return 0 with @token filled; CV_ENOTFOUND (no such person), CV_EIO or a store error
 */
int cv_store_person_token_new(struct cv_store *st, const char *email, char token[CV_TOKEN_SIZE],
                              struct cv_error *err);
/* Removes the person's token; *@had says whether there was one. @return 0 or CV_ENOTFOUND. */
int cv_store_person_token_revoke(struct cv_store *st, const char *email, bool *had,
                                 struct cv_error *err);
/* The SHA-256 (hex) of the person's token. @return 0, or CV_ENOTFOUND when none. */
int cv_store_person_token_hash(struct cv_store *st, const char *email,
                               char hash[CV_SHA256_HEX_SIZE], struct cv_error *err);
/*
 * Finds the person a token belongs to: an indexed lookup of the token's hash, then a
 * constant-time comparison. @return 0 with @out filled, CV_ENOTFOUND or a store error
 */
int cv_store_person_by_token(struct cv_store *st, const char *token, struct cv_person *out,
                             struct cv_error *err);

/* ---- sessions ---- */

/* Appends the sessions of @event_key (NULL: of every event), in order of start. */
int cv_store_session_list(struct cv_store *st, const char *event_key, struct cv_session_list *out,
                          struct cv_error *err);
/* Inserts @s or updates the session of the same event and key. CV_ENOTFOUND: no such event. */
int cv_store_session_put(struct cv_store *st, const struct cv_session *s, enum cv_upsert *how,
                         struct cv_error *err);

/* ---- rooms ---- */

/* Appends the rooms of @event_key, largest first. */
int cv_store_room_list(struct cv_store *st, const char *event_key, struct cv_room_list *out,
                       struct cv_error *err);
/* Adds the room, or changes the capacity of the room of that name. CV_ENOTFOUND: no event. */
int cv_store_room_put(struct cv_store *st, const struct cv_room *r, struct cv_error *err);

/* ---- speakers' preferences ---- */

/* Appends the speakers' preferences of @event_key, by name. */
int cv_store_speaker_pref_list(struct cv_store *st, const char *event_key,
                               struct cv_speaker_pref_list *out, struct cv_error *err);
/* Stores @p, replacing the preferences of that speaker (names without case) at that event.
 * @return 0, CV_EINVAL (no name, a weight outside 1-1000, bad hours) or CV_ENOTFOUND (no event) */
int cv_store_speaker_pref_put(struct cv_store *st, const struct cv_speaker_pref *p,
                              struct cv_error *err);

/* ---- CalDAV resources ---- */

/* One resource convene put on a CalDAV collection. */
struct cv_caldav_resource {
    char *uid;
    char *href; /* the resource's URL */
    char *etag; /* the server's ETag after the last PUT, or NULL */
    char *hash; /* SHA-256 of the body last put */
};

void cv_caldav_resource_release(struct cv_caldav_resource *r);

/* Appends the resources of @collection to *@v (of *@n, capacity *@alloc); caller releases. */
int cv_store_caldav_list(struct cv_store *st, const char *collection, struct cv_caldav_resource **v,
                         size_t *n, size_t *alloc, struct cv_error *err);
int cv_store_caldav_put(struct cv_store *st, const char *collection,
                        const struct cv_caldav_resource *r, struct cv_error *err);
int cv_store_caldav_delete(struct cv_store *st, const char *collection, const char *uid,
                           struct cv_error *err);

/* ---- served files (convene serve) ---- */

/*
 * @return 0 with *@version set to a number that changes whenever another connection (another
 * convene process) commits a change to the database; the store's own writes leave it as it is.
 * Cheap: it reads a counter SQLite keeps (PRAGMA data_version). CV_ESTORE or CV_EBUSY on failure.
 */
int cv_store_data_version(struct cv_store *st, long *version, struct cv_error *err);

/*
 * Last-Modified of a served file: the time convene first served these bytes. When the stored
 * ETag of @path is @etag, *@modified is the time stored; otherwise @etag and @now are stored and
 * *@modified is @now. @path is a public file name or private/<SHA-256 of the token>.<ext>.
 * @return 0, or a store error (then *@modified is @now)
 */
int cv_store_served_validators(struct cv_store *st, const char *path, const char *etag, int64_t now,
                               int64_t *modified, struct cv_error *err);

/* Fetches of one served file, as convene serve counted them. */
struct cv_served_file {
    char *path;
    char *etag;
    int64_t modified;
    long fetches;      /* responses of any status */
    long not_modified; /* of which 304 */
    int64_t last_fetch;
    int last_status;
    char *last_agent;     /* the client's User-Agent, control characters removed */
    int64_t google_fetch; /* the last fetch by a Google Calendar client, 0 if none */
    char *email;          /* the owner of a private feed (by its token's hash), or NULL */
};

void cv_served_file_init(struct cv_served_file *f);
void cv_served_file_release(struct cv_served_file *f);

/*
 * Adds @f->fetches and @f->not_modified to the counts of @f->path and sets its last fetch,
 * status, agent and (when not 0) Google fetch. A path never served before is added, with
 * @f->etag and @f->modified. @return 0 or a store error
 */
int cv_store_served_record(struct cv_store *st, const struct cv_served_file *f,
                           struct cv_error *err);

struct cv_served_file_list {
    struct cv_served_file *v;
    size_t n;
    size_t alloc;
};

void cv_served_file_list_init(struct cv_served_file_list *l);
void cv_served_file_list_release(struct cv_served_file_list *l);
/* Appends every served file that was fetched at least once, by path, with its owner's email. */
int cv_store_served_list(struct cv_store *st, struct cv_served_file_list *out,
                         struct cv_error *err);

/* ---- member countries ---- */

int cv_store_country_list(struct cv_store *st, struct cv_country_list *out, struct cv_error *err);
int cv_store_country_put(struct cv_store *st, const struct cv_country *c, enum cv_upsert *how,
                         struct cv_error *err);

/* ---- reference calendars ---- */

/* Appends every calendar with its entries to @out, ordered by key. */
int cv_store_refcal_list(struct cv_store *st, struct cv_refcal_list *out, struct cv_error *err);
int cv_store_refcal_get(struct cv_store *st, const char *key, struct cv_refcal *out,
                        struct cv_error *err);
/* The calendar imported from @url. @return 0, CV_ENOTFOUND (silently: no @err) or an error. */
int cv_store_refcal_find_url(struct cv_store *st, const char *url, struct cv_refcal *out,
                             struct cv_error *err);
/* Inserts @c, or replaces the calendar of the same key and all its entries when it differs. */
int cv_store_refcal_put(struct cv_store *st, const struct cv_refcal *c, enum cv_upsert *how,
                        struct cv_error *err);

/* ---- invitations: what each person was last sent about each event ---- */

/* One invitation row, as `convene invite` last queued it. */
struct cv_store_invitation {
    struct cv_invitation inv;
    char *method;       /* "REQUEST" or "CANCEL": the last message queued */
    int event_sequence; /* the event's SEQUENCE that message reflected */
    char *sent_state;   /* what it said ("dates: ...\nvenue: ...\n"), to name what changed */
    int64_t updated;
    /* The reply that set inv.partstat (RFC 5546 2.1.5: a later reply must be newer). */
    int reply_sequence;    /* -1 before any reply */
    int64_t reply_dtstamp; /* UTC seconds, 0 before any reply */
    char *delegated_to;    /* the delegate's address when inv.partstat is DELEGATED */
    int64_t reminded;      /* UTC seconds of the last reminder queued, 0 when none */
};

void cv_store_invitation_init(struct cv_store_invitation *i);
void cv_store_invitation_release(struct cv_store_invitation *i);
/*
 * Reads the invitation of @email to @event_key. @return 0 with @out filled, CV_ENOTFOUND
 * (silently: no @err) or a store error
 */
int cv_store_invitation_get(struct cv_store *st, const char *email, const char *event_key,
                            struct cv_store_invitation *out, struct cv_error *err);
/* Appends the e-mail addresses invited to @event_key (any method) to @out. */
int cv_store_invitation_emails(struct cv_store *st, const char *event_key, struct cv_strset *out,
                               struct cv_error *err);
/* Inserts or replaces the invitation (person and event by @i->inv.email, @i->inv.event_key). */
int cv_store_invitation_put(struct cv_store *st, const struct cv_store_invitation *i,
                            struct cv_error *err);

/*
 * Records a reply on the invitation of @email to @event_key: PARTSTAT, the reply's SEQUENCE and
 * DTSTAMP, the time it was read (@replied) and the delegate (or NULL).
 * @return 0, CV_ENOTFOUND (no such invitation) or a store error
 */
int cv_store_invitation_reply(struct cv_store *st, const char *email, const char *event_key,
                              enum cv_partstat partstat, int sequence, int64_t dtstamp,
                              int64_t replied, const char *delegated_to, struct cv_error *err);
/* Sets when the person was last reminded about the event. @return 0 or a store error. */
int cv_store_invitation_reminded(struct cv_store *st, const char *email, const char *event_key,
                                 int64_t when, struct cv_error *err);

/* ---- guests: people invited outside an event's audience ---- */

/*
 * Adds @email to the guests of @event_key: a delegate (@via "delegated by ADDRESS") or someone
 * the organizer let in (@via "organizer"); an existing guest keeps the first @via.
 * @return 0, CV_ENOTFOUND (no such person or event) or a store error
 */
int cv_store_guest_add(struct cv_store *st, const char *email, const char *event_key,
                       const char *via, int64_t now, struct cv_error *err);
/* @return 0 with *@via (the caller frees) when @email is a guest of @event_key, CV_ENOTFOUND
 * (silently) when not, or a store error */
int cv_store_guest_via(struct cv_store *st, const char *email, const char *event_key, char **via,
                       struct cv_error *err);

/* ---- replies read (iTIP REPLY, COUNTER): what was done with each, and why ---- */

enum cv_reply_outcome {
    CV_REPLY_APPLIED, /* the invitation took it */
    CV_REPLY_IGNORED, /* forged, stale, unknown: no state changed */
    CV_REPLY_PENDING, /* from someone not invited: the organizer decides */
    CV_REPLY_COUNTER, /* a counter-proposal (RFC 5546 3.2.7): the organizer decides */
    CV_REPLY_LIMITED, /* over the per-sender limit: held whole, applied by a later run (never in
                       * the reply log until then) */
};

const char *cv_reply_outcome_name(enum cv_reply_outcome o);

struct cv_store_reply {
    int64_t id;
    int64_t received; /* when convene read it */
    char *source;     /* the file, or imap:UID */
    char *message_id;
    char *sender; /* the From address */
    char *attendee;
    char *name; /* the attendee's CN */
    char *event_key;
    char *uid;
    char *method;
    char *partstat;
    int sequence;
    int64_t dtstamp;
    enum cv_reply_outcome outcome;
    char *reason;   /* one line: why */
    char *proposal; /* a counter-proposal's dates and comment, or NULL */
    char *decision; /* "accepted" or "declined" once the organizer decided, else NULL */
    int64_t decided;
};

void cv_store_reply_init(struct cv_store_reply *r);
void cv_store_reply_release(struct cv_store_reply *r);

struct cv_store_reply_list {
    struct cv_store_reply *v;
    size_t n;
    size_t alloc;
};

void cv_store_reply_list_init(struct cv_store_reply_list *l);
void cv_store_reply_list_release(struct cv_store_reply_list *l);

/* Records @r (its id is ignored); *@id receives the new one (may be NULL). */
int cv_store_reply_add(struct cv_store *st, const struct cv_store_reply *r, int64_t *id,
                       struct cv_error *err);
/* *@seen: a reply of @method from @attendee about @event_key with @dtstamp was held before. */
int cv_store_reply_held(struct cv_store *st, const char *event_key, const char *attendee,
                        const char *method, int64_t dtstamp, bool *seen, struct cv_error *err);
/* Appends the replies read, oldest first; @open_only keeps those awaiting a decision. */
int cv_store_reply_list(struct cv_store *st, bool open_only, struct cv_store_reply_list *out,
                        struct cv_error *err);
/* Reads reply @id. @return 0, CV_ENOTFOUND or a store error. */
int cv_store_reply_get(struct cv_store *st, int64_t id, struct cv_store_reply *out,
                       struct cv_error *err);
/* Records the organizer's @decision on reply @id. @return 0, CV_ENOTFOUND or a store error. */
int cv_store_reply_decide(struct cv_store *st, int64_t id, const char *decision, int64_t now,
                          struct cv_error *err);

/* Counts into *@n the replies logged from @sender (any case) read at or after @since. */
int cv_store_reply_count_since(struct cv_store *st, const char *sender, int64_t since, long *n,
                               struct cv_error *err);

/* A reply held back by the per-sender limit (RELIABILITY.md T5), whole, until a later run. */
struct cv_store_held {
    int64_t id;
    int64_t received; /* when it was first read */
    char *sender;
    char *source;
    char *message_id;
    char *authserv_id; /* the server whose Authentication-Results the run that held it
                        * required (RFC 8601), or NULL */
    char *data;        /* the message as read, or NULL when listed without it */
    size_t len;
};

void cv_store_held_init(struct cv_store_held *h);
void cv_store_held_release(struct cv_store_held *h);

struct cv_store_held_list {
    struct cv_store_held *v;
    size_t n;
    size_t alloc;
};

void cv_store_held_list_init(struct cv_store_held_list *l);
void cv_store_held_list_release(struct cv_store_held_list *l);

/* Keeps @h (its id is ignored; data and len required); *@id receives the new one (may be
 * NULL). @return 0 or a store error. */
int cv_store_held_add(struct cv_store *st, const struct cv_store_held *h, int64_t *id,
                      struct cv_error *err);
/* Counts into *@n the replies held from @sender (any case), or from anyone when NULL. */
int cv_store_held_count(struct cv_store *st, const char *sender, long *n, struct cv_error *err);
/* Appends the held replies, oldest first, without their data. */
int cv_store_held_list(struct cv_store *st, struct cv_store_held_list *out, struct cv_error *err);
/* Reads held reply @id with its data. @return 0, CV_ENOTFOUND or a store error. */
int cv_store_held_get(struct cv_store *st, int64_t id, struct cv_store_held *out,
                      struct cv_error *err);
/* Forgets held reply @id (once applied, in the same transaction). @return 0, CV_ENOTFOUND or a
 * store error. */
int cv_store_held_delete(struct cv_store *st, int64_t id, struct cv_error *err);

/* ---- attendance ---- */

/* One person invited to an event (a live invitation, not cancelled), with their answer. */
struct cv_attendance_row {
    struct cv_person person;
    enum cv_partstat partstat;
    int64_t replied;
    char *delegated_to;
    char *via; /* how a guest came in ("delegated by ..."), or NULL */
    int64_t reminded;
    int sequence_sent;
};

struct cv_attendance_list {
    struct cv_attendance_row *v;
    size_t n;
    size_t alloc;
};

void cv_attendance_list_init(struct cv_attendance_list *l);
void cv_attendance_list_release(struct cv_attendance_list *l);
/* Appends everyone with a live invitation (method REQUEST) to @event_key, by email. */
int cv_store_attendance(struct cv_store *st, const char *event_key, struct cv_attendance_list *out,
                        struct cv_error *err);

/* ---- the outbox of mail messages ---- */

enum cv_outbox_state {
    CV_OUTBOX_QUEUED,
    CV_OUTBOX_SENDING,
    CV_OUTBOX_SENT,
    CV_OUTBOX_DEFERRED,
    CV_OUTBOX_FAILED,
};

/* One message to one recipient, with its bytes exactly as they go on the wire. */
struct cv_outbox_msg {
    int64_t id;
    char *message_id; /* "<...@domain>": the idempotency key */
    char *event_key;  /* NULL for a notice */
    char *kind;       /* "invitation", "update", "cancellation" or "notice" */
    char *method;     /* "REQUEST", "CANCEL", or NULL for a notice */
    int sequence;
    char *sender;    /* envelope MAIL FROM */
    char *recipient; /* envelope RCPT TO: exactly one */
    enum cv_outbox_state state;
    int attempts;
    int ambiguous;        /* times no reply came after the final dot */
    int64_t created;      /* UTC seconds */
    int64_t next_attempt; /* not before */
    int64_t expires;      /* give up after: min(created + 5 days, the event's start) */
    int64_t last_attempt; /* 0 before the first */
    int64_t sent_at;      /* 0 until sent */
    long last_code;       /* the last SMTP reply code, 0 when none */
    char *last_reply;     /* the last server reply, or why it failed */
    char *data;           /* the message (CRLF lines), NULL when listed without it */
    size_t len;
};

void cv_outbox_msg_init(struct cv_outbox_msg *m);
void cv_outbox_msg_release(struct cv_outbox_msg *m);
const char *cv_outbox_state_name(enum cv_outbox_state s);

struct cv_outbox_list {
    struct cv_outbox_msg *v;
    size_t n;
    size_t alloc;
};

void cv_outbox_list_init(struct cv_outbox_list *l);
void cv_outbox_list_release(struct cv_outbox_list *l);

/*
 * Queues @m (state queued) unless a message with the same Message-ID exists.
 * @return 0 with *@added true when queued, false when it was there; a store error
 */
int cv_store_outbox_add(struct cv_store *st, const struct cv_outbox_msg *m, bool *added,
                        struct cv_error *err);
/* Appends every message, oldest first, without its bytes. */
int cv_store_outbox_list(struct cv_store *st, struct cv_outbox_list *out, struct cv_error *err);
/* Reads message @id with its bytes. @return 0, CV_ENOTFOUND or a store error. */
int cv_store_outbox_get(struct cv_store *st, int64_t id, struct cv_outbox_msg *out,
                        struct cv_error *err);
/*
 * Claims up to @max messages due at @now (queued or deferred, next_attempt <= @now, oldest
 * first), their bytes read, no further than 4 MiB in all: in one transaction they become
 * `sending`, so that no other run takes them and a run killed with them is seen
 * (cv_store_outbox_recover). Each keeps in @out the state it had (for cv_store_outbox_unclaim),
 * and its attempts and last_attempt: the attempt is recorded by cv_store_outbox_finish. *@n
 * gets how many. @return 0, CV_ENOTFOUND (silently) when none is due, or a store error; release
 * @out[0..*@n) with cv_outbox_batch_release().
 */
int cv_store_outbox_claim(struct cv_store *st, int64_t now, struct cv_outbox_msg *out, size_t max,
                          size_t *n, struct cv_error *err);
/* Gives claimed messages never attempted back the state they had (@v[i].state). */
int cv_store_outbox_unclaim(struct cv_store *st, const struct cv_outbox_msg *v, size_t n,
                            struct cv_error *err);
void cv_outbox_batch_release(struct cv_outbox_msg *v, size_t n);
/*
 * Records how an attempt of @m->id ended: its state, next_attempt, ambiguous, sent_at,
 * last_code and last_reply, from @m; attempts too (so an attempt that never reached the server
 * can be given back). One durable transaction. @return 0 or a store error.
 */
int cv_store_outbox_finish(struct cv_store *st, const struct cv_outbox_msg *m,
                           struct cv_error *err);
/*
 * Takes the outbox's send lock: one delivery run at a time per database (a second would take
 * the first one's message in `sending` for one a killed run left). An flock() on DB.send-lock
 * beside the database, held until cv_store_outbox_unlock() or cv_store_free(), and released
 * by the system when the process dies, even by SIGKILL. Taking it twice is a no-op.
 * @return 0; CV_EBUSY (another process holds it), CV_EIO
 */
int cv_store_outbox_lock(struct cv_store *st, struct cv_error *err);
/* Releases the send lock when held. */
void cv_store_outbox_unlock(struct cv_store *st);
/*
 * Messages left in `sending` by a run that was killed: each goes back to `queued` (sent again,
 * with the same Message-ID and bytes). *@n receives their number.
 */
int cv_store_outbox_recover(struct cv_store *st, int64_t now, long *n, struct cv_error *err);
/*
 * Makes deferred and failed messages due at @now again (@id 0: all of them, else that one),
 * with their ambiguous count kept. *@n receives how many. CV_ENOTFOUND: no message @id.
 */
int cv_store_outbox_retry(struct cv_store *st, int64_t id, int64_t now, long *n,
                          struct cv_error *err);
/* Makes every queued or deferred message due at @until at the earliest; *@n: how many moved. */
int cv_store_outbox_pause(struct cv_store *st, int64_t until, long *n, struct cv_error *err);
/* How many attempts were made at or after @since (for the rate limits), into *@n. */
int cv_store_outbox_attempts_since(struct cv_store *st, int64_t since, long *n,
                                   struct cv_error *err);
/* How many messages are in each state, into @counts (indexed by enum cv_outbox_state). */
int cv_store_outbox_counts(struct cv_store *st, long counts[5], struct cv_error *err);

/* ---- deferred syncs, for the delivery loop ---- */

/*
 * @on: from now on a commit is written to the WAL at once and synced to disk only by
 * cv_store_sync_wait() (fdatasync, what synchronous=FULL does at each commit), so that the
 * caller chooses the moment: the delivery loop syncs while the server answers the next
 * envelope. A commit is durable once cv_store_sync_wait() returned 0 after it.
 * @on false: syncs the last commits and makes commits sync again (synchronous=FULL).
 * @return 0, CV_ENOMEM, CV_EIO (off: a sync failed), or a store error
 */
int cv_store_sync_defer(struct cv_store *st, bool on, struct cv_error *err);
/*
 * Syncs every commit made so far to disk (nothing to do when syncs are not deferred).
 * @return 0, or CV_EIO when a sync failed: then no commit since the last good sync can be
 * counted on, and every later call fails too.
 */
int cv_store_sync_wait(struct cv_store *st, struct cv_error *err);

/* ---- counts, for summaries ---- */

struct cv_store_counts {
    long events;
    long people;
    long countries;
    long refcals;
    long refentries;
};

int cv_store_counts(struct cv_store *st, struct cv_store_counts *out, struct cv_error *err);

#endif
