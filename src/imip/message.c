/* SPDX-License-Identifier: MIT */
/* message.c: one iMIP message (RFC 6047) for one recipient: the iTIP calendar, the texts in the
 * recipient's language, and the MIME structure around them.
 *
 * The MIME message is built here, in C, rather than with libcurl's mime API: the outbox stores
 * the exact bytes of each message, so that a resend after a crash or an ambiguous reply is
 * byte-identical (same Message-ID, same Date, same boundary), and so that tests can read what
 * will go on the wire before any transport runs. libcurl's mime API makes a new random boundary
 * on each transfer and only exists inside a transfer, which rules both out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/ical.h>

#include "imip_int.h"

#include "banned.h"

static const char *const weekdays[IMIP_NLANGS][7] = {
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
    {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
    {"lunes", "martes", "mi\u00e9rcoles", "jueves", "viernes", "s\u00e1bado", "domingo"},
    {"\u0627\u0644\u0627\u062b\u0646\u064a\u0646",
     "\u0627\u0644\u062b\u0644\u0627\u062b\u0627\u0621",
     "\u0627\u0644\u0623\u0631\u0628\u0639\u0627\u0621", "\u0627\u0644\u062e\u0645\u064a\u0633",
     "\u0627\u0644\u062c\u0645\u0639\u0629", "\u0627\u0644\u0633\u0628\u062a",
     "\u0627\u0644\u0623\u062d\u062f"},
};

static const char *const months[IMIP_NLANGS][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"janvier", "f\u00e9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\u00fbt", "septembre",
     "octobre", "novembre", "d\u00e9cembre"},
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"},
    {"\u064a\u0646\u0627\u064a\u0631", "\u0641\u0628\u0631\u0627\u064a\u0631",
     "\u0645\u0627\u0631\u0633", "\u0623\u0628\u0631\u064a\u0644", "\u0645\u0627\u064a\u0648",
     "\u064a\u0648\u0646\u064a\u0648", "\u064a\u0648\u0644\u064a\u0648",
     "\u0623\u063a\u0633\u0637\u0633", "\u0633\u0628\u062a\u0645\u0628\u0631",
     "\u0623\u0643\u062a\u0648\u0628\u0631", "\u0646\u0648\u0641\u0645\u0628\u0631",
     "\u062f\u064a\u0633\u0645\u0628\u0631"},
};

/* "to" between two dates. */
static const char *const until[IMIP_NLANGS] = {"to", "au", "al", "\u0625\u0644\u0649"};

/* The fields an update names (cv_imip_entry.changes), in each language. */
static const char *const fields[][IMIP_NLANGS + 1] = {
    {"dates", "dates", "dates", "fechas", "\u0627\u0644\u062a\u0648\u0627\u0631\u064a\u062e"},
    {"hours", "hours", "horaires", "horario", "\u0627\u0644\u0633\u0627\u0639\u0627\u062a"},
    {"venue", "venue", "lieu", "lugar", "\u0627\u0644\u0645\u0643\u0627\u0646"},
    {"status", "status", "statut", "estado", "\u0627\u0644\u062d\u0627\u0644\u0629"},
    {"title", "title", "titre", "t\u00edtulo", "\u0627\u0644\u0639\u0646\u0648\u0627\u0646"},
};

/* "dates, venue" in language @l: known field names translated, others kept. */
static int translate_changes(int l, const char *changes, struct cv_buf *out)
{
    int rc = 0;
    for (const char *p = changes; *p && rc == 0;) {
        size_t n = strcspn(p, ",");
        const char *word = p;
        size_t len = n;
        while (len && *word == ' ')
            word++, len--;
        const char *shown = NULL;
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && !shown; i++) {
            if (strlen(fields[i][0]) == len && strncmp(fields[i][0], word, len) == 0)
                shown = fields[i][l + 1];
        }
        if (out->len)
            rc = cv_buf_addstr(out, l == 3 ? "\u060c " : ", ");
        if (rc == 0)
            rc = shown ? cv_buf_addstr(out, shown) : cv_buf_add(out, word, len);
        p += n;
        if (*p == ',')
            p++;
    }
    return rc;
}

/* "Tuesday 6 February 2024", "mardi 6 février 2024", "martes 6 de febrero de 2024". */
static void format_date(int l, const struct cv_date *d, char *out, size_t size)
{
    const char *wd = weekdays[l][(cv_date_weekday(d) + 6) % 7];
    const char *mo = months[l][(d->month - 1) % 12];
    if (l == 2)
        snprintf(out, size, "%s %d de %s de %d", wd, d->day, mo, d->year);
    else
        snprintf(out, size, "%s %d %s %d", wd, d->day, mo, d->year);
}

void cv_imip_message_init(struct cv_imip_message *m)
{
    memset(m, 0, sizeof(*m));
    cv_buf_init(&m->data, 16u * 1024 * 1024);
}

void cv_imip_message_release(struct cv_imip_message *m)
{
    free(m->message_id);
    free(m->sender);
    free(m->recipient);
    free(m->calendar);
    cv_buf_release(&m->data);
    cv_imip_message_init(m);
}

void cv_imip_message_id(const char *uid, const char *recipient, int sequence, const char *method,
                        const char *domain, char *out, size_t size)
{
    char lower[320], hash[CV_SHA256_HEX_SIZE], m[16];
    size_t i;
    for (i = 0; recipient[i] && i + 1 < sizeof(lower); i++)
        lower[i] =
            (char)(recipient[i] >= 'A' && recipient[i] <= 'Z' ? recipient[i] + 32 : recipient[i]);
    lower[i] = '\0';
    cv_sha256_hex(lower, i, hash);
    for (i = 0; method[i] && i + 1 < sizeof(m); i++)
        m[i] = (char)(method[i] >= 'A' && method[i] <= 'Z' ? method[i] + 32 : method[i]);
    m[i] = '\0';
    snprintf(out, size, "<%s.%d.%s.%.16s@%s>", uid, sequence, m, hash, domain);
}

static const char *address_of(const char *mailto)
{
    return strncasecmp(mailto, "mailto:", 7) == 0 ? mailto + 7 : mailto;
}

/* "HH:MM-HH:MM" of the venue's day on @d in the event's zone, and in the person's zone. */
static int times(const struct cv_imip_input *in, int l, char *ev, size_t evsize, char *loc,
                 size_t locsize, struct cv_error *err)
{
    const struct cv_event *e = in->event;
    struct cv_tz *etz = NULL, *ptz = NULL;
    int open = e->opens_min ? e->opens_min : 9 * 60;
    int close = e->closes_min ? e->closes_min : 18 * 60;
    int rc = cv_tz_load(e->tzid, &etz, err);
    if (rc < 0)
        return rc;
    snprintf(ev, evsize, "%02d:%02d-%02d:%02d (%s)", open / 60, open % 60, close / 60, close % 60,
             e->tzid);
    loc[0] = '\0';
    if (in->person->tzid && (rc = cv_tz_load(in->person->tzid, &ptz, err)) == 0) {
        int64_t a = cv_tz_local_to_utc(etz, &e->start, open);
        int64_t b = cv_tz_local_to_utc(etz, &e->start, close);
        int64_t la = a + cv_tz_offset(ptz, a), lb = b + cv_tz_offset(ptz, b);
        struct cv_date d = cv_date_from_days(la >= 0 ? la / 86400 : (la - 86399) / 86400);
        char day[96];
        int ma = (int)(((la % 86400) + 86400) % 86400 / 60);
        int mb = (int)(((lb % 86400) + 86400) % 86400 / 60);
        format_date(l, &d, day, sizeof(day));
        snprintf(loc, locsize, "%s, %02d:%02d-%02d:%02d (%s)", day, ma / 60, ma % 60, mb / 60,
                 mb % 60, in->person->tzid);
    }
    cv_tz_free(ptz);
    cv_tz_free(etz);
    return rc;
}

/* The iTIP calendar of the message. */
static int calendar(const struct cv_imip_input *in, const char *method, struct cv_buf *out,
                    struct cv_error *err)
{
    struct cv_event e;
    struct cv_ical_cal cal = {0};
    struct cv_ical_item item = {0};
    char sent_by[330];
    int rc;

    cv_event_init(&e);
    if ((rc = cv_event_copy(&e, in->event)) < 0)
        return cv_error_set(err, rc, "out of memory");
    e.sequence = in->sequence;
    if (in->kind == CV_IMIP_CANCELLATION)
        e.status = CV_EVENT_CANCELLED;
    struct cv_ical_attendee who = {
        .email = in->person->email,
        .name = in->person->name,
        .lang = in->person->lang,
        .partstat = in->kind == CV_IMIP_DECLINECOUNTER ? in->partstat : CV_PARTSTAT_NEEDS_ACTION,
        .role = in->person->role,
        .delegated_from = in->delegated_from};
    cal.lang = in->person->lang;
    cal.method = method;
    cal.organizer = in->programme->organizer;
    cal.organizer_name = cv_programme_name_in(in->programme, in->person->lang);
    if (in->sent_by) {
        snprintf(sent_by, sizeof(sent_by), "mailto:%s", in->sent_by);
        cal.organizer_sent_by = sent_by;
    }
    item.kind = CV_ITEM_EVENT;
    item.event = &e;
    item.location = in->location;
    item.attendee = &who;
    rc = cv_ical_write(&cal, &item, 1, out, err);
    if (rc == 0)
        rc = cv_ical_itip_check(out->buf, out->len, method, err);
    cv_event_release(&e);
    return rc;
}

/* A text body with LF or CRLF line ends, trimmed of the blank lines at its end. */
static void trim_end(struct cv_buf *b)
{
    while (b->len && (b->buf[b->len - 1] == '\n' || b->buf[b->len - 1] == ' '))
        b->buf[--b->len] = '\0';
    cv_buf_addch(b, '\n');
}

/* Appends a part's headers, a blank line and its encoded body. */
static int part(struct cv_buf *out, const char *boundary, const char *type, const char *cte,
                const char *disposition, const struct cv_buf *body)
{
    int rc = cv_buf_addf(out, "--%s\r\n", boundary);
    if (rc == 0)
        rc = cv_mime_add_header(out, "Content-Type", type);
    if (rc == 0 && disposition)
        rc = cv_mime_add_header(out, "Content-Disposition", disposition);
    if (rc == 0)
        rc = cv_mime_add_header(out, "Content-Transfer-Encoding", cte);
    if (rc == 0)
        rc = cv_buf_add(out, "\r\n", 2);
    if (rc == 0)
        rc = cv_buf_add(out, body->buf, body->len);
    return rc;
}

/* A boundary that occurs in none of the encoded parts (RFC 2046 5.1.1), 128 random bits. */
static int pick_boundary(const struct cv_buf *parts, size_t nparts, char out[48])
{
    for (int tries = 0; tries < 16; tries++) {
        unsigned char r[16];
        char hex[33];
        if (cv_random_bytes(r, sizeof(r)) < 0)
            return CV_EIO;
        cv_hex(r, sizeof(r), hex);
        snprintf(out, 48, "=_cv_m_%s", hex);
        bool seen = false;
        for (size_t i = 0; i < nparts && !seen; i++)
            seen = strstr(parts[i].buf, out + 2) != NULL; /* "=_" cannot occur in QP or base64 */
        if (!seen)
            return 0;
    }
    return CV_EIO;
}

int cv_imip_message_build(struct cv_ctx *ctx, const struct cv_imip_templates *tpl,
                          const struct cv_imip_input *in, struct cv_imip_message *out,
                          struct cv_error *err)
{
    const char *method = in->kind == CV_IMIP_CANCELLATION     ? "CANCEL"
                         : in->kind == CV_IMIP_DECLINECOUNTER ? "DECLINECOUNTER"
                                                              : "REQUEST";
    const struct cv_person *p = in->person;
    const struct cv_event *e = in->event;
    int l = imip_lang_index(p->lang);
    const struct imip_template *t = &tpl->v[l][in->kind];
    struct cv_buf cal, subject, text, html, enc[3], hdr;
    char dates[256], first[96], last[96], evtime[128], loctime[256], seq[16], date[40], mid[512],
        boundary[48], alt[56];
    const char *organizer = address_of(in->programme->organizer);
    const char *from = in->sent_by ? in->sent_by : organizer;
    int rc;

    cv_buf_init(&cal, 4u * 1024 * 1024);
    cv_buf_init(&subject, 64 * 1024);
    cv_buf_init(&text, 4u * 1024 * 1024);
    cv_buf_init(&html, 4u * 1024 * 1024);
    cv_buf_init(&hdr, 64 * 1024);
    for (int i = 0; i < 3; i++)
        cv_buf_init(&enc[i], 8u * 1024 * 1024);

    if (!cv_email_is_valid(p->email) || !cv_email_is_valid(organizer) ||
        (in->sent_by && !cv_email_is_valid(in->sent_by))) {
        rc = cv_error_set(err, CV_EINVAL, "'%.80s' is not a plain address mail can go to",
                          !cv_email_is_valid(p->email)    ? p->email
                          : !cv_email_is_valid(organizer) ? organizer
                                                          : in->sent_by);
        goto out;
    }
    if (!cv_event_has_dates(e)) {
        rc = cv_error_set(err, CV_EINVAL, "event %s has no dates to invite to", e->key);
        goto out;
    }
    if ((rc = calendar(in, method, &cal, err)) < 0)
        goto out;
    if ((rc = times(in, l, evtime, sizeof(evtime), loctime, sizeof(loctime), err)) < 0)
        goto out;
    format_date(l, &e->start, first, sizeof(first));
    format_date(l, &e->end, last, sizeof(last));
    if (cv_date_cmp(&e->start, &e->end) == 0)
        snprintf(dates, sizeof(dates), "%s", first);
    else
        snprintf(dates, sizeof(dates), "%s %s %s", first, until[l], last);
    snprintf(seq, sizeof(seq), "%d", in->sequence);

    const char *values[IMIP_NVARS] = {0};
    values[IMIP_NAME] = p->name;
    values[IMIP_TITLE] = cv_event_title_in(e, p->lang);
    values[IMIP_PROGRAMME] = cv_programme_name_in(in->programme, p->lang);
    values[IMIP_DATES] = dates;
    values[IMIP_EVENT_TIME] = evtime;
    values[IMIP_LOCAL_TIME] = loctime;
    values[IMIP_VENUE] = in->location;
    values[IMIP_SUBSCRIBE] = in->subscribe;
    struct cv_buf changes;
    cv_buf_init(&changes, 4096);
    if (in->changes && translate_changes(l, in->changes, &changes) == 0)
        values[IMIP_CHANGES] = changes.buf;
    values[IMIP_ORGANIZER] = organizer;
    values[IMIP_SEQUENCE] = seq;
    values[IMIP_LINK] = e->source_url;

    /* Every value is one line of text: a CR, LF or other control character from the data
     * never reaches a header, and never breaks a line of a body either (RELIABILITY.md S3). */
    struct cv_buf clean[IMIP_NVARS];
    rc = 0;
    for (int i = 0; i < IMIP_NVARS; i++) {
        cv_buf_init(&clean[i], 64 * 1024);
        if (rc == 0 && values[i] && (rc = cv_mime_text_clean(values[i], &clean[i])) == 0)
            values[i] = clean[i].buf;
    }
    struct cv_buf raw;
    cv_buf_init(&raw, 64 * 1024);
    if (rc == 0)
        rc = imip_render(t->subject, values, false, &raw);
    if (rc == 0)
        rc = cv_mime_text_clean(raw.buf, &subject);
    cv_buf_release(&raw);
    if (rc == 0)
        rc = imip_render(t->text, values, false, &text);
    if (rc == 0)
        rc = imip_render(t->html, values, true, &html);
    for (int i = 0; i < IMIP_NVARS; i++)
        cv_buf_release(&clean[i]);
    cv_buf_release(&changes);
    if (rc < 0) {
        cv_error_set(err, rc, "cannot fill in the %s template%s", cv_imip_kind_name(in->kind),
                     rc == CV_ENOMEM ? ": out of memory" : "");
        goto out;
    }
    trim_end(&text);
    trim_end(&html);
    if ((rc = cv_mime_qp(text.buf, text.len, &enc[0])) < 0 ||
        (rc = cv_mime_qp(html.buf, html.len, &enc[1])) < 0 ||
        (rc = cv_mime_base64(cal.buf, cal.len, &enc[2])) < 0) {
        cv_error_set(err, rc, rc == CV_ENOMEM ? "out of memory" : "the message is too large");
        goto out;
    }
    if ((rc = pick_boundary(enc, 3, boundary)) < 0) {
        cv_error_set(err, rc, "no random boundary");
        goto out;
    }
    /* Neither boundary begins the other: "=_cv_m_..." and "=_cv_a_...". */
    snprintf(alt, sizeof(alt), "%s", boundary);
    alt[5] = 'a';
    /* A reminder repeats the request it reminds of, under an ID of its own for the day; a
     * DECLINECOUNTER is named by the COUNTER it refuses ("dc-ID", short enough for the
     * Message-ID to stay within one 78-octet line). */
    char tag[48];
    const char *id_method = method;
    if (in->kind == CV_IMIP_REMINDER) {
        snprintf(tag, sizeof(tag), "reminder-%lld", (long long)(cv_ctx_now(ctx) / 86400));
        id_method = tag;
    } else if (in->kind == CV_IMIP_DECLINECOUNTER) {
        snprintf(tag, sizeof(tag), "dc-%lld", (long long)in->counter_id);
        id_method = tag;
    }
    cv_imip_message_id(e->uid, p->email, in->sequence, id_method, strchr(organizer, '@') + 1, mid,
                       sizeof(mid));
    cv_mime_date(cv_ctx_now(ctx), date);

    /* Headers: each value is ASCII by now (encoded words, checked addresses) and refused by
     * cv_mime_add_header() if a control character got through. */
    struct cv_buf *m = &out->data;
    if ((rc = cv_mime_address(cv_programme_name_in(in->programme, p->lang), from, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "From", hdr.buf)) < 0)
        goto bad;
    cv_buf_reset(&hdr);
    if ((rc = cv_mime_address(p->name, p->email, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "To", hdr.buf)) < 0)
        goto bad;
    cv_buf_reset(&hdr);
    if ((rc = cv_mime_encode_words(subject.buf, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "Subject", hdr.buf)) < 0 ||
        (rc = cv_mime_add_header(m, "Date", date)) < 0 ||
        (rc = cv_mime_add_header(m, "Message-ID", mid)) < 0 ||
        (rc = cv_mime_add_header(m, "MIME-Version", "1.0")) < 0)
        goto bad;
    cv_buf_reset(&hdr);
    char type[160];
    snprintf(type, sizeof(type), "multipart/mixed; boundary=\"%s\"", boundary);
    if ((rc = cv_mime_add_header(m, "Content-Type", type)) < 0 ||
        (rc = cv_buf_addstr(m, "\r\n")) < 0 || (rc = cv_buf_addf(m, "--%s\r\n", boundary)) < 0)
        goto bad;
    snprintf(type, sizeof(type), "multipart/alternative; boundary=\"%s\"", alt);
    if ((rc = cv_mime_add_header(m, "Content-Type", type)) < 0 ||
        (rc = cv_buf_addstr(m, "\r\n")) < 0 ||
        (rc = part(m, alt, "text/plain; charset=UTF-8", "quoted-printable", NULL, &enc[0])) < 0 ||
        (rc = part(m, alt, "text/html; charset=UTF-8", "quoted-printable", NULL, &enc[1])) < 0)
        goto bad;
    snprintf(type, sizeof(type), "text/calendar; method=%s; charset=UTF-8", method);
    if ((rc = part(m, alt, type, "base64", NULL, &enc[2])) < 0 ||
        (rc = cv_buf_addf(m, "--%s--\r\n", alt)) < 0)
        goto bad;
    const char *file = in->kind == CV_IMIP_CANCELLATION     ? "cancel.ics"
                       : in->kind == CV_IMIP_DECLINECOUNTER ? "declinecounter.ics"
                                                            : "invite.ics";
    char disp[64];
    snprintf(type, sizeof(type), "application/ics; name=\"%s\"", file);
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", file);
    if ((rc = part(m, boundary, type, "base64", disp, &enc[2])) < 0 ||
        (rc = cv_buf_addf(m, "--%s--\r\n", boundary)) < 0)
        goto bad;

    out->method = method;
    out->calendar_len = cal.len;
    if (cv_str_set(&out->message_id, mid) < 0 || cv_str_set(&out->sender, from) < 0 ||
        cv_str_set(&out->recipient, p->email) < 0 || !(out->calendar = cv_buf_detach(&cal))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    rc = 0;
    goto out;
bad:
    if (rc == CV_EINVAL)
        cv_error_set(err, rc, "a header of the message to %s would hold a control character",
                     p->email);
    else if (rc == CV_ENOMEM)
        cv_error_set(err, rc, "out of memory");
    else
        cv_error_set(err, rc, "the message to %s is too large", p->email);
out:
    for (int i = 0; i < 3; i++)
        cv_buf_release(&enc[i]);
    cv_buf_release(&hdr);
    cv_buf_release(&html);
    cv_buf_release(&text);
    cv_buf_release(&subject);
    cv_buf_release(&cal);
    return rc;
}

int cv_imip_reply_build(struct cv_ctx *ctx, const struct cv_programme *programme,
                        const struct cv_event *event, const struct cv_person *person, int sequence,
                        enum cv_partstat partstat, const char *delegated_to,
                        struct cv_imip_message *out, struct cv_error *err)
{
    static const char *const verbs[] = {"No answer", "Accepted", "Declined", "Tentative",
                                        "Delegated"};
    struct cv_event e;
    struct cv_ical_cal cal = {0};
    struct cv_ical_item item = {0};
    struct cv_buf ics, enc[2], hdr, text;
    char date[40], mid[512], boundary[48], subject[600], type[96];
    const char *organizer = address_of(programme->organizer);
    int rc;

    cv_event_init(&e);
    cv_buf_init(&ics, 4u * 1024 * 1024);
    cv_buf_init(&enc[0], 64 * 1024);
    cv_buf_init(&enc[1], 8u * 1024 * 1024);
    cv_buf_init(&hdr, 64 * 1024);
    cv_buf_init(&text, 64 * 1024);
    if (!cv_email_is_valid(person->email) || !cv_email_is_valid(organizer)) {
        rc = cv_error_set(err, CV_EINVAL, "'%.80s' is not a plain address", person->email);
        goto out;
    }
    if ((rc = cv_event_copy(&e, event)) < 0) {
        cv_error_set(err, rc, "out of memory");
        goto out;
    }
    /* The client stamps its reply now; the event's own stamp is the revision. */
    e.sequence = sequence;
    e.revision = cv_ctx_now(ctx);
    struct cv_ical_attendee who = {.email = person->email,
                                   .name = person->name,
                                   .lang = person->lang,
                                   .partstat = partstat,
                                   .role = person->role,
                                   .delegated_to = delegated_to};
    cal.lang = person->lang;
    cal.method = "REPLY";
    cal.organizer = programme->organizer;
    cal.organizer_name = programme->name;
    item.kind = CV_ITEM_EVENT;
    item.event = &e;
    item.attendee = &who;
    if ((rc = cv_ical_write(&cal, &item, 1, &ics, err)) < 0 ||
        (rc = cv_ical_itip_check(ics.buf, ics.len, "REPLY", err)) < 0)
        goto out;
    const char *verb = verbs[(unsigned)partstat < 5 ? partstat : 0];
    snprintf(subject, sizeof(subject), "%s: %s", verb, event->title);
    if ((rc = cv_buf_addf(&text, "%s has %s the invitation to %s.\n", person->name,
                          partstat == CV_PARTSTAT_ACCEPTED    ? "accepted"
                          : partstat == CV_PARTSTAT_DECLINED  ? "declined"
                          : partstat == CV_PARTSTAT_TENTATIVE ? "tentatively accepted"
                                                              : "delegated",
                          event->title)) < 0 ||
        (rc = cv_mime_qp(text.buf, text.len, &enc[0])) < 0 ||
        (rc = cv_mime_base64(ics.buf, ics.len, &enc[1])) < 0 ||
        (rc = pick_boundary(enc, 2, boundary)) < 0) {
        cv_error_set(err, rc, "cannot build the reply");
        goto out;
    }
    cv_imip_message_id(e.uid, person->email, sequence, verb, strchr(person->email, '@') + 1, mid,
                       sizeof(mid));
    cv_mime_date(cv_ctx_now(ctx), date);
    struct cv_buf *m = &out->data;
    if ((rc = cv_mime_address(person->name, person->email, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "From", hdr.buf)) < 0)
        goto bad;
    cv_buf_reset(&hdr);
    if ((rc = cv_mime_address(programme->name, organizer, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "To", hdr.buf)) < 0)
        goto bad;
    cv_buf_reset(&hdr);
    if ((rc = cv_mime_encode_words(subject, &hdr)) < 0 ||
        (rc = cv_mime_add_header(m, "Subject", hdr.buf)) < 0 ||
        (rc = cv_mime_add_header(m, "Date", date)) < 0 ||
        (rc = cv_mime_add_header(m, "Message-ID", mid)) < 0 ||
        (rc = cv_mime_add_header(m, "MIME-Version", "1.0")) < 0)
        goto bad;
    snprintf(type, sizeof(type), "multipart/alternative; boundary=\"%s\"", boundary);
    if ((rc = cv_mime_add_header(m, "Content-Type", type)) < 0 ||
        (rc = cv_buf_addstr(m, "\r\n")) < 0 ||
        (rc = part(m, boundary, "text/plain; charset=UTF-8", "quoted-printable", NULL, &enc[0])) <
            0 ||
        (rc = part(m, boundary, "text/calendar; method=REPLY; charset=UTF-8", "base64", NULL,
                   &enc[1])) < 0 ||
        (rc = cv_buf_addf(m, "--%s--\r\n", boundary)) < 0)
        goto bad;
    out->method = "REPLY";
    out->calendar_len = ics.len;
    if (cv_str_set(&out->message_id, mid) < 0 || cv_str_set(&out->sender, person->email) < 0 ||
        cv_str_set(&out->recipient, organizer) < 0 || !(out->calendar = cv_buf_detach(&ics))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    rc = 0;
    goto out;
bad:
    cv_error_set(err, rc, "cannot build the reply of %s", person->email);
out:
    cv_buf_release(&text);
    cv_buf_release(&hdr);
    cv_buf_release(&enc[1]);
    cv_buf_release(&enc[0]);
    cv_buf_release(&ics);
    cv_event_release(&e);
    return rc;
}
