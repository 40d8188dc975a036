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

#endif
