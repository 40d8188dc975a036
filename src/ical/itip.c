/* SPDX-License-Identifier: MIT */
/* itip.c: checking an iTIP message (RFC 5546) before it is queued: what each METHOD requires,
 * in the numbers it allows; libical's restriction tables, and RFC 5546's own for DECLINECOUNTER,
 * which libical still checks by RFC 2446. */
#include <stdbool.h>
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

/*
 * RFC 5546 3.2.8, the DECLINECOUNTER table for VEVENT, as data. libical 3.0.16 checks this
 * method against the table of RFC 2446, which RFC 5546 replaced: it allows no ATTENDEE, where
 * RFC 5546 requires one for each attendee, so a correct DECLINECOUNTER fails libical's check.
 * A property not named here is an IANA or X- property (0+ in the table). @max -1: no limit.
 */
struct itip_presence {
    icalproperty_kind kind;
    const char *name;
    int min, max;
};

static const struct itip_presence declinecounter_vevent[] = {
    {ICAL_ATTENDEE_PROPERTY, "ATTENDEE", 1, -1},
    {ICAL_DTSTAMP_PROPERTY, "DTSTAMP", 1, 1},
    {ICAL_ORGANIZER_PROPERTY, "ORGANIZER", 1, 1},
    {ICAL_UID_PROPERTY, "UID", 1, 1},
    {ICAL_RECURRENCEID_PROPERTY, "RECURRENCE-ID", 0, 1},
    {ICAL_SEQUENCE_PROPERTY, "SEQUENCE", 0, 1},
    {ICAL_ATTACH_PROPERTY, "ATTACH", 0, -1},
    {ICAL_CATEGORIES_PROPERTY, "CATEGORIES", 0, -1},
    {ICAL_CLASS_PROPERTY, "CLASS", 0, 1},
    {ICAL_COMMENT_PROPERTY, "COMMENT", 0, -1},
    {ICAL_CONTACT_PROPERTY, "CONTACT", 0, -1},
    {ICAL_CREATED_PROPERTY, "CREATED", 0, 1},
    {ICAL_DESCRIPTION_PROPERTY, "DESCRIPTION", 0, 1},
    {ICAL_DTEND_PROPERTY, "DTEND", 0, 1},
    {ICAL_DTSTART_PROPERTY, "DTSTART", 0, 1},
    {ICAL_DURATION_PROPERTY, "DURATION", 0, 1},
    {ICAL_EXDATE_PROPERTY, "EXDATE", 0, -1},
    {ICAL_GEO_PROPERTY, "GEO", 0, 1},
    {ICAL_LASTMODIFIED_PROPERTY, "LAST-MODIFIED", 0, 1},
    {ICAL_LOCATION_PROPERTY, "LOCATION", 0, 1},
    {ICAL_PRIORITY_PROPERTY, "PRIORITY", 0, 1},
    {ICAL_RDATE_PROPERTY, "RDATE", 0, -1},
    {ICAL_RELATEDTO_PROPERTY, "RELATED-TO", 0, -1},
    {ICAL_REQUESTSTATUS_PROPERTY, "REQUEST-STATUS", 0, -1},
    {ICAL_RESOURCES_PROPERTY, "RESOURCES", 0, -1},
    {ICAL_RRULE_PROPERTY, "RRULE", 0, 1},
    {ICAL_STATUS_PROPERTY, "STATUS", 0, 1},
    {ICAL_SUMMARY_PROPERTY, "SUMMARY", 0, 1},
    {ICAL_TRANSP_PROPERTY, "TRANSP", 0, 1},
    {ICAL_URL_PROPERTY, "URL", 0, 1},
};

/* The same table's components: in VCALENDAR (VEVENT 1+, VTIMEZONE 0+, the others 0), and in
 * VEVENT (VALARM 0). An X- or IANA component is 0+. */
static const struct {
    icalcomponent_kind kind;
    const char *name;
    int min, max;
} declinecounter_components[] = {
    {ICAL_VEVENT_COMPONENT, "VEVENT", 1, -1},      {ICAL_VTIMEZONE_COMPONENT, "VTIMEZONE", 0, -1},
    {ICAL_VTODO_COMPONENT, "VTODO", 0, 0},         {ICAL_VJOURNAL_COMPONENT, "VJOURNAL", 0, 0},
    {ICAL_VFREEBUSY_COMPONENT, "VFREEBUSY", 0, 0},
};

/* @return whether @n is within [@min, @max] (@max -1: no limit). */
static bool within(int n, int min, int max)
{
    return n >= min && (max < 0 || n <= max);
}

/* RFC 5546 3.2.8 on @c, a VCALENDAR whose METHOD is DECLINECOUNTER. */
static int declinecounter_check(icalcomponent *c, struct cv_error *err)
{
    static const char what[] = "the DECLINECOUNTER message breaks RFC 5546 3.2.8";
    const size_t nprops = sizeof(declinecounter_vevent) / sizeof(declinecounter_vevent[0]);
    const char *uid = NULL;

    if (icalcomponent_count_properties(c, ICAL_METHOD_PROPERTY) != 1)
        return cv_error_set(err, CV_EINVAL, "%s: METHOD must be there once", what);
    for (size_t i = 0; i < sizeof(declinecounter_components) / sizeof(declinecounter_components[0]);
         i++) {
        int n = icalcomponent_count_components(c, declinecounter_components[i].kind);
        if (!within(n, declinecounter_components[i].min, declinecounter_components[i].max))
            return cv_error_set(err, CV_EINVAL, "%s: %d %s (allowed: %d%s)", what, n,
                                declinecounter_components[i].name, declinecounter_components[i].min,
                                declinecounter_components[i].max < 0 ? " or more" : "");
    }
    for (icalcomponent *v = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); v;
         v = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
        int count[sizeof(declinecounter_vevent) / sizeof(declinecounter_vevent[0])] = {0};
        for (icalproperty *p = icalcomponent_get_first_property(v, ICAL_ANY_PROPERTY); p;
             p = icalcomponent_get_next_property(v, ICAL_ANY_PROPERTY)) {
            icalproperty_kind k = icalproperty_isa(p);
            for (size_t i = 0; i < nprops; i++) {
                if (declinecounter_vevent[i].kind == k)
                    count[i]++;
            }
        }
        for (size_t i = 0; i < nprops; i++) {
            const struct itip_presence *x = &declinecounter_vevent[i];
            if (!within(count[i], x->min, x->max))
                return cv_error_set(err, CV_EINVAL, "%s: VEVENT has %d %s (allowed: %d%s)", what,
                                    count[i], x->name, x->min,
                                    x->max < 0        ? " or more"
                                    : x->max > x->min ? " or 1"
                                                      : "");
        }
        if (icalcomponent_count_properties(v, ICAL_DTEND_PROPERTY) &&
            icalcomponent_count_properties(v, ICAL_DURATION_PROPERTY))
            return cv_error_set(err, CV_EINVAL, "%s: VEVENT has both DTEND and DURATION", what);
        if (icalcomponent_count_components(v, ICAL_VALARM_COMPONENT))
            return cv_error_set(err, CV_EINVAL, "%s: a VALARM (allowed: 0)", what);
        const char *u = icalcomponent_get_uid(v);
        if (!u || !*u)
            return cv_error_set(err, CV_EINVAL, "%s: an empty UID", what);
        if (uid && strcmp(uid, u) != 0)
            return cv_error_set(err, CV_EINVAL, "%s: the VEVENTs have different UIDs", what);
        uid = u;
    }
    return 0;
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
    if (icalproperty_get_method(m) == ICAL_METHOD_DECLINECOUNTER) {
        rc = declinecounter_check(c, err);
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
