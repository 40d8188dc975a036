/* SPDX-License-Identifier: MIT */
/* test_http.c: unit tests for what a request path may name, how it is logged, and who is
 * recognised as Google Calendar. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <convene/http.h>

#define TOKEN "0123456789abcdef0123456789abcdef"

static void test_path_files(void **state)
{
    (void)state;
    struct cv_http_path p;

    assert_int_equal(cv_http_path_parse("/", &p), 0);
    assert_int_equal(p.kind, CV_HTTP_FILE);
    assert_string_equal(p.name, "index.html");
    assert_int_equal(cv_http_path_parse("/programme.ics", &p), 0);
    assert_string_equal(p.name, "programme.ics");
    assert_int_equal(cv_http_path_parse("/event-x-tz-america-new-york-fr.html", &p), 0);
    assert_string_equal(p.name, "event-x-tz-america-new-york-fr.html");
    /* Shapes that cannot be ours: not found, not bad. */
    assert_int_equal(cv_http_path_parse("/Programme.ics", &p), 404);
    assert_int_equal(cv_http_path_parse("/a/b.ics", &p), 404);
    assert_int_equal(cv_http_path_parse("/.hidden", &p), 404);
    assert_int_equal(cv_http_path_parse("/index.json~", &p), 404);
    assert_int_equal(cv_http_path_parse("/private/", &p), 400); /* an empty segment */
    assert_int_equal(cv_http_path_parse("/private/" TOKEN ".txt", &p), 404);
    assert_int_equal(cv_http_path_parse("/private/x/" TOKEN ".ics", &p), 404);
}

static void test_path_private(void **state)
{
    (void)state;
    struct cv_http_path p;

    assert_int_equal(cv_http_path_parse("/private/" TOKEN ".ics", &p), 0);
    assert_int_equal(p.kind, CV_HTTP_PRIVATE);
    assert_string_equal(p.token, TOKEN);
    assert_string_equal(p.ext, "ics");
    assert_int_equal(cv_http_path_parse("/private/" TOKEN ".html", &p), 0);
    assert_string_equal(p.ext, "html");
    /* A malformed token takes the private way too, with no token: the same steps as an
     * unknown one, then 404. */
    static const char *const bad[] = {"/private/" TOKEN "0.ics", "/private/0123.ics",
                                      "/private/0123456789ABCDEF0123456789abcdef.ics",
                                      "/private/.ics"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cv_http_path_parse(bad[i], &p), 0);
        assert_int_equal(p.kind, CV_HTTP_PRIVATE);
        assert_string_equal(p.token, "");
    }
}

static void test_path_bad(void **state)
{
    (void)state;
    struct cv_http_path p;
    char longpath[CV_HTTP_PATH_MAX + 8];

    /* RELIABILITY.md I5, I6: traversal, escapes, CR/LF, NUL (as %00), spaces, other bytes. */
    static const char *const bad[] = {
        "",
        "programme.ics",
        "/../etc/passwd",
        "/..",
        "/.",
        "/private/../programme.ics",
        "//programme.ics",
        "/private//x.ics",
        "/..%2fetc%2fpasswd",
        "/%2e%2e/x",
        "/programme.ics%0d%0aSet-Cookie:%20x",
        "/programme.ics\r\nX: y",
        "/programme.ics\n",
        "/programme%00.ics",
        "/prog ramme.ics",
        "/programme.ics?x",
        "/caf\xc3\xa9.ics",
        "/a\\b",
        "/private/" TOKEN ".ics%00.html",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&p, 'x', sizeof(p));
        assert_int_equal(cv_http_path_parse(bad[i], &p), 400);
    }
    longpath[0] = '/';
    memset(longpath + 1, 'a', CV_HTTP_PATH_MAX);
    longpath[CV_HTTP_PATH_MAX + 1] = '\0';
    assert_int_equal(cv_http_path_parse(longpath, &p), 400);
    longpath[CV_HTTP_PATH_MAX] = '\0';
    assert_int_equal(cv_http_path_parse(longpath, &p), 0);
}

static void test_redact(void **state)
{
    (void)state;
    char out[256];

    cv_http_path_redact("/private/" TOKEN ".ics", out, sizeof(out));
    assert_string_equal(out, "/private/[token].ics");
    cv_http_path_redact("/private/" TOKEN ".html", out, sizeof(out));
    assert_string_equal(out, "/private/[token].html");
    /* Anything after /private/ may be a mistyped token: only a known extension stays. */
    cv_http_path_redact("/private/" TOKEN ".ics." TOKEN, out, sizeof(out));
    assert_string_equal(out, "/private/[token]");
    cv_http_path_redact("/private/x/" TOKEN "/y", out, sizeof(out));
    assert_string_equal(out, "/private/[token]");
    /* A token elsewhere is still a token. */
    cv_http_path_redact("/" TOKEN ".ics", out, sizeof(out));
    assert_string_equal(out, "/[token].ics");
    assert_null(strstr(out, TOKEN));
    /* Bytes that could break a log line or fake another one. */
    cv_http_path_redact("/a\"b\\c\r\nd e\x01", out, sizeof(out));
    assert_string_equal(out, "/a\\x22b\\x5cc\\x0d\\x0ad\\x20e\\x01");
    cv_http_path_redact("/programme.ics", out, sizeof(out));
    assert_string_equal(out, "/programme.ics");
    /* Cut to fit, still terminated. */
    cv_http_path_redact("/abcdefghijklmnopqrstuvwxyz", out, 16);
    assert_true(strlen(out) < 16);
    assert_memory_equal(out, "/abcdefg", 8);
}

static void test_agent(void **state)
{
    (void)state;
    assert_true(cv_http_agent_is_google("Google-Calendar-Importer"));
    assert_true(cv_http_agent_is_google("Mozilla/5.0 (compatible; Google-Calendar-Importer)"));
    assert_false(cv_http_agent_is_google("Mozilla/5.0 Thunderbird/115.0"));
    assert_false(cv_http_agent_is_google("Microsoft Office/16.0 (Outlook)"));
    assert_false(cv_http_agent_is_google(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_files), cmocka_unit_test(test_path_private),
        cmocka_unit_test(test_path_bad),   cmocka_unit_test(test_redact),
        cmocka_unit_test(test_agent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
