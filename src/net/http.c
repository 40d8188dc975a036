/* SPDX-License-Identifier: MIT */
/* http.c: HTTP requests through libcurl, with every default that matters set explicitly. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/net.h>

#include "cv_config.h"

#include "banned.h"

void cv_http_limits_init(struct cv_http_limits *l)
{
    l->max_bytes = 1024 * 1024;
    l->connect_timeout = 10;
    l->timeout = 60;
    l->max_redirects = 5;
    l->user = NULL;
    l->password = NULL;
}

void cv_http_response_init(struct cv_http_response *r, size_t max_body)
{
    memset(r, 0, sizeof(*r));
    cv_buf_init(&r->body, max_body);
}

void cv_http_response_release(struct cv_http_response *r)
{
    free(r->etag);
    free(r->last_modified);
    free(r->url);
    cv_buf_release(&r->body);
    cv_http_response_init(r, r->body.max);
}

int cv_http_url_normalise(const char *url, char *out, size_t size, struct cv_error *err)
{
    if (cv_has_ctl(url) || strchr(url, ' ') || strlen(url) >= size - 1)
        return cv_error_set(err, CV_EINVAL, "the URL has a space or a control character");
    if (strncasecmp(url, "webcal://", 9) == 0) {
        snprintf(out, size, "https://%s", url + 9);
        return 0;
    }
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return cv_error_set(err, CV_EINVAL, "only http://, https:// and webcal:// URLs are read");
    cv_str_copy(out, size, url);
    return 0;
}

struct sink {
    struct cv_http_response *r;
    bool too_big;
};

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    struct sink *s = userp;
    if (cv_buf_add(&s->r->body, data, size * n) < 0) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    return size * n;
}

/* A response header's value, or NULL. */
static int header(CURL *h, const char *name, char **dst)
{
    struct curl_header *hd = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd->value)
        return 0;
    if (cv_has_ctl(hd->value))
        return 0;
    return cv_str_set(dst, hd->value);
}

int cv_http_request(const char *method, const char *url, const char *const *headers,
                    const char *body, size_t len, const struct cv_http_limits *lim,
                    struct cv_http_response *out, struct cv_error *err)
{
    static bool initialised;
    struct curl_slist *hl = NULL;
    struct sink sink = {out, false};
    char fixed[4096];
    int rc = 0;

    if ((rc = cv_http_url_normalise(url, fixed, sizeof(fixed), err)) < 0)
        return rc;
    for (size_t i = 0; headers && headers[i]; i++) {
        if (cv_has_ctl(headers[i]))
            return cv_error_set(err, CV_EINVAL, "a request header has a control character");
    }
    if (!initialised) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return cv_error_set(err, CV_EHTTP, "libcurl could not start");
        initialised = true;
    }
    CURL *h = curl_easy_init();
    if (!h)
        return cv_error_set(err, CV_ENOMEM, "libcurl could not start a transfer: out of memory");
    for (size_t i = 0; headers && headers[i]; i++) {
        struct curl_slist *n = curl_slist_append(hl, headers[i]);
        if (!n) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        hl = n;
    }
    curl_easy_setopt(h, CURLOPT_URL, fixed);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, lim->max_redirects);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, lim->connect_timeout);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, lim->timeout);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_bytes);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "convene/" CONVENE_VERSION);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    if (lim->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, lim->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, lim->password ? lim->password : "");
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)(CURLAUTH_BASIC | CURLAUTH_DIGEST));
        /* Credentials go to the host asked, never to one a redirect names. */
        curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
    }
    if (strcmp(method, "GET") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);

    CURLcode cc = curl_easy_perform(h);
    if (sink.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        rc =
            cv_error_set(err, CV_ELIMIT, "the response is over the %zu-byte limit", lim->max_bytes);
        goto out;
    }
    if (cc != CURLE_OK) {
        rc = cv_error_set(err, cc == CURLE_OPERATION_TIMEDOUT ? CV_ETEMP : CV_EHTTP,
                          "the transfer failed: %s", curl_easy_strerror(cc));
        if (err)
            err->lib_code = cc;
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    char *eff = NULL;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
    if ((rc = cv_str_set(&out->url, eff ? eff : fixed)) < 0 ||
        (rc = header(h, "ETag", &out->etag)) < 0 ||
        (rc = header(h, "Last-Modified", &out->last_modified)) < 0)
        cv_error_set(err, rc, "out of memory");
out:
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    return rc;
}
