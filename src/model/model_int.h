/* SPDX-License-Identifier: MIT */
/* model_int.h: what the model's files share: a list of texts by language (an event's titles,
 * the programme's names); no other module includes it. */
#ifndef CV_MODEL_INT_H
#define CV_MODEL_INT_H

#include <convene/model.h>

/* @return the text for @lang in @v (@n of them), or NULL */
const char *model_title_find(const struct cv_title *v, size_t n, const char *lang);

/*
 * Sets the text for @lang (fr, es or ar: not en) in *@v (*@n of them), adding it when missing;
 * @text NULL or "" removes it. @return 0, CV_EINVAL (not fr, es or ar) or CV_ENOMEM (the list
 * as it was)
 */
int model_title_set(struct cv_title **v, size_t *n, const char *lang, const char *text);

/* Frees every text and the list; *@v NULL and *@n 0 after. */
void model_title_free(struct cv_title **v, size_t *n);

/* @return true when @a and @b hold the same texts for the same languages, in any order */
bool model_title_equal(const struct cv_title *a, size_t na, const struct cv_title *b, size_t nb);

#endif
