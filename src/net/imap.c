/* SPDX-License-Identifier: MIT */
/* imap.c: reading a mailbox through libcurl's IMAP (RFC 3501): the unseen messages' UIDs, each
 * message's bytes (read without setting \Seen), and marking or moving what was handled, over
 * one connection, every timeout and size set. */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/net.h>

#include "banned.h"

struct cv_imap {
    CURL *h;
    char *base; /* scheme://host[:port] */
    char *mailbox;
    char *user;
    char *password;
    char *cainfo;
    long use_ssl;
    long connect_timeout, timeout;
};

void cv_imap_options_init(struct cv_imap_options *o)
{
    memset(o, 0, sizeof(*o));
    o->connect_timeout = 30;
    o->timeout = 300;
}

void cv_imap_free(struct cv_imap *m)
{
    if (!m)
        return;
    if (m->h)
        curl_easy_cleanup(m->h); /* LOGOUT on a live connection */
    free(m->base);
    free(m->mailbox);
    free(m->user);
    if (m->password) {
        memset(m->password, 0, strlen(m->password));
        free(m->password);
    }
    free(m->cainfo);
    free(m);
}

/* A mailbox name convene passes to the server as is: no quoting or encoding needed. */
bool cv_imap_mailbox_is_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '/'))
            return false;
    }
    return n > 0 && n <= 200 && s[0] != '/';
}

/* "host[:port]" of @hp is the machine itself. */
static bool is_loopback(const char *hp, size_t n)
{
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(names[i]);
        if (n >= k && strncasecmp(hp, names[i], k) == 0 && (n == k || hp[k] == ':'))
            return true;
    }
    return false;
}

static int parse_url(struct cv_imap *m, const char *url, struct cv_error *err)
{
    const char *rest, *scheme;
    if (cv_has_ctl(url) || strchr(url, ' ') || strlen(url) > 1000)
        return cv_error_set(err, CV_EINVAL, "the IMAP URL has a space or a control character");
    if (strncasecmp(url, "imap+plain://", 13) == 0) {
        rest = url + 13;
        scheme = "imap";
        m->use_ssl = CURLUSESSL_NONE;
    } else if (strncasecmp(url, "imaps://", 8) == 0) {
        rest = url + 8;
        scheme = "imaps";
        m->use_ssl = CURLUSESSL_ALL;
    } else if (strncasecmp(url, "imap://", 7) == 0) {
        rest = url + 7;
        scheme = "imap";
        m->use_ssl = CURLUSESSL_ALL; /* STARTTLS or nothing */
    } else if (!strstr(url, "://")) {
        rest = url; /* imaps:// by default */
        scheme = "imaps";
        m->use_ssl = CURLUSESSL_ALL;
    } else {
        return cv_error_set(err, CV_EINVAL,
                            "the IMAP URL must start with imaps://, imap:// or imap+plain://");
    }
    size_t authority = strcspn(rest, "/?#;");
    const char *at = memchr(rest, '@', authority);
    if (at) {
        if (memchr(rest, ':', (size_t)(at - rest)))
            return cv_error_set(err, CV_EINVAL,
                                "the IMAP URL holds a password; give it in "
                                "CONVENE_IMAP_PASSWORD or CONVENE_IMAP_PASSWORD_FILE instead");
        if (!(m->user = strndup(rest, (size_t)(at - rest))))
            return cv_error_set(err, CV_ENOMEM, "out of memory");
        authority -= (size_t)(at + 1 - rest);
        rest = at + 1;
    }
    if (authority == 0)
        return cv_error_set(err, CV_EINVAL, "the IMAP URL names no server");
    if (m->use_ssl == CURLUSESSL_NONE && !is_loopback(rest, authority))
        return cv_error_set(err, CV_EINVAL,
                            "imap+plain:// (no TLS) is allowed only to this machine (127.0.0.1, "
                            "[::1], localhost); use imaps:// or imap://");
    const char *path = rest + authority;
    const char *box = *path == '/' && path[1] ? path + 1 : "INBOX";
    if (!cv_imap_mailbox_is_valid(box))
        return cv_error_set(err, CV_EINVAL,
                            "the mailbox '%.80s' must be letters, digits and . _ - / only", box);
    size_t n = strlen(scheme) + 3 + authority + 1;
    if (!(m->base = malloc(n)) || !(m->mailbox = strdup(box)))
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    snprintf(m->base, n, "%s://%.*s", scheme, (int)authority, rest);
    return 0;
}

int cv_imap_new(const struct cv_imap_options *o, struct cv_imap **ret, struct cv_error *err)
{
    struct cv_imap *m = calloc(1, sizeof(*m));
    int rc;
    *ret = NULL;
    if (!m)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    if ((rc = parse_url(m, o->url ? o->url : "", err)) < 0)
        goto fail;
    if ((o->password && !(m->password = strdup(o->password))) ||
        (o->cainfo && !(m->cainfo = strdup(o->cainfo)))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto fail;
    }
    if (!m->user) {
        rc = cv_error_set(err, CV_EINVAL, "the IMAP URL names no user (imaps://USER@HOST/MAILBOX)");
        goto fail;
    }
    m->connect_timeout = o->connect_timeout;
    m->timeout = o->timeout;
    if (!(m->h = curl_easy_init())) {
        rc = cv_error_set(err, CV_ENOMEM, "libcurl could not start: out of memory");
        goto fail;
    }
    *ret = m;
    return 0;
fail:
    cv_imap_free(m);
    return rc;
}

static size_t on_data(char *data, size_t one, size_t n, void *userp)
{
    struct cv_buf *b = userp;
    n *= one;
    return cv_buf_add(b, data, n) == 0 ? n : 0;
}

/* One request: @path after the mailbox (";UID=5") and/or a custom command; the answer's data
 * (a message, or the untagged lines of a custom command) into @out. */
static int perform(struct cv_imap *m, const char *path, const char *command, struct cv_buf *out,
                   struct cv_error *err)
{
    char url[1400];
    CURL *h = m->h;
    snprintf(url, sizeof(url), "%s/%s%s", m->base, m->mailbox, path ? path : "");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, m->use_ssl);
    if (m->cainfo)
        curl_easy_setopt(h, CURLOPT_CAINFO, m->cainfo);
    curl_easy_setopt(h, CURLOPT_USERNAME, m->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, m->password ? m->password : "");
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, m->connect_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, m->timeout);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, m->timeout);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* libcurl clips a line of an answer longer than half its buffer: the largest buffer. */
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 512L * 1024);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    if (cc == CURLE_OK)
        return 0;
    if (err)
        err->lib_code = (long)cc;
    switch (cc) {
    case CURLE_LOGIN_DENIED:
        return cv_error_set(err, CV_ESMTP, "the IMAP server refused the login of %s", m->user);
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        return cv_error_set(err, CV_ESMTP, "no trusted TLS with the IMAP server: %s",
                            curl_easy_strerror(cc));
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
        return cv_error_set(err, CV_ETEMP, "cannot reach the IMAP server: %s",
                            curl_easy_strerror(cc));
    case CURLE_WRITE_ERROR:
        return cv_error_set(err, CV_ELIMIT, "a message is larger than %zu bytes", out->max);
    default:
        return cv_error_set(err, CV_ETEMP, "IMAP %s failed: %s", command ? command : "FETCH",
                            curl_easy_strerror(cc));
    }
}

int cv_imap_unseen(struct cv_imap *m, unsigned long **uids, size_t *n, struct cv_error *err)
{
    struct cv_buf b;
    size_t alloc = 0;
    cv_buf_init(&b, 4u * 1024 * 1024);
    *uids = NULL;
    *n = 0;
    int rc = perform(m, NULL, "UID SEARCH UNSEEN", &b, err);
    for (const char *p = b.buf; rc == 0 && (p = strstr(p, "SEARCH")) != NULL;) {
        p += 6;
        while (*p == ' ' || (*p >= '0' && *p <= '9')) {
            char *end;
            if (*p == ' ') {
                p++;
                continue;
            }
            unsigned long v = strtoul(p, &end, 10);
            p = end;
            if (cv_grow(uids, &alloc, *n + 1, sizeof(**uids)) < 0) {
                rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                break;
            }
            (*uids)[(*n)++] = v;
        }
    }
    cv_buf_release(&b);
    if (rc < 0) {
        free(*uids);
        *uids = NULL;
        *n = 0;
    }
    return rc;
}

/* Whether @p (@n bytes left) starts with @word. */
static bool starts_with(const char *p, size_t n, const char *word)
{
    size_t k = strlen(word);
    return n >= k && memcmp(p, word, k) == 0;
}

int cv_imap_find_literal(const char *s, size_t n, unsigned long uid, const char **lit, size_t *len)
{
    const char *end = s + n;
    for (const char *p = s; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        size_t k = (size_t)(next - p);
        const char *brace, *close, *u;
        /* "* " digits " FETCH (" ... "BODY[] {" digits "}" CRLF */
        if (!nl || k < 4 || nl[-1] != '\r' || nl[-2] != '}' || !starts_with(p, k, "* ")) {
            p = next;
            continue;
        }
        close = nl - 2;
        brace = close;
        while (brace > p && brace[-1] >= '0' && brace[-1] <= '9')
            brace--;
        if (brace == p || brace[-1] != '{' || brace == close || close - brace > 12 ||
            (size_t)(brace - 1 - p) < 8 || memcmp(brace - 8, "BODY[] ", 7) != 0 ||
            !memmem(p, (size_t)(brace - p), " FETCH (", 8)) {
            p = next;
            continue;
        }
        /* The UID, when the server puts it before the literal, must be the one asked for. */
        u = memmem(p, (size_t)(brace - p), "UID ", 4);
        if (u && u > p && (u[-1] == '(' || u[-1] == ' ')) {
            char *e;
            unsigned long got = strtoul(u + 4, &e, 10);
            if (e == u + 4 || got != uid) {
                p = next;
                continue;
            }
        }
        unsigned long long size = 0;
        for (const char *d = brace; d < close; d++)
            size = size * 10 + (unsigned long long)(*d - '0');
        if (size > (unsigned long long)(end - next))
            return CV_EPARSE;
        *lit = next;
        *len = (size_t)size;
        return 0;
    }
    return CV_ENOTFOUND;
}

/* After an answer convene could not follow, the connection may be out of step with the server:
 * a new handle, so that the next command opens a new one. */
static int reset_handle(struct cv_imap *m, struct cv_error *err)
{
    curl_easy_cleanup(m->h);
    if (!(m->h = curl_easy_init()))
        return cv_error_set(err, CV_ENOMEM, "libcurl could not start: out of memory");
    return 0;
}

/*
 * "UID FETCH n (UID BODY.PEEK[])" leaves \Seen alone (RFC 3501 6.4.5), so that a message is
 * marked only once it is handled. libcurl hands a custom command's answer over in two ways:
 * older versions (7.88) give every line of it to the header callback and only the "* " lines to
 * the body one, the literal's bytes read as lines; newer ones send the literal to the body
 * callback (curl pull request 19246). Both are kept and the literal is taken, by its announced
 * size, from the one that holds all of it. A literal cut short (a line of it that looked like the
 * end of the command, or one libcurl clipped) is CV_EPARSE and the handle is renewed.
 */
int cv_imap_fetch(struct cv_imap *m, unsigned long uid, struct cv_buf *out, struct cv_error *err)
{
    char cmd[64];
    struct cv_buf hdr, body;
    const char *lit = NULL;
    size_t len = 0;
    size_t max = out->max > SIZE_MAX - 65536 ? SIZE_MAX : out->max + 65536;
    cv_buf_init(&hdr, max);
    cv_buf_init(&body, max);
    snprintf(cmd, sizeof(cmd), "UID FETCH %lu (UID BODY.PEEK[])", uid);
    curl_easy_setopt(m->h, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(m->h, CURLOPT_HEADERDATA, &hdr);
    int rc = perform(m, NULL, cmd, &body, err);
    curl_easy_setopt(m->h, CURLOPT_HEADERFUNCTION, NULL);
    curl_easy_setopt(m->h, CURLOPT_HEADERDATA, NULL);
    if (rc == 0) {
        rc = cv_imap_find_literal(hdr.buf, hdr.len, uid, &lit, &len);
        if (rc < 0)
            rc = cv_imap_find_literal(body.buf, body.len, uid, &lit, &len);
        if (rc == CV_ENOTFOUND)
            rc = cv_error_set(err, CV_ETEMP, "the server sent no message for UID %lu", uid);
        else if (rc < 0)
            rc = cv_error_set(err, CV_EPARSE,
                              "the server's answer for UID %lu was cut short (a line too long, "
                              "or a line of the message that looks like the end of the answer)",
                              uid);
        else if (len > out->max)
            rc = cv_error_set(err, CV_ELIMIT, "a message is larger than %zu bytes", out->max);
        else if (cv_buf_add(out, lit, len) < 0)
            rc = cv_error_set(err, CV_ELIMIT, "a message is larger than %zu bytes", out->max);
    }
    if (rc < 0) {
        struct cv_error e2;
        cv_error_init(&e2);
        if (reset_handle(m, &e2) < 0 && rc != CV_ENOMEM)
            rc = cv_error_set(err, CV_ENOMEM, "%s", e2.msg);
    }
    cv_buf_release(&hdr);
    cv_buf_release(&body);
    return rc;
}

int cv_imap_noop(struct cv_imap *m, struct cv_error *err)
{
    struct cv_buf b;
    cv_buf_init(&b, 64 * 1024);
    int rc = perform(m, NULL, "NOOP", &b, err);
    cv_buf_release(&b);
    return rc;
}

int cv_imap_set_seen(struct cv_imap *m, unsigned long uid, bool seen, struct cv_error *err)
{
    char cmd[64];
    struct cv_buf b;
    cv_buf_init(&b, 64 * 1024);
    snprintf(cmd, sizeof(cmd), "UID STORE %lu %cFLAGS.SILENT (\\Seen)", uid, seen ? '+' : '-');
    int rc = perform(m, NULL, cmd, &b, err);
    cv_buf_release(&b);
    return rc;
}

int cv_imap_move(struct cv_imap *m, unsigned long uid, const char *folder, struct cv_error *err)
{
    char cmd[300];
    struct cv_buf b;
    if (!cv_imap_mailbox_is_valid(folder))
        return cv_error_set(err, CV_EINVAL,
                            "the folder '%.80s' must be letters, digits and . _ - / only", folder);
    cv_buf_init(&b, 64 * 1024);
    /* Seen first, so that a server without MOVE (RFC 6851) leaves it marked at least. */
    int rc = cv_imap_set_seen(m, uid, true, err);
    snprintf(cmd, sizeof(cmd), "UID MOVE %lu \"%s\"", uid, folder);
    if (rc == 0)
        rc = perform(m, NULL, cmd, &b, err);
    cv_buf_release(&b);
    return rc;
}
