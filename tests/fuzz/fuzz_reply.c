/* SPDX-License-Identifier: MIT */
/* fuzz_reply.c: libFuzzer target for the reply reader: the MIME reader of received mail (any
 * multipart layout, base64, quoted-printable, encoded words, From addresses) and the iTIP reader
 * of every calendar it finds (RFC 5546 REPLY and COUNTER, through the iCalendar limits). Any
 * input must come back as a result or an error, never a crash, a leak or an overread; what it
 * returns must hold: addresses plain, the subject free of control characters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cv_mail m;
    struct cv_ical_limits lim;
    cv_mail_init(&m);
    cv_ical_limits_init(&lim);
    if (cv_mail_parse((const char *)data, size, "fuzz", &m, NULL) == 0) {
        if (m.from && !cv_email_is_valid(m.from))
            abort();
        if (m.subject && cv_has_ctl(m.subject))
            abort();
        for (size_t i = 0; i < m.nparts; i++) {
            struct cv_itip_message it;
            cv_itip_message_init(&it);
            if (cv_ical_read_itip(m.parts[i].data, m.parts[i].len, "fuzz", &lim, &it, NULL) == 0) {
                for (size_t k = 0; k < it.nattendees; k++) {
                    if (!cv_email_is_valid(it.attendees[k].email))
                        abort();
                }
            }
            cv_itip_message_release(&it);
        }
    }
    cv_mail_release(&m);

    /* The decoders alone, on the raw bytes. */
    struct cv_buf b;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cv_buf_init(&b, 1u << 20);
    if (cv_mime_decode_words(text, &b) == 0 && cv_has_ctl(b.buf))
        abort();
    cv_buf_reset(&b);
    cv_mime_qp_decode(text, size, &b);
    cv_buf_reset(&b);
    cv_mime_base64_decode(text, size, &b);
    cv_buf_release(&b);
    free(text);
    return 0;
}
