/* SPDX-License-Identifier: MIT */
/* ctx.c: the context (clock, UID source, log) and the OS random source. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include <convene/core.h>

#include "cv_config.h"
#include "banned.h"

struct cv_ctx {
    cv_clock_fn clock;
    void *clock_data;
    cv_uid_fn uid;
    void *uid_data;
    cv_sleep_fn sleep;
    void *sleep_data;
    cv_log_fn log;
    void *log_data;
    enum cv_log_level log_level;
};

int cv_ctx_new(struct cv_ctx **ret, struct cv_error *err)
{
    struct cv_ctx *ctx = calloc(1, sizeof(*ctx));
    *ret = NULL;
    if (!ctx)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    ctx->log_level = CV_LOG_WARN;
    *ret = ctx;
    return 0;
}

void cv_ctx_free(struct cv_ctx *ctx)
{
    free(ctx);
}

void cv_ctx_set_clock(struct cv_ctx *ctx, cv_clock_fn fn, void *data)
{
    ctx->clock = fn;
    ctx->clock_data = data;
}

void cv_ctx_set_sleep(struct cv_ctx *ctx, cv_sleep_fn fn, void *data)
{
    ctx->sleep = fn;
    ctx->sleep_data = data;
}

void cv_ctx_sleep(struct cv_ctx *ctx, double seconds)
{
    if (seconds <= 0)
        return;
    if (ctx->sleep) {
        ctx->sleep(ctx->sleep_data, seconds);
        return;
    }
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

double cv_ctx_monotonic(const struct cv_ctx *ctx)
{
    if (ctx->clock)
        return (double)ctx->clock(ctx->clock_data);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cv_ctx_set_uid_source(struct cv_ctx *ctx, cv_uid_fn fn, void *data)
{
    ctx->uid = fn;
    ctx->uid_data = data;
}

void cv_ctx_set_log(struct cv_ctx *ctx, cv_log_fn fn, void *data, enum cv_log_level min_level)
{
    ctx->log = fn;
    ctx->log_data = data;
    ctx->log_level = min_level;
}

int64_t cv_ctx_now(const struct cv_ctx *ctx)
{
    if (ctx->clock)
        return ctx->clock(ctx->clock_data);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int cv_ctx_new_uid(struct cv_ctx *ctx, char out[CV_UUID_SIZE])
{
    if (ctx->uid)
        return ctx->uid(ctx->uid_data, out);
    return cv_uuid_v4(out);
}

void cv_log(struct cv_ctx *ctx, enum cv_log_level level, const char *fmt, ...)
{
    char line[1024];
    if (!ctx || !ctx->log || level < ctx->log_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    ctx->log(ctx->log_data, level, line);
}

int cv_random_bytes(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t r = getrandom(p, len, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return CV_EIO;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

int cv_uuid_v4(char out[CV_UUID_SIZE])
{
    unsigned char b[16];
    int rc = cv_random_bytes(b, sizeof(b));
    if (rc < 0)
        return rc;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, CV_UUID_SIZE,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return 0;
}

const char *cv_version(void)
{
    return CONVENE_VERSION;
}
