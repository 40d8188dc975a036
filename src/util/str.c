/* SPDX-License-Identifier: MIT */
/* str.c: string ownership helpers and the checks applied to text from users and files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <convene/util.h>

#include "banned.h"

int cv_str_set(char **dst, const char *src)
{
    char *copy = NULL;
    if (src) {
        copy = strdup(src);
        if (!copy)
            return CV_ENOMEM;
    }
    free(*dst);
    *dst = copy;
    return 0;
}

bool cv_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool cv_str_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (size == 0)
        return n == 0;
    if (n >= size) {
        memcpy(dst, src, size - 1);
        dst[size - 1] = '\0';
        return false;
    }
    memcpy(dst, src, n + 1);
    return true;
}

bool cv_utf8_is_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;

    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF. */
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return false;
        p += n + 1;
    }
    return true;
}

bool cv_has_ctl(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return true;
    }
    return false;
}

bool cv_slug_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

bool cv_slugify(const char *text, char *out, size_t size)
{
    size_t n = 0;
    size_t cap = size - 1 < 64 ? size - 1 : 64;
    bool dash = false;

    for (const char *p = text; *p && n < cap; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0) {
                /* A new word needs room for its dash and a character, or it is cut. */
                if (n + 2 > cap)
                    break;
                out[n++] = '-';
            }
            dash = false;
            out[n++] = c;
        } else {
            dash = true;
        }
    }
    out[n] = '\0';
    return n > 0;
}

static bool is_atext(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL;
}

bool cv_email_is_valid(const char *s)
{
    const char *at = strchr(s, '@');
    size_t len = strlen(s);

    if (!at || at == s || len > 254 || strchr(at + 1, '@'))
        return false;
    if ((size_t)(at - s) > 64 || s[0] == '.' || at[-1] == '.')
        return false;
    for (const char *p = s; p < at; p++) {
        if (!is_atext(*p) || (p[0] == '.' && p[1] == '.'))
            return false;
    }
    /* Domain: dot-separated labels of letters, digits and hyphens, at least one dot. */
    const char *d = at + 1;
    size_t label = 0;
    bool dot = false;
    if (!*d)
        return false;
    for (const char *p = d; *p; p++) {
        char c = *p;
        if (c == '.') {
            if (label == 0 || p[-1] == '-')
                return false;
            label = 0;
            dot = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-') {
            if (label == 0 && c == '-')
                return false;
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return dot && label > 0 && d[strlen(d) - 1] != '-';
}

bool cv_uri_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 2000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
            return false;
    }
    if (strncmp(s, "mailto:", 7) == 0)
        return cv_email_is_valid(s + 7);
    const char *host;
    if (strncmp(s, "https://", 8) == 0)
        host = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        host = s + 7;
    else
        return false;
    /* A host of letters, digits, dots, hyphens, or an IPv6 literal in brackets. */
    size_t h = strcspn(host, ":/?#");
    if (h == 0 || host[0] == '.' || host[0] == '-')
        return false;
    for (size_t i = 0; i < h; i++) {
        char c = host[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '[' || c == ']' || (c == '%' && host[0] == '[')))
            return false;
    }
    return true;
}

bool cv_lang_is_supported(const char *s)
{
    static const char *const langs[] = {"en", "fr", "es", "ar"};
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        if (strcmp(s, langs[i]) == 0)
            return true;
    }
    return false;
}

bool cv_country_code_is_valid(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

int cv_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    if (!*s || *s == ' ' || *s == '\t')
        return CV_EINVAL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return CV_EINVAL;
    *out = v;
    return 0;
}
