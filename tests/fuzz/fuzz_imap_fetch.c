/* SPDX-License-Identifier: MIT */
/* fuzz_imap_fetch.c: libFuzzer target for the reading of a server's answer to UID FETCH
 * (cv_imap_find_literal), on the bytes libcurl hands over to either of its callbacks. Any input
 * must come back as a literal, CV_ENOTFOUND or CV_EPARSE, never an overread (the input has no
 * NUL after it); a literal found lies inside the input, right after the "BODY[] {n}" CRLF of an
 * untagged FETCH line, n bytes long, for the UID asked for when the line names one. A violation
 * aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, size_t n, unsigned long uid)
{
    const char *lit = (const char *)&lit;
    size_t len = 0xa5a5;
    int rc = cv_imap_find_literal(s, n, uid, &lit, &len);
    if (rc == CV_ENOTFOUND || rc == CV_EPARSE) {
        if (lit != (const char *)&lit || len != 0xa5a5)
            abort();
        return;
    }
    if (rc != 0)
        abort();
    /* Inside the input, after at least "* {0}" CRLF. */
    if (lit < s + 7 || lit > s + n || len > (size_t)(s + n - lit))
        abort();
    if (lit[-1] != '\n' || lit[-2] != '\r' || lit[-3] != '}')
        abort();
    /* The size announced is the length returned. */
    const char *d = lit - 3;
    unsigned long long announced = 0, scale = 1;
    while (d > s && d[-1] >= '0' && d[-1] <= '9') {
        d--;
        announced += scale * (unsigned long long)(*d - '0');
        scale *= 10;
    }
    if (d == lit - 3 || lit - 3 - d > 12 || announced != len)
        abort();
    if (d - s < 8 || memcmp(d - 8, "BODY[] {", 8) != 0)
        abort();
    /* The line begins with "* " at the start of the input or of a line, and is a FETCH. */
    const char *line = d;
    while (line > s && line[-1] != '\n')
        line--;
    if (d - line < 2 || memcmp(line, "* ", 2) != 0)
        abort();
    if (!memmem(line, (size_t)(d - line), " FETCH (", 8))
        abort();
    /* A UID before the literal, in plain digits, is the one asked for (other spellings are
     * strtoul's business). */
    const char *u = memmem(line, (size_t)(d - line), "UID ", 4);
    if (u && u > line && (u[-1] == '(' || u[-1] == ' ')) {
        unsigned long got = 0;
        int digits = 0;
        for (const char *p = u + 4; p < d && *p >= '0' && *p <= '9'; p++, digits++)
            got = got * 10 + (unsigned long)(*p - '0');
        if (digits > 0 && digits < 10 && got != uid)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact copy: no NUL after the bytes, so that a read past them is caught. */
    char *s = malloc(size ? size : 1);
    if (!s)
        return 0;
    memcpy(s, data, size);

    check(s, size, 7);
    check(s, size, 0);
    /* The UID the input itself names, so that a match can be found whatever it is. */
    const char *u = memmem(s, size, "UID ", 4);
    if (u) {
        unsigned long uid = 0;
        for (const char *p = u + 4; p < s + size && *p >= '0' && *p <= '9' && uid < 100000000; p++)
            uid = uid * 10 + (unsigned long)(*p - '0');
        check(s, size, uid);
    }
    free(s);
    return 0;
}
