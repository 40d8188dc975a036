/* SPDX-License-Identifier: MIT */
/* test_http.c: unit tests for what a request path may name, how it is logged, who is
 * recognised as Google Calendar, and the cache of pages drawn on request (PAGE?tz=ZONE). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The body and ETag the tests keep for page @i in zone @z: each key its own bytes. */
static void page_of(int i, int z, char path[64], char zone[64], char body[128], char etag[68])
{
    snprintf(path, 64, "event-e%d-fr.html", i);
    snprintf(zone, 64, z ? "Asia/Tokyo" : "America/Bogota");
    snprintf(body, 128, "<h1>e%d in %s</h1>", i, zone);
    snprintf(etag, 68, "\"%064d\"", i * 2 + z);
}

static void test_page_cache(void **state)
{
    struct cv_page_cache *c = NULL;
    char path[64], zone[64], body[128], etag[68], got_etag[CV_SHA256_HEX_SIZE + 2];
    char *data = NULL;
    size_t len = 0;
    (void)state;

    assert_int_equal(cv_page_cache_new(0, &c), CV_EINVAL);
    assert_null(c);
    assert_int_equal(cv_page_cache_new(4, &c), 0);
    page_of(1, 0, path, zone, body, etag);
    assert_int_equal(cv_page_cache_get(c, path, zone, &data, &len, got_etag), CV_ENOTFOUND);
    assert_null(data);
    assert_int_equal(cv_page_cache_put(c, path, zone, body, strlen(body), etag), 0);
    /* The same page and zone: the same bytes and ETag, as copies the caller owns. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(cv_page_cache_get(c, path, zone, &data, &len, got_etag), 0);
        assert_int_equal(len, strlen(body));
        assert_string_equal(data, body);
        assert_string_equal(got_etag, etag);
        free(data);
        data = NULL;
    }
    /* Another zone, another language (path) of the same page: other keys. */
    assert_int_equal(cv_page_cache_get(c, path, "Asia/Tokyo", &data, &len, got_etag), CV_ENOTFOUND);
    assert_int_equal(cv_page_cache_get(c, "event-e1-es.html", zone, &data, &len, got_etag),
                     CV_ENOTFOUND);
    /* A put under a key held replaces it. */
    assert_int_equal(cv_page_cache_put(c, path, zone, "new", 3, "\"x\""), 0);
    assert_int_equal(cv_page_cache_get(c, path, zone, &data, &len, got_etag), 0);
    assert_string_equal(data, "new");
    assert_string_equal(got_etag, "\"x\"");
    free(data);
    data = NULL;
    assert_int_equal(cv_page_cache_count(c), 1);

    /* Bounded: 4 entries at most; the least recently used goes first. Keys 1..4, then 1 used
     * again, then 5: 2 goes. */
    for (int i = 2; i <= 4; i++) {
        page_of(i, 0, path, zone, body, etag);
        assert_int_equal(cv_page_cache_put(c, path, zone, body, strlen(body), etag), 0);
    }
    page_of(1, 0, path, zone, body, etag);
    assert_int_equal(cv_page_cache_get(c, path, zone, &data, &len, got_etag), 0);
    free(data);
    data = NULL;
    page_of(5, 0, path, zone, body, etag);
    assert_int_equal(cv_page_cache_put(c, path, zone, body, strlen(body), etag), 0);
    assert_int_equal(cv_page_cache_count(c), 4);
    for (int i = 1; i <= 5; i++) {
        page_of(i, 0, path, zone, body, etag);
        int rc = cv_page_cache_get(c, path, zone, &data, &len, got_etag);
        assert_int_equal(rc, i == 2 ? CV_ENOTFOUND : 0);
        free(data);
        data = NULL;
    }

    /* Not kept: a key that does not fit, a body over the limit. */
    char longpath[300];
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    assert_int_equal(cv_page_cache_put(c, longpath, "UTC", "x", 1, "\"y\""), 0);
    assert_int_equal(cv_page_cache_get(c, longpath, "UTC", &data, &len, got_etag), CV_ENOTFOUND);
    char *big = calloc(1, CV_PAGE_CACHE_BODY + 2);
    assert_non_null(big);
    assert_int_equal(cv_page_cache_put(c, "big.html", "UTC", big, CV_PAGE_CACHE_BODY + 1, "\"b\""),
                     0);
    assert_int_equal(cv_page_cache_get(c, "big.html", "UTC", &data, &len, got_etag), CV_ENOTFOUND);
    free(big);
    cv_page_cache_free(c);
    cv_page_cache_free(NULL);
}

/* Threads that put and get at once, more keys than the cache holds: every hit is the bytes and
 * ETag of its own key (run under ASan/TSan builds, this is where a race would show). */
struct hammer {
    struct cv_page_cache *c;
    int seed;
    int bad;
};

static void *hammer_run(void *arg)
{
    struct hammer *h = arg;
    char path[64], zone[64], body[128], etag[68], got_etag[CV_SHA256_HEX_SIZE + 2];
    unsigned x = (unsigned)h->seed * 2654435761u + 1;
    for (int n = 0; n < 20000; n++) {
        x = x * 1103515245u + 12345u;
        int i = (int)(x >> 16) % 48, z = (int)(x >> 8) & 1;
        page_of(i, z, path, zone, body, etag);
        char *data = NULL;
        size_t len = 0;
        int rc = cv_page_cache_get(h->c, path, zone, &data, &len, got_etag);
        if (rc == 0) {
            if (len != strlen(body) || strcmp(data, body) != 0 || strcmp(got_etag, etag) != 0)
                h->bad++;
            free(data);
        } else if (rc == CV_ENOTFOUND) {
            if (cv_page_cache_put(h->c, path, zone, body, strlen(body), etag) < 0)
                h->bad++;
        } else {
            h->bad++;
        }
    }
    return NULL;
}

static void test_page_cache_threads(void **state)
{
    struct cv_page_cache *c = NULL;
    struct hammer h[4];
    pthread_t t[4];
    (void)state;

    assert_int_equal(cv_page_cache_new(CV_PAGE_CACHE_ENTRIES, &c), 0);
    for (int i = 0; i < 4; i++) {
        h[i] = (struct hammer){c, i + 1, 0};
        assert_int_equal(pthread_create(&t[i], NULL, hammer_run, &h[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(h[i].bad, 0);
    }
    assert_true(cv_page_cache_count(c) <= CV_PAGE_CACHE_ENTRIES);
    cv_page_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_files),
        cmocka_unit_test(test_path_private),
        cmocka_unit_test(test_path_bad),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_agent),
        cmocka_unit_test(test_page_cache),
        cmocka_unit_test(test_page_cache_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
