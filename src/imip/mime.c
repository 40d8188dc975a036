/* SPDX-License-Identifier: MIT */
/* mime.c: the pieces of a MIME message (RFC 2045-2047, RFC 5322): headers folded and refused
 * when they hold a control character, encoded words, quoted-printable and base64 bodies. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <convene/imip.h>

#include "banned.h"

/* Bytes of the UTF-8 sequence starting at @s (at most @n), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80                    ? 1
                 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
                 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
                 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
                                                : 0;
    if (len == 0 || len > n || !cv_utf8_is_valid((const char *)s, len))
        return 0;
    return len;
}

int cv_mime_text_clean(const char *in, struct cv_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t len = utf8_seq(s + i, n - i);
        if (len == 0) {
            i++; /* an invalid byte */
            continue;
        }
        bool ctl = (len == 1 && (s[i] < 0x20 || s[i] == 0x7f)) ||
                   (len == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0) ||
                   (len == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
                    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9));
        if (!ctl)
            rc = cv_buf_add(out, s + i, len);
        i += len;
    }
    return rc;
}

int cv_mime_add_header(struct cv_buf *out, const char *name, const char *value)
{
    size_t col;
    int rc;

    for (const char *p = name; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == ':')
            return CV_EINVAL;
    }
    for (const char *p = value; *p; p++) {
        if (*p < 0x20 || *p >= 0x7f)
            return CV_EINVAL;
    }
    if ((rc = cv_buf_addf(out, "%s:", name)) < 0)
        return rc;
    col = strlen(name) + 1;
    /* Words separated by single spaces; a fold goes before a word that would pass the limit. */
    const char *p = value;
    while (*p == ' ')
        p++;
    while (*p && rc == 0) {
        size_t n = strcspn(p, " ");
        if (n + 1 > 900)
            return CV_EINVAL;
        if (col + 1 + n > CV_MIME_LINE_MAX) {
            rc = cv_buf_add(out, "\r\n", 2);
            col = 0;
        }
        if (rc == 0)
            rc = cv_buf_addch(out, ' ');
        if (rc == 0)
            rc = cv_buf_add(out, p, n);
        col += 1 + n;
        p += n;
        while (*p == ' ')
            p++;
    }
    return rc == 0 ? cv_buf_add(out, "\r\n", 2) : rc;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends @len bytes as base64 without line breaks. */
static int base64_raw(const unsigned char *s, size_t len, struct cv_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
                     i + 1 < len ? b64[(v >> 6) & 63] : '=', i + 2 < len ? b64[v & 63] : '='};
        rc = cv_buf_add(out, q, 4);
    }
    return rc;
}

/* Printable ASCII without "=?" and without a word too long for a header line. */
static bool is_plain_header_text(const char *s)
{
    size_t word = 0;
    for (const char *p = s; *p; p++) {
        if (*p < 0x20 || *p >= 0x7f)
            return false;
        if (p[0] == '=' && p[1] == '?')
            return false;
        word = *p == ' ' ? 0 : word + 1;
        if (word > 60)
            return false;
    }
    return true;
}

/*
 * Appends @len octets of UTF-8 @s as encoded words separated by spaces. "=?UTF-8?B?" + 52 base64
 * characters + "?=" is 64, so that "Subject: " and one word fit a 78-octet line: at most 39
 * octets a word, cut between characters (RFC 2047 section 5: a word holds whole characters),
 * after a space where one falls in the last 12 octets (see cv_mime_address()).
 */
static int encode_run(const unsigned char *s, size_t len, struct cv_buf *out)
{
    int rc = 0;
    size_t i = 0;
    while (i < len && rc == 0) {
        size_t end = i, space = 0;
        while (end < len) {
            size_t c = utf8_seq(s + end, len - end);
            if (c == 0)
                c = 1;
            if (end + c - i > 39)
                break;
            end += c;
            if (s[end - 1] == ' ' && end - i > 27)
                space = end;
        }
        if (end < len && space)
            end = space;
        if (i > 0)
            rc = cv_buf_addch(out, ' ');
        if (rc == 0)
            rc = cv_buf_addstr(out, "=?UTF-8?B?");
        if (rc == 0)
            rc = base64_raw(s + i, end - i, out);
        if (rc == 0)
            rc = cv_buf_addstr(out, "?=");
        i = end;
    }
    return rc;
}

int cv_mime_encode_words(const char *text, struct cv_buf *out)
{
    struct cv_buf clean;
    int rc;

    cv_buf_init(&clean, CV_BUF_NOLIMIT);
    if ((rc = cv_mime_text_clean(text, &clean)) < 0)
        goto out;
    if (is_plain_header_text(clean.buf))
        rc = cv_buf_addstr(out, clean.buf);
    else
        rc = encode_run((const unsigned char *)clean.buf, clean.len, out);
out:
    cv_buf_release(&clean);
    return rc;
}

/* @return whether the @n octets at @w are an atom of a phrase (RFC 5322 atext) that needs no
 * encoding: no "=?", and short enough for a header line. */
static bool is_atom(const char *w, size_t n)
{
    static const char specials[] = "!#$%&'*+-/=?^_`{|}~";
    if (n > 60)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c && strchr(specials, c))))
            return false;
        if (c == '=' && i + 1 < n && w[i + 1] == '?')
            return false;
    }
    return true;
}

/* Appends the run of words from *@run to @stop (if any) as encoded words, after a space unless
 * it begins the name at @start; no run is then pending. */
static int flush_run(const char **run, const char *stop, const char *start, struct cv_buf *out)
{
    int rc = 0;
    if (!*run)
        return 0;
    while (stop > *run && stop[-1] == ' ')
        stop--; /* the spaces after the run are the separator */
    if (*run > start)
        rc = cv_buf_addch(out, ' ');
    if (rc == 0)
        rc = encode_run((const unsigned char *)*run, (size_t)(stop - *run), out);
    *run = NULL;
    return rc;
}

/*
 * Appends @text (cleaned) as a display name that is not plain ASCII: its atoms as they are and
 * each run of other words as encoded words holding the run's spaces, as Python's email package
 * writes one. A decoder drops the space between two adjacent encoded words (RFC 2047 6.2) but
 * keeps one between an atom and an encoded word, so the name decodes to itself. Python's reader
 * (3.11) keeps the space between two encoded words in a phrase too, against 6.2: it reads a run
 * longer than one encoded word (39 octets) with a space more where the run was cut (two spaces
 * after a word; inside a word when the run has no space, as in a long CJK name).
 */
static int encode_phrase(const struct cv_buf *text, struct cv_buf *out)
{
    const char *s = text->buf, *end = text->buf + text->len;
    const char *run = NULL; /* where the pending run of words to encode began */
    int rc = 0;
    while (s < end && *s == ' ')
        s++;
    for (const char *w = s; w < end && rc == 0;) {
        size_t n = strcspn(w, " ");
        if (is_atom(w, n)) {
            rc = flush_run(&run, w, s, out);
            if (rc == 0 && w > s)
                rc = cv_buf_addch(out, ' ');
            if (rc == 0)
                rc = cv_buf_add(out, w, n);
        } else if (!run) {
            run = w;
        }
        w += n;
        while (w < end && *w == ' ')
            w++;
    }
    return rc == 0 ? flush_run(&run, end, s, out) : rc;
}

int cv_mime_address(const char *name, const char *address, struct cv_buf *out)
{
    struct cv_buf clean;
    int rc = 0;

    if (!address || !cv_email_is_valid(address))
        return CV_EINVAL;
    cv_buf_init(&clean, CV_BUF_NOLIMIT);
    if (name && (rc = cv_mime_text_clean(name, &clean)) < 0)
        goto out;
    if (clean.len && is_plain_header_text(clean.buf)) {
        rc = cv_buf_addch(out, '"');
        for (size_t i = 0; rc == 0 && i < clean.len; i++) {
            if (clean.buf[i] == '"' || clean.buf[i] == '\\')
                rc = cv_buf_addch(out, '\\');
            if (rc == 0)
                rc = cv_buf_addch(out, clean.buf[i]);
        }
        if (rc == 0)
            rc = cv_buf_addstr(out, "\" ");
    } else if (clean.len) {
        rc = encode_phrase(&clean, out);
        if (rc == 0)
            rc = cv_buf_addch(out, ' ');
    }
    if (rc == 0)
        rc = cv_buf_addf(out, "<%s>", address);
out:
    cv_buf_release(&clean);
    return rc;
}

int cv_mime_qp(const char *data, size_t len, struct cv_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    int rc = 0;

    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)data[i];
        char enc[4];
        size_t n;
        if (c == '\n' || (c == '\r' && i + 1 < len && data[i + 1] == '\n')) {
            if (c == '\r')
                i++;
            rc = cv_buf_add(out, "\r\n", 2);
            col = 0;
            continue;
        }
        bool at_eol = i + 1 == len || data[i + 1] == '\n' || data[i + 1] == '\r';
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol)) {
            enc[0] = (char)c;
            n = 1;
        } else {
            enc[0] = '=';
            enc[1] = hex[c >> 4];
            enc[2] = hex[c & 15];
            n = 3;
        }
        /* 75 characters and the soft break "=" make 76. */
        if (col + n > 75) {
            rc = cv_buf_add(out, "=\r\n", 3);
            col = 0;
        }
        if (rc == 0)
            rc = cv_buf_add(out, enc, n);
        col += n;
    }
    if (rc == 0 && col > 0)
        rc = cv_buf_add(out, "\r\n", 2);
    return rc;
}

int cv_mime_base64(const void *data, size_t len, struct cv_buf *out)
{
    const unsigned char *s = data;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i += 57) {
        size_t n = len - i < 57 ? len - i : 57; /* 57 octets make 76 characters */
        rc = base64_raw(s + i, n, out);
        if (rc == 0)
            rc = cv_buf_add(out, "\r\n", 2);
    }
    return rc;
}

void cv_mime_date(int64_t t, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, 40, "Thu, 01 Jan 1970 00:00:00 +0000");
        return;
    }
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
