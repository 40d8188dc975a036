/* SPDX-License-Identifier: MIT */
/* title.c: texts by language beside an English one: an event's titles, the programme's names. */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#include "banned.h"

const char *model_title_find(const struct cv_title *v, size_t n, const char *lang)
{
    for (size_t i = 0; lang && i < n; i++) {
        if (strcmp(v[i].lang, lang) == 0)
            return v[i].text;
    }
    return NULL;
}

int model_title_set(struct cv_title **v, size_t *n, const char *lang, const char *text)
{
    if (!lang || strlen(lang) >= sizeof((*v)[0].lang) || !cv_lang_is_supported(lang) ||
        strcmp(lang, "en") == 0)
        return CV_EINVAL;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*v)[i].lang, lang) != 0)
            continue;
        if (text && *text)
            return cv_str_set(&(*v)[i].text, text);
        free((*v)[i].text);
        memmove(&(*v)[i], &(*v)[i + 1], (*n - i - 1) * sizeof((*v)[0]));
        (*n)--;
        return 0;
    }
    if (!text || !*text)
        return 0;
    size_t alloc = *n;
    int rc = cv_grow(v, &alloc, *n + 1, sizeof((*v)[0]));
    if (rc < 0)
        return rc;
    struct cv_title *t = &(*v)[*n];
    cv_str_copy(t->lang, sizeof(t->lang), lang);
    t->text = NULL;
    if ((rc = cv_str_set(&t->text, text)) < 0)
        return rc;
    (*n)++;
    return 0;
}

void model_title_free(struct cv_title **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i].text);
    free(*v);
    *v = NULL;
    *n = 0;
}

bool model_title_equal(const struct cv_title *a, size_t na, const struct cv_title *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (!cv_str_eq(a[i].text, model_title_find(b, nb, a[i].lang)))
            return false;
    }
    return true;
}
