/* SPDX-License-Identifier: MIT */
/* person.c: struct cv_person (delegates, speakers, principals) and its rules. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/model.h>

#include "banned.h"

void cv_person_init(struct cv_person *p)
{
    memset(p, 0, sizeof(*p));
}

void cv_person_release(struct cv_person *p)
{
    free(p->email);
    free(p->name);
    free(p->lang);
    free(p->country);
    free(p->tzid);
    cv_person_init(p);
}

int cv_person_validate(const struct cv_person *p, struct cv_error *err)
{
    if (!p->email || !cv_email_is_valid(p->email))
        return cv_error_set(err, CV_EINVAL,
                            "'%s' is not a valid email address; write it as "
                            "name@example.org",
                            p->email ? p->email : "");
    if (!p->name || !*p->name || cv_has_ctl(p->name) || !cv_utf8_is_valid(p->name, strlen(p->name)))
        return cv_error_set(err, CV_EINVAL, "%s: the name is empty or has control characters",
                            p->email);
    if (!p->lang || !cv_lang_is_supported(p->lang))
        return cv_error_set(err, CV_EINVAL, "%s: unknown language '%s'; use en, fr, es or ar",
                            p->email, p->lang ? p->lang : "");
    if (p->country && !cv_country_code_is_valid(p->country))
        return cv_error_set(err, CV_EINVAL,
                            "%s: country '%s' is not an ISO 3166 alpha-2 code such as KE", p->email,
                            p->country);
    if (p->tzid && !cv_tz_exists(p->tzid))
        return cv_error_set(err, CV_EINVAL,
                            "%s: unknown time zone '%s'; use an IANA name such as Europe/Paris",
                            p->email, p->tzid);
    return 0;
}

bool cv_person_equal(const struct cv_person *a, const struct cv_person *b)
{
    return a->email && b->email && strcasecmp(a->email, b->email) == 0 &&
           cv_str_eq(a->name, b->name) && cv_str_eq(a->lang, b->lang) &&
           cv_str_eq(a->country, b->country) && cv_str_eq(a->tzid, b->tzid) && a->role == b->role &&
           a->delegation.kind == b->delegation.kind &&
           strcmp(a->delegation.country, b->delegation.country) == 0;
}

void cv_person_list_init(struct cv_person_list *l)
{
    memset(l, 0, sizeof(*l));
}

void cv_person_list_release(struct cv_person_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        cv_person_release(&l->v[i]);
    free(l->v);
    cv_person_list_init(l);
}

int cv_person_list_add(struct cv_person_list *l, struct cv_person **ret)
{
    int rc = cv_grow(&l->v, &l->alloc, l->n + 1, sizeof(l->v[0]));
    if (rc < 0)
        return rc;
    cv_person_init(&l->v[l->n]);
    *ret = &l->v[l->n++];
    return 0;
}
