/* SPDX-License-Identifier: MIT */
/* fuzz_http_path.c: libFuzzer target for what `convene serve` reads of a request's URL: the
 * path (cv_http_path_parse), its form for the log (cv_http_path_redact) and the ?tz= value
 * (cv_http_query_decode). Any input must come back as an answer of the documented kinds; a path
 * taken holds only [A-Za-z0-9._~/-], no empty, "." or ".." segment, and names what it parsed; a
 * refused one leaves nothing behind. A violation aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool path_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '~' || c == '-' || c == '/';
}

/* Whether @raw breaks the rules of a bad request: the reference for the 400 answers. */
static bool is_bad_request(const char *raw)
{
    size_t len = strlen(raw);
    if (len == 0 || raw[0] != '/' || len > CV_HTTP_PATH_MAX)
        return true;
    for (size_t i = 0; i < len; i++) {
        if (!path_byte((unsigned char)raw[i]))
            return true;
    }
    if (len == 1)
        return false;
    for (const char *s = raw + 1;;) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return true;
        if (!slash)
            return false;
        s = slash + 1;
    }
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i])
            return false;
    }
    return true;
}

static void check_path(const char *raw)
{
    struct cv_http_path out;
    memset(&out, 0xa5, sizeof(out));
    int rc = cv_http_path_parse(raw, &out);
    if (rc != 0 && rc != 400 && rc != 404)
        abort();
    if ((rc == 400) != is_bad_request(raw))
        abort();
    if (rc != 0) {
        /* A clean refusal: nothing of the path is left in @out. */
        if (!all_zero(&out, sizeof(out)))
            abort();
        return;
    }
    if (strstr(raw, "/../") || strstr(raw, "/./") || strstr(raw, "//"))
        abort();
    size_t len = strlen(raw);
    if (len >= 3 && strcmp(raw + len - 3, "/..") == 0)
        abort();
    if (out.kind == CV_HTTP_FILE) {
        size_t n = strnlen(out.name, sizeof(out.name));
        if (n == sizeof(out.name) || out.token[0] || out.ext[0])
            abort();
        if (strcmp(raw, "/") == 0) {
            if (strcmp(out.name, "index.html") != 0)
                abort();
            return;
        }
        if (strcmp(out.name, raw + 1) != 0 || strchr(out.name, '/'))
            abort();
        for (size_t i = 0; i < n; i++) {
            char c = out.name[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      (i > 0 && (c == '.' || c == '-'));
            if (!ok)
                abort();
        }
    } else if (out.kind == CV_HTTP_PRIVATE) {
        if (strncmp(raw, "/private/", 9) != 0 || out.name[0])
            abort();
        if (strcmp(out.ext, "ics") != 0 && strcmp(out.ext, "html") != 0)
            abort();
        size_t t = strnlen(out.token, sizeof(out.token));
        if (t != 0 && t != CV_TOKEN_SIZE - 1)
            abort();
        for (size_t i = 0; i < t; i++) {
            if (!((out.token[i] >= '0' && out.token[i] <= '9') ||
                  (out.token[i] >= 'a' && out.token[i] <= 'f')))
                abort();
        }
        /* The path is /private/ + what stands before the extension + "." + the extension. */
        const char *name = raw + 9;
        const char *dot = strrchr(name, '.');
        if (!dot || strchr(name, '/') || strcmp(dot + 1, out.ext) != 0)
            abort();
        if (t && ((size_t)(dot - name) != t || memcmp(name, out.token, t) != 0))
            abort();
    } else {
        abort();
    }
}

static void check_redact(const char *raw, size_t size)
{
    char *out = malloc(size);
    if (!out)
        return;
    cv_http_path_redact(raw, out, size);
    size_t n = strnlen(out, size);
    if (n == size)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (out[i] < 0x21 || out[i] > 0x7e || out[i] == '"')
            abort();
    }
    free(out);
}

static bool hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The decoder into a buffer of exactly @size bytes, so that a write past it is caught. */
static void check_query(const char *in, size_t size)
{
    char *out = malloc(size);
    if (!out)
        return;
    size_t inlen = strlen(in), pct = 0;
    for (size_t i = 0; i < inlen; i++)
        pct += in[i] == '%';
    int rc = cv_http_query_decode(in, out, size);
    if (rc != 0 && rc != -1)
        abort();
    if (rc == 0) {
        size_t n = strnlen(out, size);
        /* Every escape took three bytes for one, every other byte one for one. */
        if (n == size || 3 * pct > inlen || n != inlen - 2 * pct)
            abort();
        /* Every escape is '%' and two hex digits of either case: no other byte reads as one. */
        for (size_t i = 0; i < inlen; i++) {
            if (in[i] == '%' && !(hex_digit(in[i + 1]) && hex_digit(in[i + 2])))
                abort();
            if (in[i] == '%')
                i += 2;
        }
        if (!pct) {
            for (size_t i = 0; i < inlen; i++) {
                if (out[i] != (in[i] == '+' ? ' ' : in[i]))
                    abort();
            }
        }
    } else if (!pct && inlen + 1 <= size) {
        /* Without an escape only the length can be refused. */
        abort();
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    check_path(text);
    check_redact(text, 16);
    check_redact(text, 256);
    check_query(text, 65); /* the size serve gives it */
    check_query(text, 1);

    /* As a URL: the path before '?', the value of the first tz= after it. */
    char *q = strchr(text, '?');
    if (q) {
        *q++ = '\0';
        check_path(text);
        char *tz = strstr(q, "tz=");
        if (tz) {
            char *amp = strchr(tz, '&');
            if (amp)
                *amp = '\0';
            check_query(tz + 3, 65);
        }
    }
    free(text);
    return 0;
}
