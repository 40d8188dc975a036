/* SPDX-License-Identifier: MIT */
/* import.c: reading delegate lists and the member list from spreadsheet CSV exports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <convene/model.h>

#include "banned.h"

void cv_import_report_init(struct cv_import_report *r)
{
    memset(r, 0, sizeof(*r));
}

void cv_import_report_release(struct cv_import_report *r)
{
    free(r->skips);
    cv_import_report_init(r);
}

int cv_import_report_skip(struct cv_import_report *r, long line, const char *fmt, ...)
{
    int rc = cv_grow(&r->skips, &r->alloc, r->nskips + 1, sizeof(r->skips[0]));
    if (rc < 0)
        return rc;
    struct cv_import_skip *s = &r->skips[r->nskips++];
    s->line = line;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(s->reason, sizeof(s->reason), fmt, ap) < 0)
        s->reason[0] = '\0';
    va_end(ap);
    r->skipped++;
    return 0;
}

/* Header names compared without case, spaces, '-' or '_': "Time Zone" == "timezone". */
static void normalise_header(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = in; *p && n + 1 < size; p++) {
        char c = *p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[n++] = c;
    }
    out[n] = '\0';
}

/* Values like "Civil society" become "civil-society"; trims surrounding spaces. */
static void normalise_word(const char *in, char *out, size_t size)
{
    size_t n = 0;
    while (*in == ' ' || *in == '\t')
        in++;
    for (const char *p = in; *p && n + 1 < size; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == ' ' || c == '_')
            c = '-';
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = '\0';
}

/* A copy of @s without leading and trailing blanks, or NULL for an empty value. */
static int set_trimmed(char **dst, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return cv_str_set(dst, NULL);
    char *copy = strndup(s, n);
    if (!copy)
        return CV_ENOMEM;
    free(*dst);
    *dst = copy;
    return 0;
}

enum person_col {
    COL_NAME,
    COL_EMAIL,
    COL_LANG,
    COL_COUNTRY,
    COL_DELEGATION,
    COL_ROLE,
    COL_TZ,
    NCOLS
};

static int person_column(const char *header)
{
    static const struct {
        const char *name;
        int col;
    } names[] = {
        {"name", COL_NAME},
        {"fullname", COL_NAME},
        {"email", COL_EMAIL},
        {"emailaddress", COL_EMAIL},
        {"mail", COL_EMAIL},
        {"language", COL_LANG},
        {"lang", COL_LANG},
        {"country", COL_COUNTRY},
        {"delegation", COL_DELEGATION},
        {"role", COL_ROLE},
        {"timezone", COL_TZ},
        {"tz", COL_TZ},
        {"zone", COL_TZ},
    };
    char h[64];
    normalise_header(header, h, sizeof(h));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(h, names[i].name) == 0)
            return names[i].col;
    }
    return -1;
}

static const struct cv_country *find_member(const struct cv_country_list *m, const char *iso2)
{
    for (size_t i = 0; m && iso2 && i < m->n; i++) {
        if (strcmp(m->v[i].iso2, iso2) == 0)
            return &m->v[i];
    }
    return NULL;
}

/* Fills @p from one data row. @return 0 or CV_EINVAL/CV_ENOMEM with the reason in @err. */
static int person_from_row(const struct cv_csv_row *row, const int *cols,
                           const struct cv_country_list *members, struct cv_person *p,
                           struct cv_error *err)
{
    char word[64];
    const char *v[NCOLS] = {0};
    int rc;

    for (int c = 0; c < NCOLS; c++)
        v[c] = cols[c] >= 0 ? row->fields[cols[c]] : "";

    if ((rc = set_trimmed(&p->name, v[COL_NAME])) < 0 ||
        (rc = set_trimmed(&p->email, v[COL_EMAIL])) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (!p->email)
        return cv_error_set(err, CV_EINVAL, "the email is empty; every person needs one");
    if (!p->name)
        return cv_error_set(err, CV_EINVAL, "%s: the name is empty", p->email);

    /* Language: a code, any case, with or without a region ("fr-CA" is French). */
    normalise_word(v[COL_LANG], word, sizeof(word));
    word[strcspn(word, "-")] = '\0';
    if ((rc = cv_str_set(&p->lang, word[0] ? word : "en")) < 0)
        return cv_error_set(err, rc, "out of memory");

    if ((rc = set_trimmed(&p->country, v[COL_COUNTRY])) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (p->country) {
        for (char *s = p->country; *s; s++) {
            if (*s >= 'a' && *s <= 'z')
                *s = (char)(*s - 'a' + 'A');
        }
    }
    normalise_word(v[COL_DELEGATION], word, sizeof(word));
    if (!word[0])
        cv_str_copy(word, sizeof(word), "government");
    if (cv_delegation_kind_parse(word, &p->delegation.kind) < 0)
        return cv_error_set(err, CV_EINVAL,
                            "%s: unknown delegation '%s'; use government, civil-society, local or "
                            "other",
                            p->email, v[COL_DELEGATION]);
    if (p->country && cv_country_code_is_valid(p->country))
        cv_str_copy(p->delegation.country, sizeof(p->delegation.country), p->country);
    normalise_word(v[COL_ROLE], word, sizeof(word));
    if (!word[0])
        cv_str_copy(word, sizeof(word), "delegate");
    if (cv_role_parse(word, &p->role) < 0)
        return cv_error_set(err, CV_EINVAL,
                            "%s: unknown role '%s'; use delegate, speaker, principal or organizer",
                            p->email, v[COL_ROLE]);
    if ((rc = set_trimmed(&p->tzid, v[COL_TZ])) < 0)
        return cv_error_set(err, rc, "out of memory");
    if (!p->tzid) {
        const struct cv_country *m = find_member(members, p->country);
        if (m && (rc = cv_str_set(&p->tzid, m->tzid)) < 0)
            return cv_error_set(err, rc, "out of memory");
    }
    return cv_person_validate(p, err);
}

int cv_people_parse_csv(const char *data, size_t len, const char *name,
                        const struct cv_country_list *members, unsigned flags,
                        struct cv_person_list *out, struct cv_import_report *report,
                        struct cv_error *err)
{
    struct cv_csv csv;
    struct cv_csv_row row;
    int cols[NCOLS];
    size_t width;
    size_t first = out->n;
    int rc;

    cv_csv_init(&csv, data, len);
    cv_csv_row_init(&row);
    for (int c = 0; c < NCOLS; c++)
        cols[c] = -1;

    rc = cv_csv_next(&csv, &row, err);
    if (rc == 0) {
        rc = cv_error_set(err, CV_EPARSE,
                          "the file is empty; it needs a header row naming the "
                          "columns name and email");
        cv_error_at(err, name, 1);
        goto out;
    }
    if (rc < 0)
        goto parse_error;
    width = row.n;
    for (size_t i = 0; i < row.n; i++) {
        int c = person_column(row.fields[i]);
        if (c >= 0 && cols[c] < 0)
            cols[c] = (int)i;
    }
    if (cols[COL_NAME] < 0 || cols[COL_EMAIL] < 0) {
        rc = cv_error_set(err, CV_EPARSE,
                          "no '%s' column; the header row must name the columns name and email "
                          "(and may name language, country, delegation, role, time zone)",
                          cols[COL_EMAIL] < 0 ? "email" : "name");
        cv_error_at(err, name, row.line);
        goto out;
    }

    while ((rc = cv_csv_next(&csv, &row, err)) > 0) {
        struct cv_person *p;
        struct cv_error rowerr;

        if (cv_csv_row_is_blank(&row))
            continue;
        report->read++;
        cv_error_init(&rowerr);
        if (row.n != width) {
            rc = cv_error_set(&rowerr, CV_EINVAL, "the row has %zu fields but the header has %zu",
                              row.n, width);
        } else {
            rc = cv_person_list_add(out, &p);
            if (rc < 0) {
                rc = cv_error_set(err, rc, "out of memory");
                goto out;
            }
            rc = person_from_row(&row, cols, members, p, &rowerr);
            for (size_t i = first; rc == 0 && i + 1 < out->n; i++) {
                if (strcasecmp(out->v[i].email, p->email) == 0)
                    rc = cv_error_set(&rowerr, CV_EINVAL,
                                      "%s is listed twice; keep one row per person", p->email);
            }
            if (rc < 0) {
                cv_person_release(p);
                out->n--;
            }
        }
        if (rc == CV_ENOMEM) {
            cv_error_set(err, rc, "out of memory");
            goto out;
        }
        if (rc < 0) {
            if (!(flags & CV_IMPORT_SKIP_INVALID)) {
                *err = rowerr;
                cv_error_at(err, name, row.line);
                goto out;
            }
            rc = cv_import_report_skip(report, row.line, "%s", rowerr.msg);
            if (rc < 0)
                goto out;
        }
    }
    if (rc < 0)
        goto parse_error;
    rc = 0;
    goto out;
parse_error:
    cv_error_at(err, name, err ? err->line : 0);
out:
    cv_csv_row_release(&row);
    return rc;
}

enum country_col {
    CC_NAME,
    CC_ISO2,
    CC_REGION,
    CC_CAPITAL,
    CC_TZ,
    CC_WEEKEND,
    CC_CONFIDENCE,
    CC_SOURCE,
    NCC
};

int cv_countries_parse_csv(const char *data, size_t len, const char *name,
                           struct cv_country_list *out, struct cv_error *err)
{
    static const char *const headers[NCC] = {"country",    "iso3166_alpha2", "ogp_region",
                                             "capital",    "iana_tz",        "weekend",
                                             "confidence", "source_url"};
    struct cv_csv csv;
    struct cv_csv_row row;
    int rc;

    cv_csv_init(&csv, data, len);
    cv_csv_row_init(&row);
    rc = cv_csv_next(&csv, &row, err);
    if (rc <= 0) {
        if (rc == 0)
            rc = cv_error_set(err, CV_EPARSE, "the member list is empty");
        cv_error_at(err, name, 1);
        goto out;
    }
    for (int c = 0; c < NCC; c++) {
        if (row.n != NCC || strcmp(row.fields[c], headers[c]) != 0) {
            rc = cv_error_set(err, CV_EPARSE,
                              "the header must be country,iso3166_alpha2,ogp_region,capital,"
                              "iana_tz,weekend,confidence,source_url");
            cv_error_at(err, name, 1);
            goto out;
        }
    }
    while ((rc = cv_csv_next(&csv, &row, err)) > 0) {
        struct cv_country *c;
        if (cv_csv_row_is_blank(&row))
            continue;
        if (row.n != NCC) {
            rc = cv_error_set(err, CV_EPARSE, "the row has %zu fields, not %d", row.n, NCC);
            goto row_error;
        }
        if ((rc = cv_country_list_add(out, &c)) < 0)
            goto out;
        if (!cv_country_code_is_valid(row.fields[CC_ISO2])) {
            rc = cv_error_set(err, CV_EINVAL, "'%s' is not an ISO 3166 alpha-2 code",
                              row.fields[CC_ISO2]);
            goto row_error;
        }
        cv_str_copy(c->iso2, sizeof(c->iso2), row.fields[CC_ISO2]);
        if (!cv_tz_exists(row.fields[CC_TZ])) {
            rc = cv_error_set(err, CV_EINVAL, "unknown time zone '%s'", row.fields[CC_TZ]);
            goto row_error;
        }
        if (cv_weekdays_parse(row.fields[CC_WEEKEND], &c->weekend) < 0) {
            rc = cv_error_set(err, CV_EINVAL, "bad weekend '%s'; write days as sat,sun",
                              row.fields[CC_WEEKEND]);
            goto row_error;
        }
        if (strcmp(row.fields[CC_CONFIDENCE], "sourced") != 0 &&
            strcmp(row.fields[CC_CONFIDENCE], "inferred") != 0) {
            rc = cv_error_set(err, CV_EINVAL, "confidence must be sourced or inferred");
            goto row_error;
        }
        if ((rc = cv_str_set(&c->name, row.fields[CC_NAME])) < 0 ||
            (rc = cv_str_set(&c->region, row.fields[CC_REGION])) < 0 ||
            (rc = cv_str_set(&c->capital, row.fields[CC_CAPITAL])) < 0 ||
            (rc = cv_str_set(&c->tzid, row.fields[CC_TZ])) < 0 ||
            (rc = cv_str_set(&c->confidence, row.fields[CC_CONFIDENCE])) < 0 ||
            (rc = cv_str_set(&c->source_url, row.fields[CC_SOURCE])) < 0)
            goto out;
        for (size_t i = 0; i + 1 < out->n; i++) {
            if (strcmp(out->v[i].iso2, c->iso2) == 0) {
                rc = cv_error_set(err, CV_EINVAL, "%s is listed twice", c->iso2);
                goto row_error;
            }
        }
    }
    if (rc < 0) {
        cv_error_at(err, name, err ? err->line : 0);
        goto out;
    }
    rc = 0;
    goto out;
row_error:
    cv_error_at(err, name, row.line);
out:
    cv_csv_row_release(&row);
    return rc;
}
