/* SPDX-License-Identifier: MIT */
/* csv.c: an RFC 4180 reader for spreadsheet exports (quoted fields, CRLF or LF, BOM). */
#include <stdlib.h>
#include <string.h>

#include <convene/util.h>

#include "banned.h"

#define CSV_MAX_FIELD (64 * 1024)

void cv_csv_init(struct cv_csv *csv, const char *data, size_t len)
{
    csv->p = data;
    csv->end = data + len;
    csv->line = 1;
    csv->max_fields = 256;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        csv->p += 3;
}

void cv_csv_row_init(struct cv_csv_row *row)
{
    memset(row, 0, sizeof(*row));
}

static void row_clear(struct cv_csv_row *row)
{
    for (size_t i = 0; i < row->n; i++)
        free(row->fields[i]);
    row->n = 0;
}

void cv_csv_row_release(struct cv_csv_row *row)
{
    row_clear(row);
    free(row->fields);
    cv_csv_row_init(row);
}

static int push_field(struct cv_csv *csv, struct cv_csv_row *row, struct cv_buf *field,
                      struct cv_error *err)
{
    if (row->n >= csv->max_fields) {
        cv_error_at(err, NULL, row->line);
        return cv_error_set(err, CV_EPARSE, "more than %zu fields in a row", csv->max_fields);
    }
    if (!cv_utf8_is_valid(field->buf, field->len)) {
        cv_error_at(err, NULL, row->line);
        return cv_error_set(err, CV_EPARSE,
                            "field %zu is not valid UTF-8; save the file as "
                            "UTF-8",
                            row->n + 1);
    }
    if (strlen(field->buf) != field->len) {
        cv_error_at(err, NULL, row->line);
        return cv_error_set(err, CV_EPARSE, "field %zu contains a NUL byte", row->n + 1);
    }
    int rc = cv_grow(&row->fields, &row->alloc, row->n + 1, sizeof(char *));
    if (rc < 0)
        return cv_error_set(err, rc, "out of memory");
    char *s = cv_buf_detach(field);
    if (!s)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    row->fields[row->n++] = s;
    return 0;
}

int cv_csv_next(struct cv_csv *csv, struct cv_csv_row *row, struct cv_error *err)
{
    struct cv_buf field;
    int rc = 0;

    row_clear(row);
    if (csv->p >= csv->end)
        return 0;
    row->line = csv->line;
    cv_buf_init(&field, CSV_MAX_FIELD);

    for (;;) {
        /* At the start of a field. */
        if (csv->p < csv->end && *csv->p == '"') {
            long quote_line = csv->line;
            csv->p++;
            for (;;) {
                if (csv->p >= csv->end) {
                    cv_error_at(err, NULL, quote_line);
                    rc = cv_error_set(err, CV_EPARSE,
                                      "a quoted field is never closed; add the "
                                      "closing '\"'");
                    goto out;
                }
                char c = *csv->p++;
                if (c == '"') {
                    if (csv->p < csv->end && *csv->p == '"') {
                        csv->p++;
                    } else {
                        break;
                    }
                } else if (c == '\n' || (c == '\r' && (csv->p >= csv->end || *csv->p != '\n'))) {
                    /* LF, CRLF (counted at its LF) or a lone CR: one line each. */
                    csv->line++;
                }
                rc = cv_buf_addch(&field, c);
                if (rc < 0)
                    goto too_big;
            }
            if (csv->p < csv->end && *csv->p != ',' && *csv->p != '\n' && *csv->p != '\r') {
                cv_error_at(err, NULL, csv->line);
                rc = cv_error_set(err, CV_EPARSE,
                                  "text after a closing quote; double the '\"' "
                                  "inside quoted fields");
                goto out;
            }
        } else {
            while (csv->p < csv->end && *csv->p != ',' && *csv->p != '\n' && *csv->p != '\r') {
                if (*csv->p == '"') {
                    cv_error_at(err, NULL, csv->line);
                    rc = cv_error_set(err, CV_EPARSE,
                                      "a '\"' inside an unquoted field; quote "
                                      "the field");
                    goto out;
                }
                rc = cv_buf_addch(&field, *csv->p++);
                if (rc < 0)
                    goto too_big;
            }
        }
        rc = push_field(csv, row, &field, err);
        if (rc < 0)
            goto out;
        if (csv->p >= csv->end)
            break;
        char c = *csv->p++;
        if (c == ',')
            continue;
        /* End of record: LF, CRLF or a lone CR. */
        if (c == '\r' && csv->p < csv->end && *csv->p == '\n')
            csv->p++;
        csv->line++;
        break;
    }
    rc = 1;
    goto out;
too_big:
    cv_error_at(err, NULL, csv->line);
    rc = cv_error_set(err, rc == CV_ELIMIT ? CV_EPARSE : rc, "a field longer than %d bytes",
                      CSV_MAX_FIELD);
out:
    cv_buf_release(&field);
    return rc;
}

bool cv_csv_row_is_blank(const struct cv_csv_row *row)
{
    for (size_t i = 0; i < row->n; i++) {
        for (const char *p = row->fields[i]; *p; p++) {
            if (*p != ' ' && *p != '\t')
                return false;
        }
    }
    return true;
}
