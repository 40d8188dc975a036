/* SPDX-License-Identifier: MIT */
/* tz.c: UTC offsets of IANA zones from the system's TZif files (RFC 8536), with the POSIX TZ
 * rule of their footer for instants past the last transition (after 2037), so that local times
 * are right across DST changes in any year. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <convene/util.h>

#include "banned.h"

#define TZ_MAX_FILE (256 * 1024)

/* A POSIX TZ rule: "EST5EDT,M3.2.0,M11.1.0". Offsets east of UTC, in seconds. */
struct rule {
    bool has_dst;
    int std_off, dst_off;
    int start_m, start_w, start_d, start_t; /* Mm.w.d/time: month, week 1-5, weekday 0-6 */
    int end_m, end_w, end_d, end_t;
};

struct cv_tz {
    int64_t *times; /* transitions, UTC seconds, ascending */
    int *offs;      /* the offset in force from each transition on */
    size_t n;
    int first_off; /* before the first transition */
    bool has_rule;
    struct rule rule;
    char name[65];
};

static int64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    if (n == 4)
        return (int64_t)(int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* Parses "[+-]hh[:mm[:ss]]" at *@p; POSIX offsets are west of UTC, so the sign is flipped. */
static bool posix_offset(const char **p, int *out)
{
    int sign = 1, h = 0, m = 0, s = 0;
    if (**p == '+' || **p == '-')
        sign = *(*p)++ == '-' ? -1 : 1;
    if (**p < '0' || **p > '9')
        return false;
    while (**p >= '0' && **p <= '9')
        h = h * 10 + (*(*p)++ - '0');
    if (**p == ':') {
        (*p)++;
        while (**p >= '0' && **p <= '9')
            m = m * 10 + (*(*p)++ - '0');
        if (**p == ':') {
            (*p)++;
            while (**p >= '0' && **p <= '9')
                s = s * 10 + (*(*p)++ - '0');
        }
    }
    *out = -sign * (h * 3600 + m * 60 + s);
    return h <= 167;
}

static bool posix_name(const char **p)
{
    if (**p == '<') {
        while (**p && **p != '>')
            (*p)++;
        if (**p != '>')
            return false;
        (*p)++;
        return true;
    }
    const char *start = *p;
    while ((**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z'))
        (*p)++;
    return *p - start >= 3;
}

/* "Mm.w.d[/time]"; other forms (Jn, n) do not occur in the IANA data for these years. */
static bool posix_date(const char **p, int *m, int *w, int *d, int *t)
{
    if (*(*p)++ != 'M')
        return false;
    *m = (int)strtol(*p, (char **)p, 10);
    if (*(*p)++ != '.')
        return false;
    *w = (int)strtol(*p, (char **)p, 10);
    if (*(*p)++ != '.')
        return false;
    *d = (int)strtol(*p, (char **)p, 10);
    *t = 7200;
    if (**p == '/') {
        (*p)++;
        int off;
        if (!posix_offset(p, &off))
            return false;
        *t = -off; /* a time of day, not an offset: undo the flip */
    }
    return *m >= 1 && *m <= 12 && *w >= 1 && *w <= 5 && *d >= 0 && *d <= 6;
}

static bool parse_rule(const char *s, struct rule *r)
{
    const char *p = s;
    memset(r, 0, sizeof(*r));
    if (!posix_name(&p) || !posix_offset(&p, &r->std_off))
        return false;
    if (!*p)
        return true;
    if (!posix_name(&p))
        return false;
    r->dst_off = r->std_off + 3600;
    if (*p != ',' && !posix_offset(&p, &r->dst_off))
        return false;
    if (*p++ != ',' || !posix_date(&p, &r->start_m, &r->start_w, &r->start_d, &r->start_t) ||
        *p++ != ',' || !posix_date(&p, &r->end_m, &r->end_w, &r->end_d, &r->end_t))
        return false;
    r->has_dst = true;
    return *p == '\0';
}

/* Days since the epoch of the w-th weekday d (0 Sunday) of month m in year y (w 5: the last). */
static int64_t nth_weekday(int y, int m, int w, int d)
{
    struct cv_date first = {y, m, 1};
    int64_t day = cv_date_to_days(&first);
    int wd = cv_date_weekday(&first) % 7; /* 0 Sunday */
    day += (d - wd + 7) % 7 + (int64_t)(w - 1) * 7;
    struct cv_date probe = cv_date_from_days(day);
    while (probe.month != m) {
        day -= 7;
        probe = cv_date_from_days(day);
    }
    return day;
}

static int rule_offset(const struct rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    struct cv_date d = cv_date_from_days((t + r->std_off) / 86400 - ((t + r->std_off) < 0));
    int y = d.year;
    /* Transition instants in UTC: local standard time for the start, daylight for the end. */
    int64_t start =
        nth_weekday(y, r->start_m, r->start_w, r->start_d) * 86400 + r->start_t - r->std_off;
    int64_t end = nth_weekday(y, r->end_m, r->end_w, r->end_d) * 86400 + r->end_t - r->dst_off;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

void cv_tz_free(struct cv_tz *tz)
{
    if (!tz)
        return;
    free(tz->times);
    free(tz->offs);
    free(tz);
}

int cv_tz_load(const char *tzid, struct cv_tz **ret, struct cv_error *err)
{
    char path[512];
    unsigned char *d = NULL;
    struct cv_tz *tz = NULL;
    ssize_t len = 0;
    int rc = CV_EINVAL;

    *ret = NULL;
    if (!cv_tz_exists(tzid))
        return cv_error_set(err, CV_EINVAL, "unknown time zone '%s'", tzid);
    const char *dir = getenv("TZDIR");
    snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tzid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    d = malloc(TZ_MAX_FILE);
    if (fd < 0 || !d) {
        rc = d ? CV_EINVAL : CV_ENOMEM;
        goto fail;
    }
    for (ssize_t r; len < TZ_MAX_FILE && (r = read(fd, d + len, TZ_MAX_FILE - (size_t)len)) > 0;)
        len += r;
    close(fd);
    fd = -1;
    if (len < 44 || memcmp(d, "TZif", 4) != 0 || d[4] < '2')
        goto fail;
    /* Skip the version 1 block (32-bit times) to the version 2 header. */
    int64_t c[6];
    for (int i = 0; i < 6; i++)
        c[i] = be(d + 20 + 4 * i, 4);
    size_t off = 44 + (size_t)(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (off + 44 > (size_t)len || memcmp(d + off, "TZif", 4) != 0)
        goto fail;
    for (int i = 0; i < 6; i++)
        c[i] = be(d + off + 20 + 4 * i, 4);
    int64_t isut = c[0], isstd = c[1], leap = c[2], timecnt = c[3], typecnt = c[4], charcnt = c[5];
    if (timecnt < 0 || timecnt > 10000 || typecnt < 1 || typecnt > 256)
        goto fail;
    size_t p = off + 44;
    size_t need = (size_t)(timecnt * 9 + typecnt * 6 + charcnt + leap * 12 + isstd + isut);
    if (p + need > (size_t)len)
        goto fail;
    tz = calloc(1, sizeof(*tz));
    if (!tz || !(tz->times = malloc((size_t)(timecnt ? timecnt : 1) * sizeof(int64_t))) ||
        !(tz->offs = malloc((size_t)(timecnt ? timecnt : 1) * sizeof(int)))) {
        rc = CV_ENOMEM;
        goto fail;
    }
    const unsigned char *types = d + p + timecnt * 9;
    for (int64_t i = 0; i < timecnt; i++) {
        unsigned idx = d[p + (size_t)timecnt * 8 + (size_t)i];
        if (idx >= typecnt)
            goto fail;
        tz->times[i] = be(d + p + (size_t)i * 8, 8);
        tz->offs[i] = (int)be(types + idx * 6, 4);
    }
    tz->n = (size_t)timecnt;
    tz->first_off = (int)be(types, 4);
    /* The footer: "\n<POSIX TZ>\n" after the version 2 data. */
    size_t foot = p + need;
    if (foot + 2 <= (size_t)len && d[foot] == '\n') {
        char rule[128];
        size_t k = 0;
        for (size_t i = foot + 1; i < (size_t)len && d[i] != '\n' && k + 1 < sizeof(rule); i++)
            rule[k++] = (char)d[i];
        rule[k] = '\0';
        tz->has_rule = k > 0 && parse_rule(rule, &tz->rule);
    }
    cv_str_copy(tz->name, sizeof(tz->name), tzid);
    free(d);
    *ret = tz;
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    free(d);
    cv_tz_free(tz);
    if (rc == CV_ENOMEM)
        return cv_error_set(err, CV_ENOMEM, "cannot read the time zone '%s': out of memory", tzid);
    return cv_error_set(err, CV_EINVAL, "cannot read the time zone '%s' from the zone database",
                        tzid);
}

int cv_tz_offset(const struct cv_tz *tz, int64_t t)
{
    if (tz->n == 0 || t < tz->times[0])
        return tz->n == 0 && tz->has_rule ? rule_offset(&tz->rule, t) : tz->first_off;
    if (t >= tz->times[tz->n - 1] && tz->has_rule)
        return rule_offset(&tz->rule, t);
    size_t lo = 0, hi = tz->n; /* the last transition <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tz->times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return tz->offs[lo];
}

int64_t cv_tz_local_to_utc(const struct cv_tz *tz, const struct cv_date *d, int minute)
{
    int64_t local = cv_date_to_days(d) * 86400 + (int64_t)minute * 60;
    int64_t t = local - cv_tz_offset(tz, local);
    /* Once more with the offset in force at the first guess: right on both sides of a change;
     * a local time skipped by a spring change moves forward by the gap. */
    int64_t t2 = local - cv_tz_offset(tz, t);
    return cv_tz_offset(tz, t2) == (int)(local - t2) ? t2 : t;
}

const char *cv_tz_name(const struct cv_tz *tz)
{
    return tz->name;
}
