/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c: libFuzzer target for the spreadsheet readers: delegate lists and member lists. */
#include <stddef.h>
#include <stdint.h>

#include <convene/convene.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cv_person_list people;
    struct cv_import_report rep;
    struct cv_country_list countries;
    struct cv_error err;

    cv_error_init(&err);
    cv_person_list_init(&people);
    cv_import_report_init(&rep);
    cv_people_parse_csv((const char *)data, size, "fuzz.csv", NULL, CV_IMPORT_SKIP_INVALID, &people,
                        &rep, &err);
    cv_person_list_release(&people);
    cv_import_report_release(&rep);

    cv_country_list_init(&countries);
    cv_countries_parse_csv((const char *)data, size, "fuzz.csv", &countries, &err);
    cv_country_list_release(&countries);
    return 0;
}
