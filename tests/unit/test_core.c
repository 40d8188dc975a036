/* SPDX-License-Identifier: MIT */
/* test_core.c: unit tests for struct cv_error, the status names and the context's services. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <convene/core.h>
#include <convene/error.h>

/* ---- struct cv_error ------------------------------------------------------------------------- */

static void test_error_init(void **state)
{
    (void)state;
    struct cv_error err;

    memset(&err, 'X', sizeof(err));
    cv_error_init(&err);
    assert_int_equal(err.code, 0);
    assert_int_equal(err.lib_code, 0);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, "");
    assert_string_equal(err.msg, "");
    cv_error_init(NULL);
}

static void test_error_set(void **state)
{
    (void)state;
    struct cv_error err;

    cv_error_init(&err);
    cv_error_at(&err, "people.csv", 12);
    assert_int_equal(cv_error_set(&err, CV_EINVAL, "row %d: '%s'", 3, "x@y"), CV_EINVAL);
    assert_int_equal(err.code, CV_EINVAL);
    assert_string_equal(err.msg, "row 3: 'x@y'");
    /* File and line are kept. */
    assert_string_equal(err.file, "people.csv");
    assert_int_equal(err.line, 12);
    /* A second error replaces the first. */
    assert_int_equal(cv_error_set(&err, CV_EPARSE, "%s", "second"), CV_EPARSE);
    assert_int_equal(err.code, CV_EPARSE);
    assert_string_equal(err.msg, "second");

    /* NULL err: the code still comes back. */
    assert_int_equal(cv_error_set(NULL, CV_ENOTFOUND, "ignored %d", 1), CV_ENOTFOUND);
    assert_int_equal(cv_error_set(NULL, 0, "ok"), 0);
}

static void test_error_set_truncates(void **state)
{
    (void)state;
    struct cv_error err;
    char *big = malloc(5000);
    assert_non_null(big);
    memset(big, 'm', 4999);
    big[4999] = '\0';

    /* A message longer than the buffer is cut, NUL-terminated, and the rest stays intact. */
    memset(&err, 0x5a, sizeof(err));
    cv_error_init(&err);
    assert_int_equal(cv_error_set(&err, CV_ELIMIT, "<%s>", big), CV_ELIMIT);
    assert_int_equal(strlen(err.msg), CV_ERROR_MSG_MAX - 1);
    assert_int_equal(err.msg[0], '<');
    assert_int_equal(err.msg[CV_ERROR_MSG_MAX - 2], 'm');
    assert_int_equal(err.msg[CV_ERROR_MSG_MAX - 1], '\0');
    assert_int_equal(err.code, CV_ELIMIT);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, "");

    /* A long file name is cut to fit, NUL-terminated. */
    cv_error_at(&err, big, 77);
    assert_int_equal(strlen(err.file), CV_ERROR_FILE_MAX - 1);
    assert_int_equal(err.file[0], 'm');
    assert_int_equal(err.line, 77);
    assert_int_equal(strlen(err.msg), CV_ERROR_MSG_MAX - 1);
    free(big);
}

static void test_error_at(void **state)
{
    (void)state;
    struct cv_error err;

    cv_error_init(&err);
    cv_error_set(&err, CV_EPARSE, "bad row");
    cv_error_at(&err, "members.csv", 4);
    assert_string_equal(err.file, "members.csv");
    assert_int_equal(err.line, 4);
    /* The message and code are kept. */
    assert_int_equal(err.code, CV_EPARSE);
    assert_string_equal(err.msg, "bad row");
    /* A NULL file keeps the file and changes the line. */
    cv_error_at(&err, NULL, 9);
    assert_string_equal(err.file, "members.csv");
    assert_int_equal(err.line, 9);
    cv_error_at(&err, "", 0);
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    cv_error_at(NULL, "x", 1);
    cv_error_at(NULL, NULL, 1);
}

/* ---- cv_strerror ----------------------------------------------------------------------------- */

static void test_strerror(void **state)
{
    (void)state;
    static const int codes[] = {
        CV_OK,     CV_ENOMEM, CV_EINVAL,    CV_ENOTFOUND, CV_ECONFLICT, CV_ESTORE,
        CV_EPARSE, CV_EIO,    CV_ESMTP,     CV_ETEMP,     CV_EHTTP,     CV_EINFEASIBLE,
        CV_ELIMIT, CV_EBUSY,  CV_EREADONLY, CV_ESCHEMA,   CV_ENOTDB,
    };
    size_t n = sizeof(codes) / sizeof(codes[0]);
    const char *unknown = cv_strerror(12345);

    assert_int_equal(n, 17);
    assert_non_null(unknown);
    assert_string_equal(unknown, "unknown error");
    assert_string_equal(cv_strerror(1), "unknown error");
    assert_string_equal(cv_strerror(-17), "unknown error");
    assert_string_equal(cv_strerror(INT_MIN), "unknown error");
    assert_string_equal(cv_strerror(INT_MAX), "unknown error");

    for (size_t i = 0; i < n; i++) {
        const char *s = cv_strerror(codes[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        assert_string_not_equal(s, unknown);
        /* The same code always gives the same name. */
        assert_string_equal(cv_strerror(codes[i]), s);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, cv_strerror(codes[j]));
    }
    assert_string_equal(cv_strerror(CV_OK), "success");
    assert_string_equal(cv_strerror(CV_EPARSE), "bad data");
    assert_string_equal(cv_strerror(CV_ENOMEM), "out of memory");
    assert_string_equal(cv_strerror(CV_ENOTFOUND), "not found");
    /* The enum's values are the documented constants. */
    assert_int_equal(CV_ENOMEM, -1);
    assert_int_equal(CV_EINFEASIBLE, -11);
    assert_int_equal(CV_ENOTDB, -16);
}

/* ---- struct cv_ctx: clock -------------------------------------------------------------------- */

static int64_t fake_clock(void *data)
{
    int64_t *now = data;
    return *now;
}

static void test_ctx_clock(void **state)
{
    (void)state;
    struct cv_ctx *ctx = NULL;
    struct cv_error err;
    int64_t now = INT64_C(2214131696); /* 2040-02-29T12:34:56Z, past 2038 */

    cv_error_init(&err);
    assert_int_equal(cv_ctx_new(&ctx, &err), 0);
    assert_non_null(ctx);
    assert_int_equal(err.code, 0);

    /* The system clock by default. */
    int64_t t0 = (int64_t)time(NULL);
    int64_t c = cv_ctx_now(ctx);
    assert_true(c >= t0 - 5 && c <= t0 + 5);

    cv_ctx_set_clock(ctx, fake_clock, &now);
    assert_true(cv_ctx_now(ctx) == INT64_C(2214131696));
    now += 86400;
    assert_true(cv_ctx_now(ctx) == INT64_C(2214218096));
    now = -1;
    assert_true(cv_ctx_now(ctx) == -1);

    /* NULL restores the system clock. */
    cv_ctx_set_clock(ctx, NULL, NULL);
    t0 = (int64_t)time(NULL);
    c = cv_ctx_now(ctx);
    assert_true(c >= t0 - 5 && c <= t0 + 5);

    cv_ctx_free(ctx);
    cv_ctx_free(NULL);
}

/* ---- struct cv_ctx: UIDs --------------------------------------------------------------------- */

struct uid_state {
    int next;
    int fail;
};

static int fixed_uid(void *data, char out[CV_UUID_SIZE])
{
    struct uid_state *s = data;
    if (s->fail)
        return CV_EIO;
    snprintf(out, CV_UUID_SIZE, "test-uid-%04d", s->next++);
    return 0;
}

/* Checks that @s is a lower-case version 4, RFC 4122 variant UUID. */
static void assert_uuid_v4(const char *s)
{
    assert_int_equal(strlen(s), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            assert_int_equal(s[i], '-');
        } else {
            assert_non_null(strchr("0123456789abcdef", s[i]));
            assert_true(s[i] != '\0');
        }
    }
    assert_int_equal(s[14], '4');
    assert_non_null(strchr("89ab", s[19]));
    assert_true(s[19] != '\0');
}

static void test_ctx_uid(void **state)
{
    (void)state;
    struct cv_ctx *ctx = NULL;
    struct uid_state us = {1, 0};
    char uid[CV_UUID_SIZE];

    assert_int_equal(cv_ctx_new(&ctx, NULL), 0);

    /* Random v4 UUIDs by default. */
    assert_int_equal(cv_ctx_new_uid(ctx, uid), 0);
    assert_uuid_v4(uid);

    cv_ctx_set_uid_source(ctx, fixed_uid, &us);
    assert_int_equal(cv_ctx_new_uid(ctx, uid), 0);
    assert_string_equal(uid, "test-uid-0001");
    assert_int_equal(cv_ctx_new_uid(ctx, uid), 0);
    assert_string_equal(uid, "test-uid-0002");
    assert_int_equal(us.next, 3);
    /* The source's failure comes back unchanged. */
    us.fail = 1;
    assert_int_equal(cv_ctx_new_uid(ctx, uid), CV_EIO);
    assert_int_equal(us.next, 3);

    /* NULL restores random UUIDs. */
    cv_ctx_set_uid_source(ctx, NULL, NULL);
    assert_int_equal(cv_ctx_new_uid(ctx, uid), 0);
    assert_uuid_v4(uid);
    assert_int_equal(us.next, 3);
    cv_ctx_free(ctx);
}

/* ---- struct cv_ctx: log ---------------------------------------------------------------------- */

struct log_record {
    int calls;
    enum cv_log_level level;
    char msg[2048];
};

static void record_log(void *data, enum cv_log_level level, const char *msg)
{
    struct log_record *r = data;
    r->calls++;
    r->level = level;
    snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

static void test_ctx_log(void **state)
{
    (void)state;
    struct cv_ctx *ctx = NULL;
    struct log_record rec = {0, CV_LOG_DEBUG, ""};

    assert_int_equal(cv_ctx_new(&ctx, NULL), 0);
    /* No log callback: nothing happens. */
    cv_log(ctx, CV_LOG_ERROR, "dropped %d", 1);
    cv_log(NULL, CV_LOG_ERROR, "no context");

    cv_ctx_set_log(ctx, record_log, &rec, CV_LOG_WARN);
    cv_log(ctx, CV_LOG_DEBUG, "debug %d", 1);
    cv_log(ctx, CV_LOG_INFO, "info %d", 2);
    assert_int_equal(rec.calls, 0);
    cv_log(ctx, CV_LOG_WARN, "warn %s %d", "x", 3);
    assert_int_equal(rec.calls, 1);
    assert_int_equal(rec.level, CV_LOG_WARN);
    assert_string_equal(rec.msg, "warn x 3");
    cv_log(ctx, CV_LOG_ERROR, "error %d", 4);
    assert_int_equal(rec.calls, 2);
    assert_int_equal(rec.level, CV_LOG_ERROR);
    assert_string_equal(rec.msg, "error 4");

    /* Lowering the level lets debug lines through. */
    cv_ctx_set_log(ctx, record_log, &rec, CV_LOG_DEBUG);
    cv_log(ctx, CV_LOG_DEBUG, "debug %d", 5);
    assert_int_equal(rec.calls, 3);
    assert_int_equal(rec.level, CV_LOG_DEBUG);
    assert_string_equal(rec.msg, "debug 5");

    /* Only errors. */
    cv_ctx_set_log(ctx, record_log, &rec, CV_LOG_ERROR);
    cv_log(ctx, CV_LOG_WARN, "warn");
    assert_int_equal(rec.calls, 3);
    cv_log(ctx, CV_LOG_ERROR, "%s", "");
    assert_int_equal(rec.calls, 4);
    assert_string_equal(rec.msg, "");

    /* A long line is cut, still NUL-terminated. */
    char big[3000];
    memset(big, 'L', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cv_log(ctx, CV_LOG_ERROR, "%s", big);
    assert_int_equal(rec.calls, 5);
    assert_true(strlen(rec.msg) > 0 && strlen(rec.msg) < sizeof(big) - 1);
    assert_int_equal(rec.msg[0], 'L');

    /* NULL silences the log. */
    cv_ctx_set_log(ctx, NULL, NULL, CV_LOG_DEBUG);
    cv_log(ctx, CV_LOG_ERROR, "silenced");
    assert_int_equal(rec.calls, 5);
    cv_ctx_free(ctx);
}

/* ---- randomness ------------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_uuid_v4(void **state)
{
    (void)state;
    enum { N = 1000 };
    char(*uids)[CV_UUID_SIZE] = calloc(N, CV_UUID_SIZE);
    assert_non_null(uids);

    for (int i = 0; i < N; i++) {
        memset(uids[i], 'Z', CV_UUID_SIZE);
        assert_int_equal(cv_uuid_v4(uids[i]), 0);
        assert_int_equal(uids[i][36], '\0');
        assert_uuid_v4(uids[i]);
    }
    qsort(uids, N, CV_UUID_SIZE, cmp_str);
    for (int i = 1; i < N; i++)
        assert_string_not_equal(uids[i - 1], uids[i]);
    free(uids);
}

static void test_random_bytes(void **state)
{
    (void)state;
    unsigned char a[64], b[64];
    unsigned char guard[8];

    memset(guard, 0xa5, sizeof(guard));
    assert_int_equal(cv_random_bytes(guard, 0), 0);
    for (size_t i = 0; i < sizeof(guard); i++)
        assert_int_equal(guard[i], 0xa5);

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_int_equal(cv_random_bytes(a, sizeof(a)), 0);
    assert_int_equal(cv_random_bytes(b, sizeof(b)), 0);
    /* 512 random bits twice the same, or all zero, would be a broken source. */
    assert_memory_not_equal(a, b, sizeof(a));
    unsigned char zero[64] = {0};
    assert_memory_not_equal(a, zero, sizeof(a));

    /* Only @len bytes are written. */
    unsigned char c[16];
    memset(c, 0xa5, sizeof(c));
    assert_int_equal(cv_random_bytes(c, 8), 0);
    for (size_t i = 8; i < sizeof(c); i++)
        assert_int_equal(c[i], 0xa5);

    /* A large request is filled completely: every byte value shows up in 1 MiB. */
    size_t n = 1 << 20;
    unsigned char *big = calloc(1, n);
    assert_non_null(big);
    assert_int_equal(cv_random_bytes(big, n), 0);
    int seen[256] = {0};
    for (size_t i = 0; i < n; i++)
        seen[big[i]] = 1;
    for (int v = 0; v < 256; v++)
        assert_int_equal(seen[v], 1);
    /* The last 4 KiB are not left zero. */
    size_t zeros = 0;
    for (size_t i = n - 4096; i < n; i++)
        zeros += big[i] == 0;
    assert_true(zeros < 100);
    free(big);
}

static void test_version(void **state)
{
    (void)state;
    const char *v = cv_version();
    int major = -1, minor = -1, patch = -1, used = 0;

    assert_non_null(v);
    assert_int_equal(sscanf(v, "%d.%d.%d%n", &major, &minor, &patch, &used), 3);
    assert_int_equal((size_t)used, strlen(v));
    assert_true(major >= 0 && minor >= 0 && patch >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_init),
        cmocka_unit_test(test_error_set),
        cmocka_unit_test(test_error_set_truncates),
        cmocka_unit_test(test_error_at),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_ctx_clock),
        cmocka_unit_test(test_ctx_uid),
        cmocka_unit_test(test_ctx_log),
        cmocka_unit_test(test_uuid_v4),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
