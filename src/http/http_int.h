/* SPDX-License-Identifier: MIT */
/* http_int.h: what the http module's files share; no other module includes it. */
#ifndef CV_HTTP_INT_H
#define CV_HTTP_INT_H

#include <convene/http.h>

#define TYPE_CALENDAR "text/calendar; charset=utf-8"
#define TYPE_HTML     "text/html; charset=utf-8"

/*
 * Reads a folder convene publish wrote: NAME.ics and NAME.html at its top, private/HASH.ics and
 * private/HASH.html (a person's page with CV_FEED_TOKEN_MARKER back in place of the hash of
 * their token), each with its file's time; other files, links and folders are left out.
 * @return 0 with the files appended to @out; CV_ENOTFOUND (no such folder), CV_EIO or CV_ENOMEM
 */
int http_site_load_dir(const char *dir, struct cv_site *out, struct cv_error *err);

#endif
