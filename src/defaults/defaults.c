/* SPDX-License-Identifier: MIT */
/* defaults.c: lookup of the shipped calendars compiled in by embed.c. */
#include <string.h>

#include <convene/defaults.h>

#include "banned.h"

/* Written by embed.c, sorted by path. */
extern const struct cv_default_file defaults_files[];
extern const unsigned long defaults_nfiles;

const struct cv_default_file *cv_defaults_files(size_t *n)
{
    *n = defaults_nfiles;
    return defaults_files;
}

const struct cv_default_file *cv_defaults_find(const char *path)
{
    for (size_t i = 0; i < defaults_nfiles; i++) {
        if (strcmp(defaults_files[i].path, path) == 0)
            return &defaults_files[i];
    }
    return NULL;
}
