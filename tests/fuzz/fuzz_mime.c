/* SPDX-License-Identifier: MIT */
/* fuzz_mime.c: libFuzzer target for the MIME pieces that carry user text into a message:
 * encoded words, one-line cleaning, display names, quoted-printable and base64. Any input must
 * give printable ASCII headers without CR or LF of their own, lines within their limits, CRLF
 * only (RELIABILITY.md I1, S3); a violation aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* CRLF line ends only, no line over @max octets. */
static void check_lines(const struct cv_buf *b, size_t max)
{
    size_t col = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->buf[i] == '\r') {
            if (i + 1 >= b->len || b->buf[i + 1] != '\n' || col > max)
                abort();
            col = 0;
            i++;
        } else if (b->buf[i] == '\n' || (unsigned char)b->buf[i] >= 0x80) {
            abort();
        } else {
            col++;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct cv_buf a, b;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cv_buf_init(&a, CV_BUF_NOLIMIT);
    cv_buf_init(&b, CV_BUF_NOLIMIT);

    if (cv_mime_text_clean(text, &a) == 0) {
        if (!cv_utf8_is_valid(a.buf, a.len) || cv_has_ctl(a.buf))
            abort();
    }
    cv_buf_reset(&a);
    if (cv_mime_encode_words(text, &a) == 0) {
        for (size_t i = 0; i < a.len; i++) {
            if (a.buf[i] < 0x20 || a.buf[i] >= 0x7f)
                abort();
        }
        if (cv_mime_add_header(&b, "Subject", a.buf) != 0)
            abort();
        check_lines(&b, 78);
    }
    cv_buf_reset(&a);
    cv_buf_reset(&b);
    if (cv_mime_address(text, "delegate@example.org", &a) == 0) {
        if (cv_mime_add_header(&b, "To", a.buf) != 0)
            abort();
        check_lines(&b, 998);
    }
    cv_buf_reset(&a);
    if (cv_mime_qp((const char *)data, size, &a) == 0)
        check_lines(&a, 76);
    cv_buf_reset(&a);
    if (cv_mime_base64(data, size, &a) == 0)
        check_lines(&a, 76);

    cv_buf_release(&b);
    cv_buf_release(&a);
    free(text);
    return 0;
}
