/* SPDX-License-Identifier: MIT */
/* convene/error.h: the status codes every function returns and the error detail it fills. */
#ifndef CONVENE_ERROR_H
#define CONVENE_ERROR_H

/*
 * Fallible functions return int: 0 (CV_OK) on success, one of these negative codes on failure.
 */
enum cv_status {
    CV_OK = 0,
    CV_ENOMEM = -1,       /* out of memory */
    CV_EINVAL = -2,       /* an invalid argument or value */
    CV_ENOTFOUND = -3,    /* no such file, event, person or calendar */
    CV_ECONFLICT = -4,    /* a duplicate key or a state that forbids the change */
    CV_ESTORE = -5,       /* the database failed */
    CV_EPARSE = -6,       /* input that does not parse */
    CV_EIO = -7,          /* a read or write failed */
    CV_ESMTP = -8,        /* the mail server refused */
    CV_ETEMP = -9,        /* a temporary failure: try again later */
    CV_EHTTP = -10,       /* an HTTP transfer failed */
    CV_EINFEASIBLE = -11, /* the constraints cannot all be met */
    CV_ELIMIT = -12,      /* input larger than a set limit */
    CV_EBUSY = -13,       /* the database is locked by another process */
    CV_EREADONLY = -14,   /* the database cannot be written */
    CV_ESCHEMA = -15,     /* the database was written by a newer convene */
    CV_ENOTDB = -16,      /* the file is not a convene database */
};

#define CV_ERROR_MSG_MAX  512
#define CV_ERROR_FILE_MAX 256

/*
 * Detail of a failure, owned by the caller (usually on the stack). Filling it never allocates.
 * @code      the enum cv_status returned
 * @lib_code  the underlying library's code (SQLite extended code, curl code, SMTP reply, HTTP
 *            status), 0 when none
 * @file      the input file the error is about, "" when none
 * @line      the line in @file, 0 when none
 * @msg       what failed and what to do, one line
 */
struct cv_error {
    int code;
    long lib_code;
    long line;
    char file[CV_ERROR_FILE_MAX];
    char msg[CV_ERROR_MSG_MAX];
};

/* Resets @err to "no error". @err may be NULL. */
void cv_error_init(struct cv_error *err);

/*
 * Fills @err (if not NULL) with @code and a formatted message; keeps file and line.
 * @return @code, so that `return cv_error_set(err, CV_EINVAL, "...")` reads naturally
 */
int cv_error_set(struct cv_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the file and line an error is about. @err may be NULL; @file may be NULL. */
void cv_error_at(struct cv_error *err, const char *file, long line);

/* @return a constant name for @code, such as "bad data" for CV_EPARSE; never NULL */
const char *cv_strerror(int code);

#endif
