/* SPDX-License-Identifier: MIT */
/* values.c: the smaller domain values: programme, venue, room, session, invitation, milestone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#include "banned.h"

void cv_programme_init(struct cv_programme *p)
{
    memset(p, 0, sizeof(*p));
}

void cv_programme_release(struct cv_programme *p)
{
    free(p->key);
    free(p->name);
    model_title_free(&p->names, &p->nnames);
    free(p->organizer);
    free(p->languages);
    free(p->description);
    cv_programme_init(p);
}

const char *cv_programme_name_in(const struct cv_programme *p, const char *lang)
{
    const char *t = model_title_find(p->names, p->nnames, lang);
    return t ? t : p->name;
}

bool cv_programme_has_name_in(const struct cv_programme *p, const char *lang)
{
    return lang && (strcmp(lang, "en") == 0 ? p->name != NULL
                                            : model_title_find(p->names, p->nnames, lang) != NULL);
}

int cv_programme_set_name(struct cv_programme *p, const char *lang, const char *text)
{
    if (!lang || strcmp(lang, "en") == 0)
        return cv_str_set(&p->name, text);
    return model_title_set(&p->names, &p->nnames, lang, text);
}

bool cv_programme_equal(const struct cv_programme *a, const struct cv_programme *b)
{
    return cv_str_eq(a->key, b->key) && cv_str_eq(a->name, b->name) &&
           cv_str_eq(a->organizer, b->organizer) && cv_str_eq(a->languages, b->languages) &&
           cv_str_eq(a->description, b->description) &&
           !cv_date_cmp(&a->planning_date, &b->planning_date) &&
           model_title_equal(a->names, a->nnames, b->names, b->nnames);
}

int cv_programme_validate(const struct cv_programme *p, struct cv_error *err)
{
    if (!p->key || !cv_slug_is_valid(p->key))
        return cv_error_set(err, CV_EINVAL, "the programme needs a key (X-CONVENE-KEY), a slug");
    if (!p->name || !*p->name || cv_has_ctl(p->name))
        return cv_error_set(err, CV_EINVAL, "the programme needs a name (X-WR-CALNAME)");
    if (!cv_utf8_is_valid(p->name, strlen(p->name)) ||
        (p->description && !cv_utf8_is_valid(p->description, strlen(p->description))))
        return cv_error_set(err, CV_EINVAL,
                            "the programme's name or description is not valid "
                            "UTF-8");
    for (size_t i = 0; i < p->nnames; i++) {
        const char *t = p->names[i].text;
        if (!t || !*t || cv_has_ctl(t) || !cv_utf8_is_valid(t, strlen(t)))
            return cv_error_set(err, CV_EINVAL,
                                "the programme's name in '%s' is empty, not one line or not "
                                "valid UTF-8 (X-CONVENE-NAME;LANGUAGE=%s)",
                                p->names[i].lang, p->names[i].lang);
        if (!cv_lang_is_supported(p->names[i].lang) || strcmp(p->names[i].lang, "en") == 0)
            return cv_error_set(err, CV_EINVAL,
                                "the programme's name in '%s': use fr, es or ar (X-WR-CALNAME "
                                "is the English one)",
                                p->names[i].lang);
    }
    if (!p->organizer || strncmp(p->organizer, "mailto:", 7) != 0 ||
        !cv_email_is_valid(p->organizer + 7))
        return cv_error_set(err, CV_EINVAL,
                            "the programme's organizer must be a mailto: address of the office "
                            "(X-CONVENE-ORGANIZER)");
    if (!p->languages || !*p->languages)
        return cv_error_set(err, CV_EINVAL,
                            "the programme needs its languages "
                            "(X-CONVENE-LANGUAGES)");
    char lang[8];
    const char *s = p->languages;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof(lang))
            return cv_error_set(err, CV_EINVAL, "bad language list '%s'", p->languages);
        memcpy(lang, s, n);
        lang[n] = '\0';
        if (!cv_lang_is_supported(lang))
            return cv_error_set(err, CV_EINVAL, "unknown language '%s'; use en, fr, es or ar",
                                lang);
        s += n;
        if (*s == ',')
            s++;
    }
    return 0;
}

void cv_venue_init(struct cv_venue *v)
{
    memset(v, 0, sizeof(*v));
    v->opens_min = 9 * 60;
    v->closes_min = 18 * 60;
}

void cv_venue_release(struct cv_venue *v)
{
    free(v->name);
    free(v->city);
    free(v->country);
    free(v->tzid);
    cv_venue_init(v);
}

void cv_room_init(struct cv_room *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_room_release(struct cv_room *r)
{
    free(r->event_key);
    free(r->name);
    cv_room_init(r);
}

void cv_session_init(struct cv_session *s)
{
    memset(s, 0, sizeof(*s));
}

void cv_session_release(struct cv_session *s)
{
    free(s->event_key);
    free(s->key);
    free(s->uid);
    free(s->title);
    free(s->room);
    free(s->speakers);
    free(s->description);
    free(s->source_url);
    cv_session_init(s);
}

int cv_session_validate(const struct cv_session *s, struct cv_error *err)
{
    if (!s->key || !cv_slug_is_valid(s->key))
        return cv_error_set(err, CV_EINVAL, "the session key '%s' is not a slug",
                            s->key ? s->key : "");
    if (!s->event_key || !cv_slug_is_valid(s->event_key))
        return cv_error_set(err, CV_EINVAL, "session %s belongs to no event", s->key);
    if (!s->uid || !*s->uid || cv_has_ctl(s->uid))
        return cv_error_set(err, CV_EINVAL, "session %s has no valid UID", s->key);
    if (!s->title || !*s->title || cv_has_ctl(s->title))
        return cv_error_set(err, CV_EINVAL, "session %s has no title, or control characters in it",
                            s->key);
    if ((s->room && cv_has_ctl(s->room)) || (s->source_url && !cv_uri_is_valid(s->source_url)))
        return cv_error_set(err, CV_EINVAL, "session %s: a control character or a bad URL", s->key);
    if (s->minutes < 5 || s->minutes > 24 * 60)
        return cv_error_set(err, CV_EINVAL, "session %s: a length of 5 minutes to 24 hours",
                            s->key);
    return 0;
}

bool cv_session_equal(const struct cv_session *a, const struct cv_session *b)
{
    return cv_str_eq(a->event_key, b->event_key) && cv_str_eq(a->key, b->key) &&
           cv_str_eq(a->uid, b->uid) && cv_str_eq(a->title, b->title) && a->track == b->track &&
           a->minutes == b->minutes && a->min_capacity == b->min_capacity && a->start == b->start &&
           cv_str_eq(a->room, b->room) && cv_str_eq(a->speakers, b->speakers) &&
           cv_str_eq(a->description, b->description) && cv_str_eq(a->source_url, b->source_url) &&
           a->sequence == b->sequence && a->revision == b->revision;
}

void cv_session_list_init(struct cv_session_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_session_list_release(struct cv_session_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_session_release(&l->v[i]);
    free(l->v);
    cv_session_list_init(l);
}

int cv_session_list_add(struct cv_session_list *l, struct cv_session **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_session_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}

void cv_invitation_init(struct cv_invitation *i)
{
    memset(i, 0, sizeof(*i));
    i->sequence_sent = -1;
}

void cv_invitation_release(struct cv_invitation *i)
{
    free(i->email);
    free(i->event_key);
    cv_invitation_init(i);
}

void cv_milestone_init(struct cv_milestone *m)
{
    memset(m, 0, sizeof(*m));
}

void cv_milestone_release(struct cv_milestone *m)
{
    free(m->key);
    free(m->event_key);
    free(m->title);
    free(m->depends_on);
    cv_milestone_init(m);
}

void cv_room_list_init(struct cv_room_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_room_list_release(struct cv_room_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_room_release(&l->v[i]);
    free(l->v);
    cv_room_list_init(l);
}

int cv_room_list_add(struct cv_room_list *l, struct cv_room **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_room_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}

void cv_speaker_pref_init(struct cv_speaker_pref *p)
{
    memset(p, 0, sizeof(*p));
}

void cv_speaker_pref_release(struct cv_speaker_pref *p)
{
    free(p->event_key);
    free(p->name);
    free(p->days);
    free(p->not_on);
    cv_speaker_pref_init(p);
}

void cv_speaker_pref_list_init(struct cv_speaker_pref_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_speaker_pref_list_release(struct cv_speaker_pref_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_speaker_pref_release(&l->v[i]);
    free(l->v);
    cv_speaker_pref_list_init(l);
}

int cv_speaker_pref_list_add(struct cv_speaker_pref_list *l, struct cv_speaker_pref **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_speaker_pref_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}

int cv_spans_parse(const char *s, int *from, int *to, int max)
{
    int n = 0;
    while (*s) {
        int h1, m1, h2, m2, used = 0;
        if (n == max || sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || h1 < 0 ||
            h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
            return CV_EINVAL;
        from[n] = h1 * 60 + m1;
        to[n] = h2 * 60 + m2;
        if (to[n] <= from[n] || to[n] > 24 * 60)
            return CV_EINVAL;
        n++;
        s += used;
        if (*s == ',')
            s++;
        else if (*s)
            return CV_EINVAL;
    }
    return n;
}
