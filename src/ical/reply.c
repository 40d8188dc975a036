/* SPDX-License-Identifier: MIT */
/* reply.c: reading the iTIP messages attendees send back (RFC 5546 REPLY and COUNTER): the
 * fields that say who answered what about which event, taken from untrusted input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ical_int.h"

#include "banned.h"

void cv_itip_message_init(struct cv_itip_message *m)
{
    memset(m, 0, sizeof(*m));
}

static void attendee_release(struct cv_itip_attendee *a)
{
    free(a->email);
    free(a->name);
    free(a->delegated_to);
    free(a->delegated_from);
    free(a->sent_by);
}

void cv_itip_message_release(struct cv_itip_message *m)
{
    free(m->method);
    free(m->uid);
    free(m->recurrence_id);
    free(m->organizer);
    for (size_t i = 0; i < m->nattendees; i++)
        attendee_release(&m->attendees[i]);
    free(m->attendees);
    free(m->proposal);
    cv_itip_message_init(m);
}

/*
 * The address of a CAL-ADDRESS: "mailto:" in any case, then a plain local@domain (clients
 * differ in the case of both). NULL for anything else: another scheme, a control character.
 */
static char *address_of(const char *uri)
{
    if (!uri || strncasecmp(uri, "mailto:", 7) != 0)
        return NULL;
    const char *a = uri + 7;
    while (*a == ' ')
        a++;
    return cv_email_is_valid(a) ? strdup(a) : NULL;
}

/* Sets *@dst to the address in @uri; CV_EPARSE when there is a value but no plain address. */
static int set_address(char **dst, const char *uri)
{
    if (!uri || !*uri)
        return 0;
    free(*dst);
    *dst = address_of(uri);
    return *dst ? 0 : CV_EPARSE;
}

static int read_attendee(icalproperty *p, struct cv_itip_attendee *a)
{
    int rc = set_address(&a->email, icalproperty_get_attendee(p));
    if (rc == 0 && !a->email)
        rc = CV_EPARSE;
    icalparameter *x;
    if (rc == 0 && (x = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER)) &&
        icalparameter_get_cn(x) && !(a->name = strdup(icalparameter_get_cn(x))))
        rc = CV_ENOMEM;
    if (rc == 0 && (x = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER))) {
        switch (icalparameter_get_partstat(x)) {
        case ICAL_PARTSTAT_ACCEPTED:
            a->partstat = CV_PARTSTAT_ACCEPTED;
            break;
        case ICAL_PARTSTAT_DECLINED:
            a->partstat = CV_PARTSTAT_DECLINED;
            break;
        case ICAL_PARTSTAT_TENTATIVE:
            a->partstat = CV_PARTSTAT_TENTATIVE;
            break;
        case ICAL_PARTSTAT_DELEGATED:
            a->partstat = CV_PARTSTAT_DELEGATED;
            break;
        default:
            a->partstat = CV_PARTSTAT_NEEDS_ACTION;
        }
        a->has_partstat = true;
    }
    if (rc == 0 && (x = icalproperty_get_first_parameter(p, ICAL_DELEGATEDTO_PARAMETER)))
        rc = set_address(&a->delegated_to, icalparameter_get_delegatedto(x));
    if (rc == 0 && (x = icalproperty_get_first_parameter(p, ICAL_DELEGATEDFROM_PARAMETER)))
        rc = set_address(&a->delegated_from, icalparameter_get_delegatedfrom(x));
    if (rc == 0 && (x = icalproperty_get_first_parameter(p, ICAL_SENTBY_PARAMETER)))
        rc = set_address(&a->sent_by, icalparameter_get_sentby(x));
    return rc;
}

/* "DTSTART 2024-03-05T09:00Z..2024-03-06, LOCATION ..., COMMENT ..." of a COUNTER. */
static int proposal_of(icalcomponent *v, struct cv_buf *out)
{
    struct icaltimetype s = icalcomponent_get_dtstart(v), e = icalcomponent_get_dtend(v);
    int rc = 0;
    if (!icaltime_is_null_time(s))
        rc = cv_buf_addf(out, "dates %s%s%s", icaltime_as_ical_string(s),
                         icaltime_is_null_time(e) ? "" : "..",
                         icaltime_is_null_time(e) ? "" : icaltime_as_ical_string(e));
    const char *loc = icalcomponent_get_location(v);
    if (rc == 0 && loc && *loc)
        rc = cv_buf_addf(out, "%slocation %s", out->len ? "; " : "", loc);
    icalproperty *c = icalcomponent_get_first_property(v, ICAL_COMMENT_PROPERTY);
    const char *comment = c ? icalproperty_get_comment(c) : NULL;
    if (rc == 0 && comment && *comment)
        rc = cv_buf_addf(out, "%scomment %s", out->len ? "; " : "", comment);
    return rc;
}

int cv_ical_read_itip(const char *data, size_t len, const char *name,
                      const struct cv_ical_limits *lim, struct cv_itip_message *out,
                      struct cv_error *err)
{
    struct ical_lines lines;
    icalcomponent *root = NULL;
    struct cv_buf prop;
    int rc;

    ical_lines_init(&lines);
    cv_buf_init(&prop, 4096);
    if ((rc = ical_parse(data, len, name, lim, &lines, &root, err)) < 0)
        goto out;
    icalproperty *m = icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY);
    if (m && icalproperty_get_value_as_string(m) &&
        !(out->method = strdup(icalproperty_get_value_as_string(m)))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    icalcomponent *v = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
    if (!v) {
        cv_error_at(err, name, 1);
        rc = cv_error_set(err, CV_EPARSE, "the calendar holds no VEVENT to reply about");
        goto out;
    }
    const char *uid = icalcomponent_get_uid(v);
    if (uid && *uid && !(out->uid = strdup(uid))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    icalproperty *p = icalcomponent_get_first_property(v, ICAL_RECURRENCEID_PROPERTY);
    if (p) {
        struct icaltimetype r = icalproperty_get_recurrenceid(p);
        char d[16];
        snprintf(d, sizeof(d), "%04d-%02d-%02d", r.year, r.month, r.day);
        if (!icaltime_is_null_time(r) && !(out->recurrence_id = strdup(d))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
    }
    int seq = icalcomponent_get_sequence(v);
    out->sequence = seq > 0 ? seq : 0;
    if ((p = icalcomponent_get_first_property(v, ICAL_DTSTAMP_PROPERTY))) {
        struct icaltimetype t = icalproperty_get_dtstamp(p);
        if (!icaltime_is_null_time(t))
            out->dtstamp = (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
    }
    if ((p = icalcomponent_get_first_property(v, ICAL_ORGANIZER_PROPERTY)) &&
        set_address(&out->organizer, icalproperty_get_organizer(p)) < 0) {
        cv_error_at(err, name, ical_find_line(&lines, "ORGANIZER"));
        rc = cv_error_set(err, CV_EPARSE, "ORGANIZER is not a mailto: address");
        goto out;
    }
    for (p = icalcomponent_get_first_property(v, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(v, ICAL_ATTENDEE_PROPERTY)) {
        if (cv_grow(&out->attendees, &out->alloc, out->nattendees + 1, sizeof(out->attendees[0])) <
            0) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
        struct cv_itip_attendee *a = &out->attendees[out->nattendees++];
        memset(a, 0, sizeof(*a));
        if ((rc = read_attendee(p, a)) < 0) {
            const char *text = icalproperty_get_attendee(p);
            cv_error_at(err, name, ical_find_line(&lines, text && *text ? text : "ATTENDEE"));
            rc = cv_error_set(err, rc == CV_ENOMEM ? CV_ENOMEM : CV_EPARSE,
                              "an ATTENDEE or its DELEGATED-TO, DELEGATED-FROM or SENT-BY is not "
                              "a mailto: address");
            goto out;
        }
    }
    if (out->method && strcasecmp(out->method, "COUNTER") == 0) {
        if ((rc = proposal_of(v, &prop)) < 0 || !(out->proposal = cv_buf_detach(&prop))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto out;
        }
    }
    rc = 0;
out:
    if (root)
        icalcomponent_free(root);
    cv_buf_release(&prop);
    ical_lines_release(&lines);
    return rc;
}
