/* SPDX-License-Identifier: MIT */
/* lint.c: checking a calendar against the rules real clients impose (INTEROP.md). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ical_int.h"

#include "banned.h"

void cv_lint_report_init(struct cv_lint_report *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_lint_report_release(struct cv_lint_report *r)
{
    free(r->v);
    cv_lint_report_init(r);
}

static int issue(struct cv_lint_report *r, long line, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int issue(struct cv_lint_report *r, long line, const char *rule, const char *fmt, ...)
{
    /* A file with thousands of the same fault says so a hundred times at most. */
    if (r->n >= 100)
        return 0;
    int rc = cv_grow(&r->v, &r->alloc, r->n + 1, sizeof(r->v[0]));
    if (rc < 0)
        return rc;
    struct cv_lint_issue *i = &r->v[r->n++];
    i->line = line;
    cv_str_copy(i->rule, sizeof(i->rule), rule);
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(i->msg, sizeof(i->msg), fmt, ap) < 0)
        i->msg[0] = '\0';
    va_end(ap);
    return 0;
}

/* The physical rules: CRLF, 75 octets, folds between UTF-8 characters. */
static int physical(const char *data, size_t len, struct cv_lint_report *r)
{
    long line = 0;
    const char *p = data, *end = data + len;
    int rc = 0;
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p);
        line++;
        if (!nl)
            rc = issue(r, line, "final-crlf", "the last line does not end in CRLF");
        else if (n == 0 || p[n - 1] != '\r')
            rc = issue(r, line, "crlf", "the line ends in a bare LF; iCalendar needs CRLF");
        if (n && p[n - 1] == '\r')
            n--;
        if (rc == 0 && n > 75)
            rc = issue(r, line, "line-length",
                       "%zu octets; fold lines at 75 octets (RFC 5545 section 3.1)", n);
        if (rc == 0 && n > 1 && (p[0] == ' ' || p[0] == '\t') &&
            ((unsigned char)p[1] & 0xc0) == 0x80)
            rc = issue(r, line, "fold-utf8", "a fold splits a UTF-8 character");
        p = nl ? nl + 1 : end;
    }
    return rc;
}

/* The value of parameter @param on an unfolded content line, into @out; false when absent. */
static bool param_value(const char *cl, size_t len, const char *param, char *out, size_t size)
{
    size_t plen = strlen(param);
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || cl[i] != ':'); i++) {
        if (cl[i] == '"')
            quoted = !quoted;
        if (quoted || cl[i] != ';' || i + plen + 1 >= len || strncasecmp(cl + i + 1, param, plen) ||
            cl[i + 1 + plen] != '=')
            continue;
        size_t v = i + plen + 2, k = 0;
        bool q = v < len && cl[v] == '"';
        if (q)
            v++;
        while (v < len && k + 1 < size &&
               (q ? cl[v] != '"' : (cl[v] != ';' && cl[v] != ':' && cl[v] != ',')))
            out[k++] = cl[v++];
        out[k] = '\0';
        return true;
    }
    return false;
}

/* The name of an unfolded content line into @out (upper case). */
static void line_name(const char *cl, size_t len, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < size && cl[i] != ';' && cl[i] != ':'; i++)
        out[k++] = (char)(cl[i] >= 'a' && cl[i] <= 'z' ? cl[i] - 32 : cl[i]);
    out[k] = '\0';
}

static const char *line_value(const char *cl, size_t len)
{
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (cl[i] == '"')
            quoted = !quoted;
        else if (!quoted && cl[i] == ':')
            return cl + i + 1;
    }
    return cl + len;
}

struct names {
    char (*v)[128];
    size_t n, alloc;
};

static int names_add(struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i], name) == 0)
            return 0;
    }
    int rc = cv_grow(&s->v, &s->alloc, s->n + 1, sizeof(s->v[0]));
    if (rc == 0)
        cv_str_copy(s->v[s->n++], sizeof(s->v[0]), name);
    return rc;
}

static bool names_has(const struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i], name) == 0)
            return true;
    }
    return false;
}

/* The component rules, over the unfolded content lines. */
static int logical(const struct ical_lines *lines, unsigned flags, struct cv_lint_report *r)
{
    struct names tzids_used = {0}, tzids_defined = {0};
    struct cv_strset uids;
    cv_strset_init(&uids);
    long tzid_line[64] = {0};
    char stack[16][32];
    size_t depth = 0;
    bool cal_name = false, x_calname = false, refresh = false, ttl = false;
    /* Per VEVENT/VTODO: what it has. */
    bool has_uid = false, has_dtstamp = false, has_dtstart = false, has_recurid = false;
    bool has_offsetto = false;
    char uid[256] = "";
    long comp_line = 0;
    const char *s = lines->text.buf;
    int rc = 0;

    for (size_t i = 0; i < lines->n && rc == 0; i++) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        long line = lines->line_of[i];
        char name[64], value[256];
        const char *v = line_value(s, len);
        size_t vlen = len - (size_t)(v - s);
        line_name(s, len, name, sizeof(name));
        const char *comp = depth ? stack[depth - 1] : "";

        if (strcmp(name, "BEGIN") == 0) {
            if (depth < 16) {
                size_t n = vlen < 31 ? vlen : 31;
                memcpy(stack[depth], v, n);
                stack[depth][n] = '\0';
            }
            depth++;
            has_uid = has_dtstamp = has_dtstart = has_recurid = has_offsetto = false;
            uid[0] = '\0';
            comp_line = line;
        } else if (strcmp(name, "END") == 0) {
            if ((strcasecmp(comp, "VEVENT") == 0 || strcasecmp(comp, "VTODO") == 0) && depth == 2) {
                if (!has_uid)
                    rc = issue(r, comp_line, "required", "a %s without UID", comp);
                else if (!has_dtstamp)
                    rc = issue(r, comp_line, "required", "a %s without DTSTAMP", comp);
                else if (!has_dtstart && strcasecmp(comp, "VEVENT") == 0)
                    rc = issue(r, comp_line, "required",
                               "a VEVENT without DTSTART (Google and Outlook drop it)");
                if (rc == 0 && uid[0] && !has_recurid) {
                    int added = cv_strset_add(&uids, uid);
                    if (added == 0)
                        rc = issue(r, comp_line, "uid-duplicate", "the UID %s is used twice", uid);
                    else if (added < 0)
                        rc = added;
                }
            }
            if ((strcasecmp(comp, "STANDARD") == 0 || strcasecmp(comp, "DAYLIGHT") == 0) &&
                !has_offsetto)
                rc = issue(r, comp_line, "outlook-tz",
                           "%s without TZOFFSETTO: Outlook rejects the zone", comp);
            if (depth)
                depth--;
        } else if (strncmp(name, "X-LIC-", 6) == 0) {
            rc = issue(r, line, "x-lic", "%s is libical's own property; strip it", name);
        } else if (strcmp(name, "METHOD") == 0 && depth > 1) {
            rc = issue(r, line, "method-placement", "METHOD belongs to VCALENDAR, not to %s", comp);
        } else if (depth == 1) {
            cal_name |= strcmp(name, "NAME") == 0;
            x_calname |= strcmp(name, "X-WR-CALNAME") == 0;
            refresh |= strcmp(name, "REFRESH-INTERVAL") == 0;
            ttl |= strcmp(name, "X-PUBLISHED-TTL") == 0;
        }
        if (rc)
            break;
        if (strcmp(name, "UID") == 0) {
            has_uid = true;
            size_t n = vlen < sizeof(uid) - 1 ? vlen : sizeof(uid) - 1;
            memcpy(uid, v, n);
            uid[n] = '\0';
        }
        has_dtstamp |= strcmp(name, "DTSTAMP") == 0;
        has_dtstart |= strcmp(name, "DTSTART") == 0;
        has_recurid |= strcmp(name, "RECURRENCE-ID") == 0;
        has_offsetto |= strcmp(name, "TZOFFSETTO") == 0;

        if (strcmp(name, "TZID") == 0 && strcasecmp(comp, "VTIMEZONE") == 0) {
            size_t n = vlen < 127 ? vlen : 127;
            char t[128];
            memcpy(t, v, n);
            t[n] = '\0';
            if ((rc = names_add(&tzids_defined, t)) < 0)
                break;
            if (t[0] == '/')
                rc = issue(r, line, "tzid-prefix",
                           "the TZID '%s' carries a prefix; use the "
                           "IANA id",
                           t);
        }
        if (param_value(s, len, "TZID", value, sizeof(value))) {
            if (!names_has(&tzids_used, value) && tzids_used.n < 64)
                tzid_line[tzids_used.n] = line;
            if ((rc = names_add(&tzids_used, value)) < 0)
                break;
            if (value[0] == '/')
                rc = issue(r, line, "tzid-prefix", "the TZID '%s' carries a prefix", value);
        }
        /* A DATE-TIME without Z and without TZID floats: Google reads it as UTC. */
        if (rc == 0 &&
            (!strcmp(name, "DTSTART") || !strcmp(name, "DTEND") || !strcmp(name, "DUE") ||
             !strcmp(name, "RECURRENCE-ID")) &&
            strcasecmp(comp, "STANDARD") && strcasecmp(comp, "DAYLIGHT") && vlen == 15 &&
            v[8] == 'T' && !param_value(s, len, "TZID", value, sizeof(value)))
            rc = issue(r, line, "floating", "%s is a floating time; give a TZID or UTC", name);
        if (rc == 0 &&
            (!strcmp(name, "URL") || !strcmp(name, "ATTENDEE") || !strcmp(name, "ORGANIZER"))) {
            bool ok = (vlen > 8 && !strncasecmp(v, "https://", 8)) ||
                      (vlen > 7 && !strncasecmp(v, "http://", 7)) ||
                      (vlen > 7 && !strncasecmp(v, "mailto:", 7));
            char uri[2048];
            if (ok) {
                size_t n = vlen < sizeof(uri) - 1 ? vlen : sizeof(uri) - 1;
                memcpy(uri, v, n);
                uri[n] = '\0';
                ok = vlen < sizeof(uri) - 1 && cv_uri_is_valid(uri);
            }
            if (!ok)
                rc = issue(r, line, "uri", "%s is not a clean http(s) or mailto: URI", name);
        }
        if (rc == 0 && (flags & CV_LINT_PUBLIC)) {
            if (!strcmp(name, "ATTENDEE"))
                rc = issue(r, line, "public-attendee", "a public feed carries an ATTENDEE");
            else if (memmem(s, len, "mailto:", 7) || memmem(s, len, "MAILTO:", 7))
                rc = issue(r, line, "public-address", "a public feed carries a mailto: address");
        }
        s = nl ? nl + 1 : s + len;
    }
    for (size_t i = 0; rc == 0 && i < tzids_used.n; i++) {
        if (!names_has(&tzids_defined, tzids_used.v[i]))
            rc = issue(r, i < 64 ? tzid_line[i] : 0, "vtimezone-missing",
                       "TZID %s is used but has no VTIMEZONE", tzids_used.v[i]);
    }
    if (rc == 0 && (!cal_name || !x_calname))
        rc = issue(r, 0, "calname", "the calendar needs NAME (RFC 7986) and X-WR-CALNAME");
    if (rc == 0 && (!refresh || !ttl))
        rc = issue(r, 0, "refresh",
                   "the calendar needs REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL");
    free(tzids_used.v);
    free(tzids_defined.v);
    cv_strset_release(&uids);
    return rc;
}

int cv_ical_lint(const char *data, size_t len, const char *name, unsigned flags,
                 struct cv_lint_report *report, struct cv_error *err)
{
    struct cv_ical_limits lim;
    struct ical_lines lines;
    icalcomponent *root = NULL;
    int rc;

    cv_ical_limits_init(&lim);
    lim.max_bytes = 256u * 1024 * 1024;
    lim.max_components = 10000000;
    ical_lines_init(&lines);
    if ((rc = physical(data, len, report)) < 0)
        goto out;
    rc = ical_parse(data, len, name, &lim, &lines, &root, err);
    if (rc == CV_EPARSE && err && err->line && cv_str_eq(err->file, name) &&
        strstr(err->msg, "fix or remove")) {
        /* libical read it but flagged a property: a rule broken, not an unreadable file. */
        rc = issue(report, err->line, "parse", "%s", err->msg);
        cv_error_init(err);
        ical_lines_release(&lines);
        ical_lines_init(&lines);
        if (rc == 0)
            rc = ical_precheck(data, len, name, &lim, &lines, err);
    }
    if (rc < 0)
        goto out;
    rc = logical(&lines, flags, report);
out:
    if (root)
        icalcomponent_free(root);
    ical_lines_release(&lines);
    return rc;
}
