/* SPDX-License-Identifier: MIT */
/* limits.c: checking untrusted iCalendar before libical reads it (sizes, lines, nesting), and
 * parsing it with every libical error reported by line. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ical_int.h"

#include "banned.h"

void cv_ical_limits_init(struct cv_ical_limits *l)
{
    l->max_bytes = 1024 * 1024;
    l->max_line = 8192;
    l->max_components = 10000;
    l->max_properties = 10000;
    l->max_params = 100;
    l->max_depth = 8;
    l->max_errors = 1000;
    l->max_instances = 1000;
}

void ical_lines_init(struct ical_lines *l)
{
    memset(l, 0, sizeof(*l));
    cv_buf_init(&l->text, CV_BUF_NOLIMIT);
}

void ical_lines_release(struct ical_lines *l)
{
    cv_buf_release(&l->text);
    free(l->line_of);
    free(l->begin_line);
    ical_lines_init(l);
}

long ical_find_line(const struct ical_lines *l, const char *needle)
{
    const char *s = l->text.buf;
    for (size_t i = 0; i < l->n; i++) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (memmem(s, len, needle, strlen(needle)))
            return l->line_of[i];
        if (!nl)
            break;
        s = nl + 1;
    }
    return 0;
}

#define MAX_NAME 64

struct scan {
    const char *name;
    const struct cv_ical_limits *lim;
    struct ical_lines *lines;
    struct cv_error *err;
    char stack[16][MAX_NAME];
    long stack_line[16];
    size_t depth;
    size_t components;
    size_t props[16];
    bool seen_calendar;
    bool done; /* after the outer END:VCALENDAR */
};

static int fail(struct scan *s, int code, long line, const char *fmt, const char *arg)
{
    cv_error_set(s->err, code, fmt, arg);
    cv_error_at(s->err, s->name, line);
    return code;
}

/* Checks one unfolded content line that started on physical line @line. */
static int content_line(struct scan *s, const char *cl, size_t len, long line)
{
    size_t i = 0;
    char value[MAX_NAME];

    while (i < len && (cl[i] == '-' || (cl[i] >= 'A' && cl[i] <= 'Z') ||
                       (cl[i] >= 'a' && cl[i] <= 'z') || (cl[i] >= '0' && cl[i] <= '9')))
        i++;
    if (i == 0 || i == len || (cl[i] != ':' && cl[i] != ';'))
        return fail(s, CV_EPARSE, line, "not an iCalendar content line (NAME:value expected)%s",
                    "; check the file's folding");
    size_t name_len = i;
    size_t params = 0;
    bool quoted = false;
    for (; i < len && (quoted || cl[i] != ':'); i++) {
        if (cl[i] == '"')
            quoted = !quoted;
        else if (!quoted && cl[i] == ';')
            params++;
    }
    if (i == len)
        return fail(s, CV_EPARSE, line, "a content line without ':' before its value%s", "");
    if (params > s->lim->max_params)
        return fail(s, CV_ELIMIT, line, "more parameters on one line than the limit%s", "");
    const char *v = cl + i + 1;
    size_t vlen = len - i - 1;

    bool is_begin = name_len == 5 && strncasecmp(cl, "BEGIN", 5) == 0;
    bool is_end = name_len == 3 && strncasecmp(cl, "END", 3) == 0;

    if (s->done)
        return fail(s, CV_EPARSE, line, "content after END:VCALENDAR%s; keep one calendar per file",
                    "");
    if (!s->seen_calendar) {
        if (!is_begin || vlen != 9 || strncasecmp(v, "VCALENDAR", 9) != 0)
            return fail(s, CV_EPARSE, line,
                        "not an iCalendar file: it must start with BEGIN:VCALENDAR%s", "");
        s->seen_calendar = true;
    }
    if (is_begin || is_end) {
        if (vlen == 0 || vlen >= MAX_NAME)
            return fail(s, CV_EPARSE, line, "a BEGIN or END without a component name%s", "");
        memcpy(value, v, vlen);
        value[vlen] = '\0';
    }
    if (is_begin) {
        if (s->depth >= s->lim->max_depth || s->depth >= 16)
            return fail(s, CV_ELIMIT, line, "components nested deeper than the limit%s", "");
        if (++s->components > s->lim->max_components)
            return fail(s, CV_ELIMIT, line, "more components than the limit%s", "");
        cv_str_copy(s->stack[s->depth], MAX_NAME, value);
        s->stack_line[s->depth] = line;
        s->props[s->depth] = 0;
        s->depth++;
        if (s->lines && strcasecmp(value, "VEVENT") == 0) {
            int rc = cv_grow(&s->lines->begin_line, &s->lines->begin_alloc, s->lines->nbegin + 1,
                             sizeof(long));
            if (rc < 0)
                return fail(s, rc, line, "out of memory%s", "");
            s->lines->begin_line[s->lines->nbegin++] = line;
        }
    } else if (is_end) {
        if (s->depth == 0 || strcasecmp(s->stack[s->depth - 1], value) != 0) {
            cv_error_set(s->err, CV_EPARSE, "END:%s does not close BEGIN:%s; the file is damaged",
                         value, s->depth ? s->stack[s->depth - 1] : "(nothing)");
            cv_error_at(s->err, s->name, line);
            return CV_EPARSE;
        }
        s->depth--;
        if (s->depth == 0)
            s->done = true;
    } else if (s->depth > 0 && ++s->props[s->depth - 1] > s->lim->max_properties) {
        return fail(s, CV_ELIMIT, line, "more properties in one component than the limit%s", "");
    }
    if (s->lines) {
        int rc = cv_grow(&s->lines->line_of, &s->lines->alloc, s->lines->n + 1, sizeof(long));
        if (rc == 0)
            rc = cv_buf_add(&s->lines->text, cl, len);
        if (rc == 0)
            rc = cv_buf_addch(&s->lines->text, '\n');
        if (rc < 0)
            return fail(s, rc, line, "out of memory%s", "");
        s->lines->line_of[s->lines->n++] = line;
    }
    return 0;
}

int ical_precheck(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
                  struct ical_lines *lines, struct cv_error *err)
{
    struct scan s;
    struct cv_buf cl;
    long line = 0, cl_line = 0;
    const char *p = data, *end = data + len;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    s.name = name;
    s.lim = lim;
    s.lines = lines;
    s.err = err;
    /* An unfolded line may be several physical lines long, but never longer than the input. */
    cv_buf_init(&cl, lim->max_bytes);

    if (len > lim->max_bytes) {
        cv_error_set(err, CV_ELIMIT,
                     "the file is %zu bytes, over the %zu-byte limit; split it or raise the "
                     "limit",
                     len, lim->max_bytes);
        cv_error_at(err, name, 0);
        return CV_ELIMIT;
    }
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p);
        line++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > lim->max_line) {
            cv_error_set(err, CV_ELIMIT,
                         "a line of %zu octets, over the %zu-octet limit; the file is not a "
                         "usual calendar",
                         n, lim->max_line);
            cv_error_at(err, name, line);
            rc = CV_ELIMIT;
            goto out;
        }
        if (memchr(p, '\0', n) || !cv_utf8_is_valid(p, n)) {
            rc = fail(&s, CV_EPARSE, line, "the line is not valid UTF-8%s; save the file as UTF-8",
                      "");
            goto out;
        }
        if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
            /* A folded continuation of the previous content line. */
            if (cl_line == 0) {
                rc = fail(&s, CV_EPARSE, line, "a folded line with nothing to continue%s", "");
                goto out;
            }
            if ((rc = cv_buf_add(&cl, p + 1, n - 1)) < 0) {
                rc = fail(&s, rc, line, "a content line longer than the file limit%s", "");
                goto out;
            }
        } else {
            if (cl_line && (rc = content_line(&s, cl.buf, cl.len, cl_line)) < 0)
                goto out;
            cv_buf_reset(&cl);
            cl_line = 0;
            if (n > 0) {
                if ((rc = cv_buf_add(&cl, p, n)) < 0) {
                    rc = fail(&s, rc, line, "out of memory%s", "");
                    goto out;
                }
                cl_line = line;
            }
        }
        p = nl ? nl + 1 : end;
    }
    if (cl_line && (rc = content_line(&s, cl.buf, cl.len, cl_line)) < 0)
        goto out;
    if (!s.seen_calendar) {
        rc = fail(&s, CV_EPARSE, 1, "not an iCalendar file: it must start with BEGIN:VCALENDAR%s",
                  "");
        goto out;
    }
    if (s.depth > 0) {
        cv_error_set(err, CV_EPARSE,
                     "the file ends inside %s (opened on line %ld): it is truncated; export it "
                     "again",
                     s.stack[s.depth - 1], s.stack_line[s.depth - 1]);
        cv_error_at(err, name, line);
        rc = CV_EPARSE;
        goto out;
    }
out:
    cv_buf_release(&cl);
    return rc;
}

int cv_ical_precheck(const char *data, size_t len, const char *name,
                     const struct cv_ical_limits *lim, struct cv_error *err)
{
    return ical_precheck(data, len, name, lim, NULL, err);
}

/* Finds the first X-LIC-ERROR under @c, depth first. */
static icalproperty *first_error(icalcomponent *c)
{
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    if (p)
        return p;
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        if ((p = first_error(k)))
            return p;
    }
    return NULL;
}

int ical_parse(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
               struct ical_lines *lines, icalcomponent **ret, struct cv_error *err)
{
    int rc = ical_precheck(data, len, name, lim, lines, err);
    *ret = NULL;
    if (rc < 0)
        return rc;

    /* libical reads a NUL-terminated string; the checked input has no NUL inside. */
    char *copy = strndup(data, len);
    if (!copy)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    icalerror_clear_errno();
    icalcomponent *root = icalparser_parse_string(copy);
    free(copy);
    if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
        if (root)
            icalcomponent_free(root);
        cv_error_at(err, name, 1);
        return cv_error_set(err, CV_EPARSE, "libical could not read the calendar");
    }
    icalproperty *bad = first_error(root);
    if (bad) {
        const char *msg = icalproperty_get_xlicerror(bad);
        long where = 0;
        /* libical's messages end with the offending text after ": ". */
        const char *frag = msg ? strrchr(msg, ':') : NULL;
        if (frag && frag[1] == ' ' && frag[2] && lines)
            where = ical_find_line(lines, frag + 2);
        cv_error_set(err, CV_EPARSE, "%s (%d error%s in the file); fix or remove the property",
                     msg ? msg : "a parse error", icalcomponent_count_errors(root),
                     icalcomponent_count_errors(root) == 1 ? "" : "s");
        cv_error_at(err, name, where);
        icalcomponent_free(root);
        return CV_EPARSE;
    }
    *ret = root;
    return 0;
}
