/* SPDX-License-Identifier: MIT */
/* convene/defaults.h: the shipped calendars (calendars/), compiled into the library. */
#ifndef CONVENE_DEFAULTS_H
#define CONVENE_DEFAULTS_H

#include <stddef.h>

/* One shipped file: its path relative to calendars/ and its bytes (not NUL-terminated). */
struct cv_default_file {
    const char *path;
    const unsigned char *data;
    size_t len;
};

/* @return the shipped files, sorted by path; *@n receives their number */
const struct cv_default_file *cv_defaults_files(size_t *n);

/* @return the shipped file at @path (relative to calendars/), or NULL */
const struct cv_default_file *cv_defaults_find(const char *path);

#endif
