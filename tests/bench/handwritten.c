/* SPDX-License-Identifier: MIT */
/* handwritten.c: the speed limit for publishing: a plain RFC 5545 writer (snprintf, TEXT
 * escaping, folding at 75 octets between UTF-8 characters, CRLF) writing the same feed as
 * convene, with the VTIMEZONEs convene wrote for the same zones. With --programme it adds the
 * X-CONVENE- properties that make the file a programme calendar (the input of the import
 * benchmark). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_data.h"

/* ---- output buffer ----------------------------------------------------------------------------
 */

static char *out;
static size_t out_len, out_alloc;

static void reserve(size_t n)
{
    if (out_len + n <= out_alloc)
        return;
    while (out_len + n > out_alloc)
        out_alloc = out_alloc ? out_alloc * 2 : 1 << 20;
    out = realloc(out, out_alloc);
    if (!out) {
        fprintf(stderr, "handwritten: out of memory\n");
        exit(70);
    }
}

/* One logical content line, built here, then folded into the output. */
static char line[1 << 16];
static size_t line_len;

static void lput(const char *s, size_t n)
{
    if (line_len + n > sizeof(line)) {
        fprintf(stderr, "handwritten: a content line over %zu octets\n", sizeof(line));
        exit(70);
    }
    memcpy(line + line_len, s, n);
    line_len += n;
}

static void lputs(const char *s)
{
    lput(s, strlen(s));
}

/* Appends @s as an RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped. */
static void ltext(const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "\\;,\n");
        lput(s, n);
        s += n;
        if (!*s)
            return;
        char esc[2] = {'\\', *s == '\n' ? 'n' : *s};
        lput(esc, 2);
        s++;
    }
}

/* Ends the content line: folds it at 75 octets, never inside a UTF-8 character, with CRLF. */
static void lend(void)
{
    reserve(line_len + line_len / 37 + 8);
    size_t i = 0, room = 75;
    while (line_len - i > room) {
        size_t cut = i + room;
        while (cut > i && ((unsigned char)line[cut] & 0xc0) == 0x80)
            cut--;
        memcpy(out + out_len, line + i, cut - i);
        out_len += cut - i;
        memcpy(out + out_len, "\r\n ", 3);
        out_len += 3;
        i = cut;
        room = 74;
    }
    memcpy(out + out_len, line + i, line_len - i);
    out_len += line_len - i;
    memcpy(out + out_len, "\r\n", 2);
    out_len += 2;
    line_len = 0;
}

static void prop(const char *name, const char *value)
{
    lputs(name);
    lput(":", 1);
    lputs(value);
    lend();
}

static void prop_text(const char *name, const char *value)
{
    lputs(name);
    lput(":", 1);
    ltext(value);
    lend();
}

/* ---- time -------------------------------------------------------------------------------------
 */

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYYMMDDTHHMMSS" (no zone) of @t shifted by @offset seconds. */
static void fmt_local(long long t, long offset, char buf[32])
{
    long long s = t + offset;
    long long days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
    long long sod = s - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, 32, "%04d%02d%02dT%02d%02d%02d", y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
             (int)(sod % 60));
}

/*
 * A zone's UTC offsets from 2023 to 2027 as a list of transitions, read once from the system's
 * zone data through localtime_r(); then each conversion is a short search, not a libc call.
 */
struct zone {
    const char *tzid;
    long long at[64]; /* transition instants, ascending */
    long off[65];     /* off[i] applies before at[i]; off[n] after the last */
    size_t n;
};

static struct zone zones[16];
static size_t nzones;

static long offset_at(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return tm.tm_gmtoff;
}

static struct zone *zone_get(const char *tzid)
{
    for (size_t i = 0; i < nzones; i++) {
        if (strcmp(zones[i].tzid, tzid) == 0)
            return &zones[i];
    }
    if (nzones == sizeof(zones) / sizeof(zones[0])) {
        fprintf(stderr, "handwritten: too many zones\n");
        exit(70);
    }
    struct zone *z = &zones[nzones++];
    z->tzid = tzid;
    setenv("TZ", tzid, 1);
    tzset();
    const long long from = 1672531200LL, to = 1798761600LL; /* 2023-01-01 .. 2027-01-01 */
    long prev = offset_at(from);
    z->off[0] = prev;
    for (long long t = from + 86400; t <= to; t += 86400) {
        long cur = offset_at(t);
        if (cur == prev)
            continue;
        long long lo = t - 86400, hi = t; /* offset_at(lo) == prev, offset_at(hi) == cur */
        while (hi - lo > 1) {
            long long mid = lo + (hi - lo) / 2;
            if (offset_at(mid) == prev)
                lo = mid;
            else
                hi = mid;
        }
        if (z->n < 64) {
            z->at[z->n] = hi;
            z->off[++z->n] = cur;
        }
        prev = cur;
    }
    return z;
}

static long zone_offset(const struct zone *z, long long t)
{
    size_t i = 0;
    while (i < z->n && t >= z->at[i])
        i++;
    return z->off[i];
}

/* ---- the feed ---------------------------------------------------------------------------------
 */

static void date_value(const char *iso, int add_days, char buf[16])
{
    int y = 0, m = 0, d = 0;
    sscanf(iso, "%d-%d-%d", &y, &m, &d);
    if (add_days) {
        /* Days since the epoch, then back: DTEND is the day after the last. */
        int yy = y - (m <= 2);
        long long era = (yy >= 0 ? yy : yy - 399) / 400;
        long long yoe = yy - era * 400;
        long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468 + add_days;
        civil_from_days(days, &y, &m, &d);
    }
    snprintf(buf, 16, "%04d%02d%02d", y, m, d);
}

static void utc_value(long long t, char buf[32])
{
    fmt_local(t, 0, buf);
    size_t n = strlen(buf);
    buf[n] = 'Z';
    buf[n + 1] = '\0';
}

int main(int argc, char **argv)
{
    int programme = argc == 5 && strcmp(argv[4], "--programme") == 0;
    if (argc != 4 && !programme) {
        fprintf(stderr, "usage: handwritten DATA.tsv VTIMEZONES.ics OUT.ics [--programme]\n");
        return 64;
    }
    struct bench_data d;
    if (bench_load(argv[1], &d) < 0)
        return 65;
    size_t vtz_len;
    char *vtz = bench_slurp(argv[2], &vtz_len);
    if (!vtz)
        return 66;

    double t0 = bench_now();
    char stamp[32], buf[64];
    utc_value(d.dtstamp, stamp);

    prop("BEGIN", "VCALENDAR");
    prop("VERSION", "2.0");
    prop("PRODID", "-//convene//convene//EN");
    prop("CALSCALE", "GREGORIAN");
    prop("REFRESH-INTERVAL;VALUE=DURATION", "PT12H");
    prop("X-PUBLISHED-TTL", "PT12H");
    prop("URL;VALUE=URI", "https://ogp.example.org/feeds/programme.ics");
    prop_text("NAME", "Benchmark programme");
    prop_text("X-WR-CALNAME", "Benchmark programme");
    if (programme) {
        prop("X-CONVENE-KEY", "bench-programme");
        prop("X-CONVENE-ORGANIZER", "mailto:office@example.org");
        prop("X-CONVENE-LANGUAGES", "en");
    }
    reserve(vtz_len);
    memcpy(out + out_len, vtz, vtz_len);
    out_len += vtz_len;

    const char *parent = NULL;
    const struct zone *z = NULL;
    for (size_t i = 0; i < d.n; i++) {
        char **f = d.rows[i].f;
        int is_event = f[F_KIND][0] == 'E';
        prop("BEGIN", "VEVENT");
        prop("UID", f[F_UID]);
        prop("DTSTAMP", stamp);
        prop("LAST-MODIFIED", stamp);
        prop("SEQUENCE", f[F_SEQ]);
        if (is_event) {
            parent = f[F_UID];
            date_value(f[F_START], 0, buf);
            prop("DTSTART;VALUE=DATE", buf);
            date_value(f[F_END], 1, buf);
            prop("DTEND;VALUE=DATE", buf);
        } else {
            if (!z || strcmp(z->tzid, f[F_TZID]) != 0)
                z = zone_get(f[F_TZID]);
            long long start = strtoll(f[F_START], NULL, 10);
            long long end = start + 60 * strtoll(f[F_END], NULL, 10);
            const char *names[2] = {"DTSTART;TZID=", "DTEND;TZID="};
            long long at[2] = {start, end};
            for (int k = 0; k < 2; k++) {
                fmt_local(at[k], zone_offset(z, at[k]), buf);
                lputs(names[k]);
                lputs(f[F_TZID]);
                lput(":", 1);
                lputs(buf);
                lend();
            }
        }
        prop_text("SUMMARY", f[F_SUMMARY]);
        prop_text("LOCATION", f[F_LOCATION]);
        prop("STATUS", f[F_STATUS]);
        prop("CLASS", "PUBLIC");
        prop("TRANSP", "OPAQUE");
        if (!is_event && parent)
            prop("RELATED-TO;RELTYPE=PARENT", parent);
        /* The link repeated in DESCRIPTION, as convene does (Thunderbird does not show URL). */
        lputs("DESCRIPTION:");
        ltext(f[F_DESC]);
        lputs("\\n\\nSource: ");
        ltext(f[F_URL]);
        lend();
        prop("URL", f[F_URL]);
        if (programme && is_event) {
            prop("X-CONVENE-KEY", f[F_KEY]);
            prop("X-CONVENE-TZID", f[F_TZID]);
        } else if (programme) {
            prop("X-CONVENE-EVENT", f[F_EKEY]);
            prop("X-CONVENE-KEY", f[F_KEY]);
        }
        prop("END", "VEVENT");
    }
    prop("END", "VCALENDAR");

    FILE *fo = fopen(argv[3], "wb");
    if (!fo || fwrite(out, 1, out_len, fo) != out_len || fclose(fo) != 0) {
        perror(argv[3]);
        return 74;
    }
    printf("events %zu work %.6f bytes %zu\n", d.n, bench_now() - t0, out_len);
    free(out);
    free(vtz);
    bench_free(&d);
    return 0;
}
