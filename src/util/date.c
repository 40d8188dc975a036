/* SPDX-License-Identifier: MIT */
/* date.c: calendar dates, weekdays, UTC instants and the time zone database check. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <convene/util.h>

#include "banned.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool cv_date_is_set(const struct cv_date *d)
{
    return d->year != 0;
}

bool cv_date_is_valid(const struct cv_date *d)
{
    return d->year >= 1 && d->year <= 9999 && d->month >= 1 && d->month <= 12 && d->day >= 1 &&
           d->day <= month_days(d->year, d->month);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cv_date_parse(const char *s, struct cv_date *out)
{
    struct cv_date d;
    size_t n = strlen(s);

    if (n == 10 && s[4] == '-' && s[7] == '-') {
        d.year = digits(s, 4);
        d.month = digits(s + 5, 2);
        d.day = digits(s + 8, 2);
    } else if (n == 8) {
        d.year = digits(s, 4);
        d.month = digits(s + 4, 2);
        d.day = digits(s + 6, 2);
    } else {
        return CV_EINVAL;
    }
    if (!cv_date_is_valid(&d))
        return CV_EINVAL;
    *out = d;
    return 0;
}

int cv_date_range_parse(const char *s, struct cv_date *first, struct cv_date *last)
{
    const char *dots = strstr(s, "..");
    char a[16], b[16];
    struct cv_date x, y;

    if (!dots || (size_t)(dots - s) >= sizeof(a) || strlen(dots + 2) >= sizeof(b))
        return CV_EINVAL;
    memcpy(a, s, (size_t)(dots - s));
    a[dots - s] = '\0';
    cv_str_copy(b, sizeof(b), dots + 2);
    if (cv_date_parse(a, &x) < 0 || cv_date_parse(b, &y) < 0 || cv_date_cmp(&y, &x) < 0)
        return CV_EINVAL;
    *first = x;
    *last = y;
    return 0;
}

void cv_date_format(const struct cv_date *d, char out[CV_DATE_SIZE])
{
    if (!cv_date_is_set(d) || !cv_date_is_valid(d)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, CV_DATE_SIZE, "%04d-%02d-%02d", d->year, d->month, d->day);
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t cv_date_to_days(const struct cv_date *d)
{
    int64_t y = d->year - (d->month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d->month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct cv_date cv_date_from_days(int64_t z)
{
    struct cv_date d;
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

struct cv_date cv_date_add_days(const struct cv_date *d, int64_t n)
{
    return cv_date_from_days(cv_date_to_days(d) + n);
}

int cv_date_weekday(const struct cv_date *d)
{
    int64_t z = cv_date_to_days(d);   /* 1970-01-01 was a Thursday (4) */
    int64_t wd = (z % 7 + 7 + 3) % 7; /* 0 = Monday */
    return (int)wd + 1;
}

int cv_date_cmp(const struct cv_date *a, const struct cv_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_full[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday"};

int cv_weekdays_parse(const char *s, unsigned *mask)
{
    unsigned m = 0;
    const char *p = s;

    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ')
            p++;
        size_t n = (size_t)(p - start);
        int found = -1;
        /* A whole word: the three-letter abbreviation or the full English name. */
        for (int i = 0; i < 7 && found < 0; i++) {
            if ((n == 3 && strncasecmp(start, day_names[i], 3) == 0) ||
                (n == strlen(day_full[i]) && strncasecmp(start, day_full[i], n) == 0))
                found = i;
        }
        if (found < 0)
            return CV_EINVAL;
        m |= 1u << found;
    }
    *mask = m;
    return 0;
}

void cv_weekdays_format(unsigned mask, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 7; i++) {
        if (!(mask & (1u << i)))
            continue;
        int w = snprintf(out + n, size - n, "%s%s", n ? "," : "", day_names[i]);
        if (w < 0 || (size_t)w >= size - n)
            return;
        n += (size_t)w;
    }
}

void cv_time_format_utc(int64_t t, char out[CV_TIME_SIZE])
{
    /* Years 1 to 9999: what the text form can hold. */
    const int64_t lo = -62135596800, hi = 253402300799;
    if (t < lo)
        t = lo;
    if (t > hi)
        t = hi;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    struct cv_date d = cv_date_from_days(days);
    char tmp[64]; /* room for any year the arithmetic can give */
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    cv_str_copy(out, CV_TIME_SIZE, tmp);
}

int cv_time_parse_utc(const char *s, int64_t *out)
{
    struct cv_date d;
    char date[11];
    size_t n = strlen(s);

    if (n == 10)
        return cv_date_parse(s, &d) < 0 ? CV_EINVAL : (*out = cv_date_to_days(&d) * 86400, 0);
    if (n != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return CV_EINVAL;
    memcpy(date, s, 10);
    date[10] = '\0';
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (cv_date_parse(date, &d) < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return CV_EINVAL;
    *out = cv_date_to_days(&d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

bool cv_tz_exists(const char *tzid)
{
    size_t n = strlen(tzid);
    char path[512];
    char magic[4];

    if (n == 0 || n > 64 || tzid[0] == '/' || strstr(tzid, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = tzid[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("/_-+", c)))
            return false;
    }
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    int w = snprintf(path, sizeof(path), "%s/%s", dir, tzid);
    if (w < 0 || (size_t)w >= sizeof(path))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, magic, sizeof(magic));
    close(fd);
    return r == 4 && memcmp(magic, "TZif", 4) == 0;
}
