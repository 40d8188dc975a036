/* SPDX-License-Identifier: MIT */
/* smtp.c: sending mail over one SMTP connection that libcurl opens and keeps: libcurl connects,
 * reads the greeting, says EHLO, starts TLS (STARTTLS, RFC 3207, or TLS from the start), logs in
 * (AUTH, RFC 4954) and checks the certificate (CURLOPT_CONNECT_ONLY); each message's transaction
 * (MAIL, RCPT, DATA, the dot-stuffed body, the final dot; RFC 5321 3.3) then goes over that
 * connection through curl_easy_send and curl_easy_recv, the envelope's three commands in one
 * write when the server offers PIPELINING (RFC 2920): two round trips a message instead of
 * four, and no libcurl transfer set up per message. One recipient per transaction; every wait
 * bounded (RFC 5321 4.5.3.2: 10 minutes after the final dot by default); each failure
 * classified from the reply code (INTEROP.md, RELIABILITY.md section 1). */
#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
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
    cv_smtp_hold_fn hold; /* called after MAIL is written, before the final dot */
    void *hold_data;
    struct timespec started; /* when the transaction began (CLOCK_MONOTONIC) */
    bool overdue;            /* the watchdog ended it */
    bool dot_sent;           /* its final dot is written: the reply gets the whole wait */
    /* The connection libcurl opened (CONNECT_ONLY), and what its EHLO offered. */
    bool connected;
    curl_socket_t sock;
    bool pipelining, size_ext;
    char in[4096]; /* replies read, not yet parsed: in[0..nin) */
    size_t nin;
    char *out; /* the dot-stuffed body of the current message */
    size_t outcap;
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
    free(s->out);
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
        rc = cv_error_set(err, CV_ENOMEM, "libcurl could not start: out of memory");
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

/* Keeps @line (a reply line, its CRLF cut) as the last reply, control bytes made spaces. */
static void keep_reply(struct cv_smtp *s, const char *line, size_t n)
{
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (n >= sizeof(s->last_reply))
        n = sizeof(s->last_reply) - 1;
    for (size_t i = 0; i < n; i++)
        s->last_reply[i] = (unsigned char)line[i] < 0x20 ? ' ' : line[i];
    s->last_reply[n] = '\0';
}

/* Whether EHLO reply line @data (n bytes) offers @kw ("250-KW ..." or "250 KW"). */
static bool offers(const char *data, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    if (n < 4 + k || strncmp(data, "250", 3) != 0 || strncasecmp(data + 4, kw, k) != 0)
        return false;
    return n == 4 + k || data[4 + k] == ' ' || data[4 + k] == '\r' || data[4 + k] == '\n';
}

/* libcurl hands the replies it reads while connecting (greeting, EHLO, STARTTLS, AUTH) to the
 * header callback, without needing CURLOPT_VERBOSE: the last is kept, and EHLO's extensions
 * after the last 220 (the greeting, or STARTTLS's: what was offered in clear does not count
 * once TLS is up). What convene sends (AUTH data included) never passes here. */
static size_t on_reply(char *data, size_t one, size_t size, void *userp)
{
    struct cv_smtp *s = userp;
    size *= one;
    if (size < 3)
        return size;
    /* The reply to QUIT, which libcurl sends after a refusal, would hide the refusal. */
    if (s->last_reply[0] && strncmp(data, "221", 3) == 0)
        return size;
    if (strncmp(data, "220", 3) == 0)
        s->pipelining = s->size_ext = false;
    if (offers(data, size, "PIPELINING"))
        s->pipelining = true;
    if (offers(data, size, "SIZE"))
        s->size_ext = true;
    keep_reply(s, data, size);
    return size;
}

/* The watchdog of the connection's setup: libcurl 7.88 waits for the reply to its QUIT after a
 * reply timeout without any limit but the reply timeout again (measured: a server stalling held
 * a run 20 minutes with 600 s and 900 s set), so the whole limit is enforced here; libcurl calls
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

static void set_options(struct cv_smtp *s)
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
    /* Connect, EHLO, TLS and AUTH only: the transactions are convene's (cv_smtp_send). */
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    /* Every limit explicit (RELIABILITY.md section 1): libcurl never times out by default. */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, s->connect_timeout);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, s->response_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, s->timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_reply);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
}

/* Why the connection could not be set up (libcurl's @cc, the last reply's code). */
static void classify_connect(struct cv_smtp *s, CURLcode cc, struct cv_smtp_result *res)
{
    long code = 0;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
    res->code = code;
    res->curl_code = (int)cc;
    snprintf(res->reply, sizeof(res->reply), "%s", s->last_reply);
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
    /* Anything else went wrong before any message was begun: no connection, no greeting, a
     * refusal in the greeting or to EHLO (a 554 for a listed address, a 421), the connection
     * lost. The server, not this message, is the problem: the run stops and the message stays
     * as it was (Postfix too skips a server that greets with 5xx and defers the mail). */
    res->outcome = CV_SMTP_UNAVAILABLE;
    double connect_time = 0;
    curl_easy_getinfo(s->h, CURLINFO_CONNECT_TIME, &connect_time);
    if (cc == CURLE_OPERATION_TIMEDOUT && code == 0 && connect_time <= 0)
        snprintf(res->reply, sizeof(res->reply), "no connection within %ld s (%s)",
                 s->connect_timeout, curl_easy_strerror(cc));
    else if (cc == CURLE_OPERATION_TIMEDOUT && code == 0)
        snprintf(res->reply, sizeof(res->reply), "no greeting within the reply timeout (%s)",
                 curl_easy_strerror(cc));
    else if (code < 400 || code >= 600)
        snprintf(res->reply, sizeof(res->reply), "%.100s%s%.300s", curl_easy_strerror(cc),
                 s->last_reply[0] ? " after: " : "", s->last_reply);
}

/* Closes the connection at once, with no QUIT (the server may be inside DATA, where a QUIT
 * would be message text, or gone), and readies a fresh handle for the next connection. */
static void drop(struct cv_smtp *s)
{
    if (s->connected)
        shutdown(s->sock, SHUT_RDWR);
    curl_easy_cleanup(s->h);
    s->h = curl_easy_init();
    s->connected = false;
    s->nin = 0;
}

/* @return 0, 1 with @res telling why, or CV_ENOMEM (no handle, or libcurl out of memory). */
static int connect_server(struct cv_smtp *s, struct cv_smtp_result *res)
{
    if (!s->h && !(s->h = curl_easy_init()))
        return CV_ENOMEM;
    set_options(s);
    s->pipelining = s->size_ext = false;
    CURLcode cc = curl_easy_perform(s->h);
    long connects = 0;
    curl_easy_getinfo(s->h, CURLINFO_NUM_CONNECTS, &connects);
    s->connections += connects;
    if (cc == CURLE_OK && curl_easy_getinfo(s->h, CURLINFO_ACTIVESOCKET, &s->sock) == CURLE_OK &&
        s->sock != CURL_SOCKET_BAD) {
        s->connected = true;
        s->nin = 0;
        return 0;
    }
    classify_connect(s, cc, res);
    drop(s);
    return cc == CURLE_OUT_OF_MEMORY ? CV_ENOMEM : 1;
}

/* Milliseconds left before @deadline_s seconds after the transaction began (at least 0). */
static int left_ms(const struct cv_smtp *s, long deadline_s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms = (long long)(s->started.tv_sec + deadline_s - now.tv_sec) * 1000 +
                   (s->started.tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms > 3600000 ? 3600000 : (int)ms;
}

enum io { IO_OK, IO_TIMEOUT, IO_CLOSED, IO_ERROR, IO_NOMEM };

/* Waits until the socket is ready for @events, no later than @deadline_s. */
static enum io wait_for(struct cv_smtp *s, short events, long deadline_s)
{
    struct pollfd p = {s->sock, events, 0};
    for (;;) {
        int ms = left_ms(s, deadline_s);
        if (ms == 0)
            return IO_TIMEOUT;
        int n = poll(&p, 1, ms);
        if (n > 0)
            return IO_OK;
        if (n < 0 && errno != EINTR)
            return IO_ERROR;
    }
}

/* The deadline of a wait: the reply timeout from now, within the transaction's own limit until
 * the final dot has gone. After it the whole reply timeout always (RFC 5321 4.5.3.2: 10
 * minutes): cutting that wait short would only make a delivered message ambiguous, and send
 * it again. */
static long deadline(const struct cv_smtp *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long d = (long)(now.tv_sec - s->started.tv_sec) + s->response_timeout;
    return d < s->timeout || s->dot_sent ? d : s->timeout;
}

static enum io send_all(struct cv_smtp *s, const char *p, size_t n)
{
    long until = deadline(s);
    while (n) {
        size_t sent = 0;
        CURLcode cc = curl_easy_send(s->h, p, n, &sent);
        if (cc == CURLE_AGAIN) {
            enum io w = wait_for(s, POLLOUT, until);
            if (w != IO_OK)
                return w;
            continue;
        }
        if (cc != CURLE_OK)
            return cc == CURLE_SEND_ERROR      ? IO_CLOSED
                   : cc == CURLE_OUT_OF_MEMORY ? IO_NOMEM
                                               : IO_ERROR;
        p += sent;
        n -= sent;
    }
    return IO_OK;
}

/* Reads one whole reply (its last line "DDD text"), keeping its last line; *@code gets it. */
static enum io read_reply(struct cv_smtp *s, long *code)
{
    long until = deadline(s);
    for (;;) {
        size_t start = 0;
        char *nl;
        while ((nl = memchr(s->in + start, '\n', s->nin - start))) {
            size_t len = (size_t)(nl - (s->in + start)) + 1;
            const char *line = s->in + start;
            start += len;
            if (len >= 5 && line[3] == '-')
                continue; /* a continuation line */
            keep_reply(s, line, len);
            *code = len >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' &&
                            line[1] <= '9' && line[2] >= '0' && line[2] <= '9'
                        ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0')
                        : 0;
            memmove(s->in, s->in + start, s->nin - start);
            s->nin -= start;
            return IO_OK;
        }
        if (start) { /* continuation lines consumed */
            memmove(s->in, s->in + start, s->nin - start);
            s->nin -= start;
        }
        if (s->nin == sizeof(s->in)) {
            s->nin = 0; /* a line longer than any reply: not SMTP */
            return IO_ERROR;
        }
        size_t got = 0;
        CURLcode cc = curl_easy_recv(s->h, s->in + s->nin, sizeof(s->in) - s->nin, &got);
        if (cc == CURLE_AGAIN) {
            enum io w = wait_for(s, POLLIN, until);
            if (w != IO_OK)
                return w;
            continue;
        }
        if (cc != CURLE_OK)
            return cc == CURLE_OUT_OF_MEMORY ? IO_NOMEM : IO_ERROR;
        if (got == 0)
            return IO_CLOSED;
        s->nin += got;
    }
}

/* Whether the kept connection is still there: a server that timed it out has closed it or said
 * 421 since the last message (libcurl checks the same before reusing a connection). */
static bool still_up(struct cv_smtp *s)
{
    struct pollfd p = {s->sock, POLLIN, 0};
    return s->nin == 0 && poll(&p, 1, 0) == 0;
}

/* @data dot-stuffed (RFC 5321 4.5.2), ending with CRLF, into s->out; @return its length, or 0
 * when out of memory. */
static size_t stuff(struct cv_smtp *s, const char *data, size_t len)
{
    size_t dots = data[0] == '.';
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++)
        dots += p + 1 < data + len && p[1] == '.';
    size_t need = len + dots + 2 + 3; /* a CRLF the body may lack, the final dot */
    if (need > s->outcap) {
        char *o = realloc(s->out, need);
        if (!o)
            return 0;
        s->out = o;
        s->outcap = need;
    }
    char *o = s->out;
    const char *p = data, *end = data + len;
    while (p < end) {
        if (*p == '.')
            *o++ = '.';
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        memcpy(o, p, n);
        o += n;
        p += n;
    }
    if (len < 2 || data[len - 2] != '\r' || data[len - 1] != '\n') {
        *o++ = '\r';
        *o++ = '\n';
    }
    return (size_t)(o - s->out);
}

/* A refusal's outcome: 5yz is final, except 503 ("bad sequence of commands", RFC 5321 4.2.3),
 * which says the conversation is out of step, never anything about the message (smtp-sink -W
 * answers a pipelined RCPT "503 need MAIL" while it holds MAIL's reply back): sent again later
 * on a new connection. */
static void outcome_of(struct cv_smtp_result *res, long code)
{
    res->code = code;
    res->outcome = code >= 500 && code < 600 && code != 503 ? CV_SMTP_PERMANENT : CV_SMTP_TEMPORARY;
}

/* The connection went (or failed) before the final dot: nothing was delivered. */
static void lost(struct cv_smtp *s, struct cv_smtp_result *res, enum io io, const char *when)
{
    res->outcome = CV_SMTP_TEMPORARY;
    snprintf(res->reply, sizeof(res->reply), "%s %s%s%.300s",
             io == IO_TIMEOUT ? "no reply in time" : "the connection was lost", when,
             s->last_reply[0] ? "; last: " : "", s->last_reply);
    drop(s);
}

/* Out of memory (here or in libcurl): not the server's answer, nor this message's fault, so the
 * caller's error rather than a deferral; the connection, in an unknown state, is closed. */
static int nomem(struct cv_smtp *s, struct cv_error *err, const char *when)
{
    drop(s);
    return cv_error_set(err, CV_ENOMEM, "out of memory (SMTP, %s)", when);
}

/* A write or read @when failed: out of memory is the caller's error; anything else is a
 * connection lost before the final dot (nothing delivered). */
static int io_failed(struct cv_smtp *s, struct cv_smtp_result *res, struct cv_error *err,
                     enum io io, const char *when)
{
    if (io == IO_NOMEM)
        return nomem(s, err, when);
    lost(s, res, io, when);
    return 0;
}

/* The hold refused (the last mark is not on disk): the transaction is given up unfinished. */
static int held(struct cv_smtp *s, struct cv_smtp_result *res)
{
    res->outcome = CV_SMTP_HELD;
    snprintf(res->reply, sizeof(res->reply), "held before the final dot");
    drop(s); /* the envelope may be in: only closing ends it without delivering */
    return 0;
}

/* After a refusal: RSET, so the next transaction starts clean; a server that will not is left. */
static void reset(struct cv_smtp *s, long code)
{
    long rc = 0;
    if (code == 421 || send_all(s, "RSET\r\n", 6) != IO_OK || read_reply(s, &rc) != IO_OK ||
        rc != 250)
        drop(s);
}

int cv_smtp_send(struct cv_smtp *s, const char *from, const char *to, const char *data, size_t len,
                 struct cv_smtp_result *res, struct cv_error *err)
{
    char env[700];
    long code[3] = {0, 0, 0};
    enum io io;

    memset(res, 0, sizeof(*res));
    /* The envelope is built only from checked addresses: CR, LF, NUL, '>' or a space there
     * would inject SMTP commands (RELIABILITY.md S4). */
    if (!cv_email_is_valid(from) || !cv_email_is_valid(to))
        return cv_error_set(err, CV_EINVAL, "'%.80s' is not a plain address an envelope can hold",
                            cv_email_is_valid(from) ? to : from);
    size_t body = stuff(s, data, len);
    if (!body)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    s->last_reply[0] = '\0';
    s->overdue = false;
    s->dot_sent = false;
    clock_gettime(CLOCK_MONOTONIC, &s->started);
    if (s->connected && !still_up(s))
        drop(s);
    if (!s->connected) {
        int crc = connect_server(s, res);
        if (crc == CV_ENOMEM)
            return nomem(s, err, "connecting");
        if (crc > 0)
            return 0;
    }
    s->last_reply[0] = '\0';

    /* SIZE as RFC 1870 counts it: the message's octets with the CRLF it may lack, without the
     * dot-stuffing and the final dot. */
    char size[32] = "";
    bool crlf = len >= 2 && data[len - 2] == '\r' && data[len - 1] == '\n';
    if (s->size_ext)
        snprintf(size, sizeof(size), " SIZE=%zu", len + (crlf ? 0 : 2));
    /* MAIL, RCPT and DATA: in one write when the server pipelines, else one by one; command i
     * ends at env[end[i]]. */
    size_t end[3];
    end[0] = (size_t)snprintf(env, sizeof(env), "MAIL FROM:<%s>%s\r\n", from, size);
    end[1] = end[0] + (size_t)snprintf(env + end[0], sizeof(env) - end[0], "RCPT TO:<%s>\r\n", to);
    end[2] = end[1] + (size_t)snprintf(env + end[1], sizeof(env) - end[1], "DATA\r\n");
    static const char *const step[] = {"at MAIL", "at RCPT", "at DATA"};
    int asked = 0, answered = 0;
    bool refused = false;
    while (answered < 3) {
        if (asked == answered) {
            int n = s->pipelining ? 3 - asked : 1;
            size_t off = asked ? end[asked - 1] : 0;
            if ((io = send_all(s, env + off, end[asked + n - 1] - off)) != IO_OK)
                return io_failed(s, res, err, io, step[asked]);
            /* The hold runs while the server answers the first command; the final dot goes
             * only after it. */
            if (!asked && s->hold && s->hold(s->hold_data) < 0)
                return held(s, res);
            asked += n;
        }
        if ((io = read_reply(s, &code[answered])) != IO_OK) {
            if (refused && io != IO_NOMEM) {
                /* The refusal recorded stands (a 5xx stays final, a throttling 4xx keeps its
                 * text); only the connection is gone. */
                drop(s);
                return 0;
            }
            res->code = code[answered];
            return io_failed(s, res, err, io, step[answered]);
        }
        long want = answered == 2 ? 354 : 250;
        if (code[answered] != want && !(answered == 1 && code[answered] == 251)) {
            if (!refused) {
                outcome_of(res, code[answered]);
                snprintf(res->reply, sizeof(res->reply), "%s", s->last_reply);
                refused = true;
            }
            if (code[answered] == 421) {
                drop(s); /* the server is closing the connection */
                return 0;
            }
            if (asked == answered + 1 && !s->pipelining)
                break; /* nothing more asked: stop at the first refusal */
        }
        answered++;
    }
    if (refused) {
        if (code[2] == 354) {
            /* DATA was accepted after a refusal (RFC 2920 3.1): an empty message ends it,
             * which the server will not deliver (no recipient). */
            long ignored = 0;
            if (send_all(s, ".\r\n", 3) != IO_OK || read_reply(s, &ignored) != IO_OK) {
                drop(s);
                return 0;
            }
        }
        reset(s, res->code);
        return 0;
    }

    /* The body and its final dot (s->out holds room for it) in one write. A write that failed
     * did not send its last bytes: the final dot did not go, nothing was delivered. */
    memcpy(s->out + body, ".\r\n", 3);
    if ((io = send_all(s, s->out, body + 3)) != IO_OK) {
        res->code = 354;
        return io_failed(s, res, err, io, "while sending the message");
    }
    s->dot_sent = true;
    long done = 0;
    io = read_reply(s, &done);
    if (io == IO_NOMEM)
        return nomem(s, err, "after the final dot"); /* it may have gone: sent again, once */
    if (io != IO_OK) {
        /* The whole message and its final dot may have gone out, and no reply came back. */
        res->code = 354;
        res->outcome = CV_SMTP_AMBIGUOUS;
        snprintf(res->reply, sizeof(res->reply), "no reply after the final dot (%s)",
                 io == IO_TIMEOUT ? "timed out" : "the connection was lost");
        drop(s);
        return 0;
    }
    snprintf(res->reply, sizeof(res->reply), "%s", s->last_reply);
    if (done >= 200 && done < 300) {
        /* 250, or another positive completion: taken, so not sent again. */
        res->code = done;
        res->outcome = CV_SMTP_SENT;
        return 0;
    }
    if (done < 400 || done >= 600) {
        /* Neither taken nor refused (a 1yz or 3yz, or a line with no code): it may have been
         * delivered, like no reply at all; the connection's state is unknown. */
        res->code = done;
        res->outcome = CV_SMTP_AMBIGUOUS;
        snprintf(res->reply, sizeof(res->reply), "no usable reply after the final dot: %.400s",
                 s->last_reply);
        drop(s);
        return 0;
    }
    outcome_of(res, done);
    if (done == 421)
        drop(s);
    return 0;
}
