/* SPDX-License-Identifier: MIT */
/* template.c: the user-editable texts of invitations (calendars/templates/LANG/KIND.txt and
 * .html), checked when read, and filled in with values escaped for HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <convene/defaults.h>

#include "imip_int.h"

#include "banned.h"

static const char *const langs[IMIP_NLANGS] = {"en", "fr", "es", "ar"};
static const char *const kinds[IMIP_NKINDS] = {"invitation", "update", "cancellation", "reminder",
                                               "declinecounter"};
static const char *const vars[IMIP_NVARS] = {
    "name",  "title",     "programme", "dates",     "event_time", "local_time",
    "venue", "subscribe", "changes",   "organizer", "sequence",   "link",
};

int imip_lang_index(const char *lang)
{
    for (int i = 0; lang && i < IMIP_NLANGS; i++) {
        if (strcmp(langs[i], lang) == 0)
            return i;
    }
    return 0;
}

const char *cv_imip_kind_name(enum cv_imip_kind k)
{
    return (unsigned)k < IMIP_NKINDS ? kinds[k] : "invitation";
}

/* The variable named by @len bytes at @s, or -1. */
static int var_index(const char *s, size_t len)
{
    for (int i = 0; i < IMIP_NVARS; i++) {
        if (strlen(vars[i]) == len && strncmp(vars[i], s, len) == 0)
            return i;
    }
    return -1;
}

/* Checks the placeholders and blocks of @text (from @file, its lines from @line0). */
static int check(const char *text, const char *file, long line0, struct cv_error *err)
{
    int stack[8];
    long stack_line[8];
    int depth = 0;
    long line = line0;

    if (!cv_utf8_is_valid(text, strlen(text))) {
        cv_error_at(err, file, 0);
        return cv_error_set(err, CV_EPARSE, "the template is not valid UTF-8");
    }
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            line++;
        if (p[0] != '{' || p[1] != '{')
            continue;
        const char *end = strstr(p + 2, "}}");
        const char *name = p + 2;
        char kind = *name == '#' || *name == '/' ? *name++ : 0;
        int v = end ? var_index(name, (size_t)(end - name)) : -1;
        if (v < 0)
            cv_error_at(err, file, line);
        if (v < 0)
            return cv_error_set(err, CV_EPARSE,
                                "unknown placeholder '%.40s'; known: name, title, programme, "
                                "dates, event_time, local_time, venue, subscribe, changes, "
                                "organizer, sequence, link",
                                p);
        if (kind == '#') {
            if (depth == 8) {
                cv_error_at(err, file, line);
                return cv_error_set(err, CV_EPARSE, "blocks nested too deep");
            }
            stack_line[depth] = line;
            stack[depth++] = v;
        } else if (kind == '/') {
            if (depth == 0 || stack[depth - 1] != v) {
                cv_error_at(err, file, line);
                return cv_error_set(err, CV_EPARSE, "{{/%s}} closes no open block", vars[v]);
            }
            depth--;
        }
        p = end + 1;
    }
    if (depth) {
        cv_error_at(err, file, stack_line[depth - 1]);
        return cv_error_set(err, CV_EPARSE, "{{#%s}} is never closed", vars[stack[depth - 1]]);
    }
    return 0;
}

/* Reads one template file from @dir, or the built-in one. */
static int read_one(const char *dir, const char *rel, struct cv_buf *out, struct cv_error *err)
{
    char path[4096];
    if (dir) {
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        return cv_file_read(path, 256 * 1024, out, err);
    }
    snprintf(path, sizeof(path), "templates/%s", rel);
    const struct cv_default_file *f = cv_defaults_find(path);
    if (!f) {
        cv_error_at(err, path, 0);
        return cv_error_set(err, CV_ENOTFOUND, "the built-in template is missing");
    }
    return cv_buf_add(out, f->data, f->len) < 0 ? cv_error_set(err, CV_ENOMEM, "out of memory") : 0;
}

/* Turns CRLF into LF, so that templates edited on any system read the same. */
static void to_lf(struct cv_buf *b)
{
    size_t j = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->buf[i] == '\r' && i + 1 < b->len && b->buf[i + 1] == '\n')
            continue;
        b->buf[j++] = b->buf[i];
    }
    b->len = j;
    b->buf[j] = '\0';
}

int cv_imip_templates_load(const char *dir, struct cv_imip_templates **ret, struct cv_error *err)
{
    struct cv_imip_templates *t = calloc(1, sizeof(*t));
    struct cv_buf b;
    char rel[64], shown[4096];
    int rc = 0;

    *ret = NULL;
    if (!t)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    for (int l = 0; l < IMIP_NLANGS && rc == 0; l++) {
        for (int k = 0; k < IMIP_NKINDS && rc == 0; k++) {
            for (int h = 0; h < 2 && rc == 0; h++) {
                snprintf(rel, sizeof(rel), "%s/%s.%s", langs[l], kinds[k], h ? "html" : "txt");
                snprintf(shown, sizeof(shown), "%s/%s", dir ? dir : "templates", rel);
                cv_buf_reset(&b);
                rc = read_one(dir, rel, &b, err);
                /* A folder written before DECLINECOUNTER existed keeps working: that kind's
                 * texts then come from the built-in templates. */
                if (rc == CV_ENOTFOUND && dir && k == CV_IMIP_DECLINECOUNTER) {
                    cv_error_init(err);
                    cv_buf_reset(&b);
                    rc = read_one(NULL, rel, &b, err);
                }
                if (rc < 0)
                    break;
                to_lf(&b);
                struct imip_template *tp = &t->v[l][k];
                if (h) {
                    if ((rc = check(b.buf, shown, 1, err)) == 0 && !(tp->html = cv_buf_detach(&b)))
                        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
                    continue;
                }
                /* "Subject: ..." then a blank line, then the text. */
                char *nl = strchr(b.buf, '\n');
                if (strncmp(b.buf, "Subject:", 8) != 0 || !nl || nl[1] != '\n') {
                    cv_error_at(err, shown, 1);
                    rc = cv_error_set(err, CV_EPARSE,
                                      "a text template starts with 'Subject: ...' and a blank "
                                      "line");
                    break;
                }
                *nl = '\0';
                const char *subject = b.buf + 8;
                while (*subject == ' ')
                    subject++;
                if ((rc = check(subject, shown, 1, err)) < 0 ||
                    (rc = check(nl + 2, shown, 3, err)) < 0)
                    break;
                if (cv_str_set(&tp->subject, subject) < 0 || cv_str_set(&tp->text, nl + 2) < 0)
                    rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            }
        }
    }
    cv_buf_release(&b);
    if (rc < 0) {
        cv_imip_templates_free(t);
        return rc;
    }
    *ret = t;
    return 0;
}

void cv_imip_templates_free(struct cv_imip_templates *t)
{
    if (!t)
        return;
    for (int l = 0; l < IMIP_NLANGS; l++) {
        for (int k = 0; k < IMIP_NKINDS; k++) {
            free(t->v[l][k].subject);
            free(t->v[l][k].text);
            free(t->v[l][k].html);
        }
    }
    free(t);
}

static int add_escaped(struct cv_buf *out, const char *s, bool html)
{
    int rc = 0;
    if (!html)
        return cv_buf_addstr(out, s);
    for (const char *p = s; *p && rc == 0; p++) {
        switch (*p) {
        case '&':
            rc = cv_buf_addstr(out, "&amp;");
            break;
        case '<':
            rc = cv_buf_addstr(out, "&lt;");
            break;
        case '>':
            rc = cv_buf_addstr(out, "&gt;");
            break;
        case '"':
            rc = cv_buf_addstr(out, "&quot;");
            break;
        case '\'':
            rc = cv_buf_addstr(out, "&#39;");
            break;
        default:
            rc = cv_buf_addch(out, *p);
        }
    }
    return rc;
}

int imip_render(const char *tpl, const char *const values[IMIP_NVARS], bool html,
                struct cv_buf *out)
{
    int rc = 0;
    for (const char *p = tpl; *p && rc == 0;) {
        const char *open = strstr(p, "{{");
        if (!open)
            return cv_buf_addstr(out, p);
        if ((rc = cv_buf_add(out, p, (size_t)(open - p))) < 0)
            break;
        const char *end = strstr(open + 2, "}}");
        const char *name = open + 2;
        char kind = *name == '#' || *name == '/' ? *name++ : 0;
        int v = end ? var_index(name, (size_t)(end - name)) : -1;
        if (v < 0)
            return CV_EINVAL; /* checked at load: cannot happen */
        p = end + 2;
        const char *val = values[v] ? values[v] : "";
        if (kind == '/')
            continue;
        if (kind == '#') {
            if (*val)
                continue;
            /* Skip to the matching close, nested blocks of the same name included. */
            char close[40], reopen[40];
            snprintf(close, sizeof(close), "{{/%s}}", vars[v]);
            snprintf(reopen, sizeof(reopen), "{{#%s}}", vars[v]);
            int depth = 1;
            while (depth > 0 && *p) {
                const char *c = strstr(p, close), *o = strstr(p, reopen);
                if (!c)
                    return CV_EINVAL;
                if (o && o < c) {
                    depth++;
                    p = o + strlen(reopen);
                } else {
                    depth--;
                    p = c + strlen(close);
                }
            }
            continue;
        }
        rc = add_escaped(out, val, html);
    }
    return rc;
}
