/* SPDX-License-Identifier: MIT */
/* test_html.c: unit tests for HTML escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <convene/html.h>

static void expect(const char *in, const char *want)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    assert_int_equal(cv_html_escape(&b, in), 0);
    assert_string_equal(b.buf, want);
    cv_buf_release(&b);
}

static void test_escape(void **state)
{
    (void)state;
    expect("plain text", "plain text");
    expect("", "");
    expect(NULL, "");
    expect("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect("a & b \"c\"", "a &amp; b &quot;c&quot;");
    expect("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    expect("&amp;", "&amp;amp;");
    /* '@' too, so that no value can spell the token marker of a person's page. */
    expect("x@example.org", "x&#64;example.org");
    expect(CV_FEED_TOKEN_MARKER, "&#64;&#64;token&#64;&#64;");
    /* Control characters go, tab and newline stay. */
    expect("a\r\nb\tc\x01\x7f", "a\nb\tc");
    /* UTF-8 stays; invalid bytes become U+FFFD. */
    expect("Bras\xc3\xadlia \xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9",
           "Bras\xc3\xadlia \xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9");
    expect("a\xff"
           "b",
           "a\xef\xbf\xbd"
           "b");
    expect("\xc3", "\xef\xbf\xbd");
    expect("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_escape_limit(void **state)
{
    (void)state;
    struct cv_buf b;
    cv_buf_init(&b, 8);
    assert_int_equal(cv_html_escape(&b, "<<<<"), CV_ELIMIT);
    cv_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
