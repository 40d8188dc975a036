/* SPDX-License-Identifier: MIT */
/* error.c: struct cv_error and the names of the status codes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <convene/error.h>
#include <convene/util.h>

#include "banned.h"

void cv_error_init(struct cv_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->lib_code = 0;
    err->line = 0;
    err->file[0] = '\0';
    err->msg[0] = '\0';
}

int cv_error_set(struct cv_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    err->code = code;
    return code;
}

void cv_error_at(struct cv_error *err, const char *file, long line)
{
    if (!err)
        return;
    if (file)
        cv_str_copy(err->file, sizeof(err->file), file);
    err->line = line;
}

const char *cv_strerror(int code)
{
    switch (code) {
    case CV_OK:
        return "success";
    case CV_ENOMEM:
        return "out of memory";
    case CV_EINVAL:
        return "invalid value";
    case CV_ENOTFOUND:
        return "not found";
    case CV_ECONFLICT:
        return "conflict";
    case CV_ESTORE:
        return "database error";
    case CV_EPARSE:
        return "bad data";
    case CV_EIO:
        return "input/output error";
    case CV_ESMTP:
        return "mail server error";
    case CV_ETEMP:
        return "temporary failure";
    case CV_EHTTP:
        return "HTTP error";
    case CV_EINFEASIBLE:
        return "infeasible";
    case CV_ELIMIT:
        return "over a limit";
    case CV_EBUSY:
        return "database locked";
    case CV_EREADONLY:
        return "database read-only";
    case CV_ESCHEMA:
        return "database from a newer convene";
    case CV_ENOTDB:
        return "not a convene database";
    }
    return "unknown error";
}
