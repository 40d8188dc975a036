/* SPDX-License-Identifier: MIT */
/* test_imip.c: the MIME pieces (RFC 2047 encoded words, quoted-printable and base64 line
 * lengths, headers that refuse CR and LF), the templates, and whole iMIP messages for the
 * shipped programme: iTIP checked with icalrestriction_check, injection attempts (RELIABILITY.md
 * I1, I3, S3), the ledger and the retry schedule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <convene/convene.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every line of @s ends in CRLF, no CR or LF stands alone, none is longer than @max octets. */
static void assert_lines(const char *s, size_t len, size_t max)
{
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            assert_true(i + 1 < len && s[i + 1] == '\n');
            assert_true(col <= max);
            col = 0;
            i++;
            continue;
        }
        assert_true(s[i] != '\n');
        col++;
    }
    assert_int_equal(col, 0);
}

/* Decodes one "=?UTF-8?B?...?=" word list (separated by spaces) back to its text. */
static void decode_words(const char *s, struct cv_buf *out)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        assert_memory_equal(s, "=?UTF-8?B?", 10);
        const char *end = strstr(s + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - s <= 75);
        unsigned v = 0;
        int bits = 0;
        for (const char *p = s + 10; p < end && *p != '='; p++) {
            v = (v << 6) | (unsigned)(strchr(b64, *p) - b64);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                cv_buf_addch(out, (char)((v >> bits) & 0xff));
            }
        }
        s = end + 2;
    }
}

static void encoded_words(void **state)
{
    (void)state;
    struct cv_buf b, d;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    cv_buf_init(&d, CV_BUF_NOLIMIT);

    assert_int_equal(cv_mime_encode_words("Invitation: Open Gov Week", &b), 0);
    assert_string_equal(b.buf, "Invitation: Open Gov Week");

    /* Non-ASCII: words of at most 75 characters, never a UTF-8 character cut in two. */
    const char *ar = "\u062f\u0639\u0648\u0629: \u0627\u0644\u0627\u062c\u062a\u0645\u0627\u0639 "
                     "\u0627\u0644\u0625\u0642\u0644\u064a\u0645\u064a \u0644\u0623\u0641\u0631"
                     "\u064a\u0642\u064a\u0627 \u0648\u0627\u0644\u0634\u0631\u0642 "
                     "\u0627\u0644\u0623\u0648\u0633\u0637 2025";
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_encode_words(ar, &b), 0);
    decode_words(b.buf, &d);
    assert_string_equal(d.buf, ar);
    assert_true(cv_utf8_is_valid(d.buf, d.len));

    /* "=?" in plain text would read as an encoded word: it is encoded. */
    cv_buf_reset(&b);
    cv_buf_reset(&d);
    assert_int_equal(cv_mime_encode_words("a =?x?= b", &b), 0);
    decode_words(b.buf, &d);
    assert_string_equal(d.buf, "a =?x?= b");

    /* Controls go, the rest comes back: CR, LF, NUL-free C strings, U+2028, DEL, C1. */
    cv_buf_reset(&b);
    cv_buf_reset(&d);
    assert_int_equal(
        cv_mime_encode_words("caf\u00e9\r\nBcc: evil@example.org\u2028\x7f\xc2\x85!", &b), 0);
    assert_null(strchr(b.buf, '\r'));
    assert_null(strchr(b.buf, '\n'));
    decode_words(b.buf, &d);
    assert_string_equal(d.buf, "caf\u00e9Bcc: evil@example.org!");

    /* 1,000 characters: many words, each within its limit, as one folded header. */
    struct cv_buf longtext, hdr;
    cv_buf_init(&longtext, CV_BUF_NOLIMIT);
    cv_buf_init(&hdr, CV_BUF_NOLIMIT);
    for (int i = 0; i < 500; i++)
        cv_buf_addstr(&longtext, "\u00e9a");
    cv_buf_reset(&b);
    cv_buf_reset(&d);
    assert_int_equal(cv_mime_encode_words(longtext.buf, &b), 0);
    decode_words(b.buf, &d);
    assert_string_equal(d.buf, longtext.buf);
    assert_int_equal(cv_mime_add_header(&hdr, "Subject", b.buf), 0);
    assert_lines(hdr.buf, hdr.len, 78);

    /* A long ASCII word cannot fit a header line as is: it is encoded. */
    cv_buf_reset(&longtext);
    for (int i = 0; i < 300; i++)
        cv_buf_addch(&longtext, 'x');
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_encode_words(longtext.buf, &b), 0);
    assert_memory_equal(b.buf, "=?UTF-8?B?", 10);

    cv_buf_release(&hdr);
    cv_buf_release(&longtext);
    cv_buf_release(&d);
    cv_buf_release(&b);
}

static void headers_refuse_controls(void **state)
{
    (void)state;
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_mime_add_header(&b, "Subject", "a\r\nBcc: x@example.org"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "Subject", "a\nb"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "Subject", "a\rb"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "Subject", "tab\there"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "Subject", "caf\u00e9"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "Bad Name", "x"), CV_EINVAL);
    assert_int_equal(cv_mime_add_header(&b, "X:Y", "x"), CV_EINVAL);
    assert_int_equal(b.len, 0);

    /* Addresses: only plain local@domain. */
    assert_int_equal(cv_mime_address("A", "a@example.org\r\nRCPT TO:<x@example.org>", &b),
                     CV_EINVAL);
    assert_int_equal(cv_mime_address("A", "a@example.org>", &b), CV_EINVAL);
    assert_int_equal(cv_mime_address("A", "a b@example.org", &b), CV_EINVAL);
    assert_int_equal(cv_mime_address("Quote \" and \\ back", "a@example.org", &b), 0);
    assert_string_equal(b.buf, "\"Quote \\\" and \\\\ back\" <a@example.org>");
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_address("Evil\r\nBcc: x@example.org", "a@example.org", &b), 0);
    assert_null(strchr(b.buf, '\r'));
    assert_null(strchr(b.buf, '\n'));

    /* Folding keeps every line within 78 octets and starts continuation lines with a space. */
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_add_header(&b, "To",
                                        "\"A very long display name that goes on and on and on "
                                        "beyond one line\" <someone@example.org>"),
                     0);
    assert_lines(b.buf, b.len, 78);
    assert_non_null(strstr(b.buf, "\r\n "));
    cv_buf_release(&b);
}

static void qp_and_base64(void **state)
{
    (void)state;
    struct cv_buf in, b;
    cv_buf_init(&in, CV_BUF_NOLIMIT);
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    /* A 2,000-octet line, bare CR and LF, a lone dot, trailing spaces, UTF-8, "=". */
    for (int i = 0; i < 400; i++)
        cv_buf_addstr(&in, "\u00e9t\u00e9=");
    cv_buf_addstr(&in, "\nline with bare\rCR\n.\n..\nspace at end   \n\u0627\u0644\n");
    assert_int_equal(cv_mime_qp(in.buf, in.len, &b), 0);
    assert_lines(b.buf, b.len, 76);
    assert_null(strstr(b.buf, " \r\n"));
    assert_non_null(strstr(b.buf, "=0D"));
    for (size_t i = 0; i < b.len; i++)
        assert_true((unsigned char)b.buf[i] < 0x80);

    cv_buf_reset(&b);
    assert_int_equal(cv_mime_base64(in.buf, in.len, &b), 0);
    assert_lines(b.buf, b.len, 76);
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_base64("", 0, &b), 0);
    assert_int_equal(b.len, 0);
    assert_int_equal(cv_mime_base64("f", 1, &b), 0);
    assert_string_equal(b.buf, "Zg==\r\n");
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_base64("foobar", 6, &b), 0);
    assert_string_equal(b.buf, "Zm9vYmFy\r\n");
    cv_buf_release(&b);
    cv_buf_release(&in);

    char date[40];
    cv_mime_date(2147483648LL + 86400LL * 365, date); /* past 2038 */
    assert_string_equal(date, "Wed, 19 Jan 2039 03:14:08 +0000");
}

static void backoff_schedule(void **state)
{
    (void)state;
    assert_int_equal(cv_backoff(1), 300);
    assert_int_equal(cv_backoff(2), 600);
    assert_int_equal(cv_backoff(3), 1200);
    assert_int_equal(cv_backoff(4), 2400);
    assert_int_equal(cv_backoff(5), 3600);
    assert_int_equal(cv_backoff(50), 3600);
    struct cv_rate r;
    assert_int_equal(cv_rate_profile("microsoft365", &r), 0);
    assert_int_equal(r.per_minute, 30);
    assert_int_equal(r.per_day, 10000);
    assert_int_equal(cv_rate_profile("google-workspace", &r), 0);
    assert_int_equal(r.per_day, 2000);
    assert_int_equal(cv_rate_profile("other", &r), CV_EINVAL);

    /* The minute window: 3 a minute; the 4th waits until the 1st is a minute old. */
    double t[3] = {0};
    struct cv_rate_window w = {t, 3, 0};
    assert_true(cv_rate_window_delay(&w, 100.0) == 0);
    cv_rate_window_note(&w, 100.0);
    cv_rate_window_note(&w, 110.0);
    assert_true(cv_rate_window_delay(&w, 120.0) == 0);
    cv_rate_window_note(&w, 120.0);
    assert_true(cv_rate_window_delay(&w, 130.0) == 30.0);
    assert_true(cv_rate_window_delay(&w, 160.0) == 0);
    cv_rate_window_note(&w, 160.0);
    assert_true(cv_rate_window_delay(&w, 161.0) == 9.0); /* the send at 110 */
    struct cv_rate_window none = {NULL, 0, 0};
    assert_true(cv_rate_window_delay(&none, 1.0) == 0);
}

/* ---- whole messages on the shipped programme ------------------------------------------------ */

struct fx {
    char dir[64];
    char db[128];
    struct cv_ctx *ctx;
    struct cv_store *st;
    struct cv_imip_templates *tpl;
};

static int64_t fixed_clock(void *data)
{
    (void)data;
    return 1705309200; /* 2024-01-15T09:00:00Z */
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cv_error err;
    struct cv_load_report rep;
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_imip.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/c.db", f->dir);
    assert_int_equal(cv_ctx_new(&f->ctx, &err), 0);
    cv_ctx_set_clock(f->ctx, fixed_clock, NULL);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &f->st, &err), 0);
    assert_int_equal(cv_load_calendars(f->st, NULL, &rep, &err), 0);
    const struct cv_default_file *csv = cv_defaults_find("sample-delegates.csv");
    struct cv_import_report people;
    cv_import_report_init(&people);
    assert_int_equal(
        cv_load_people(f->st, (const char *)csv->data, csv->len, "x.csv", 0, &people, &err), 0);
    cv_import_report_release(&people);
    assert_int_equal(cv_imip_templates_load(NULL, &f->tpl, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char path[200];
    cv_imip_templates_free(f->tpl);
    cv_store_free(f->st);
    cv_ctx_free(f->ctx);
    snprintf(path, sizeof(path), "%s-wal", f->db);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", f->db);
    unlink(path);
    unlink(f->db);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The headers of @m before its first blank line, one per entry (folds joined). */
static size_t count_headers(const char *m, char names[16][40])
{
    size_t n = 0;
    const char *end = strstr(m, "\r\n\r\n");
    for (const char *p = m; p && p < end; p = strstr(p, "\r\n") + 2) {
        if (*p == ' ' || *p == '\t')
            continue;
        size_t len = strcspn(p, ":");
        if (n < 16) {
            snprintf(names[n], 40, "%.*s", (int)len, p);
        }
        n++;
    }
    return n;
}

static void check_message(const struct cv_imip_message *m, const char *method)
{
    static const char *const want[] = {"From",       "To",           "Subject",     "Date",
                                       "Message-ID", "MIME-Version", "Content-Type"};
    char names[16][40];
    assert_lines(m->data.buf, m->data.len, 78);
    assert_int_equal(count_headers(m->data.buf, names), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(names[i], want[i]);
    char type[80];
    snprintf(type, sizeof(type), "text/calendar; method=%s; charset=UTF-8", method);
    assert_non_null(strstr(m->data.buf, type));
    assert_non_null(strstr(m->calendar, method));
    assert_int_equal(cv_ical_itip_check(m->calendar, m->calendar_len, method, NULL), 0);
    for (size_t i = 0; i < m->data.len; i++)
        assert_true((unsigned char)m->data.buf[i] < 0x80);
}

/* @ics with its folded lines joined, into @out (to be released). */
static void unfold(const char *ics, struct cv_buf *out)
{
    cv_buf_init(out, CV_BUF_NOLIMIT);
    for (const char *c = ics; *c; c++) {
        if (c[0] == '\r' && c[1] == '\n' && c[2] == ' ')
            c += 2;
        else
            cv_buf_addch(out, *c);
    }
}

static void messages_for_programme(void **state)
{
    struct fx *f = *state;
    struct cv_event_list events;
    struct cv_error err;
    size_t built = 0;
    cv_event_list_init(&events);
    assert_int_equal(cv_store_event_list(f->st, &events, &err), 0);
    for (size_t i = 0; i < events.n; i++) {
        struct cv_imip_ledger l;
        cv_imip_ledger_init(&l);
        int rc = cv_imip_ledger_compute(f->st, events.v[i].key, NULL, &l, &err);
        if (!cv_event_has_dates(&events.v[i])) {
            assert_int_equal(rc, CV_EINVAL);
            cv_imip_ledger_release(&l);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_true(l.count[CV_IMIP_NEW] > 0);
        for (size_t k = 0; k < l.n; k++) {
            for (int kind = 0; kind < 3; kind++) {
                struct cv_imip_input in = {&l.programme,
                                           &l.event,
                                           l.location,
                                           &l.v[k].person,
                                           kind,
                                           kind ? 2 : 0,
                                           kind == 1 ? "dates, venue" : NULL,
                                           kind ? NULL : "webcal://127.0.0.1:8080/private/x.ics",
                                           kind == 2 ? "staff@example.org" : NULL,
                                           NULL,
                                           CV_PARTSTAT_NEEDS_ACTION,
                                           0};
                struct cv_imip_message m;
                cv_imip_message_init(&m);
                assert_int_equal(cv_imip_message_build(f->ctx, f->tpl, &in, &m, &err), 0);
                check_message(&m, kind == 2 ? "CANCEL" : "REQUEST");
                struct cv_buf ics;
                unfold(m.calendar, &ics);
                if (kind == 2)
                    assert_non_null(strstr(ics.buf, "SENT-BY=\"mailto:staff@example.org\""));
                if (kind == 0)
                    assert_non_null(strstr(ics.buf, "RSVP=TRUE"));
                /* The organizer is named in the delegate's language (English where the
                 * programme has no name in it). */
                const char *org = strstr(ics.buf, "\r\nORGANIZER;");
                assert_non_null(org);
                const char *name =
                    strstr(org, cv_programme_name_in(&l.programme, l.v[k].person.lang));
                assert_true(name && name < strstr(org + 2, "\r\n"));
                cv_buf_release(&ics);
                built++;
                cv_imip_message_release(&m);
            }
        }
        cv_imip_ledger_release(&l);
    }
    assert_true(built > 30);
    cv_event_list_release(&events);
}

/* I1/I3/S3: a hostile name and title never make a header, a bare CR or LF, or a long line. */
static void injection(void **state)
{
    struct fx *f = *state;
    struct cv_imip_ledger l;
    struct cv_error err;
    struct cv_buf name;
    cv_imip_ledger_init(&l);
    cv_buf_init(&name, CV_BUF_NOLIMIT);
    assert_int_equal(cv_imip_ledger_compute(f->st, "africa-regional-meeting", NULL, &l, &err), 0);
    cv_buf_addstr(&name, "Evil\r\nBcc: victim@example.org\r\n\r\n--=_cv_\n.\n\u2028");
    for (int i = 0; i < 900; i++)
        cv_buf_addch(&name, i % 2 ? 'x' : ' ');
    struct cv_person p = l.v[0].person;
    p.name = name.buf;
    struct cv_event e;
    cv_event_init(&e);
    assert_int_equal(cv_event_copy(&e, &l.event), 0);
    cv_event_set_title(&e, p.lang, "Title\r\nX-Injected: 1\n.\r\nEND:VEVENT=_cv_");
    struct cv_imip_input in = {
        &l.programme, &e,   "Venue\r\nX-Injected: 2", &p, CV_IMIP_INVITATION, 0, NULL, NULL,
        NULL,         NULL, CV_PARTSTAT_NEEDS_ACTION, 0};
    struct cv_imip_message m;
    cv_imip_message_init(&m);
    int rc = cv_imip_message_build(f->ctx, f->tpl, &in, &m, &err);
    if (rc == 0) {
        check_message(&m, "REQUEST");
        assert_null(strstr(m.data.buf, "\r\nBcc:"));
        assert_null(strstr(m.data.buf, "\r\nX-Injected:"));
        /* The boundary occurs only as boundary lines. */
        const char *ct = strstr(m.data.buf, "boundary=\"");
        char boundary[80];
        snprintf(boundary, sizeof(boundary), "%.*s", (int)strcspn(ct + 10, "\""), ct + 10);
        size_t count = 0;
        for (const char *p2 = m.data.buf; (p2 = strstr(p2, boundary)); p2++)
            count++;
        assert_int_equal(count, 4); /* the header, two openers, the closer */
    } else {
        /* libical refuses the text: nothing is queued, and the reason is named. */
        assert_int_equal(rc, CV_EINVAL);
    }
    cv_imip_message_release(&m);
    cv_event_release(&e);
    cv_buf_release(&name);
    cv_imip_ledger_release(&l);

    /* An address with CR/LF never reaches a header or an envelope. */
    struct cv_person q;
    cv_person_init(&q);
    q.email = (char *)"a@example.org\r\nRCPT TO:<x@example.org>";
    q.name = (char *)"Q";
    q.lang = (char *)"en";
    cv_imip_ledger_init(&l);
    assert_int_equal(cv_imip_ledger_compute(f->st, "africa-regional-meeting", NULL, &l, &err), 0);
    struct cv_imip_input in2 = {
        &l.programme, &l.event, l.location, &q,   CV_IMIP_INVITATION,       0,
        NULL,         NULL,     NULL,       NULL, CV_PARTSTAT_NEEDS_ACTION, 0};
    cv_imip_message_init(&m);
    assert_int_equal(cv_imip_message_build(f->ctx, f->tpl, &in2, &m, &err), CV_EINVAL);
    cv_imip_message_release(&m);
    cv_imip_ledger_release(&l);
}

static void ledger_and_queue(void **state)
{
    struct fx *f = *state;
    struct cv_imip_ledger l;
    struct cv_imip_report rep;
    struct cv_error err;
    struct cv_imip_options opt = {f->tpl, "http://127.0.0.1:8080", NULL};
    long counts[5];

    cv_imip_ledger_init(&l);
    assert_int_equal(
        cv_imip_ledger_compute(f->st, "africa-regional-meeting", "country:KE", &l, &err), 0);
    size_t n = l.count[CV_IMIP_NEW];
    assert_true(n > 0);
    assert_int_equal(cv_imip_queue(f->st, f->ctx, &l, &opt, &rep, &err), 0);
    assert_int_equal(rep.queued[CV_IMIP_NEW], n);
    cv_imip_ledger_release(&l);
    /* Again: nothing to send. */
    assert_int_equal(
        cv_imip_ledger_compute(f->st, "africa-regional-meeting", "country:KE", &l, &err), 0);
    assert_int_equal(l.count[CV_IMIP_NEW], 0);
    assert_int_equal(l.count[CV_IMIP_NOTHING], n);
    cv_imip_ledger_release(&l);

    /* A material change: an update with a higher SEQUENCE, naming what changed. */
    struct cv_event e;
    cv_event_init(&e);
    assert_int_equal(cv_store_event_get(f->st, "africa-regional-meeting", &e, &err), 0);
    e.start.day += 1;
    e.end.day += 1;
    e.sequence++;
    assert_int_equal(cv_store_event_update(f->st, &e, &err), 0);
    assert_int_equal(
        cv_imip_ledger_compute(f->st, "africa-regional-meeting", "country:KE", &l, &err), 0);
    assert_int_equal(l.count[CV_IMIP_CHANGE], n);
    assert_int_equal(l.v[0].seq_from, e.sequence - 1);
    assert_int_equal(l.v[0].seq_to, e.sequence);
    assert_string_equal(l.v[0].changes, "dates");
    assert_int_equal(cv_imip_queue(f->st, f->ctx, &l, &opt, &rep, &err), 0);
    cv_imip_ledger_release(&l);

    /* Cancelled: a CANCEL for each. */
    e.status = CV_EVENT_CANCELLED;
    e.sequence++;
    assert_int_equal(cv_store_event_update(f->st, &e, &err), 0);
    assert_int_equal(cv_imip_ledger_compute(f->st, "africa-regional-meeting", NULL, &l, &err), 0);
    assert_int_equal(l.count[CV_IMIP_CANCEL], n);
    assert_int_equal(l.count[CV_IMIP_NEW], 0);
    assert_int_equal(cv_imip_queue(f->st, f->ctx, &l, &opt, &rep, &err), 0);
    cv_imip_ledger_release(&l);
    cv_event_release(&e);

    assert_int_equal(cv_store_outbox_counts(f->st, counts, &err), 0);
    assert_int_equal(counts[CV_OUTBOX_QUEUED], (long)(3 * n));

    /* The folder transport delivers them all, each once. */
    struct cv_transport *t;
    struct cv_send_options so = {0};
    struct cv_send_report sr;
    char dir[200];
    snprintf(dir, sizeof(dir), "%s/out", f->dir);
    assert_int_equal(cv_transport_file_new(dir, &t, &err), 0);
    assert_int_equal(cv_outbox_send(f->st, f->ctx, t, &so, &sr, &err), 0);
    assert_int_equal(sr.sent, (long)(3 * n));
    assert_int_equal(sr.left, 0);
    cv_transport_free(t);
    assert_int_equal(cv_store_outbox_counts(f->st, counts, &err), 0);
    assert_int_equal(counts[CV_OUTBOX_SENT], (long)(3 * n));
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* RFC 5546 3.2.8: declining a COUNTER queues one DECLINECOUNTER to its attendee, in their
 * language, checked against RFC 5546's table; the same COUNTER declined again queues nothing. */
static void declinecounter_queued(void **state)
{
    struct fx *f = *state;
    struct cv_imip_ledger l;
    struct cv_imip_report rep;
    struct cv_error err;
    struct cv_imip_options opt = {f->tpl, NULL, NULL};
    long counts[5];
    bool langs[4] = {false};

    cv_imip_ledger_init(&l);
    assert_int_equal(cv_imip_ledger_compute(f->st, "africa-regional-meeting", NULL, &l, &err), 0);
    /* The message for one person of each language the ledger holds. */
    for (size_t k = 0; k < l.n; k++) {
        const char *lang = l.v[k].person.lang;
        int li = strcmp(lang, "fr") == 0   ? 1
                 : strcmp(lang, "es") == 0 ? 2
                 : strcmp(lang, "ar") == 0 ? 3
                                           : 0;
        if (langs[li])
            continue;
        langs[li] = true;
        struct cv_imip_input in = {0};
        in.programme = &l.programme;
        in.event = &l.event;
        in.location = l.location;
        in.person = &l.v[k].person;
        in.kind = CV_IMIP_DECLINECOUNTER;
        in.sequence = 3;
        in.partstat = CV_PARTSTAT_TENTATIVE;
        in.counter_id = 42;
        struct cv_imip_message m;
        cv_imip_message_init(&m);
        assert_int_equal(cv_imip_message_build(f->ctx, f->tpl, &in, &m, &err), 0);
        check_message(&m, "DECLINECOUNTER");
        assert_non_null(strstr(m.calendar, "METHOD:DECLINECOUNTER"));
        /* The ATTENDEE line keeps the answer the attendee gave. */
        struct cv_buf unfolded;
        unfold(m.calendar, &unfolded);
        assert_non_null(strstr(unfolded.buf, "PARTSTAT=TENTATIVE"));
        cv_buf_release(&unfolded);
        assert_non_null(strstr(m.calendar, "SEQUENCE:3"));
        assert_null(strstr(m.calendar, "RSVP=TRUE"));
        assert_non_null(strstr(m.message_id, ".dc-42."));
        assert_non_null(strstr(m.data.buf, "filename=\"declinecounter.ics\""));
        cv_imip_message_release(&m);
    }
    assert_true(langs[0] && langs[1]);

    /* Through the store: invited, a COUNTER held, then declined. */
    assert_int_equal(cv_imip_queue(f->st, f->ctx, &l, &opt, &rep, &err), 0);
    struct cv_store_reply r;
    cv_store_reply_init(&r);
    r.received = 1705309200;
    r.source = (char *)"counter.eml";
    r.attendee = l.v[0].person.email;
    r.event_key = (char *)"africa-regional-meeting";
    r.method = (char *)"COUNTER";
    r.outcome = CV_REPLY_COUNTER;
    r.reason = (char *)"proposes other dates";
    assert_int_equal(cv_store_reply_add(f->st, &r, &r.id, &err), 0);
    assert_int_equal(cv_store_outbox_counts(f->st, counts, &err), 0);
    long before = counts[CV_OUTBOX_QUEUED];
    bool queued = false;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(cv_store_begin(f->st, &err), 0);
        assert_int_equal(cv_imip_decline_counter(f->st, f->ctx, &r, &opt, &queued, &err), 0);
        assert_int_equal(cv_store_commit(f->st, &err), 0);
        assert_int_equal(queued, round == 0);
    }
    assert_int_equal(cv_store_outbox_counts(f->st, counts, &err), 0);
    assert_int_equal(counts[CV_OUTBOX_QUEUED], before + 1);
    /* A reply that is not a COUNTER is refused. */
    r.outcome = CV_REPLY_PENDING;
    assert_int_equal(cv_imip_decline_counter(f->st, f->ctx, &r, &opt, &queued, &err), CV_EINVAL);
    cv_imip_ledger_release(&l);
}

static void templates_checked(void **state)
{
    (void)state;
    char dir[64], path[200];
    struct cv_imip_templates *t = NULL;
    struct cv_error err;
    snprintf(dir, sizeof(dir), "/tmp/test_imip_tpl.XXXXXX");
    assert_non_null(mkdtemp(dir));
    /* Copy the built-in files, then break one. */
    size_t n;
    const struct cv_default_file *files = cv_defaults_files(&n);
    for (size_t i = 0; i < n; i++) {
        if (strncmp(files[i].path, "templates/", 10) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%.2s", dir, files[i].path + 10);
        mkdir(path, 0700);
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].path + 10);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fwrite(files[i].data, 1, files[i].len, fp);
        fclose(fp);
    }
    assert_int_equal(cv_imip_templates_load(dir, &t, &err), 0);
    cv_imip_templates_free(t);
    snprintf(path, sizeof(path), "%s/fr/update.html", dir);
    FILE *fp = fopen(path, "ab");
    fputs("\n<p>{{nmae}}</p>\n", fp);
    fclose(fp);
    assert_int_equal(cv_imip_templates_load(dir, &t, &err), CV_EPARSE);
    assert_non_null(strstr(err.file, "fr/update.html"));
    assert_true(err.line > 1);
    assert_non_null(strstr(err.msg, "nmae"));
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

/* Reading received mail: decoders, addresses, nesting, and input that tries to break them. */
static void mail_reader(void **state)
{
    static const char qp[] = "a=3Db=\r\nc= \r\nd=ZZ";
    struct cv_buf b;
    struct cv_mail m;
    struct cv_error err;
    (void)state;
    cv_buf_init(&b, 4096);
    assert_int_equal(cv_mime_decode_words("=?UTF-8?Q?Accept=C3=A9_:?= =?utf-8?B?IMOpdsOp?= x", &b),
                     0);
    assert_string_equal(b.buf, "Accepté : évé x");
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_decode_words("=?ISO-8859-1?Q?D=E9clin=E9?=", &b), 0);
    assert_string_equal(b.buf, "Décliné");
    cv_buf_reset(&b);
    /* An encoded word may not smuggle a line end into a header value. */
    assert_int_equal(cv_mime_decode_words("=?UTF-8?B?YQ0KYjogYw==?=", &b), 0);
    assert_null(strchr(b.buf, '\n'));
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_qp_decode(qp, strlen(qp), &b), 0);
    assert_string_equal(b.buf, "a=bcd=ZZ");
    cv_buf_reset(&b);
    assert_int_equal(cv_mime_base64_decode("aGVs\r\nbG8=", 10, &b), 0);
    assert_string_equal(b.buf, "hello");
    cv_buf_release(&b);

    static const char nested[] =
        "From: \"Doe, Jane\" <Jane@Example.ORG>\r\n"
        "Subject: =?UTF-8?B?QWNjZXB0w6k=?=\r\n"
        "Authentication-Results: mx.example.org; dkim=pass\r\n"
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
        "preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
        "--inner\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        "--inner\r\nContent-Type: text/calendar;\r\n method=\"REPLY\"; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nQkVHSU46VkNBTEVOREFS\r\n--inner--\r\n"
        "--outer\r\nContent-Type: application/octet-stream; name=invite.ics\r\n"
        "Content-Disposition: attachment; filename=\"invite.ics\"\r\n\r\nBEGIN:VCALENDAR\r\n"
        "--outer--\r\nepilogue\r\n";
    cv_error_init(&err);
    cv_mail_init(&m);
    assert_int_equal(cv_mail_parse(nested, sizeof(nested) - 1, "x.eml", &m, &err), 0);
    assert_string_equal(m.from, "Jane@Example.ORG");
    assert_string_equal(m.from_name, "Doe, Jane");
    assert_string_equal(m.subject, "Accepté");
    assert_int_equal(m.nauth, 1);
    assert_int_equal(m.nparts, 2);
    assert_string_equal(m.parts[0].method, "REPLY");
    assert_string_equal(m.parts[0].data, "BEGIN:VCALENDAR");
    assert_true(m.parts[1].attachment);
    assert_string_equal(m.parts[1].filename, "invite.ics");
    cv_mail_release(&m);

    /* Two authors, or none: no sender to check. */
    static const char two[] =
        "From: a@example.org, b@example.org\r\n"
        "Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\n";
    assert_int_equal(cv_mail_parse(two, sizeof(two) - 1, "two.eml", &m, &err), 0);
    assert_null(m.from);
    cv_mail_release(&m);
    /* Nesting past the limit is refused, not recursed into. */
    struct cv_buf deep;
    cv_buf_init(&deep, CV_BUF_NOLIMIT);
    cv_buf_addstr(&deep, "From: a@example.org\r\n");
    for (int i = 0; i < 20; i++)
        cv_buf_addf(&deep, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
    assert_int_equal(cv_mail_parse(deep.buf, deep.len, "deep.eml", &m, &err), CV_ELIMIT);
    assert_string_equal(err.file, "deep.eml");
    cv_buf_release(&deep);
    cv_mail_release(&m);
    /* Neither mail nor iCalendar; a NUL byte. */
    assert_int_equal(cv_mail_parse("hello world\n", 12, "h.txt", &m, &err), CV_EPARSE);
    cv_mail_release(&m);
    assert_int_equal(cv_mail_parse("From: a\0b", 9, "nul.eml", &m, &err), CV_EPARSE);
    cv_mail_release(&m);
}

/* The iTIP reader: addresses in any case, DELEGATED-TO, RECURRENCE-ID, SEQUENCE, DTSTAMP. */
static void itip_reader(void **state)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
        "UID:u-1\r\nSEQUENCE:3\r\nDTSTAMP:20240116T101500Z\r\n"
        "RECURRENCE-ID;VALUE=DATE:20250325\r\nDTSTART;VALUE=DATE:20250325\r\n"
        "ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO=\"MAILTO:Deputy@Example.org\":MAILTO:A@B.ORG\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    struct cv_itip_message it;
    struct cv_ical_limits lim;
    struct cv_error err;
    (void)state;
    cv_error_init(&err);
    cv_ical_limits_init(&lim);
    cv_itip_message_init(&it);
    assert_int_equal(cv_ical_read_itip(cal, sizeof(cal) - 1, "r.ics", &lim, &it, &err), 0);
    assert_string_equal(it.method, "REPLY");
    assert_string_equal(it.uid, "u-1");
    assert_int_equal(it.sequence, 3);
    assert_int_equal(it.dtstamp, 1705400100);
    assert_string_equal(it.recurrence_id, "2025-03-25");
    assert_null(it.organizer);
    assert_int_equal(it.nattendees, 1);
    assert_string_equal(it.attendees[0].email, "A@B.ORG");
    assert_int_equal(it.attendees[0].partstat, CV_PARTSTAT_DELEGATED);
    assert_string_equal(it.attendees[0].delegated_to, "Deputy@Example.org");
    cv_itip_message_release(&it);
    /* A CAL-ADDRESS that is not mailto: is refused with its line. */
    static const char bad[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\n"
                              "BEGIN:VEVENT\r\nUID:u\r\nATTENDEE:https://evil.example/\r\n"
                              "END:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_int_equal(cv_ical_read_itip(bad, sizeof(bad) - 1, "bad.ics", &lim, &it, &err),
                     CV_EPARSE);
    assert_int_equal(err.line, 7);
    cv_itip_message_release(&it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoded_words),
        cmocka_unit_test(headers_refuse_controls),
        cmocka_unit_test(qp_and_base64),
        cmocka_unit_test(backoff_schedule),
        cmocka_unit_test(templates_checked),
        cmocka_unit_test(mail_reader),
        cmocka_unit_test(itip_reader),
        cmocka_unit_test_setup_teardown(messages_for_programme, setup, teardown),
        cmocka_unit_test_setup_teardown(injection, setup, teardown),
        cmocka_unit_test_setup_teardown(ledger_and_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(declinecounter_queued, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
