/* SPDX-License-Identifier: MIT */
/* convene/util.h: capped buffers, dates, text checks, files and CSV: the helpers below everything.
 */
#ifndef CONVENE_UTIL_H
#define CONVENE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <convene/error.h>

/* ---- struct cv_buf: a growable string with a maximum size ---------------------------------- */

/*
 * A byte buffer, always NUL-terminated and never NULL after cv_buf_init(). Growth past @max
 * fails with CV_ELIMIT, so input from outside cannot make it grow without bound.
 */
struct cv_buf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t max;
};

/* No limit beyond memory; use for text built by convene itself. */
#define CV_BUF_NOLIMIT ((size_t)-1)

/* Initialises @b empty with a maximum length of @max bytes (not counting the NUL). */
void cv_buf_init(struct cv_buf *b, size_t max);
/* Frees @b's memory and leaves it initialised and empty. */
void cv_buf_release(struct cv_buf *b);
/* Empties @b, keeping its memory. */
void cv_buf_reset(struct cv_buf *b);
/* Appends @len bytes. @return 0, CV_ENOMEM or CV_ELIMIT; on failure @b is unchanged. */
int cv_buf_add(struct cv_buf *b, const void *data, size_t len);
/* Appends a NUL-terminated string. Same returns as cv_buf_add(). */
int cv_buf_addstr(struct cv_buf *b, const char *s);
/* Appends one byte. Same returns as cv_buf_add(). */
int cv_buf_addch(struct cv_buf *b, char c);
/*
 * Appends @len bytes at @data (NUL-terminated) with every occurrence of @from (not empty)
 * replaced by @to. Same returns as cv_buf_add(); on failure @b may hold part of the text.
 */
int cv_buf_add_replaced(struct cv_buf *b, const char *data, size_t len, const char *from,
                        const char *to);
/* Appends formatted text. Same returns as cv_buf_add(). */
int cv_buf_addf(struct cv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Hands the string over to the caller, who frees it; @b is left empty. Never NULL: an empty
 * buffer gives an allocated "". @return the string, or NULL when out of memory.
 */
char *cv_buf_detach(struct cv_buf *b);

/* ---- memory and strings ---------------------------------------------------------------------- */

/*
 * Makes room for @need elements of @size bytes in the array *@p of capacity *@alloc.
 * @return 0 or CV_ENOMEM (the array is unchanged on failure)
 */
int cv_grow(void *p, size_t *alloc, size_t need, size_t size);

/*
 * Replaces *@dst with a copy of @src (NULL frees it and stores NULL).
 * @return 0 or CV_ENOMEM (then *@dst is unchanged)
 */
int cv_str_set(char **dst, const char *src);

/* @return true when @a and @b are both NULL or hold the same text */
bool cv_str_eq(const char *a, const char *b);

/* Copies @src into @dst of @size bytes, truncating. @return true when nothing was cut. */
bool cv_str_copy(char *dst, size_t size, const char *src);

/* @return true when @s (of @len bytes) is well-formed UTF-8 without overlongs or surrogates */
bool cv_utf8_is_valid(const char *s, size_t len);

/* @return true when @s contains a control character (CR, LF, NUL before @len, or any C0 but TAB) */
bool cv_has_ctl(const char *s);

/* @return true when @s is a key: [a-z0-9-]{1,64}, not starting or ending with '-' */
bool cv_slug_is_valid(const char *s);

/*
 * Writes a key made from @text to @out (of @size bytes, at least 2): lower-case ASCII letters
 * and digits, other runs turned into '-', at most 64 characters. @return true when non-empty.
 */
bool cv_slugify(const char *text, char *out, size_t size);

/*
 * @return true when @s is a plain address "local@domain": printable ASCII, no spaces, quotes,
 * angle brackets or control characters, one '@', a dotted domain, at most 254 octets
 */
bool cv_email_is_valid(const char *s);

/*
 * @return true when @s is a clean URI convene may write: http:// or https:// with a host, or
 * mailto: with a valid address; printable ASCII only, without spaces, quotes, angle brackets,
 * backslashes or the other characters RFC 3986 never allows unencoded; at most 2,000 octets
 */
bool cv_uri_is_valid(const char *s);

/* @return true when @s is one of the languages convene writes: "en", "fr", "es", "ar" */
bool cv_lang_is_supported(const char *s);

/* @return true when @s is two upper-case ASCII letters (an ISO 3166 alpha-2 code's shape) */
bool cv_country_code_is_valid(const char *s);

/*
 * Parses a decimal integer in [@min, @max] filling all of @s.
 * @return 0, or CV_EINVAL (then *@out is unchanged)
 */
int cv_parse_long(const char *s, long min, long max, long *out);

/* A set of strings, for duplicate checks in linear time. */
struct cv_strset {
    char **slots;
    size_t cap;
    size_t n;
};

void cv_strset_init(struct cv_strset *s);
void cv_strset_release(struct cv_strset *s);
/* @return true when @k is in the set */
bool cv_strset_has(const struct cv_strset *s, const char *k);
/* Adds a copy of @k. @return 1 when added, 0 when it was there already, or CV_ENOMEM. */
int cv_strset_add(struct cv_strset *s, const char *k);

/* ---- hashing ------------------------------------------------------------------------------- */

#define CV_SHA256_SIZE     32
#define CV_SHA256_HEX_SIZE 65

/* SHA-256 of @len bytes at @data. */
void cv_sha256(const void *data, size_t len, unsigned char out[CV_SHA256_SIZE]);
/* SHA-256 as 64 lower-case hex digits and a NUL. */
void cv_sha256_hex(const void *data, size_t len, char out[CV_SHA256_HEX_SIZE]);
/* Writes @len bytes as 2 * @len lower-case hex digits and a NUL. */
void cv_hex(const unsigned char *data, size_t len, char *out);
/* Compares in time that depends only on @len, not on where the bytes differ. */
bool cv_mem_equal_ct(const void *a, const void *b, size_t len);

/* ---- dates and time -------------------------------------------------------------------------- */

/* A calendar date (proleptic Gregorian). A zero year means "no date". */
struct cv_date {
    int year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* Size of the text "YYYY-MM-DD" with its NUL. */
#define CV_DATE_SIZE 11

/* @return true when @d is set (year != 0) */
bool cv_date_is_set(const struct cv_date *d);
/* @return true when @d is a real date between years 1 and 9999 */
bool cv_date_is_valid(const struct cv_date *d);
/* Parses "YYYY-MM-DD" or "YYYYMMDD". @return 0 or CV_EINVAL. */
int cv_date_parse(const char *s, struct cv_date *out);
/* Parses "DATE..DATE" (inclusive). @return 0, or CV_EINVAL also when the end is before the start.
 */
int cv_date_range_parse(const char *s, struct cv_date *first, struct cv_date *last);
/* Writes "YYYY-MM-DD" (or "" when unset) to @out. */
void cv_date_format(const struct cv_date *d, char out[CV_DATE_SIZE]);
/* @return days since 1970-01-01 (negative before) */
int64_t cv_date_to_days(const struct cv_date *d);
/* The date @days days after 1970-01-01. */
struct cv_date cv_date_from_days(int64_t days);
/* @return @d moved by @n days */
struct cv_date cv_date_add_days(const struct cv_date *d, int64_t n);
/* @return the ISO weekday of @d: 1 Monday .. 7 Sunday */
int cv_date_weekday(const struct cv_date *d);
/* @return <0, 0 or >0 as @a is before, equal to or after @b */
int cv_date_cmp(const struct cv_date *a, const struct cv_date *b);

/* Weekdays as a bit mask: bit (weekday - 1), so Monday is 1 and Sunday 64. */
#define CV_WEEKDAY_BIT(wd) (1u << ((wd)-1))
/*
 * Parses a list of English day names or abbreviations ("sat,sun", "fri sat") into a mask.
 * @return 0 or CV_EINVAL
 */
int cv_weekdays_parse(const char *s, unsigned *mask);
/* Writes a mask as "mon,tue,..." to @out of @size bytes. */
void cv_weekdays_format(unsigned mask, char *out, size_t size);

/* Size of "YYYY-MM-DDTHH:MM:SSZ" with its NUL. */
#define CV_TIME_SIZE 21
/* Writes @t (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ". */
void cv_time_format_utc(int64_t t, char out[CV_TIME_SIZE]);
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (or a bare date, taken as midnight UTC). @return 0 or CV_EINVAL. */
int cv_time_parse_utc(const char *s, int64_t *out);

/*
 * @return true when @tzid names a zone in the system's time zone database ($TZDIR or
 * /usr/share/zoneinfo): a relative path of letters, digits and "/_-+", naming a TZif file
 */
bool cv_tz_exists(const char *tzid);

/* A span of time in UTC seconds: [start, end). */
struct cv_interval {
    int64_t start;
    int64_t end;
};

/* A time zone read from the system's zone database. */
struct cv_tz;

/*
 * Reads the IANA zone @tzid from $TZDIR or /usr/share/zoneinfo (TZif, RFC 8536), with the POSIX
 * rule of its footer for the years past its last transition.
 * @return 0 with *@ret owned by the caller (cv_tz_free), CV_EINVAL or CV_ENOMEM
 */
int cv_tz_load(const char *tzid, struct cv_tz **ret, struct cv_error *err);
/* Frees @tz; NULL is a no-op. */
void cv_tz_free(struct cv_tz *tz);
/* @return the zone's offset from UTC at the instant @t, in seconds east of UTC */
int cv_tz_offset(const struct cv_tz *tz, int64_t t);
/*
 * @return the UTC instant of @minute (after local midnight) on the local date @d; a local time
 * a spring change skips comes out as the instant the same number of minutes after the change
 */
int64_t cv_tz_local_to_utc(const struct cv_tz *tz, const struct cv_date *d, int minute);
/* @return the zone's IANA name */
const char *cv_tz_name(const struct cv_tz *tz);

/* ---- files ----------------------------------------------------------------------------------- */

/*
 * Reads the whole of @path into @out (appending), refusing files over @max bytes.
 * @return 0; CV_ENOTFOUND (no such file), CV_EIO (unreadable, a directory), CV_ELIMIT (too
 * large, nothing appended) or CV_ENOMEM. @err names the file.
 */
int cv_file_read(const char *path, size_t max, struct cv_buf *out, struct cv_error *err);

/* ---- CSV (RFC 4180) -------------------------------------------------------------------------- */

/* A reader over a CSV text in memory: a header row, quoted fields, CRLF or LF, optional BOM. */
struct cv_csv {
    const char *p;
    const char *end;
    long line; /* the line the next row starts on */
    size_t max_fields;
};

/* One row; the fields are owned by the row. */
struct cv_csv_row {
    char **fields;
    size_t n;
    size_t alloc;
    long line; /* the line the row starts on */
};

/* Initialises @csv over @len bytes at @data (not copied: it must outlive the reader). */
void cv_csv_init(struct cv_csv *csv, const char *data, size_t len);
void cv_csv_row_init(struct cv_csv_row *row);
void cv_csv_row_release(struct cv_csv_row *row);
/*
 * Reads the next row into @row (replacing its fields).
 * @return 1 for a row, 0 at the end, or CV_EPARSE (an unterminated quote, text after a closing
 * quote, invalid UTF-8, more than max_fields fields; @err has the line) or CV_ENOMEM
 */
int cv_csv_next(struct cv_csv *csv, struct cv_csv_row *row, struct cv_error *err);
/* @return true when every field of @row is empty (a blank line) */
bool cv_csv_row_is_blank(const struct cv_csv_row *row);

#endif
