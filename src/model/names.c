/* SPDX-License-Identifier: MIT */
/* names.c: the words for the model's enumerations, as stored, printed and typed, and the OGP
 * regions' names in the programme's languages. */
#include <strings.h>
#include <string.h>

#include <convene/model.h>

#include "banned.h"

static int lookup(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0)
            return (int)i;
    }
    return -1;
}

#define NAME_FUNCS(prefix, type, ...)                                                              \
    static const char *const prefix##_names[] = {__VA_ARGS__};                                     \
    const char *prefix##_name(type v)                                                              \
    {                                                                                              \
        size_t n = sizeof(prefix##_names) / sizeof(prefix##_names[0]);                             \
        return (size_t)v < n ? prefix##_names[v] : "?";                                            \
    }                                                                                              \
    int prefix##_parse(const char *s, type *out)                                                   \
    {                                                                                              \
        int i = lookup(prefix##_names, sizeof(prefix##_names) / sizeof(prefix##_names[0]), s);     \
        if (i < 0)                                                                                 \
            return CV_EINVAL;                                                                      \
        *out = (type)i;                                                                            \
        return 0;                                                                                  \
    }

NAME_FUNCS(cv_event_kind, enum cv_event_kind, "regional-meeting", "leaders-event", "summit", "call",
           "side-event")
NAME_FUNCS(cv_event_status, enum cv_event_status, "proposed", "tentative", "confirmed", "cancelled",
           "held")
NAME_FUNCS(cv_track, enum cv_track, "plenary", "digital-governance", "climate", "inclusion",
           "ogp-local")
NAME_FUNCS(cv_delegation_kind, enum cv_delegation_kind, "government", "civil-society", "local",
           "other")
NAME_FUNCS(cv_role, enum cv_role, "delegate", "speaker", "principal", "organizer")
NAME_FUNCS(cv_partstat, enum cv_partstat, "NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE",
           "DELEGATED")
NAME_FUNCS(cv_meaning, enum cv_meaning, "blackout", "avoid", "prefer")

const char *cv_region_name_in(const char *region, const char *lang)
{
    /* The four OGP regions, in the words the shipped events' titles use (fr, es, ar). */
    static const struct {
        const char *en, *fr, *es, *ar;
    } t[] = {
        {"Africa and the Middle East", "Afrique et Moyen-Orient", "África y Oriente Medio",
         "أفريقيا والشرق الأوسط"},
        {"Americas", "Amériques", "Américas", "الأمريكتان"},
        {"Asia and the Pacific", "Asie et Pacifique", "Asia y el Pacífico", "آسيا والمحيط الهادئ"},
        {"Europe", "Europe", "Europa", "أوروبا"},
    };
    for (size_t i = 0; region && lang && i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcasecmp(t[i].en, region) != 0)
            continue;
        if (strcmp(lang, "fr") == 0)
            return t[i].fr;
        if (strcmp(lang, "es") == 0)
            return t[i].es;
        if (strcmp(lang, "ar") == 0)
            return t[i].ar;
        break;
    }
    return region;
}
