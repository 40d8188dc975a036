/* SPDX-License-Identifier: MIT */
/* smtp.c: sending mail through libcurl's SMTP, one recipient per transaction over one reused
 * connection, with every timeout set and each failure classified (INTEROP.md, RELIABILITY.md
 * section 1: libcurl maps SMTP replies onto a few codes, so the last reply code decides). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <convene/net.h>

#include "banned.h"

struct cv_smtp {
    CURL *h;
    char *url;
    char *user;
    char *password;
    char *cainfo;
    long use_ssl;
    long connect_timeout, response_timeout, timeout;
    long connections;
    char last_reply[512]; /* the last complete reply line seen */
    cv_smtp_hold_fn hold; /* called before the final dot */
    void *hold_data;
    struct timespec started; /* when the transaction began (CLOCK_MONOTONIC) */
    bool overdue;            /* the watchdog ended it */
};

void cv_smtp_options_init(struct cv_smtp_options *o)
{
    memset(o, 0, sizeof(*o));
    o->connect_timeout = 30;
    o->response_timeout = 600;
    o->timeout = 900;
}

void cv_smtp_free(struct cv_smtp *s)
{
    if (!s)
        return;
    if (s->h)
        curl_easy_cleanup(s->h); /* sends QUIT on a live connection */
    free(s->url);
    free(s->user);
    if (s->password) {
        memset(s->password, 0, strlen(s->password));
        free(s->password);
    }
    free(s->cainfo);
    free(s);
}

long cv_smtp_connections(const struct cv_smtp *s)
{
    return s->connections;
}

/* Splits "scheme://[user@]hostport[/path]" into the URL libcurl gets and the user. */
static int parse_url(struct cv_smtp *s, const char *url, struct cv_error *err)
{
    const char *rest;
    const char *scheme;
    if (cv_has_ctl(url) || strchr(url, ' ') || strlen(url) > 1000)
        return cv_error_set(err, CV_EINVAL, "the SMTP URL has a space or a control character");
    if (strncasecmp(url, "smtp+plain://", 13) == 0) {
        rest = url + 13;
        scheme = "smtp";
        s->use_ssl = CURLUSESSL_NONE;
    } else if (strncasecmp(url, "smtps://", 8) == 0) {
        rest = url + 8;
        scheme = "smtps";
        s->use_ssl = CURLUSESSL_ALL;
    } else if (strncasecmp(url, "smtp://", 7) == 0) {
        rest = url + 7;
        scheme = "smtp";
        s->use_ssl = CURLUSESSL_ALL; /* STARTTLS or nothing */
    } else {
        return cv_error_set(err, CV_EINVAL,
                            "the SMTP URL must start with smtp://, smtps:// or smtp+plain://");
    }
    size_t authority = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', authority);
    if (at) {
        if (memchr(rest, ':', (size_t)(at - rest)))
            return cv_error_set(err, CV_EINVAL,
                                "the SMTP URL holds a password; give it in "
                                "CONVENE_SMTP_PASSWORD or CONVENE_SMTP_PASSWORD_FILE instead");
        s->user = strndup(rest, (size_t)(at - rest));
        if (!s->user)
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        rest = at + 1;
    }
    if (!*rest || *rest == '/')
        return cv_error_set(err, CV_EINVAL, "the SMTP URL names no server");
    size_t n = strlen(scheme) + 3 + strlen(rest) + 1;
    s->url = malloc(n);
    if (!s->url)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    snprintf(s->url, n, "%s://%s", scheme, rest);
    return 0;
}

int cv_smtp_new(const struct cv_smtp_options *o, struct cv_smtp **ret, struct cv_error *err)
{
    struct cv_smtp *s = calloc(1, sizeof(*s));
    int rc;

    *ret = NULL;
    if (!s)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    if ((rc = parse_url(s, o->url ? o->url : "", err)) < 0)
        goto fail;
    if ((o->password && !(s->password = strdup(o->password))) ||
        (o->cainfo && !(s->cainfo = strdup(o->cainfo)))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto fail;
    }
    if (s->password && !s->user) {
        rc = cv_error_set(err, CV_EINVAL,
                          "a password is set but the SMTP URL names no user (smtp://USER@HOST)");
        goto fail;
    }
    s->connect_timeout = o->connect_timeout;
    s->response_timeout = o->response_timeout;
    s->timeout = o->timeout;
    s->h = curl_easy_init();
    if (!s->h) {
        rc = cv_error_set(err, CV_ENOMEM, "libcurl could not start");
        goto fail;
    }
    *ret = s;
    return 0;
fail:
    cv_smtp_free(s);
    return rc;
}

void cv_smtp_set_hold(struct cv_smtp *s, cv_smtp_hold_fn fn, void *data)
{
    s->hold = fn;
    s->hold_data = data;
}

struct upload {
    const char *data;
    size_t len, off;
    struct cv_smtp *s;
    bool held; /* the hold refused: the transfer was aborted before the final dot */
};

/* Hands libcurl the message from memory. libcurl reads no further than the size it was given
 * (CURLOPT_INFILESIZE_LARGE) and sends the final dot right after the last byte, so the last
 * byte is handed over alone, after the hold: nothing can be delivered before the hold returns.
 * The rest of the body goes out while the hold waits. */
static size_t on_read(char *buf, size_t size, size_t n, void *userp)
{
    struct upload *u = userp;
    size_t left = u->len - u->off, want = size * n;
    if (left <= 2 && u->s->hold && u->s->hold(u->s->hold_data) < 0) {
        u->held = true;
        return CURL_READFUNC_ABORT;
    }
    if (want >= left && left > 2)
        want = left - 2;
    else if (want > left)
        want = left;
    memcpy(buf, u->data + u->off, want);
    u->off += want;
    return want;
}

/* Keeps the last reply line the server sent: libcurl hands the replies of its pingpong
 * protocols (SMTP among them) to the header callback, without needing CURLOPT_VERBOSE. What
 * convene sends (AUTH data included) never passes here. */
static size_t on_reply(char *data, size_t one, size_t size, void *userp)
{
    struct cv_smtp *s = userp;
    size *= one;
    if (size < 3)
        return size;
    /* The reply to QUIT, which libcurl sends after a refusal, would hide the refusal. */
    if (s->last_reply[0] && strncmp(data, "221", 3) == 0)
        return size;
    size_t n = size;
    while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
        n--;
    if (n >= sizeof(s->last_reply))
        n = sizeof(s->last_reply) - 1;
    for (size_t i = 0; i < n; i++)
        s->last_reply[i] = (unsigned char)data[i] < 0x20 ? ' ' : data[i];
    s->last_reply[n] = '\0';
    return size;
}

/* The watchdog: libcurl 7.88 waits for the reply to its QUIT after a reply timeout without any
 * limit but the reply timeout again (measured: a server stalling on MAIL held a run 20 minutes
 * with 600 s and 900 s set), so the whole transaction's limit is enforced here; libcurl calls
 * this about once a second while it waits. */
static int on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct cv_smtp *s = userp;
    struct timespec now;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - s->started.tv_sec >= s->timeout) {
        s->overdue = true;
        return 1;
    }
    return 0;
}

static void set_options(struct cv_smtp *s, struct upload *u, struct curl_slist *rcpt,
                        const char *from)
{
    CURL *h = s->h;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, s->use_ssl);
    if (s->cainfo)
        curl_easy_setopt(h, CURLOPT_CAINFO, s->cainfo);
    if (s->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, u);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
    /* Every limit explicit (RELIABILITY.md section 1): libcurl never times out by default. */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, s->connect_timeout);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, s->response_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, s->timeout);
    /* A stalled transfer ends too, but never sooner than the wait after the final dot. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, s->response_timeout + 60);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_reply);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
}

static void classify(struct cv_smtp *s, CURLcode cc, const struct upload *u,
                     struct cv_smtp_result *res)
{
    long code = 0;
    bool all_read = u->off == u->len;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
    res->code = code;
    res->curl_code = (int)cc;
    snprintf(res->reply, sizeof(res->reply), "%s", s->last_reply);
    if (cc == CURLE_OK) {
        res->outcome = CV_SMTP_SENT;
        return;
    }
    if (u->held) {
        res->outcome = CV_SMTP_HELD;
        snprintf(res->reply, sizeof(res->reply), "held before the final dot");
        return;
    }
    if (s->overdue)
        cc = CURLE_OPERATION_TIMEDOUT; /* the watchdog's, as libcurl's own timeouts */
    switch (cc) {
    case CURLE_LOGIN_DENIED:
        res->outcome = CV_SMTP_AUTH;
        return;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
        res->outcome = CV_SMTP_TLS;
        snprintf(res->reply, sizeof(res->reply), "%.100s%s%.300s", curl_easy_strerror(cc),
                 s->last_reply[0] ? ": " : "", s->last_reply);
        return;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        res->outcome = CV_SMTP_UNAVAILABLE;
        snprintf(res->reply, sizeof(res->reply), "%.100s%s%.300s", curl_easy_strerror(cc),
                 s->last_reply[0] ? ": " : "", s->last_reply);
        return;
    default:
        break;
    }
    double connect_time = 0;
    curl_easy_getinfo(s->h, CURLINFO_CONNECT_TIME, &connect_time);
    if (cc == CURLE_OPERATION_TIMEDOUT && code == 0 && connect_time <= 0) {
        /* No TCP connection within the connect timeout (a blackholed address): the server,
         * not this message, is the problem. */
        res->outcome = CV_SMTP_UNAVAILABLE;
        snprintf(res->reply, sizeof(res->reply), "no connection within %ld s (%s)",
                 s->connect_timeout, curl_easy_strerror(cc));
        return;
    }
    if (code >= 500 && code < 600) {
        res->outcome = CV_SMTP_PERMANENT;
    } else if (code >= 400 && code < 500) {
        res->outcome = CV_SMTP_TEMPORARY;
    } else if (code == 354 && all_read &&
               (cc == CURLE_RECV_ERROR || cc == CURLE_OPERATION_TIMEDOUT ||
                cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE ||
                cc == CURLE_WEIRD_SERVER_REPLY)) {
        /* The whole message and its final dot went out, and no reply came back. */
        res->outcome = CV_SMTP_AMBIGUOUS;
        snprintf(res->reply, sizeof(res->reply), "no reply after the final dot (%s)",
                 curl_easy_strerror(cc));
    } else {
        /* The connection went before the final dot: nothing can have been delivered. */
        res->outcome = CV_SMTP_TEMPORARY;
        snprintf(res->reply, sizeof(res->reply), "%.100s%s%.300s", curl_easy_strerror(cc),
                 s->last_reply[0] ? " after: " : "", s->last_reply);
    }
}

int cv_smtp_send(struct cv_smtp *s, const char *from, const char *to, const char *data, size_t len,
                 struct cv_smtp_result *res, struct cv_error *err)
{
    char mail_from[300], rcpt_to[300];
    struct curl_slist *rcpt = NULL;
    struct upload u = {data, len, 0, s, false};

    memset(res, 0, sizeof(*res));
    /* The envelope is built only from checked addresses: CR, LF, NUL, '>' or a space there
     * would inject SMTP commands (RELIABILITY.md S4). */
    if (!cv_email_is_valid(from) || !cv_email_is_valid(to))
        return cv_error_set(err, CV_EINVAL, "'%.80s' is not a plain address an envelope can hold",
                            cv_email_is_valid(from) ? to : from);
    snprintf(mail_from, sizeof(mail_from), "<%s>", from);
    snprintf(rcpt_to, sizeof(rcpt_to), "<%s>", to);
    rcpt = curl_slist_append(NULL, rcpt_to);
    if (!rcpt)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    s->last_reply[0] = '\0';
    s->overdue = false;
    clock_gettime(CLOCK_MONOTONIC, &s->started);
    set_options(s, &u, rcpt, mail_from);
    CURLcode cc = curl_easy_perform(s->h);
    long connects = 0;
    curl_easy_getinfo(s->h, CURLINFO_NUM_CONNECTS, &connects);
    s->connections += connects;
    classify(s, cc, &u, res);
    curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, NULL);
    curl_slist_free_all(rcpt);
    /* Not the server's answer, nor this message's fault: the caller's error, not a deferral. */
    if (cc == CURLE_OUT_OF_MEMORY && !u.held)
        return cv_error_set(err, CV_ENOMEM, "out of memory (libcurl, after '%.200s')",
                            s->last_reply[0] ? s->last_reply : "no reply");
    return 0;
}
