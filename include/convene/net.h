/* SPDX-License-Identifier: MIT */
/* convene/net.h: HTTP transfers (fetching calendars, CalDAV) with every limit set: timeouts,
 * a size cap, few redirects, http and https only. */
#ifndef CONVENE_NET_H
#define CONVENE_NET_H

#include <stdbool.h>
#include <stddef.h>

#include <convene/error.h>
#include <convene/util.h>

struct cv_http_limits {
    size_t max_bytes;     /* the body; larger is refused (CV_ELIMIT) */
    long connect_timeout; /* seconds */
    long timeout;         /* seconds for the whole transfer */
    long max_redirects;
    const char *user;     /* HTTP authentication (basic or digest), NULL for none; the */
    const char *password; /* password never goes into a URL, a log or a message */
};

/* Defaults: 1 MiB, 10 s to connect, 60 s in all, 5 redirects, no credentials. */
void cv_http_limits_init(struct cv_http_limits *l);

struct cv_http_response {
    long status;         /* the final HTTP status */
    char *etag;          /* ETag, or NULL */
    char *last_modified; /* Last-Modified, or NULL */
    char *url;           /* the URL after redirects */
    struct cv_buf body;
};

void cv_http_response_init(struct cv_http_response *r, size_t max_body);
void cv_http_response_release(struct cv_http_response *r);

/*
 * Turns a webcal:// URL into https:// and checks that @url is http(s), without spaces or
 * control characters. @return 0 with the URL to fetch in @out (of @size bytes), or CV_EINVAL.
 */
int cv_http_url_normalise(const char *url, char *out, size_t size, struct cv_error *err);

/*
 * One HTTP request. @headers is a NULL-terminated list of "Name: value" lines (checked for
 * CR/LF), may be NULL; @body is sent for PUT and POST. Any status is a success of the
 * transfer: the caller reads @out->status.
 * @return 0; CV_EINVAL (a bad URL or header), CV_ELIMIT (a body over the limit), CV_EHTTP (the
 * transfer failed: no connection, a timeout, too many redirects; curl's code in lib_code)
 */
int cv_http_request(const char *method, const char *url, const char *const *headers,
                    const char *body, size_t len, const struct cv_http_limits *lim,
                    struct cv_http_response *out, struct cv_error *err);

/* ---- SMTP (RFC 5321), one connection reused for a whole run ------------------------------- */

/*
 * Where and how to send mail. The URL is smtp://HOST[:PORT] (STARTTLS required: RFC 3207),
 * smtps://HOST[:PORT] (TLS from the start) or smtp+plain://HOST[:PORT] (no TLS at all: for a
 * relay on the same machine or a test server); an optional user before '@' turns on AUTH
 * (RFC 4954). A password in the URL is refused: it would show in process lists and logs.
 */
struct cv_smtp_options {
    const char *url;
    const char *password;  /* the AUTH password, or NULL; never logged */
    const char *cainfo;    /* a CA bundle to trust instead of the system's, or NULL */
    const char *helo;      /* the EHLO name, or NULL for libcurl's default */
    long connect_timeout;  /* seconds: 30 (Postfix smtp_connect_timeout) */
    long response_timeout; /* seconds to wait for any reply: 600, the RFC 5321 4.5.3.2 wait
                            * after the final dot (libcurl's default 60 s is too short) */
    long timeout;          /* seconds for one whole transaction: 900 */
};

/* Defaults: the timeouts above, no password, no CA bundle. */
void cv_smtp_options_init(struct cv_smtp_options *o);

enum cv_smtp_outcome {
    CV_SMTP_SENT,        /* 250 after the final dot */
    CV_SMTP_TEMPORARY,   /* 4xx, 421, or a connection lost before the final dot */
    CV_SMTP_PERMANENT,   /* 5xx: never try this message again */
    CV_SMTP_AMBIGUOUS,   /* no reply after the final dot: it may have been delivered */
    CV_SMTP_AUTH,        /* the server refused the login */
    CV_SMTP_UNAVAILABLE, /* no connection to the server */
    CV_SMTP_TLS,         /* no TLS where TLS is required (RFC 3207), or an untrusted certificate */
    CV_SMTP_HELD,        /* the hold (cv_smtp_set_hold) refused: stopped before the final dot */
};

struct cv_smtp_result {
    enum cv_smtp_outcome outcome;
    long code;       /* the last SMTP reply code, 0 when none came */
    int curl_code;   /* libcurl's code, 0 on success */
    char reply[512]; /* the last reply line of the server, or what went wrong */
};

struct cv_smtp;

/*
 * Checks @o and prepares one libcurl handle whose connection is kept between messages.
 * @return 0 with *@ret owned by the caller (cv_smtp_free); CV_EINVAL (a bad URL, a password in
 * it), CV_ENOMEM
 */
int cv_smtp_new(const struct cv_smtp_options *o, struct cv_smtp **ret, struct cv_error *err);
/* Closes the connection (QUIT) and frees @s; NULL is a no-op. */
void cv_smtp_free(struct cv_smtp *s);

/*
 * Sends one message to one envelope recipient (one transaction: MAIL, RCPT, DATA). The
 * addresses must be plain local@domain: a CR, LF, space or angle bracket is refused before
 * libcurl sees it (libcurl 7.88 does not check). @data must have CRLF line ends.
 * @return 0 with @res telling how it went, CV_EINVAL (a bad address: nothing was sent) or
 * CV_ENOMEM (here or in libcurl: the message may have gone, if after its final dot)
 */
int cv_smtp_send(struct cv_smtp *s, const char *from, const char *to, const char *data, size_t len,
                 struct cv_smtp_result *res, struct cv_error *err);

/* Called once per message, as soon as its first command (MAIL) is written, so that it runs while
 * the server answers; always before the final dot. A negative return aborts the transaction
 * there (nothing delivered: CV_SMTP_HELD). */
typedef int (*cv_smtp_hold_fn)(void *data);

/* Sets the hold of every later message (@fn NULL: none). */
void cv_smtp_set_hold(struct cv_smtp *s, cv_smtp_hold_fn fn, void *data);

/* @return how many connections the handle has opened so far */
long cv_smtp_connections(const struct cv_smtp *s);

/* ---- IMAP (RFC 3501): reading replies from a mailbox --------------------------------------- */

/*
 * The mailbox: imaps://USER@HOST[:PORT][/MAILBOX] (TLS; the default when no scheme is given),
 * imap://... (STARTTLS required) or imap+plain://... (no TLS: only to 127.0.0.1, [::1] or
 * localhost, for a test server). MAILBOX is INBOX when absent. A password in the URL is refused.
 */
struct cv_imap_options {
    const char *url;
    const char *password; /* never logged */
    const char *cainfo;   /* a CA bundle to trust instead of the system's, or NULL */
    long connect_timeout; /* seconds: 30 */
    long timeout;         /* seconds for one command: 300 */
};

void cv_imap_options_init(struct cv_imap_options *o);

struct cv_imap;

/* @return 0 with *@ret (cv_imap_free), CV_EINVAL (a bad URL) or CV_ENOMEM */
int cv_imap_new(const struct cv_imap_options *o, struct cv_imap **ret, struct cv_error *err);
/* Logs out and frees @m; NULL is a no-op. */
void cv_imap_free(struct cv_imap *m);
/* @return true when @s is a mailbox name convene sends unquoted: [A-Za-z0-9._/-], 1-200 */
bool cv_imap_mailbox_is_valid(const char *s);

/*
 * The UIDs of the unseen messages (UID SEARCH UNSEEN) into *@uids (the caller frees), *@n.
 * @return 0; CV_ESMTP (login refused, no trusted TLS), CV_ETEMP (no connection, a timeout) or
 * CV_ENOMEM
 */
int cv_imap_unseen(struct cv_imap *m, unsigned long **uids, size_t *n, struct cv_error *err);
/*
 * Appends the bytes of message @uid to @out (its limit caps the size: CV_ELIMIT), read with
 * BODY.PEEK[]: the message stays unseen until cv_imap_set_seen() or cv_imap_move().
 * @return 0; CV_ELIMIT, CV_EPARSE (the server's answer was cut short; the connection is renewed)
 * or the returns of cv_imap_unseen()
 */
int cv_imap_fetch(struct cv_imap *m, unsigned long uid, struct cv_buf *out, struct cv_error *err);
/*
 * Finds, in the bytes @s..@s+@n of a server's answer, the untagged FETCH response of message
 * @uid whose BODY[] is a literal ("* 3 FETCH (UID 7 BODY[] {1234}" CRLF, then 1234 bytes), and
 * sets *@lit and *@len to the literal's bytes inside @s. @s need not end in a NUL. Public for its
 * fuzz target; cv_imap_fetch() is its only caller.
 * @return 0; CV_ENOTFOUND (no such response in @s) or CV_EPARSE (a size that is not a number,
 * or fewer bytes than it announces: the answer was cut short)
 */
int cv_imap_find_literal(const char *s, size_t n, unsigned long uid, const char **lit, size_t *len);
/* Whether the server answers (NOOP), on the current connection or a new one. Same returns as
 * cv_imap_unseen(). */
int cv_imap_noop(struct cv_imap *m, struct cv_error *err);
/* Sets (@seen) or clears the \Seen flag of message @uid. */
int cv_imap_set_seen(struct cv_imap *m, unsigned long uid, bool seen, struct cv_error *err);
/* Marks message @uid seen and moves it to @folder (UID MOVE, RFC 6851). */
int cv_imap_move(struct cv_imap *m, unsigned long uid, const char *folder, struct cv_error *err);

#endif
