/* SPDX-License-Identifier: MIT */
/* mimeread.c: reading a received mail message (RFC 5322, RFC 2045-2047) as real clients send
 * replies: headers unfolded, encoded words decoded, any multipart layout walked (Outlook's
 * multipart/alternative, Gmail's inline part plus invite.ics, Apple Mail's quoted-printable,
 * Thunderbird's multipart/mixed), base64 and quoted-printable bodies decoded. The input is
 * untrusted: every size, count and depth is bounded, and nothing here reads past its input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imip_int.h"

#include "banned.h"

#define MAX_HEADER_BYTES (256u * 1024)
#define MAX_HEADERS      1000
#define MAX_DEPTH        8
#define MAX_PARTS        256
#define MAX_CALENDARS    8

void cv_mail_init(struct cv_mail *m)
{
    memset(m, 0, sizeof(*m));
}

void cv_mail_release(struct cv_mail *m)
{
    free(m->from);
    free(m->from_name);
    free(m->message_id);
    free(m->subject);
    for (size_t i = 0; i < m->nauth; i++)
        free(m->auth_results[i]);
    free(m->auth_results);
    for (size_t i = 0; i < m->nparts; i++) {
        free(m->parts[i].type);
        free(m->parts[i].method);
        free(m->parts[i].filename);
        free(m->parts[i].data);
    }
    free(m->parts);
    cv_mail_init(m);
}

/* One header field, unfolded, pointing into a copy the caller owns. */
struct field {
    char *name;
    char *value;
};

struct headers {
    struct field *v;
    size_t n, alloc;
    char *text; /* the unfolded copy */
};

static void headers_release(struct headers *h)
{
    free(h->v);
    free(h->text);
    memset(h, 0, sizeof(*h));
}

/* Length of the line at @p (without its end), and of its end (CRLF, LF or none) in *@eol. */
static size_t line_len(const char *p, const char *end, size_t *eol)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
        *eol = 0;
        return (size_t)(end - p);
    }
    size_t n = (size_t)(nl - p);
    *eol = 1;
    if (n && p[n - 1] == '\r') {
        n--;
        *eol = 2;
    }
    return n;
}

/*
 * Splits @data into its header fields (unfolded) and body. A line without a colon before the
 * blank line ends the headers there (as a lenient reader would); the body then starts after the
 * blank line, or is empty.
 */
static int read_headers(const char *data, size_t len, struct headers *h, const char **body,
                        size_t *body_len, struct cv_error *err)
{
    const char *p = data, *end = data + len;
    struct cv_buf t;
    cv_buf_init(&t, MAX_HEADER_BYTES);
    memset(h, 0, sizeof(*h));
    *body = end;
    *body_len = 0;
    while (p < end) {
        size_t eol, n = line_len(p, end, &eol);
        if (n == 0) {
            *body = p + eol;
            *body_len = (size_t)(end - *body);
            break;
        }
        bool cont = (*p == ' ' || *p == '\t');
        if (cont && t.len) {
            t.buf[t.len - 1] = ' '; /* unfold: the line end becomes a space */
        } else if (!cont && !memchr(p, ':', n)) {
            *body = p;
            *body_len = (size_t)(end - p);
            break;
        }
        if (cv_buf_add(&t, p, n) < 0 || cv_buf_addch(&t, '\n') < 0) {
            cv_buf_release(&t);
            return cv_error_set(err, CV_ELIMIT, "the message's headers pass %u KiB",
                                MAX_HEADER_BYTES / 1024);
        }
        p += n + eol;
        if (eol == 0)
            break;
    }
    h->text = cv_buf_detach(&t);
    if (!h->text)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    for (char *s = h->text; *s;) {
        char *nl = strchr(s, '\n');
        *nl = '\0';
        char *colon = strchr(s, ':');
        if (colon && colon != s) {
            if (h->n == MAX_HEADERS)
                return cv_error_set(err, CV_ELIMIT, "more than %d header fields", MAX_HEADERS);
            if (cv_grow(&h->v, &h->alloc, h->n + 1, sizeof(h->v[0])) < 0)
                return cv_error_set(err, CV_ENOMEM, "out of memory");
            *colon = '\0';
            char *name = s, *value = colon + 1;
            size_t nl_ = strlen(name);
            while (nl_ && (name[nl_ - 1] == ' ' || name[nl_ - 1] == '\t'))
                name[--nl_] = '\0';
            while (*value == ' ' || *value == '\t')
                value++;
            size_t vl = strlen(value);
            while (vl && (value[vl - 1] == ' ' || value[vl - 1] == '\t' || value[vl - 1] == '\r'))
                value[--vl] = '\0';
            h->v[h->n++] = (struct field){name, value};
        }
        s = nl + 1;
    }
    return 0;
}

static const char *header(const struct headers *h, const char *name, size_t *count)
{
    const char *v = NULL;
    size_t c = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->v[i].name, name) == 0) {
            if (!v)
                v = h->v[i].value;
            c++;
        }
    }
    if (count)
        *count = c;
    return v;
}

/* ---- decoders ---- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int cv_mime_base64_decode(const char *in, size_t len, struct cv_buf *out)
{
    unsigned acc = 0;
    int bits = 0, rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '=')
            break;
        int v = b64_value(c);
        if (v < 0)
            continue; /* line ends, spaces, stray bytes */
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            rc = cv_buf_addch(out, (char)((acc >> bits) & 0xff));
        }
    }
    return rc;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Quoted-printable (RFC 2045 6.7); @header: RFC 2047's Q, where '_' is a space. */
static int qp_decode(const char *in, size_t len, bool hdr, struct cv_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        char c = in[i];
        if (c == '=' && i + 1 < len && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
            i++; /* a soft line break */
            if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
                i++;
            continue;
        }
        if (c == '=' && i + 2 < len && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
            rc = cv_buf_addch(out, (char)(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
            i += 2;
            continue;
        }
        if (c == '=' && !hdr) {
            /* "=" then spaces to the line end is a soft break with trailing white space. */
            size_t j = i + 1;
            while (j < len && (in[j] == ' ' || in[j] == '\t'))
                j++;
            if (j < len && (in[j] == '\r' || in[j] == '\n')) {
                i = j;
                if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
                    i++;
                continue;
            }
        }
        rc = cv_buf_addch(out, hdr && c == '_' ? ' ' : c);
    }
    return rc;
}

int cv_mime_qp_decode(const char *in, size_t len, struct cv_buf *out)
{
    return qp_decode(in, len, false, out);
}

/* Latin-1 (and the ASCII part of windows-1252) to UTF-8. */
static int latin1_to_utf8(const char *in, size_t len, struct cv_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            rc = cv_buf_addch(out, (char)c);
        } else {
            char two[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
            rc = cv_buf_add(out, two, 2);
        }
    }
    return rc;
}

static bool is_latin1(const char *charset)
{
    return charset &&
           (strcasecmp(charset, "iso-8859-1") == 0 || strcasecmp(charset, "iso-8859-15") == 0 ||
            strcasecmp(charset, "windows-1252") == 0 || strcasecmp(charset, "latin1") == 0);
}

int cv_mime_decode_words(const char *in, struct cv_buf *out)
{
    struct cv_buf raw, dec;
    int rc = 0;
    cv_buf_init(&raw, 64 * 1024);
    cv_buf_init(&dec, 64 * 1024);
    const char *p = in;
    bool after_word = false;
    while (*p && rc == 0) {
        const char *q, *enc, *text, *close;
        if (p[0] == '=' && p[1] == '?' && (q = strchr(p + 2, '?')) && (q[1]) && q[2] == '?' &&
            (close = strstr(q + 3, "?=")) && (size_t)(close - p) <= 900) {
            enc = q + 1;
            text = q + 3;
            char charset[40];
            size_t cl = (size_t)(q - (p + 2));
            if (cl >= sizeof(charset))
                cl = sizeof(charset) - 1;
            memcpy(charset, p + 2, cl);
            charset[cl] = '\0';
            char *star = strchr(charset, '*'); /* RFC 2231 language */
            if (star)
                *star = '\0';
            cv_buf_reset(&dec);
            if (*enc == 'B' || *enc == 'b')
                rc = cv_mime_base64_decode(text, (size_t)(close - text), &dec);
            else if (*enc == 'Q' || *enc == 'q')
                rc = qp_decode(text, (size_t)(close - text), true, &dec);
            else
                goto literal;
            if (rc == 0)
                rc = is_latin1(charset) ? latin1_to_utf8(dec.buf, dec.len, &raw)
                                        : cv_buf_add(&raw, dec.buf, dec.len);
            p = close + 2;
            after_word = true;
            continue;
        }
    literal:
        if (after_word && (*p == ' ' || *p == '\t')) {
            /* White space between two encoded words is not part of the text. */
            const char *s = p;
            while (*s == ' ' || *s == '\t')
                s++;
            if (s[0] == '=' && s[1] == '?') {
                p = s;
                continue;
            }
        }
        after_word = false;
        rc = cv_buf_addch(&raw, *p++);
    }
    if (rc == 0)
        rc = cv_mime_text_clean(raw.buf, out);
    cv_buf_release(&dec);
    cv_buf_release(&raw);
    return rc;
}

/* ---- Content-Type and its parameters ---- */

/*
 * The value of parameter @name in a header value "type/sub; a=b; c="d"" (names without case),
 * copied to @out (of @size). @return true when found.
 */
static bool param(const char *value, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    const char *p = value;
    bool quoted = false;
    for (; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (quoted || *p != ';')
            continue;
        const char *s = p + 1;
        while (*s == ' ' || *s == '\t')
            s++;
        if (strncasecmp(s, name, nl) != 0)
            continue;
        const char *e = s + nl;
        while (*e == ' ' || *e == '\t')
            e++;
        if (*e != '=')
            continue;
        e++;
        while (*e == ' ' || *e == '\t')
            e++;
        size_t j = 0;
        if (*e == '"') {
            for (e++; *e && *e != '"'; e++) {
                if (*e == '\\' && e[1])
                    e++;
                if (j + 1 < size)
                    out[j++] = *e;
            }
        } else {
            for (; *e && *e != ';' && *e != ' ' && *e != '\t'; e++) {
                if (j + 1 < size)
                    out[j++] = *e;
            }
        }
        out[j] = '\0';
        return true;
    }
    return false;
}

/* "type/subtype" in lower case, at most @size - 1 bytes; "text/plain" when missing. */
static void media_type(const char *value, char *out, size_t size)
{
    size_t j = 0;
    const char *p = value ? value : "text/plain";
    while (*p == ' ')
        p++;
    for (; *p && *p != ';' && *p != ' ' && *p != '\t' && j + 1 < size; p++)
        out[j++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    out[j] = '\0';
    if (!j || !strchr(out, '/'))
        snprintf(out, size, "text/plain");
}

/* ---- the parts ---- */

struct walk {
    struct cv_mail *mail;
    size_t parts;
    struct cv_error *err;
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int add_calendar(struct walk *w, const char *type, const struct headers *h, const char *body,
                        size_t len)
{
    struct cv_mail *m = w->mail;
    const char *ct = header(h, "Content-Type", NULL);
    const char *cte = header(h, "Content-Transfer-Encoding", NULL);
    char method[32] = "", charset[40] = "", file[256] = "";
    struct cv_buf data;
    int rc;

    if (m->nparts == MAX_CALENDARS)
        return 0;
    if (ct) {
        param(ct, "method", method, sizeof(method));
        param(ct, "charset", charset, sizeof(charset));
        if (!param(ct, "name", file, sizeof(file)))
            file[0] = '\0';
    }
    const char *cd = header(h, "Content-Disposition", NULL);
    if (cd)
        param(cd, "filename", file, sizeof(file));
    cv_buf_init(&data, CV_MAIL_MAX);
    if (cte && strncasecmp(cte, "base64", 6) == 0)
        rc = cv_mime_base64_decode(body, len, &data);
    else if (cte && strncasecmp(cte, "quoted-printable", 16) == 0)
        rc = cv_mime_qp_decode(body, len, &data);
    else
        rc = cv_buf_add(&data, body, len);
    if (rc == 0 && is_latin1(charset)) {
        struct cv_buf utf8;
        cv_buf_init(&utf8, CV_MAIL_MAX);
        rc = latin1_to_utf8(data.buf, data.len, &utf8);
        cv_buf_release(&data);
        data = utf8;
    }
    if (rc < 0) {
        cv_buf_release(&data);
        return cv_error_set(w->err, rc == CV_ENOMEM ? CV_ENOMEM : CV_ELIMIT,
                            "a calendar part is too large");
    }
    if (cv_grow(&m->parts, &m->alloc, m->nparts + 1, sizeof(m->parts[0])) < 0) {
        cv_buf_release(&data);
        return cv_error_set(w->err, CV_ENOMEM, "out of memory");
    }
    struct cv_mail_part *p = &m->parts[m->nparts++];
    memset(p, 0, sizeof(*p));
    p->len = data.len;
    p->data = cv_buf_detach(&data);
    p->type = strdup(type);
    p->method = method[0] ? strdup(method) : NULL;
    p->filename = file[0] ? strdup(file) : NULL;
    p->attachment = cd && strncasecmp(cd, "attachment", 10) == 0;
    if (!p->data || !p->type || (method[0] && !p->method) || (file[0] && !p->filename))
        return cv_error_set(w->err, CV_ENOMEM, "out of memory");
    return 0;
}

static int walk_entity(struct walk *w, const char *data, size_t len, int depth);

/* The parts of a multipart body between the delimiter lines "--@boundary". */
static int walk_multipart(struct walk *w, const char *body, size_t len, const char *boundary,
                          int depth)
{
    size_t bl = strlen(boundary);
    const char *p = body, *end = body + len, *start = NULL;
    int rc = 0;
    while (p < end && rc == 0) {
        size_t eol, n = line_len(p, end, &eol);
        bool delim = n >= bl + 2 && p[0] == '-' && p[1] == '-' && memcmp(p + 2, boundary, bl) == 0;
        bool close = false;
        if (delim) {
            const char *r = p + 2 + bl;
            size_t rest = n - 2 - bl;
            if (rest >= 2 && r[0] == '-' && r[1] == '-') {
                close = true;
                r += 2;
                rest -= 2;
            }
            for (size_t i = 0; i < rest; i++)
                delim = delim && (r[i] == ' ' || r[i] == '\t');
        }
        if (delim) {
            if (start) {
                /* The line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1). */
                const char *stop = p;
                if (stop > start && stop[-1] == '\n')
                    stop--;
                if (stop > start && stop[-1] == '\r')
                    stop--;
                rc = walk_entity(w, start, (size_t)(stop - start), depth + 1);
            }
            start = close ? NULL : p + n + eol;
            if (close)
                break;
        }
        p += n + eol;
        if (eol == 0)
            break;
    }
    /* A part cut off without its closing delimiter is still read. */
    if (rc == 0 && start && start < end)
        rc = walk_entity(w, start, (size_t)(end - start), depth + 1);
    return rc;
}

static int walk_entity(struct walk *w, const char *data, size_t len, int depth)
{
    struct headers h;
    const char *body;
    size_t body_len;
    char type[96], boundary[128];
    int rc;

    if (depth > MAX_DEPTH)
        return cv_error_set(w->err, CV_ELIMIT, "MIME parts nested more than %d deep", MAX_DEPTH);
    if (++w->parts > MAX_PARTS)
        return cv_error_set(w->err, CV_ELIMIT, "more than %d MIME parts", MAX_PARTS);
    if ((rc = read_headers(data, len, &h, &body, &body_len, w->err)) < 0)
        goto out;
    const char *ct = header(&h, "Content-Type", NULL);
    media_type(ct, type, sizeof(type));
    const char *cd = header(&h, "Content-Disposition", NULL);
    char file[256] = "";
    if (ct)
        param(ct, "name", file, sizeof(file));
    if (cd)
        param(cd, "filename", file, sizeof(file));
    if (strncmp(type, "multipart/", 10) == 0) {
        if (!ct || !param(ct, "boundary", boundary, sizeof(boundary)) || !boundary[0])
            goto out; /* a multipart without a boundary has nothing to read */
        rc = walk_multipart(w, body, body_len, boundary, depth);
    } else if (strcmp(type, "text/calendar") == 0 || strcmp(type, "application/ics") == 0 ||
               strcmp(type, "text/x-vcalendar") == 0 ||
               (strcmp(type, "application/octet-stream") == 0 && ends_with(file, ".ics"))) {
        rc = add_calendar(w, type, &h, body, body_len);
    }
out:
    headers_release(&h);
    return rc;
}

/* ---- addresses ---- */

/*
 * The one mailbox of a From value: "Name <a@b>", "a@b (Name)" or "a@b". @return false when it
 * names none, or more than one (a list leaves the author unknown).
 */
static bool one_mailbox(const char *value, char **addr, char **name)
{
    struct cv_buf b;
    bool quoted = false, ok = false;
    int angles = 0, commas = 0;
    const char *lt = NULL, *gt = NULL;
    for (const char *p = value; *p; p++) {
        if (*p == '\\' && quoted && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == '<') {
            angles++;
            lt = p;
        } else if (!quoted && *p == '>' && lt && !gt)
            gt = p;
        else if (!quoted && *p == ',')
            commas++;
    }
    if (angles > 1 || commas > 0 || quoted)
        return false;
    cv_buf_init(&b, 1024);
    if (lt && gt && gt > lt) {
        cv_buf_add(&b, lt + 1, (size_t)(gt - lt - 1));
        /* The display name: before '<', quotes removed, encoded words decoded. */
        struct cv_buf raw;
        cv_buf_init(&raw, 1024);
        for (const char *p = value; p < lt; p++) {
            if (*p == '"')
                continue;
            if (*p == '\\' && p + 1 < lt)
                p++;
            cv_buf_addch(&raw, *p);
        }
        while (raw.len && raw.buf[raw.len - 1] == ' ')
            raw.buf[--raw.len] = '\0';
        struct cv_buf dn;
        cv_buf_init(&dn, 1024);
        const char *s = raw.buf;
        while (*s == ' ')
            s++;
        if (*s && cv_mime_decode_words(s, &dn) == 0 && dn.len)
            *name = cv_buf_detach(&dn);
        cv_buf_release(&dn);
        cv_buf_release(&raw);
    } else {
        const char *p = value;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " \t(");
        cv_buf_add(&b, p, n);
    }
    char *a = b.buf;
    while (*a == ' ')
        a++;
    size_t n = strlen(a);
    while (n && a[n - 1] == ' ')
        a[--n] = '\0';
    if (cv_email_is_valid(a)) {
        *addr = strdup(a);
        ok = *addr != NULL;
    }
    cv_buf_release(&b);
    if (!ok) {
        free(*name);
        *name = NULL;
    }
    return ok;
}

static bool is_icalendar(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\r' || data[i] == '\n' || data[i] == '\t'))
        i++;
    return len - i >= 15 && strncasecmp(data + i, "BEGIN:VCALENDAR", 15) == 0;
}

int cv_mail_parse(const char *data, size_t len, const char *name, struct cv_mail *out,
                  struct cv_error *err)
{
    struct headers h;
    struct walk w = {out, 0, err};
    const char *body;
    size_t body_len;
    int rc;

    memset(&h, 0, sizeof(h));
    if (len > CV_MAIL_MAX) {
        cv_error_at(err, name, 0);
        return cv_error_set(err, CV_ELIMIT, "the message is larger than %u MiB",
                            CV_MAIL_MAX / (1024 * 1024));
    }
    if (memchr(data, '\0', len)) {
        cv_error_at(err, name, 0);
        return cv_error_set(err, CV_EPARSE, "the file holds a NUL byte: it is not a mail message");
    }
    if (is_icalendar(data, len)) {
        /* A bare .ics: the calendar alone, with no sender and no MIME method to check. */
        out->bare = true;
        struct headers none = {0};
        rc = add_calendar(&w, "text/calendar", &none, data, len);
        goto out;
    }
    if ((rc = read_headers(data, len, &h, &body, &body_len, err)) < 0)
        goto out;
    if (h.n == 0 || (!header(&h, "From", NULL) && !header(&h, "Content-Type", NULL))) {
        rc = cv_error_set(err, CV_EPARSE,
                          "neither a mail message (no From or Content-Type header) nor an "
                          "iCalendar file; give the .eml or .ics file itself");
        goto out;
    }
    size_t nfrom = 0;
    const char *from = header(&h, "From", &nfrom);
    if (from && nfrom == 1)
        one_mailbox(from, &out->from, &out->from_name);
    const char *mid = header(&h, "Message-ID", NULL);
    struct cv_buf b;
    cv_buf_init(&b, 4096);
    if (mid && cv_mime_text_clean(mid, &b) == 0 && b.len)
        out->message_id = cv_buf_detach(&b);
    cv_buf_reset(&b);
    const char *subject = header(&h, "Subject", NULL);
    if (subject && cv_mime_decode_words(subject, &b) == 0)
        out->subject = cv_buf_detach(&b);
    cv_buf_release(&b);
    for (size_t i = 0; i < h.n; i++) {
        if (strcasecmp(h.v[i].name, "Authentication-Results") != 0)
            continue;
        char *copy = strdup(h.v[i].value);
        if (!copy ||
            cv_grow(&out->auth_results, &out->auth_alloc, out->nauth + 1, sizeof(char *)) < 0) {
            free(copy);
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        out->auth_results[out->nauth++] = copy;
    }
    w.parts = 0;
    rc = walk_entity(&w, data, len, 0);
out:
    headers_release(&h);
    if (rc < 0 && err && !err->file[0])
        cv_error_at(err, name, 0);
    return rc;
}
