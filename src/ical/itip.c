/* SPDX-License-Identifier: MIT */
/* itip.c: checking an iTIP message (RFC 5546) with libical's restriction tables before it is
 * queued: what each METHOD requires, in the numbers it allows. */
#include <stdlib.h>
#include <string.h>

#include "ical_int.h"

#include "banned.h"

/* The text of the first X-LIC-ERROR in @c or its children, or NULL. */
static const char *first_error(icalcomponent *c)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
        return icalproperty_get_xlicerror(p);
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        const char *e = first_error(k);
        if (e)
            return e;
    }
    return NULL;
}

int cv_ical_itip_check(const char *data, size_t len, const char *method, struct cv_error *err)
{
    char *text = malloc(len + 1);
    icalcomponent *c = NULL;
    int rc = 0;

    if (!text)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    memcpy(text, data, len);
    text[len] = '\0';
    c = icalparser_parse_string(text);
    free(text);
    if (!c || icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
        rc = cv_error_set(err, CV_EINVAL, "the iTIP message is not one VCALENDAR");
        goto out;
    }
    const char *e = first_error(c);
    if (e) {
        rc = cv_error_set(err, CV_EINVAL, "the iTIP message does not parse: %s", e);
        goto out;
    }
    icalproperty *m = icalcomponent_get_first_property(c, ICAL_METHOD_PROPERTY);
    if (!m || !method || icalproperty_get_method(m) != icalenum_string_to_method(method)) {
        rc = cv_error_set(err, CV_EINVAL, "the iTIP message's METHOD is not %s",
                          method ? method : "set");
        goto out;
    }
    /* icalrestriction_check() adds an X-LIC-ERROR for each violation and returns 0. */
    if (!icalrestriction_check(c) || (e = first_error(c)) != NULL) {
        e = first_error(c);
        rc = cv_error_set(err, CV_EINVAL, "the %s message breaks RFC 5546: %s", method,
                          e ? e : "icalrestriction_check failed");
        goto out;
    }
out:
    if (c)
        icalcomponent_free(c);
    return rc;
}
