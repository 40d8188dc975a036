/* SPDX-License-Identifier: MIT */
/* convene/core.h: the context every operation runs in: clock, UID source, log, randomness. */
#ifndef CONVENE_CORE_H
#define CONVENE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include <convene/error.h>

/* A UUID as text: 36 characters and a NUL. */
#define CV_UUID_SIZE 37

enum cv_log_level {
    CV_LOG_DEBUG = 0,
    CV_LOG_INFO = 1,
    CV_LOG_WARN = 2,
    CV_LOG_ERROR = 3,
};

/* Returns the current time as seconds since 1970-01-01T00:00:00Z. */
typedef int64_t (*cv_clock_fn)(void *data);
/* Writes a new UID (a NUL-terminated string shorter than CV_UUID_SIZE) to @out; 0 or < 0. */
typedef int (*cv_uid_fn)(void *data, char out[CV_UUID_SIZE]);
/* Waits @seconds. */
typedef void (*cv_sleep_fn)(void *data, double seconds);
/* Receives one log line, without a trailing newline. */
typedef void (*cv_log_fn)(void *data, enum cv_log_level level, const char *msg);

struct cv_ctx;

/*
 * Creates a context with the system clock, random v4 UUIDs and no log.
 * @return 0, or CV_ENOMEM. On success the caller owns *@ret and frees it with cv_ctx_free().
 */
int cv_ctx_new(struct cv_ctx **ret, struct cv_error *err);

/* Frees @ctx; NULL is a no-op. */
void cv_ctx_free(struct cv_ctx *ctx);

/* Replaces the clock (tests run it forward). @fn NULL restores the system clock. */
void cv_ctx_set_clock(struct cv_ctx *ctx, cv_clock_fn fn, void *data);

/*
 * Replaces how the context waits (the sending rate limits): tests give a wait that moves their
 * clock forward instead of sleeping. @fn NULL restores nanosleep().
 */
void cv_ctx_set_sleep(struct cv_ctx *ctx, cv_sleep_fn fn, void *data);

/* Waits @seconds through the context's wait. */
void cv_ctx_sleep(struct cv_ctx *ctx, double seconds);

/*
 * @return seconds on a clock that only goes forward, for measuring waits: CLOCK_MONOTONIC, or
 * the context's clock when it was replaced (cv_ctx_set_clock)
 */
double cv_ctx_monotonic(const struct cv_ctx *ctx);

/* Replaces the UID source (tests use fixed UIDs). @fn NULL restores random UUIDs. */
void cv_ctx_set_uid_source(struct cv_ctx *ctx, cv_uid_fn fn, void *data);

/* Sends log lines at @min_level and above to @fn. @fn NULL silences the log. */
void cv_ctx_set_log(struct cv_ctx *ctx, cv_log_fn fn, void *data, enum cv_log_level min_level);

/* @return the context's current time, seconds since the epoch (UTC) */
int64_t cv_ctx_now(const struct cv_ctx *ctx);

/*
 * Writes a new UID from the context's source to @out.
 * @return 0, or CV_EIO when the OS random source fails
 */
int cv_ctx_new_uid(struct cv_ctx *ctx, char out[CV_UUID_SIZE]);

/* Logs one line through the context's log callback. */
void cv_log(struct cv_ctx *ctx, enum cv_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Fills @buf with @len bytes from the OS CSPRNG (getrandom).
 * @return 0, or CV_EIO
 */
int cv_random_bytes(void *buf, size_t len);

/* Writes a random (version 4) UUID to @out. @return 0, or CV_EIO. */
int cv_uuid_v4(char out[CV_UUID_SIZE]);

/* @return the library's version, "MAJOR.MINOR.PATCH" */
const char *cv_version(void);

#endif
