/* SPDX-License-Identifier: MIT */
/* imip_int.h: what the imip module's files share; no other module includes it. */
#ifndef CV_IMIP_INT_H
#define CV_IMIP_INT_H

#include <convene/imip.h>

#define IMIP_NLANGS 4 /* en, fr, es, ar */
#define IMIP_NKINDS 5 /* invitation, update, cancellation, reminder, declinecounter */
#define IMIP_NVARS  12

/* The placeholders, in the order of the values given to imip_render(). */
enum imip_var {
    IMIP_NAME,
    IMIP_TITLE,
    IMIP_PROGRAMME,
    IMIP_DATES,
    IMIP_EVENT_TIME,
    IMIP_LOCAL_TIME,
    IMIP_VENUE,
    IMIP_SUBSCRIBE,
    IMIP_CHANGES,
    IMIP_ORGANIZER,
    IMIP_SEQUENCE,
    IMIP_LINK,
};

struct imip_template {
    char *subject;
    char *text;
    char *html;
};

struct cv_imip_templates {
    struct imip_template v[IMIP_NLANGS][IMIP_NKINDS];
};

/* @return the index of @lang among en, fr, es, ar (0 when unknown) */
int imip_lang_index(const char *lang);

/*
 * Fills the template @tpl (checked at load) with @values (NULL counts as empty), each escaped
 * for HTML when @html. @return 0, CV_ENOMEM or CV_EINVAL.
 */
int imip_render(const char *tpl, const char *const values[IMIP_NVARS], bool html,
                struct cv_buf *out);

/* cv_imip_queue() inside a transaction the caller holds (a delegate's invitation is queued
 * with the reply that names them). */
int imip_queue_in_tx(struct cv_store *st, struct cv_ctx *ctx, const struct cv_imip_ledger *ledger,
                     const struct cv_imip_options *opt, struct cv_imip_report *report,
                     struct cv_error *err);

#endif
