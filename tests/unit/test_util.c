/* SPDX-License-Identifier: MIT */
/* test_util.c: unit tests for buffers, strings, text checks, dates, time zones, files and CSV. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <convene/error.h>
#include <convene/util.h>

/* ---- helpers --------------------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/*
 * A fresh directory under /tmp and the saved $TZDIR, for the tests that touch files or the
 * environment; the teardown restores $TZDIR and removes the directory even when a test fails.
 */
struct tmp_fixture {
    char dir[64];
    char *tzdir; /* the saved $TZDIR, NULL when unset */
};

static int tmp_setup(void **state)
{
    struct tmp_fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    const char *tz = getenv("TZDIR");
    if (tz && !(f->tzdir = strdup(tz))) {
        free(f);
        return -1;
    }
    cv_str_copy(f->dir, sizeof(f->dir), "/tmp/cv-test-util-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f->tzdir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int tmp_teardown(void **state)
{
    struct tmp_fixture *f = *state;
    int rc = f->tzdir ? setenv("TZDIR", f->tzdir, 1) : unsetenv("TZDIR");
    if (nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        rc = -1;
    free(f->tzdir);
    free(f);
    return rc;
}

static void join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Checks that @row holds exactly the @n fields given after it and starts on @line. */
static void check_row(const struct cv_csv_row *row, long line, size_t n, ...)
{
    va_list ap;
    assert_int_equal(row->line, line);
    assert_int_equal(row->n, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(row->fields[i], va_arg(ap, const char *));
    va_end(ap);
}

/* ---- struct cv_buf --------------------------------------------------------------------------- */

static void test_buf_init_empty(void **state)
{
    (void)state;
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_non_null(b.buf);
    assert_string_equal(b.buf, "");
    assert_int_equal(b.len, 0);
    cv_buf_reset(&b);
    assert_string_equal(b.buf, "");
    cv_buf_release(&b);
    assert_non_null(b.buf);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, CV_BUF_NOLIMIT);
}

static void test_buf_growth(void **state)
{
    (void)state;
    struct cv_buf b;
    char expect[10001];

    cv_buf_init(&b, CV_BUF_NOLIMIT);
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        expect[i] = c;
        assert_int_equal(cv_buf_addch(&b, c), 0);
        assert_int_equal(b.len, (size_t)i + 1);
        assert_int_equal(b.buf[b.len], '\0');
        assert_true(b.alloc > b.len);
    }
    expect[10000] = '\0';
    assert_string_equal(b.buf, expect);
    assert_int_equal(cv_buf_addstr(&b, "!"), 0);
    assert_int_equal(cv_buf_add(&b, "xyz", 2), 0);
    assert_int_equal(b.len, 10003);
    assert_string_equal(b.buf + 10000, "!xy");
    /* Adding nothing is fine and changes nothing. */
    assert_int_equal(cv_buf_add(&b, "", 0), 0);
    assert_int_equal(b.len, 10003);

    size_t alloc = b.alloc;
    cv_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.buf, "");
    assert_int_equal(b.alloc, alloc);
    assert_int_equal(cv_buf_addstr(&b, "again"), 0);
    assert_string_equal(b.buf, "again");
    cv_buf_release(&b);
    assert_int_equal(b.alloc, 0);
    assert_string_equal(b.buf, "");
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct cv_buf b;
    cv_buf_init(&b, 8);

    assert_int_equal(cv_buf_addstr(&b, "abcdef"), 0);
    /* 3 more bytes would make 9 > 8: refused, buffer unchanged. */
    assert_int_equal(cv_buf_addstr(&b, "ghi"), CV_ELIMIT);
    assert_int_equal(b.len, 6);
    assert_string_equal(b.buf, "abcdef");
    assert_int_equal(cv_buf_addf(&b, "%d", 123), CV_ELIMIT);
    assert_string_equal(b.buf, "abcdef");
    /* Exactly to the cap is allowed, then one more byte is not. */
    assert_int_equal(cv_buf_addstr(&b, "gh"), 0);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.buf, "abcdefgh");
    assert_int_equal(cv_buf_addch(&b, 'i'), CV_ELIMIT);
    assert_int_equal(cv_buf_add(&b, "", 0), 0);
    assert_string_equal(b.buf, "abcdefgh");
    /* A huge length must not wrap around the check. */
    assert_int_equal(cv_buf_add(&b, "x", (size_t)-1), CV_ELIMIT);
    assert_int_equal(b.len, 8);
    cv_buf_release(&b);

    /* A zero cap accepts nothing, and a failed add on an empty buffer leaves it usable. */
    cv_buf_init(&b, 0);
    assert_int_equal(cv_buf_addch(&b, 'x'), CV_ELIMIT);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.buf, "");
    cv_buf_release(&b);
}

static void test_buf_addf(void **state)
{
    (void)state;
    struct cv_buf b;
    char big[1001];

    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_buf_addf(&b, "%s-%d-%c", "ab", 42, 'z'), 0);
    assert_string_equal(b.buf, "ab-42-z");

    /* Longer than the 256-byte stack buffer: 255, 256, 257 and 1000 bytes. */
    memset(big, 'q', 1000);
    big[1000] = '\0';
    static const int lens[] = {255, 256, 257, 1000};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        cv_buf_reset(&b);
        assert_int_equal(cv_buf_addstr(&b, "<"), 0);
        assert_int_equal(cv_buf_addf(&b, "%.*s>", lens[i], big), 0);
        assert_int_equal(b.len, (size_t)lens[i] + 2);
        assert_int_equal(b.buf[0], '<');
        assert_int_equal(b.buf[lens[i]], 'q');
        assert_int_equal(b.buf[lens[i] + 1], '>');
        assert_int_equal(b.buf[lens[i] + 2], '\0');
        assert_int_equal(strlen(b.buf), b.len);
    }
    cv_buf_release(&b);

    /* A long formatted string over the cap is refused and leaves the buffer as it was. */
    cv_buf_init(&b, 300);
    assert_int_equal(cv_buf_addstr(&b, "head"), 0);
    assert_int_equal(cv_buf_addf(&b, "%s", big), CV_ELIMIT);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.buf, "head");
    assert_int_equal(cv_buf_addf(&b, "%.296s", big), 0);
    assert_int_equal(b.len, 300);
    cv_buf_release(&b);
}

static void test_buf_add_replaced(void **state)
{
    (void)state;
    struct cv_buf b;
    static const char text[] = "a@@token@@b@@token@@@@token@@";

    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_buf_add_replaced(&b, text, strlen(text), "@@token@@", "T"), 0);
    assert_string_equal(b.buf, "aTbTT");
    cv_buf_reset(&b);
    assert_int_equal(cv_buf_add_replaced(&b, "none here", 9, "@@token@@", "T"), 0);
    assert_string_equal(b.buf, "none here");
    cv_buf_reset(&b);
    /* The replacement is not searched again. */
    assert_int_equal(cv_buf_add_replaced(&b, "xx", 2, "x", "xx"), 0);
    assert_string_equal(b.buf, "xxxx");
    cv_buf_release(&b);
    cv_buf_init(&b, 4);
    assert_int_equal(cv_buf_add_replaced(&b, "aaa", 3, "a", "bb"), CV_ELIMIT);
    cv_buf_release(&b);
}

static void test_buf_detach(void **state)
{
    (void)state;
    struct cv_buf b;

    /* An empty buffer hands over an allocated "" and stays usable. */
    cv_buf_init(&b, 16);
    char *s = cv_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 16);
    assert_string_equal(b.buf, "");

    /* A buffer emptied by reset still hands over its memory. */
    assert_int_equal(cv_buf_addstr(&b, "gone"), 0);
    cv_buf_reset(&b);
    s = cv_buf_detach(&b);
    assert_string_equal(s, "");
    free(s);

    assert_int_equal(cv_buf_addstr(&b, "hello"), 0);
    s = cv_buf_detach(&b);
    assert_string_equal(s, "hello");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.alloc, 0);
    assert_string_equal(b.buf, "");
    assert_int_equal(b.max, 16);
    /* The buffer is reusable and does not share memory with the detached string. */
    assert_int_equal(cv_buf_addstr(&b, "again"), 0);
    assert_string_equal(s, "hello");
    assert_string_equal(b.buf, "again");
    free(s);
    cv_buf_release(&b);
}

/* ---- memory and strings ---------------------------------------------------------------------- */

static void test_grow(void **state)
{
    (void)state;
    int *v = NULL;
    size_t alloc = 0;

    assert_int_equal(cv_grow(&v, &alloc, 1, sizeof(int)), 0);
    assert_non_null(v);
    assert_true(alloc >= 1);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(cv_grow(&v, &alloc, (size_t)i + 1, sizeof(int)), 0);
        assert_true(alloc >= (size_t)i + 1);
        v[i] = i * 3;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], i * 3);
    /* Enough room already: nothing changes. */
    int *before = v;
    size_t a = alloc;
    assert_int_equal(cv_grow(&v, &alloc, 10, sizeof(int)), 0);
    assert_ptr_equal(v, before);
    assert_int_equal(alloc, a);

    /* need * size overflowing size_t is CV_ENOMEM with the array untouched. */
    assert_int_equal(cv_grow(&v, &alloc, ((size_t)-1) / 16 + 1, 32), CV_ENOMEM);
    assert_ptr_equal(v, before);
    assert_int_equal(alloc, a);
    assert_int_equal(v[999], 2997);
    free(v);
}

/*
 * BUG: src/util/buf.c cv_grow(): for need > SIZE_MAX / 2 + 1 the doubling loop
 * `while (n < need) n *= 2;` wraps n to 0 and never ends. Expected CV_ENOMEM. Run in a child
 * with an alarm so that the hang shows as a failure instead of a stuck test.
 */
static void test_grow_huge_need_terminates(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(5);
        char *p = NULL;
        size_t alloc = 0;
        int rc = cv_grow(&p, &alloc, ((size_t)-1) / 2 + 2, 1);
        _exit(rc == CV_ENOMEM && p == NULL && alloc == 0 ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_false(WIFSIGNALED(status)); /* killed by SIGALRM: cv_grow looped forever */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_str_set_eq_copy(void **state)
{
    (void)state;
    char *s = NULL;
    char src[] = "first";

    assert_int_equal(cv_str_set(&s, src), 0);
    assert_string_equal(s, "first");
    assert_ptr_not_equal(s, src);
    src[0] = 'F';
    assert_string_equal(s, "first");
    assert_int_equal(cv_str_set(&s, "second"), 0);
    assert_string_equal(s, "second");
    assert_int_equal(cv_str_set(&s, ""), 0);
    assert_string_equal(s, "");
    assert_int_equal(cv_str_set(&s, NULL), 0);
    assert_null(s);

    assert_true(cv_str_eq(NULL, NULL));
    assert_false(cv_str_eq("a", NULL));
    assert_false(cv_str_eq(NULL, "a"));
    assert_false(cv_str_eq("", NULL));
    assert_true(cv_str_eq("", ""));
    assert_true(cv_str_eq("abc", "abc"));
    assert_false(cv_str_eq("abc", "abd"));
    assert_false(cv_str_eq("abc", "ABC"));
    assert_false(cv_str_eq("abc", "abcd"));

    char dst[4];
    memset(dst, 'X', sizeof(dst));
    assert_true(cv_str_copy(dst, sizeof(dst), "abc"));
    assert_string_equal(dst, "abc");
    assert_false(cv_str_copy(dst, sizeof(dst), "abcd"));
    assert_string_equal(dst, "abc");
    assert_false(cv_str_copy(dst, sizeof(dst), "abcdefghij"));
    assert_string_equal(dst, "abc");
    assert_true(cv_str_copy(dst, sizeof(dst), ""));
    assert_string_equal(dst, "");
    assert_false(cv_str_copy(dst, 1, "a"));
    assert_string_equal(dst, "");
    /* Size 0 writes nothing. */
    dst[0] = 'Z';
    assert_false(cv_str_copy(dst, 0, "a"));
    assert_true(cv_str_copy(dst, 0, ""));
    assert_int_equal(dst[0], 'Z');
}

/* ---- text checks ----------------------------------------------------------------------------- */

static bool utf8(const char *s)
{
    return cv_utf8_is_valid(s, strlen(s));
}

static void test_utf8(void **state)
{
    (void)state;
    /* Valid: ASCII, 2, 3 and 4 bytes, the edges of each range. */
    assert_true(utf8(""));
    assert_true(utf8("plain ASCII ~\x7f"));
    assert_true(utf8("caf\xc3\xa9"));                   /* U+00E9 */
    assert_true(utf8("\xc2\x80"));                      /* U+0080 */
    assert_true(utf8("\xdf\xbf"));                      /* U+07FF */
    assert_true(utf8("\xe0\xa0\x80"));                  /* U+0800 */
    assert_true(utf8("\xe2\x82\xac"));                  /* U+20AC */
    assert_true(utf8("\xed\x9f\xbf"));                  /* U+D7FF */
    assert_true(utf8("\xee\x80\x80"));                  /* U+E000 */
    assert_true(utf8("\xef\xbf\xbf"));                  /* U+FFFF */
    assert_true(utf8("\xf0\x90\x80\x80"));              /* U+10000 */
    assert_true(utf8("\xf0\x9f\x98\x80"));              /* U+1F600 */
    assert_true(utf8("\xf4\x8f\xbf\xbf"));              /* U+10FFFF */
    assert_true(utf8("\xd8\xa7\xd9\x84 \xe4\xb8\xad")); /* Arabic, CJK */
    /* An embedded NUL within @len is a valid code point. */
    assert_true(cv_utf8_is_valid("a\0b", 3));
    /* Only @len bytes are looked at. */
    assert_true(cv_utf8_is_valid("ab\xff", 2));

    /* Overlong forms. */
    assert_false(utf8("\xc0\x80"));
    assert_false(utf8("\xc0\xaf"));
    assert_false(utf8("\xc1\xbf"));
    assert_false(utf8("\xe0\x80\x80"));
    assert_false(utf8("\xe0\x9f\xbf"));
    assert_false(utf8("\xf0\x80\x80\x80"));
    assert_false(utf8("\xf0\x8f\xbf\xbf"));
    /* Surrogates. */
    assert_false(utf8("\xed\xa0\x80"));
    assert_false(utf8("\xed\xbf\xbf"));
    assert_false(utf8("a\xed\xb2\x80z"));
    /* Past U+10FFFF. */
    assert_false(utf8("\xf4\x90\x80\x80"));
    assert_false(utf8("\xf5\x80\x80\x80"));
    assert_false(utf8("\xf7\xbf\xbf\xbf"));
    assert_false(utf8("\xf8\x88\x80\x80\x80"));
    assert_false(utf8("\xfc\x84\x80\x80\x80\x80"));
    assert_false(utf8("\xfe"));
    assert_false(utf8("\xff"));
    /* Truncated sequences, at the end and before another character. */
    assert_false(utf8("\xc3"));
    assert_false(utf8("abc\xc3"));
    assert_false(utf8("\xe2\x82"));
    assert_false(utf8("\xf0\x9f\x98"));
    assert_false(utf8("\xc3x"));
    assert_false(utf8("\xe2\x82x"));
    assert_false(utf8("\xf0\x9f\x98x"));
    assert_false(cv_utf8_is_valid("\xc3\xa9", 1));
    assert_false(cv_utf8_is_valid("\xf0\x9f\x98\x80", 3));
    /* Stray continuation bytes. */
    assert_false(utf8("\x80"));
    assert_false(utf8("a\xbf"));
    assert_false(utf8("\xc3\xa9\xa9"));
}

static void test_has_ctl(void **state)
{
    (void)state;
    assert_false(cv_has_ctl(""));
    assert_false(cv_has_ctl("Open Government Summit"));
    assert_false(cv_has_ctl("tab\tis fine"));
    assert_false(cv_has_ctl("caf\xc3\xa9 \xe2\x82\xac"));
    assert_true(cv_has_ctl("a\rb"));
    assert_true(cv_has_ctl("a\nb"));
    assert_true(cv_has_ctl("Title\r\nEND:VEVENT"));
    assert_true(cv_has_ctl("\x01"));
    assert_true(cv_has_ctl("esc\x1b[0m"));
    assert_true(cv_has_ctl("x\x1f"));
    assert_true(cv_has_ctl("del\x7f"));
    assert_false(cv_has_ctl(" ~"));
}

static void test_slug(void **state)
{
    (void)state;
    char s65[66], s64[65];

    assert_true(cv_slug_is_valid("a"));
    assert_true(cv_slug_is_valid("ogp-summit-2025"));
    assert_true(cv_slug_is_valid("0"));
    assert_true(cv_slug_is_valid("a--b"));
    assert_false(cv_slug_is_valid(""));
    assert_false(cv_slug_is_valid("-a"));
    assert_false(cv_slug_is_valid("a-"));
    assert_false(cv_slug_is_valid("-"));
    assert_false(cv_slug_is_valid("Upper"));
    assert_false(cv_slug_is_valid("a_b"));
    assert_false(cv_slug_is_valid("a b"));
    assert_false(cv_slug_is_valid("a.b"));
    assert_false(cv_slug_is_valid("../x"));
    assert_false(cv_slug_is_valid("..%2f"));
    assert_false(cv_slug_is_valid("a/b"));
    assert_false(cv_slug_is_valid("caf\xc3\xa9"));
    assert_false(cv_slug_is_valid("a\nb"));
    memset(s64, 'a', 64);
    s64[64] = '\0';
    assert_true(cv_slug_is_valid(s64));
    memset(s65, 'a', 65);
    s65[65] = '\0';
    assert_false(cv_slug_is_valid(s65));
}

static void test_slugify(void **state)
{
    (void)state;
    char out[128];
    char text[301];

    assert_true(cv_slugify("OGP Global Summit 2025", out, sizeof(out)));
    assert_string_equal(out, "ogp-global-summit-2025");
    assert_true(cv_slugify("  --Hello,   World!! ", out, sizeof(out)));
    assert_string_equal(out, "hello-world");
    assert_true(cv_slugify("../x", out, sizeof(out)));
    assert_string_equal(out, "x");
    assert_true(cv_slugify("..%2f", out, sizeof(out)));
    assert_string_equal(out, "2f");
    assert_true(cv_slugify("../../etc/passwd", out, sizeof(out)));
    assert_string_equal(out, "etc-passwd");
    /* Non-ASCII bytes are separators, never copied. */
    assert_true(cv_slugify("Caf\xc3\xa9 D\xc3\xad\x61", out, sizeof(out)));
    assert_string_equal(out, "caf-d-a");
    assert_true(cv_slug_is_valid(out));
    assert_false(cv_slugify("\xc3\xa9\xc3\xa9", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(cv_slugify("", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(cv_slugify("!!! ---", out, sizeof(out)));
    assert_string_equal(out, "");

    /* 300 characters give at most 64. */
    memset(text, 'A', 300);
    text[300] = '\0';
    assert_true(cv_slugify(text, out, sizeof(out)));
    assert_int_equal(strlen(out), 64);
    assert_true(cv_slug_is_valid(out));
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(out[i], 'a');
    /* Words across the 64 limit: still a valid slug. */
    for (size_t i = 0; i < 300; i++)
        text[i] = i % 4 == 3 ? ' ' : 'b';
    assert_true(cv_slugify(text, out, sizeof(out)));
    assert_true(strlen(out) <= 64);
    assert_true(cv_slug_is_valid(out));
    assert_int_equal(strncmp(out, "bbb-bbb-", 8), 0);

    /* A small output buffer bounds the result. */
    char small[6];
    assert_true(cv_slugify("Hello World", small, sizeof(small)));
    assert_string_equal(small, "hello");
    char two[2];
    assert_true(cv_slugify("xyz", two, sizeof(two)));
    assert_string_equal(two, "x");
}

/*
 * BUG: src/util/str.c cv_slugify(): when the 64-character limit is reached just before a new
 * word, the '-' is dropped but the next character is still appended, so two words run together:
 * 63 'a' then " x" gives "aaa...ax" (64 characters) instead of a truncation of "aaa...a-x".
 * Expected: the result is a prefix of the full slug ("aaa...a" here).
 */
static void test_slugify_word_boundary(void **state)
{
    (void)state;
    char text[80], full[80], out[128];

    memset(text, 'a', 63);
    memcpy(text + 63, " x", 3);
    memset(full, 'a', 63);
    memcpy(full + 63, "-x", 3);
    assert_true(cv_slugify(text, out, sizeof(out)));
    assert_true(strlen(out) <= 64);
    assert_true(cv_slug_is_valid(out));
    assert_int_equal(strncmp(out, full, strlen(out)), 0);
}

static void test_email(void **state)
{
    (void)state;
    char s[300];

    assert_true(cv_email_is_valid("a@b.co"));
    assert_true(cv_email_is_valid("delegate-bf@example.org"));
    assert_true(cv_email_is_valid("first.last+tag@sub.example.org"));
    assert_true(cv_email_is_valid("o'brien@example.ie"));
    assert_true(cv_email_is_valid("UPPER@EXAMPLE.ORG"));
    assert_true(cv_email_is_valid("x@a-b.example"));

    assert_false(cv_email_is_valid(""));
    assert_false(cv_email_is_valid("plain"));
    assert_false(cv_email_is_valid("@example.org"));
    assert_false(cv_email_is_valid("a@"));
    assert_false(cv_email_is_valid("a@b.co\r\n"));
    assert_false(cv_email_is_valid("a@b.co\nBcc: x@y.z"));
    assert_false(cv_email_is_valid("a\r@b.co"));
    assert_false(cv_email_is_valid("a b@c.co"));
    assert_false(cv_email_is_valid(" a@b.co"));
    assert_false(cv_email_is_valid("a@b.co "));
    assert_false(cv_email_is_valid("a@b c.co"));
    assert_false(cv_email_is_valid("a@@b.co"));
    assert_false(cv_email_is_valid("a@b@c.co"));
    assert_false(cv_email_is_valid("a@localhost"));
    assert_false(cv_email_is_valid("<a@b.co>"));
    assert_false(cv_email_is_valid("A <a@b.co>"));
    assert_false(cv_email_is_valid("a@b.co>"));
    assert_false(cv_email_is_valid("\"a\"@b.co"));
    assert_false(cv_email_is_valid("a,b@c.co"));
    assert_false(cv_email_is_valid(".a@b.co"));
    assert_false(cv_email_is_valid("a.@b.co"));
    assert_false(cv_email_is_valid("a..b@c.co"));
    assert_false(cv_email_is_valid("a@.b.co"));
    assert_false(cv_email_is_valid("a@b..co"));
    assert_false(cv_email_is_valid("a@b.co."));
    assert_false(cv_email_is_valid("a@-b.co"));
    assert_false(cv_email_is_valid("a@b-.co"));
    assert_false(cv_email_is_valid("a@b.co-"));
    assert_false(cv_email_is_valid("a@b_c.co"));
    assert_false(cv_email_is_valid("caf\xc3\xa9@b.co"));

    /* A 64-octet local part is the most allowed. */
    memset(s, 'l', 64);
    memcpy(s + 64, "@b.co", 6);
    assert_true(cv_email_is_valid(s));
    memset(s, 'l', 65);
    memcpy(s + 65, "@b.co", 6);
    assert_false(cv_email_is_valid(s));

    /* 254 octets in all is allowed, 255 is not (labels of at most 63). */
    size_t n = 0;
    memset(s, 'l', 64);
    n = 64;
    s[n++] = '@';
    memset(s + n, 'a', 63);
    n += 63;
    s[n++] = '.';
    memset(s + n, 'b', 63);
    n += 63;
    s[n++] = '.';
    memset(s + n, 'c', 61);
    n += 61;
    s[n] = '\0';
    assert_int_equal(strlen(s), 254);
    assert_true(cv_email_is_valid(s));
    s[n++] = 'c';
    s[n] = '\0';
    assert_int_equal(strlen(s), 255);
    assert_false(cv_email_is_valid(s));
    /* A 64-octet domain label is refused. */
    memcpy(s, "a@", 2);
    memset(s + 2, 'd', 64);
    memcpy(s + 66, ".org", 5);
    assert_false(cv_email_is_valid(s));
}

static void test_lang_country(void **state)
{
    (void)state;
    assert_true(cv_lang_is_supported("en"));
    assert_true(cv_lang_is_supported("fr"));
    assert_true(cv_lang_is_supported("es"));
    assert_true(cv_lang_is_supported("ar"));
    assert_false(cv_lang_is_supported("EN"));
    assert_false(cv_lang_is_supported("de"));
    assert_false(cv_lang_is_supported(""));
    assert_false(cv_lang_is_supported("eng"));
    assert_false(cv_lang_is_supported("fr-CA"));
    assert_false(cv_lang_is_supported("e"));

    assert_true(cv_country_code_is_valid("KE"));
    assert_true(cv_country_code_is_valid("ZZ"));
    assert_false(cv_country_code_is_valid("ke"));
    assert_false(cv_country_code_is_valid("Ke"));
    assert_false(cv_country_code_is_valid("K"));
    assert_false(cv_country_code_is_valid(""));
    assert_false(cv_country_code_is_valid("KEN"));
    assert_false(cv_country_code_is_valid("K1"));
    assert_false(cv_country_code_is_valid("K "));
    assert_false(cv_country_code_is_valid("\xc3\x89S"));
}

static void test_parse_long(void **state)
{
    (void)state;
    long v = 0;

    assert_int_equal(cv_parse_long("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(cv_parse_long("-7", -10, 10, &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(cv_parse_long("0", 0, 0, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(cv_parse_long("+5", 0, 10, &v), 0);
    assert_int_equal(v, 5);
    assert_int_equal(cv_parse_long("9223372036854775807", 0, INT64_MAX, &v), 0);
    assert_true(v == INT64_MAX);
    /* Bounds are inclusive. */
    assert_int_equal(cv_parse_long("1", 1, 366, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(cv_parse_long("366", 1, 366, &v), 0);
    assert_int_equal(v, 366);

    /* Each failure leaves *out alone. */
    v = 1234;
    assert_int_equal(cv_parse_long("0", 1, 366, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("367", 1, 366, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("-1", 0, 10, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("9223372036854775808", INT64_MIN, INT64_MAX, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("-9223372036854775809", INT64_MIN, INT64_MAX, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("99999999999999999999999", INT64_MIN, INT64_MAX, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("12abc", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("12 ", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long(" 12", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("\t12", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("1.5", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("0x10", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("-", 0, 100, &v), CV_EINVAL);
    assert_int_equal(cv_parse_long("abc", 0, 100, &v), CV_EINVAL);
    assert_int_equal(v, 1234);
}

/* ---- dates and time -------------------------------------------------------------------------- */

static void assert_date(const struct cv_date *d, int y, int m, int day)
{
    assert_int_equal(d->year, y);
    assert_int_equal(d->month, m);
    assert_int_equal(d->day, day);
}

static void test_date_parse(void **state)
{
    (void)state;
    struct cv_date d = {0, 0, 0};
    char out[CV_DATE_SIZE];

    assert_int_equal(cv_date_parse("2024-09-24", &d), 0);
    assert_date(&d, 2024, 9, 24);
    assert_int_equal(cv_date_parse("20250101", &d), 0);
    assert_date(&d, 2025, 1, 1);
    assert_int_equal(cv_date_parse("2024-02-29", &d), 0);
    assert_date(&d, 2024, 2, 29);
    assert_int_equal(cv_date_parse("20240229", &d), 0);
    assert_date(&d, 2024, 2, 29);
    assert_int_equal(cv_date_parse("2000-02-29", &d), 0);
    assert_int_equal(cv_date_parse("9999-12-31", &d), 0);
    assert_date(&d, 9999, 12, 31);
    assert_int_equal(cv_date_parse("0001-01-01", &d), 0);
    assert_date(&d, 1, 1, 1);

    /* Failures leave the output alone. */
    d.year = 1111;
    d.month = 11;
    d.day = 11;
    assert_int_equal(cv_date_parse("2023-02-29", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("20230229", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("1900-02-29", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-04-31", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-13-01", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-00-10", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-01-00", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-01-32", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("0000-01-01", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-9-24", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024/09/24", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-09-24T", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-0a-24", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024-1-124", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("2024011", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("+0240101", &d), CV_EINVAL);
    assert_int_equal(cv_date_parse("", &d), CV_EINVAL);
    assert_date(&d, 1111, 11, 11);

    struct cv_date unset = {0, 0, 0};
    assert_false(cv_date_is_set(&unset));
    assert_false(cv_date_is_valid(&unset));
    cv_date_format(&unset, out);
    assert_string_equal(out, "");
    struct cv_date bad = {2023, 2, 29};
    assert_true(cv_date_is_set(&bad));
    assert_false(cv_date_is_valid(&bad));
    cv_date_format(&bad, out);
    assert_string_equal(out, "");
    struct cv_date good = {42, 3, 7};
    cv_date_format(&good, out);
    assert_string_equal(out, "0042-03-07");
}

static void test_date_range(void **state)
{
    (void)state;
    struct cv_date a = {0, 0, 0}, b = {0, 0, 0};

    assert_int_equal(cv_date_range_parse("2024-01-01..2024-01-05", &a, &b), 0);
    assert_date(&a, 2024, 1, 1);
    assert_date(&b, 2024, 1, 5);
    assert_int_equal(cv_date_range_parse("20241230..20250102", &a, &b), 0);
    assert_date(&a, 2024, 12, 30);
    assert_date(&b, 2025, 1, 2);
    assert_int_equal(cv_date_range_parse("2040-02-29..2040-02-29", &a, &b), 0);
    assert_date(&a, 2040, 2, 29);
    assert_date(&b, 2040, 2, 29);

    assert_int_equal(cv_date_range_parse("2024-01-05..2024-01-01", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2025-01-01..2024-12-31", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2024-01-01", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2024-01-01..", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("..2024-01-01", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2024-01-01...2024-01-02", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2023-02-29..2023-03-01", &a, &b), CV_EINVAL);
    assert_int_equal(cv_date_range_parse("2024-01-01..2024-01-02xxxxxxxxxxxxxxxxxx", &a, &b),
                     CV_EINVAL);
    assert_int_equal(cv_date_range_parse("xxxxxxxxxxxxxxxxxxxx2024-01-01..2024-01-02", &a, &b),
                     CV_EINVAL);
    assert_int_equal(cv_date_range_parse("", &a, &b), CV_EINVAL);
    /* The outputs are only written on success. */
    assert_date(&a, 2040, 2, 29);
    assert_date(&b, 2040, 2, 29);
}

static void test_date_days(void **state)
{
    (void)state;
    static const struct {
        struct cv_date d;
        int64_t days;
        int weekday;
    } known[] = {
        {{1970, 1, 1}, 0, 4},       {{1969, 12, 31}, -1, 3},   {{2024, 9, 24}, 19990, 2},
        {{2038, 1, 19}, 24855, 2},  {{2040, 1, 1}, 25567, 7},  {{1900, 1, 1}, -25567, 1},
        {{2100, 12, 31}, 47846, 5}, {{2000, 2, 29}, 11016, 2}, {{2024, 9, 29}, 19995, 7},
        {{2024, 9, 23}, 19989, 1},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        assert_int_equal(cv_date_to_days(&known[i].d), known[i].days);
        struct cv_date back = cv_date_from_days(known[i].days);
        assert_int_equal(cv_date_cmp(&back, &known[i].d), 0);
        assert_int_equal(cv_date_weekday(&known[i].d), known[i].weekday);
    }

    /* Every day of 1900..2100 in order: consecutive day numbers, round trip, weekday cycle. */
    struct cv_date first = {1900, 1, 1};
    int64_t expect = cv_date_to_days(&first);
    int wd = 1;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                struct cv_date x = {y, m, d};
                if (!cv_date_is_valid(&x))
                    continue;
                assert_int_equal(cv_date_to_days(&x), expect);
                struct cv_date r = cv_date_from_days(expect);
                assert_date(&r, y, m, d);
                assert_int_equal(cv_date_weekday(&x), wd);
                expect++;
                wd = wd % 7 + 1;
            }
        }
    }
    /* 201 years: 201 * 365 + 49 leap days (1900 and 2100 are not leap years). */
    assert_int_equal(expect - cv_date_to_days(&first), 201 * 365 + 49);
}

static void test_date_add_cmp(void **state)
{
    (void)state;
    struct cv_date d = {2024, 12, 31}, r;

    r = cv_date_add_days(&d, 1);
    assert_date(&r, 2025, 1, 1);
    r = cv_date_add_days(&d, 0);
    assert_date(&r, 2024, 12, 31);
    struct cv_date jan1 = {2025, 1, 1};
    r = cv_date_add_days(&jan1, -1);
    assert_date(&r, 2024, 12, 31);
    struct cv_date feb28 = {2024, 2, 28};
    r = cv_date_add_days(&feb28, 1);
    assert_date(&r, 2024, 2, 29);
    struct cv_date feb28b = {2023, 2, 28};
    r = cv_date_add_days(&feb28b, 1);
    assert_date(&r, 2023, 3, 1);
    struct cv_date y2037 = {2037, 12, 31};
    r = cv_date_add_days(&y2037, 366);
    assert_date(&r, 2039, 1, 1);
    struct cv_date y2024 = {2024, 1, 1};
    r = cv_date_add_days(&y2024, 366);
    assert_date(&r, 2025, 1, 1);
    r = cv_date_add_days(&y2024, -365);
    assert_date(&r, 2023, 1, 1);
    r = cv_date_add_days(&y2024, 365 * 100 + 24);
    assert_date(&r, 2124, 1, 1);

    struct cv_date a = {2023, 12, 31}, b = {2024, 1, 1}, c = {2024, 2, 1}, e = {2024, 2, 2};
    assert_true(cv_date_cmp(&a, &b) < 0);
    assert_true(cv_date_cmp(&b, &a) > 0);
    assert_true(cv_date_cmp(&b, &c) < 0);
    assert_true(cv_date_cmp(&c, &e) < 0);
    assert_true(cv_date_cmp(&e, &c) > 0);
    assert_int_equal(cv_date_cmp(&c, &c), 0);
    struct cv_date c2 = {2024, 2, 1};
    assert_int_equal(cv_date_cmp(&c, &c2), 0);
    /* An unset date sorts before any set one. */
    struct cv_date unset = {0, 0, 0};
    assert_true(cv_date_cmp(&unset, &a) < 0);
}

static void test_weekdays(void **state)
{
    (void)state;
    unsigned m = 12345;
    char out[64];

    assert_int_equal(CV_WEEKDAY_BIT(1), 1);
    assert_int_equal(CV_WEEKDAY_BIT(7), 64);
    assert_int_equal(cv_weekdays_parse("sat,sun", &m), 0);
    assert_int_equal(m, CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7));
    assert_int_equal(cv_weekdays_parse("fri sat", &m), 0);
    assert_int_equal(m, CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6));
    assert_int_equal(cv_weekdays_parse("Friday, Saturday", &m), 0);
    assert_int_equal(m, CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6));
    assert_int_equal(cv_weekdays_parse("MON,Tue,wed,thu", &m), 0);
    assert_int_equal(m, 0x0f);
    assert_int_equal(cv_weekdays_parse("sun,sun", &m), 0);
    assert_int_equal(m, 64);
    assert_int_equal(cv_weekdays_parse("", &m), 0);
    assert_int_equal(m, 0);

    m = 99;
    assert_int_equal(cv_weekdays_parse("sa", &m), CV_EINVAL);
    assert_int_equal(cv_weekdays_parse("xyz", &m), CV_EINVAL);
    assert_int_equal(cv_weekdays_parse("sat,funday", &m), CV_EINVAL);
    assert_int_equal(m, 99);

    cv_weekdays_format(0, out, sizeof(out));
    assert_string_equal(out, "");
    cv_weekdays_format(0x60, out, sizeof(out));
    assert_string_equal(out, "sat,sun");
    cv_weekdays_format(0x30, out, sizeof(out));
    assert_string_equal(out, "fri,sat");
    cv_weekdays_format(0x7f, out, sizeof(out));
    assert_string_equal(out, "mon,tue,wed,thu,fri,sat,sun");
    cv_weekdays_format(0x41, out, sizeof(out));
    assert_string_equal(out, "mon,sun");
    /* A short buffer stays NUL-terminated. */
    char small[6];
    cv_weekdays_format(0x60, small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
    assert_int_equal(strncmp(small, "sat", 3), 0);

    /* Every mask survives format then parse. */
    for (unsigned mask = 0; mask < 128; mask++) {
        unsigned back = 999;
        cv_weekdays_format(mask, out, sizeof(out));
        assert_int_equal(cv_weekdays_parse(out, &back), 0);
        assert_int_equal(back, mask);
    }
}

/*
 * BUG: src/util/date.c cv_weekdays_parse() compares only the first three letters of each word,
 * so a separator it does not know ("sat;sun", "fri/sat") silently becomes one day and any word
 * starting with a day's letters ("monkey", "sunshine") is accepted. Expected CV_EINVAL, as for
 * any other word that is not a day name or abbreviation.
 */
static void test_weekdays_rejects_non_day_words(void **state)
{
    (void)state;
    unsigned m = 99;
    assert_int_equal(cv_weekdays_parse("sat;sun", &m), CV_EINVAL);
    assert_int_equal(cv_weekdays_parse("fri/sat", &m), CV_EINVAL);
    assert_int_equal(cv_weekdays_parse("monkey", &m), CV_EINVAL);
    assert_int_equal(cv_weekdays_parse("sunshine", &m), CV_EINVAL);
    assert_int_equal(m, 99);
}

static void test_time_utc(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *s;
    } known[] = {
        {0, "1970-01-01T00:00:00Z"},
        {-1, "1969-12-31T23:59:59Z"},
        {-86400, "1969-12-31T00:00:00Z"},
        {-86401, "1969-12-30T23:59:59Z"},
        {1727136000, "2024-09-24T00:00:00Z"},
        {INT64_C(2147483647), "2038-01-19T03:14:07Z"},
        {INT64_C(2147483648), "2038-01-19T03:14:08Z"},
        {INT64_C(2214131696), "2040-02-29T12:34:56Z"},
        {INT64_C(-2147483648), "1901-12-13T20:45:52Z"},
        {INT64_C(4133980799), "2100-12-31T23:59:59Z"},
        {INT64_C(253402300799), "9999-12-31T23:59:59Z"},
    };
    char out[CV_TIME_SIZE];
    int64_t t;

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        cv_time_format_utc(known[i].t, out);
        assert_string_equal(out, known[i].s);
        t = 42;
        assert_int_equal(cv_time_parse_utc(known[i].s, &t), 0);
        assert_true(t == known[i].t);
    }

    /* A bare date is midnight UTC. */
    assert_int_equal(cv_time_parse_utc("2040-02-29", &t), 0);
    assert_true(t == INT64_C(2214086400));
    assert_int_equal(cv_time_parse_utc("1969-12-31", &t), 0);
    assert_true(t == -86400);

    /* Round trip over 1901..2100 in uneven steps. */
    for (int64_t x = INT64_C(-2200000000); x < INT64_C(4133980800); x += 999983) {
        int64_t back = 0;
        cv_time_format_utc(x, out);
        assert_int_equal(strlen(out), 20);
        assert_int_equal(cv_time_parse_utc(out, &back), 0);
        assert_true(back == x);
    }

    t = 7;
    assert_int_equal(cv_time_parse_utc("", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T24:00:00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T00:60:00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T00:00:61Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01 00:00:00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T00:00:00", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T00:00:00+00:00", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T0a:00:00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2024-01-01T00-00-00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2023-02-29T00:00:00Z", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("2023-02-29", &t), CV_EINVAL);
    assert_int_equal(cv_time_parse_utc("20240101T000000Z", &t), CV_EINVAL);
    assert_int_equal(t, 7);
}

static void test_tz_exists(void **state)
{
    const char *dir = ((struct tmp_fixture *)*state)->dir;
    char path[256];

    assert_int_equal(unsetenv("TZDIR"), 0);
    assert_true(cv_tz_exists("Africa/Nairobi"));
    assert_true(cv_tz_exists("America/Argentina/Buenos_Aires"));
    assert_true(cv_tz_exists("UTC"));
    assert_false(cv_tz_exists("../etc/passwd"));
    assert_false(cv_tz_exists("Africa/../../../etc/passwd"));
    assert_false(cv_tz_exists("Africa/../Europe/Paris")); /* a real zone, but through ".." */
    assert_false(cv_tz_exists("./UTC"));
    assert_true(cv_tz_exists("Etc/GMT+3"));
    assert_false(cv_tz_exists("/etc/passwd"));
    assert_false(cv_tz_exists("/usr/share/zoneinfo/Africa/Nairobi"));
    assert_false(cv_tz_exists("Nowhere/City"));
    assert_false(cv_tz_exists(""));
    assert_false(cv_tz_exists("Africa"));          /* a directory */
    assert_false(cv_tz_exists("Africa/Nairobi ")); /* a space */
    assert_false(cv_tz_exists("Africa/Nairobi\n"));
    assert_false(cv_tz_exists("africa\\nairobi"));
    /* An empty TZDIR falls back to the system database. */
    assert_int_equal(setenv("TZDIR", "", 1), 0);
    assert_true(cv_tz_exists("Africa/Nairobi"));

    /* TZDIR names the database: an empty one knows no zone, a fake TZif file is a zone. */
    assert_int_equal(setenv("TZDIR", dir, 1), 0);
    assert_false(cv_tz_exists("Africa/Nairobi"));
    assert_false(cv_tz_exists("UTC"));
    join(path, sizeof(path), dir, "Fake");
    assert_int_equal(mkdir(path, 0700), 0);
    join(path, sizeof(path), dir, "Fake/Zone");
    write_file(path, "TZif2\0\0\0", 8);
    join(path, sizeof(path), dir, "Fake/NotTZif");
    write_file(path, "hello", 5);
    join(path, sizeof(path), dir, "Fake/Short");
    write_file(path, "TZ", 2);
    assert_true(cv_tz_exists("Fake/Zone"));
    assert_false(cv_tz_exists("Fake/NotTZif"));
    assert_false(cv_tz_exists("Fake/Short"));
    assert_false(cv_tz_exists("Fake"));
    /* A TZif file outside the database cannot be reached with "..". */
    join(path, sizeof(path), dir, "db");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(setenv("TZDIR", path, 1), 0);
    assert_false(cv_tz_exists("Fake/Zone"));
    assert_false(cv_tz_exists("../Fake/Zone"));
}

/* ---- files ----------------------------------------------------------------------------------- */

static void test_file_read(void **state)
{
    const char *dir = ((struct tmp_fixture *)*state)->dir;
    char path[256], missing[256];
    struct cv_buf b;
    struct cv_error err;

    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_buf_addstr(&b, "x:"), 0);

    /* A normal read appends. */
    join(path, sizeof(path), dir, "hello.txt");
    write_file(path, "hello\nworld\n", 12);
    cv_error_init(&err);
    assert_int_equal(cv_file_read(path, 100, &b, &err), 0);
    assert_int_equal(b.len, 14);
    assert_string_equal(b.buf, "x:hello\nworld\n");
    assert_int_equal(err.code, 0);
    /* Exactly at the limit is fine. */
    assert_int_equal(cv_file_read(path, 12, &b, &err), 0);
    assert_string_equal(b.buf, "x:hello\nworld\nhello\nworld\n");
    cv_buf_reset(&b);
    assert_int_equal(cv_buf_addstr(&b, "x:"), 0);

    /* Missing file. */
    join(missing, sizeof(missing), dir, "missing.csv");
    cv_error_init(&err);
    assert_int_equal(cv_file_read(missing, 100, &b, &err), CV_ENOTFOUND);
    assert_int_equal(err.code, CV_ENOTFOUND);
    assert_string_equal(err.file, missing);
    assert_true(strlen(err.msg) > 0);
    assert_string_equal(b.buf, "x:");
    assert_int_equal(cv_file_read(missing, 100, &b, NULL), CV_ENOTFOUND);

    /* A directory. */
    cv_error_init(&err);
    assert_int_equal(cv_file_read(dir, 100, &b, &err), CV_EIO);
    assert_int_equal(err.code, CV_EIO);
    assert_string_equal(err.file, dir);
    assert_non_null(strstr(err.msg, "directory"));
    assert_string_equal(b.buf, "x:");

    /* Over the limit: nothing appended. */
    cv_error_init(&err);
    assert_int_equal(cv_file_read(path, 11, &b, &err), CV_ELIMIT);
    assert_int_equal(err.code, CV_ELIMIT);
    assert_string_equal(err.file, path);
    assert_int_equal(b.len, 2);
    assert_string_equal(b.buf, "x:");

    /* An empty file appends nothing. */
    join(path, sizeof(path), dir, "empty.txt");
    write_file(path, "", 0);
    assert_int_equal(cv_file_read(path, 0, &b, &err), 0);
    assert_string_equal(b.buf, "x:");
    cv_buf_release(&b);

    /* A file larger than one read chunk. */
    size_t big_len = 200000;
    char *big = malloc(big_len);
    assert_non_null(big);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('0' + i % 10);
    join(path, sizeof(path), dir, "big.txt");
    write_file(path, big, big_len);
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_file_read(path, big_len, &b, &err), 0);
    assert_int_equal(b.len, big_len);
    assert_memory_equal(b.buf, big, big_len);
    assert_int_equal(b.buf[big_len], '\0');
    cv_buf_release(&b);

    /* The buffer's own cap is a limit too, and a failed read rolls back. */
    cv_buf_init(&b, 10);
    assert_int_equal(cv_buf_addstr(&b, "x:"), 0);
    cv_error_init(&err);
    assert_int_equal(cv_file_read(path, big_len, &b, &err), CV_ELIMIT);
    assert_string_equal(err.file, path);
    assert_int_equal(b.len, 2);
    assert_string_equal(b.buf, "x:");
    cv_buf_release(&b);
    free(big);
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static void test_csv_basic(void **state)
{
    (void)state;
    static const char data[] = "a,b,c\n1,,3\n";
    struct cv_csv csv;
    struct cv_csv_row row;
    struct cv_error err;

    cv_error_init(&err);
    cv_csv_init(&csv, data, strlen(data));
    cv_csv_row_init(&row);
    assert_int_equal(cv_csv_next(&csv, &row, &err), 1);
    check_row(&row, 1, 3, "a", "b", "c");
    assert_false(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, &err), 1);
    check_row(&row, 2, 3, "1", "", "3");
    assert_int_equal(cv_csv_next(&csv, &row, &err), 0);
    assert_int_equal(row.n, 0);
    assert_int_equal(cv_csv_next(&csv, &row, &err), 0);
    assert_int_equal(err.code, 0);
    cv_csv_row_release(&row);

    /* Empty input, and input that is only a BOM. */
    cv_csv_init(&csv, "", 0);
    assert_int_equal(cv_csv_next(&csv, &row, &err), 0);
    cv_csv_init(&csv, "\xef\xbb\xbf", 3);
    assert_int_equal(cv_csv_next(&csv, &row, &err), 0);
    cv_csv_row_release(&row);
}

static void test_csv_quotes(void **state)
{
    (void)state;
    static const char data[] = "\"x, y\",z\n"
                               "\"say \"\"hi\"\"\",\"\"\n"
                               "\"\"\"\",\"a,\"\"b\"\",c\"\n"
                               "\"\",plain\n";
    struct cv_csv csv;
    struct cv_csv_row row;

    cv_csv_init(&csv, data, strlen(data));
    cv_csv_row_init(&row);
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 2, "x, y", "z");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "say \"hi\"", "");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 3, 2, "\"", "a,\"b\",c");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 4, 2, "", "plain");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);
    cv_csv_row_release(&row);
}

static void test_csv_newlines(void **state)
{
    (void)state;
    struct cv_csv csv;
    struct cv_csv_row row;
    cv_csv_row_init(&row);

    /* LF, CRLF and a lone CR each end a record. */
    static const char mixed[] = "a,1\r\nb,2\nc,3\rd,4";
    cv_csv_init(&csv, mixed, strlen(mixed));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 2, "a", "1");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "b", "2");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 3, 2, "c", "3");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 4, 2, "d", "4");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);

    /* CRLF inside quotes is kept; the rows after it carry the right line. */
    static const char crlf[] = "h1,h2\r\n\"l1\r\nl2\",x\r\nnext,y\r\n";
    cv_csv_init(&csv, crlf, strlen(crlf));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 2, "h1", "h2");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "l1\r\nl2", "x");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 4, 2, "next", "y");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);

    /* LF inside quotes, several lines. */
    static const char multi[] = "h\n\"a\nb\nc\",d\ne,f\n\"g\nh\"\ni\n";
    cv_csv_init(&csv, multi, strlen(multi));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 1, "h");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "a\nb\nc", "d");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 5, 2, "e", "f");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 6, 1, "g\nh");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 8, 1, "i");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);

    /* No trailing newline; a trailing comma is an empty last field. */
    static const char noeol[] = "a,b\nc,";
    cv_csv_init(&csv, noeol, strlen(noeol));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 2, "a", "b");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "c", "");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);

    static const char quoted_end[] = "\"q\"";
    cv_csv_init(&csv, quoted_end, strlen(quoted_end));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 1, "q");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);
    cv_csv_row_release(&row);
}

static void test_csv_bom(void **state)
{
    (void)state;
    static const char data[] = "\xef\xbb\xbfname,email\r\nA,a@b.co\r\n";
    struct cv_csv csv;
    struct cv_csv_row row;

    cv_csv_init(&csv, data, strlen(data));
    cv_csv_row_init(&row);
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 2, "name", "email");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 2, "A", "a@b.co");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);

    /* A BOM anywhere else is data. */
    static const char later[] = "a\n\xef\xbb\xbf"
                                "b\n";
    cv_csv_init(&csv, later, strlen(later));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 1, 1, "a");
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 1,
              "\xef\xbb\xbf"
              "b");
    cv_csv_row_release(&row);
}

/* Reads rows until the first non-row result and returns it, with @err filled. */
static int csv_read_all(const char *data, size_t len, struct cv_error *err, long *rows)
{
    struct cv_csv csv;
    struct cv_csv_row row;
    int rc;

    *rows = 0;
    cv_error_init(err);
    cv_csv_init(&csv, data, len);
    cv_csv_row_init(&row);
    while ((rc = cv_csv_next(&csv, &row, err)) > 0)
        (*rows)++;
    cv_csv_row_release(&row);
    return rc;
}

static void test_csv_errors(void **state)
{
    (void)state;
    struct cv_error err;
    long rows;

    /* An unterminated quote is reported on the line where it opens. */
    static const char unterminated[] = "h1,h2\nx,\"abc\ndef\nghi\n";
    assert_int_equal(csv_read_all(unterminated, strlen(unterminated), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 1);
    assert_int_equal(err.code, CV_EPARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "never closed"));

    static const char unterminated2[] = "a\n\"b\nc\",d\ne,\"f";
    assert_int_equal(csv_read_all(unterminated2, strlen(unterminated2), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 2);
    assert_int_equal(err.line, 4);

    /* Text after a closing quote. */
    static const char after[] = "ok\n\"ab\"c,d\n";
    assert_int_equal(csv_read_all(after, strlen(after), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 1);
    assert_int_equal(err.code, CV_EPARSE);
    assert_int_equal(err.line, 2);
    static const char after_space[] = "\"ab\" ,d\n";
    assert_int_equal(csv_read_all(after_space, strlen(after_space), &err, &rows), CV_EPARSE);
    assert_int_equal(err.line, 1);

    /* A quote inside an unquoted field. */
    static const char inner[] = "a,b\"c\n";
    assert_int_equal(csv_read_all(inner, strlen(inner), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 0);
    assert_int_equal(err.line, 1);

    /* Invalid UTF-8, quoted or not, reported on the row's line. */
    static const char latin1[] = "name\nJos\xe9\n";
    assert_int_equal(csv_read_all(latin1, strlen(latin1), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 1);
    assert_int_equal(err.code, CV_EPARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "UTF-8"));
    static const char overlong[] = "a\nb\n\"x\xc0\xaf\",y\n";
    assert_int_equal(csv_read_all(overlong, strlen(overlong), &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 2);
    assert_int_equal(err.line, 3);

    /* A NUL byte in a field. */
    static const char nul[] = "a,b\0c\n";
    assert_int_equal(csv_read_all(nul, sizeof(nul) - 1, &err, &rows), CV_EPARSE);
    assert_int_equal(err.line, 1);

    /* Too many fields. */
    struct cv_csv csv;
    struct cv_csv_row row;
    static const char wide[] = "a,b,c\na,b,c,d\n";
    cv_csv_init(&csv, wide, strlen(wide));
    csv.max_fields = 3;
    cv_csv_row_init(&row);
    cv_error_init(&err);
    assert_int_equal(cv_csv_next(&csv, &row, &err), 1);
    assert_int_equal(row.n, 3);
    assert_int_equal(cv_csv_next(&csv, &row, &err), CV_EPARSE);
    assert_int_equal(err.line, 2);
    cv_csv_row_release(&row);

    /* A field over 64 KiB. */
    size_t n = 70000;
    char *huge = malloc(n + 8);
    assert_non_null(huge);
    memcpy(huge, "h\n", 2);
    memset(huge + 2, 'x', n);
    memcpy(huge + 2 + n, "\n", 2);
    assert_int_equal(csv_read_all(huge, n + 3, &err, &rows), CV_EPARSE);
    assert_int_equal(rows, 1);
    assert_int_equal(err.line, 2);
    free(huge);

    /* A NULL err is fine. */
    cv_csv_init(&csv, unterminated, strlen(unterminated));
    cv_csv_row_init(&row);
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    assert_int_equal(cv_csv_next(&csv, &row, NULL), CV_EPARSE);
    cv_csv_row_release(&row);
}

static void test_csv_blank(void **state)
{
    (void)state;
    static const char data[] = "a,b\n\n,\n \t, \n\"\",\"\"\nx,\n, y\n";
    struct cv_csv csv;
    struct cv_csv_row row;

    cv_csv_init(&csv, data, strlen(data));
    cv_csv_row_init(&row);
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    assert_false(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 2, 1, "");
    assert_true(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 3, 2, "", "");
    assert_true(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 4, 2, " \t", " ");
    assert_true(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 5, 2, "", "");
    assert_true(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 6, 2, "x", "");
    assert_false(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 1);
    check_row(&row, 7, 2, "", " y");
    assert_false(cv_csv_row_is_blank(&row));
    assert_int_equal(cv_csv_next(&csv, &row, NULL), 0);
    cv_csv_row_release(&row);

    /* A row with no fields (as after the end) counts as blank. */
    struct cv_csv_row empty;
    cv_csv_row_init(&empty);
    assert_true(cv_csv_row_is_blank(&empty));
    cv_csv_row_release(&empty);
}

/* ---- time zones ---------------------------------------------------------------------------- */

/* Offsets checked against the IANA rules by hand (and against date(1) when written). */
static void test_tz_offsets(void **state)
{
    (void)state;
    static const struct {
        const char *zone;
        int64_t t;
        int offset;
    } cases[] = {
        {"America/New_York", 1704067200, -5 * 3600},   /* 2024-01-01: EST */
        {"America/New_York", 1710053999, -5 * 3600},   /* 2024-03-10 06:59:59Z: still EST */
        {"America/New_York", 1710054000, -4 * 3600},   /* 07:00Z: EDT from 02:00 local */
        {"America/New_York", 1730613599, -4 * 3600},   /* 2024-11-03 05:59:59Z */
        {"America/New_York", 1730613600, -5 * 3600},   /* 06:00Z: back to EST */
        {"America/New_York", 2224000000LL, -4 * 3600}, /* June 2040: the footer's rule */
        {"America/New_York", 4102444800LL, -5 * 3600}, /* 2100-01-01 */
        {"Europe/Madrid", 1711846799, 3600},           /* 2024-03-31 00:59:59Z: CET */
        {"Europe/Madrid", 1711846800, 7200},           /* 01:00Z: CEST */
        {"Asia/Manila", 1710054000, 8 * 3600},         /* no DST, across the date line from NY */
        {"Australia/Sydney", 2224000000LL, 10 * 3600}, /* June 2040: southern winter */
        {"Australia/Sydney", 2216000000LL, 11 * 3600}, /* March 2040: southern summer */
        {"Asia/Amman", 1710054000, 3 * 3600},          /* +03 all year since 2022 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cv_tz *tz = NULL;
        assert_int_equal(cv_tz_load(cases[i].zone, &tz, NULL), 0);
        assert_string_equal(cv_tz_name(tz), cases[i].zone);
        assert_int_equal(cv_tz_offset(tz, cases[i].t), cases[i].offset);
        cv_tz_free(tz);
    }
}

static void test_tz_local(void **state)
{
    (void)state;
    struct cv_tz *ny = NULL, *manila = NULL;
    assert_int_equal(cv_tz_load("America/New_York", &ny, NULL), 0);
    assert_int_equal(cv_tz_load("Asia/Manila", &manila, NULL), 0);
    struct cv_date d = {2024, 3, 10};
    /* 09:00 EDT on the day DST starts is 13:00Z. */
    assert_int_equal(cv_tz_local_to_utc(ny, &d, 9 * 60), 1710075600);
    /* 02:30 does not exist that day: it comes out as 03:30 EDT, 07:30Z. */
    assert_int_equal(cv_tz_local_to_utc(ny, &d, 150), 1710055800);
    /* 01:30 on 3 November 2041 happens twice: the first (EDT) is taken, as date(1) does. */
    struct cv_date f = {2041, 11, 3};
    assert_int_equal(cv_tz_local_to_utc(ny, &f, 90), 2267069400LL);
    /* Manila 08:00 on 29 February 2024 is 00:00Z the same day. */
    struct cv_date leap = {2024, 2, 29};
    assert_int_equal(cv_tz_local_to_utc(manila, &leap, 8 * 60), 1709164800);
    cv_tz_free(ny);
    cv_tz_free(manila);
    cv_tz_free(NULL);
}

static void test_tz_bad(void **state)
{
    (void)state;
    struct cv_tz *tz = (struct cv_tz *)0x1;
    struct cv_error err;
    cv_error_init(&err);
    assert_int_equal(cv_tz_load("Mars/Olympus_Mons", &tz, &err), CV_EINVAL);
    assert_null(tz);
    assert_non_null(strstr(err.msg, "Mars/Olympus_Mons"));
    assert_int_equal(cv_tz_load("../../etc/passwd", &tz, NULL), CV_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_init_empty),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_buf_add_replaced),
        cmocka_unit_test(test_buf_addf),
        cmocka_unit_test(test_buf_detach),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_grow_huge_need_terminates),
        cmocka_unit_test(test_str_set_eq_copy),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_has_ctl),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_slugify),
        cmocka_unit_test(test_slugify_word_boundary),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_lang_country),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_range),
        cmocka_unit_test(test_date_days),
        cmocka_unit_test(test_date_add_cmp),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_weekdays_rejects_non_day_words),
        cmocka_unit_test(test_time_utc),
        cmocka_unit_test_setup_teardown(test_tz_exists, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_file_read, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_csv_basic),
        cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_newlines),
        cmocka_unit_test(test_csv_bom),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_blank),
        cmocka_unit_test(test_tz_offsets),
        cmocka_unit_test(test_tz_local),
        cmocka_unit_test(test_tz_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
