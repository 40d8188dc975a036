/* SPDX-License-Identifier: MIT */
/* audience.c: who an event invites, as a filter over people. */
#include <string.h>
#include <strings.h>

#include <convene/model.h>

#include "banned.h"

/* Calls @fn on each comma-separated term of @filter (trimmed, at most 255 bytes). */
static bool each_term(const char *filter, bool (*fn)(const char *term, void *data), void *data)
{
    char term[256];
    const char *s = filter;
    while (*s) {
        size_t n = strcspn(s, ",");
        const char *t = s;
        size_t len = n;
        while (len && (*t == ' ' || *t == '\t'))
            t++, len--;
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
            len--;
        if (len >= sizeof(term))
            len = sizeof(term) - 1;
        memcpy(term, t, len);
        term[len] = '\0';
        if (fn(term, data))
            return true;
        s += n;
        if (*s == ',')
            s++;
    }
    return false;
}

struct check {
    struct cv_error *err;
    int rc;
};

static bool check_term(const char *t, void *data)
{
    struct check *c = data;
    const char *v = strchr(t, ':');
    size_t name = v ? (size_t)(v - t) : strlen(t);
    bool ok;

    if (v)
        v++;
    if (!v)
        ok = strcmp(t, "all") == 0 || strcmp(t, "region") == 0;
    else if (name == 6 && strncmp(t, "region", 6) == 0)
        ok = *v && !cv_has_ctl(v);
    else if (name == 7 && strncmp(t, "country", 7) == 0)
        ok = cv_country_code_is_valid(v);
    else if (name == 4 && strncmp(t, "lang", 4) == 0)
        ok = cv_lang_is_supported(v);
    else if (name == 4 && strncmp(t, "role", 4) == 0) {
        enum cv_role r;
        ok = cv_role_parse(v, &r) == 0;
    } else if (name == 10 && strncmp(t, "delegation", 10) == 0) {
        enum cv_delegation_kind k;
        ok = cv_delegation_kind_parse(v, &k) == 0;
    } else if (name == 5 && strncmp(t, "email", 5) == 0)
        ok = cv_email_is_valid(v);
    else
        ok = false;
    if (!ok) {
        c->rc = cv_error_set(c->err, CV_EINVAL,
                             "'%s' is not an audience term; use all, region, region:NAME, "
                             "country:XX, lang:xx, role:ROLE, delegation:KIND or email:ADDRESS",
                             t);
        return true;
    }
    return false;
}

int cv_audience_check(const char *filter, struct cv_error *err)
{
    struct check c = {err, 0};
    if (!*filter)
        return cv_error_set(err, CV_EINVAL, "an empty audience; use all, region or a filter");
    each_term(filter, check_term, &c);
    return c.rc;
}

struct match {
    const struct cv_event *e;
    const struct cv_person *p;
    const char *region;
};

static bool is_global(const struct cv_event *e)
{
    return !e->region || strcasecmp(e->region, "Global") == 0;
}

static bool match_term(const char *t, void *data)
{
    const struct match *m = data;
    const char *v = strchr(t, ':');
    if (!v) {
        if (strcmp(t, "all") == 0)
            return true;
        return strcmp(t, "region") == 0 &&
               (is_global(m->e) || (m->region && strcasecmp(m->region, m->e->region) == 0));
    }
    v++;
    if (strncmp(t, "region:", 7) == 0)
        return m->region && strcasecmp(m->region, v) == 0;
    if (strncmp(t, "country:", 8) == 0)
        return m->p->country && strcmp(m->p->country, v) == 0;
    if (strncmp(t, "lang:", 5) == 0)
        return m->p->lang && strcmp(m->p->lang, v) == 0;
    if (strncmp(t, "role:", 5) == 0)
        return strcmp(cv_role_name(m->p->role), v) == 0;
    if (strncmp(t, "delegation:", 11) == 0)
        return strcmp(cv_delegation_kind_name(m->p->delegation.kind), v) == 0;
    if (strncmp(t, "email:", 6) == 0)
        return m->p->email && strcasecmp(m->p->email, v) == 0;
    return false;
}

bool cv_audience_match(const struct cv_event *e, const struct cv_person *p, const char *region)
{
    struct match m = {e, p, region};
    if (p->role == CV_ROLE_PRINCIPAL || p->role == CV_ROLE_ORGANIZER)
        return true;
    if (e->audience)
        return each_term(e->audience, match_term, &m);
    if (e->kind == CV_KIND_REGIONAL_MEETING)
        return match_term("region", &m);
    return true;
}

bool cv_audience_filter_match(const char *filter, const struct cv_event *e,
                              const struct cv_person *p, const char *region)
{
    struct match m = {e, p, region};
    return each_term(filter, match_term, &m);
}
