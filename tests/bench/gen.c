/* SPDX-License-Identifier: MIT */
/* gen.c: writes the benchmark programme, N items as TSV, the same for every contender: all-day
 * events and timed sessions over five IANA zones, with text that needs escaping. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Output, one item per line, fields separated by TAB, with '\\', TAB and LF inside a field
 * written as "\\\\", "\\t" and "\\n":
 *   kind      E (an event, all-day) or S (a timed session of the event before it)
 *   uid       a version 4 UUID, from the fixed seed
 *   key       the event's or the session's slug
 *   ekey      the event's key (E: the same as key)
 *   euid      the event's UID (E: the same as uid)
 *   tzid      the event's IANA zone
 *   start     E: first day YYYY-MM-DD; S: UTC seconds
 *   end       E: last day YYYY-MM-DD (inclusive); S: length in minutes
 *   status    CONFIRMED, TENTATIVE or CANCELLED
 *   sequence  0..3
 *   summary   title (no control character)
 *   location  (no control character)
 *   desc      several lines
 *   url       https URL
 * A first line "#convene-bench\tN\tDTSTAMP-seconds" carries the size and the fixed DTSTAMP.
 */

#define DTSTAMP 1705320000 /* 2024-01-15T12:00:00Z: every item's DTSTAMP and LAST-MODIFIED */

static uint64_t rng_state = 0x5eed0f0c0ffee123ULL;

/* xorshift64*: deterministic, the same data on every machine. */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static const char *const zones[5] = {"Africa/Nairobi", "America/New_York", "Asia/Manila",
                                     "Europe/Madrid", "America/Sao_Paulo"};

static const char *const cities[5] = {
    "Radisson Blu Hotel, Upper Hill, Nairobi",
    "UN Headquarters; Conference Room 4, New York",
    "Philippine International Convention Center, Pasay \xf0\x9f\x8f\x9b",
    "Palacio de Congresos; Sala 2, Madrid",
    "Centro de Conven\xc3\xa7\xc3\xb5"
    "es, S\xc3\xa3o Paulo; Audit\xc3\xb3rio",
};

static const char *const titles[] = {
    "Plenary: open contracting, beneficial ownership; next steps",
    "R\xc3\xa9union r\xc3\xa9gionale : donn\xc3\xa9"
    "es ouvertes, budgets participatifs",
    "\xd8\xa7\xd9\x84\xd8\xa7\xd8\xac\xd8\xaa\xd9\x85\xd8\xa7\xd8\xb9 "
    "\xd8\xa7\xd9\x84\xd8\xa5\xd9\x82\xd9\x84\xd9\x8a\xd9\x85\xd9\x8a: "
    "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9 "
    "\xd8\xa7\xd9\x84\xd9\x85\xd9\x81\xd8\xaa\xd9\x88\xd8\xad\xd8\xa9\xd8\x8c "
    "\xd8\xa7\xd9\x84\xd8\xb4\xd9\x81\xd8\xa7\xd9\x81\xd9\x8a\xd8\xa9",
    "Sesi\xc3\xb3n de trabajo; presupuestos abiertos, \xc2\xbfqu\xc3\xa9 sigue?",
    "Digital rights \\ AI governance \xf0\x9f\xa4\x96, a roundtable",
    "Climate & open data \xf0\x9f\x8c\x8d; local members, Niter\xc3\xb3i",
    "Path C:\\Nairobi\\Notes \xe2\x80\x94 a backslash before N",
    "A\xc3\xa7\xc3\xa3o clim\xc3\xa1tica: S\xc3\xa3o Paulo, Bel\xc3\xa9m; \xf0\x9f\x87\xa7\xf0\x9f"
    "\x87\xb7",
};

static const char *const paragraphs[] = {
    "Agenda: welcome, introductions; the co-chairs' priorities, then questions.",
    "Ordre du jour : accueil, tour de table ; priorit\xc3\xa9s des co-pr\xc3\xa9sidents.",
    "\xd8\xac\xd8\xaf\xd9\x88\xd9\x84 \xd8\xa7\xd9\x84\xd8\xa3\xd8\xb9\xd9\x85\xd8\xa7\xd9\x84\xd8"
    "\x8c \xd8\xab\xd9\x85 \xd8\xa7\xd9\x84\xd8\xa3\xd8\xb3\xd8\xa6\xd9\x84\xd8\xa9\xd8\x9b "
    "\xd8\xa7\xd9\x84\xd8\xaa\xd8\xb3\xd8\xac\xd9\x8a\xd9\x84 \xd9\x85\xd9\x81\xd8\xaa\xd9\x88"
    "\xd8\xad.",
    "Files are on \\\\share\\Notes\\New (a UNC path, backslashes kept as they are).",
    "Bring your badge \xf0\x9f\x8e\xab, your passport; and a laptop \xf0\x9f\x92\xbb, if you "
    "present.",
    "Interpretaci\xc3\xb3n: espa\xc3\xb1ol, fran\xc3\xa7"
    "ais, \xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1"
    "\xd8\xa8\xd9\x8a\xd8\xa9; caf\xc3\xa9 a las 10:30.",
    "Stra\xc3\x9f"
    "e, \xc3\x85lesund, \xc5\x81\xc3\xb3"
    "d\xc5\xba, Krak\xc3\xb3w: "
    "na\xc3\xafve caf\xc3\xa9s; \xc5\x93uvre, d\xc3\xa9j\xc3\xa0 vu.",
};

/* Writes @s to @f with '\\', TAB and LF escaped. */
static void field(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", f);
        else if (*s == '\t')
            fputs("\\t", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

static void uuid(char out[37])
{
    uint64_t a = rnd(), b = rnd();
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffULL));
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* UTC seconds of local time @day (days since the epoch) at @minute past midnight in @tz. */
static long long utc_of_local(const char *tz, long day, int minute)
{
    static const char *current;
    if (current != tz) {
        setenv("TZ", tz, 1);
        tzset();
        current = tz;
    }
    struct tm tm = {0};
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_isdst = -1;
    return (long long)mktime(&tm);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen N OUT.tsv\n");
        return 64;
    }
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (errno || *end || n < 1 || n > 10000000) {
        fprintf(stderr, "gen: N must be 1 to 10000000\n");
        return 64;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 73;
    }
    static const char *const statuses[] = {"CONFIRMED", "CONFIRMED", "TENTATIVE", "CANCELLED"};
    const long first = days_from_civil(2024, 1, 8);
    const long span = days_from_civil(2025, 12, 20) - first;
    char euid[37] = "", uid[37];
    char ekey[48] = "", key[48];
    const char *tz = zones[0], *status = statuses[0];
    long eday = first;
    int edays = 1, slot = 0;
    char summary[512], location[256], desc[2048];
    long nevent = -1;

    fprintf(f, "#convene-bench\t%ld\t%d\n", n, DTSTAMP);
    for (long i = 0; i < n; i++) {
        uuid(uid);
        if (i % 5 == 0) {
            /* An event: one to three days, all-day, in one of the five zones. */
            nevent++;
            tz = zones[nevent % 5];
            eday = first + (long)pick((unsigned)span);
            edays = 1 + (int)pick(3);
            status = statuses[pick(4)];
            slot = 0;
            snprintf(key, sizeof(key), "ev-%ld", nevent);
            snprintf(ekey, sizeof(ekey), "%s", key);
            snprintf(euid, sizeof(euid), "%s", uid);
            snprintf(summary, sizeof(summary), "%s (%ld)", titles[pick(8)], nevent);
            snprintf(location, sizeof(location), "%s", cities[nevent % 5]);
            snprintf(desc, sizeof(desc), "%s\n%s\n\n%s Event %ld, \"%s\".", paragraphs[pick(7)],
                     paragraphs[pick(7)], paragraphs[pick(7)], nevent, tz);
            int y1, m1, d1, y2, m2, d2;
            civil_from_days(eday, &y1, &m1, &d1);
            civil_from_days(eday + edays - 1, &y2, &m2, &d2);
            fprintf(f, "E\t%s\t%s\t%s\t%s\t%s\t%04d-%02d-%02d\t%04d-%02d-%02d\t%s\t%u\t", uid, key,
                    ekey, euid, tz, y1, m1, d1, y2, m2, d2, status, pick(4));
        } else {
            /* A session of that event: 09:00 to 17:30 local time, on one of its days. */
            int minutes = 45 + 15 * (int)pick(4);
            int at = 9 * 60 + 90 * (slot % 6);
            long day = eday + (slot / 6) % edays;
            slot++;
            snprintf(key, sizeof(key), "s-%d", slot);
            snprintf(summary, sizeof(summary), "%s \xe2\x80\x93 session %d", titles[pick(8)], slot);
            snprintf(location, sizeof(location), "Room %c%d, %s", 'A' + (int)pick(6), 1 + slot,
                     cities[nevent % 5]);
            snprintf(desc, sizeof(desc),
                     "%s\n%s Session %ld.%d; speakers to be confirmed, see below.",
                     paragraphs[pick(7)], paragraphs[pick(7)], nevent, slot);
            fprintf(f, "S\t%s\t%s\t%s\t%s\t%s\t%lld\t%d\t%s\t%u\t", uid, key, ekey, euid, tz,
                    utc_of_local(tz, day, at), minutes, status, pick(4));
        }
        field(f, summary);
        fputc('\t', f);
        field(f, location);
        fputc('\t', f);
        field(f, desc);
        fprintf(f, "\thttps://ogp.example.org/programme/%s/%s\n", ekey, i % 5 ? key : "");
    }
    if (fclose(f) != 0) {
        perror(argv[2]);
        return 74;
    }
    return 0;
}
