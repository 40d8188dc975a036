/* SPDX-License-Identifier: MIT */
/* pages.c: the pages: the programme's timeline (inline SVG), each event's timetable (a grid of
 * days and rooms, in the venue's time or another zone), the subscribe page and each person's
 * page, in the languages of the programme. Every value from the store goes through
 * cv_html_escape(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

#include "banned.h"

enum lang { L_EN, L_FR, L_ES, L_AR, NLANG };

enum msg {
    M_PROGRAMME,
    M_SUBSCRIBE,
    M_TIMELINE,
    M_TIMELINE_DESC,
    M_EVENTS,
    M_EVENT,
    M_HOST,
    M_WINDOW,
    M_DATES,
    M_STATUS,
    M_NOT_PLACED,
    M_REFERENCE,
    M_LEGEND_WINDOW,
    M_LEGEND_DATES,
    M_LEGEND_MILESTONE,
    M_LEGEND_HOLIDAY,
    M_LEGEND_BLACKOUT,
    M_LEGEND_AVOID,
    M_TIMETABLE,
    M_NO_SESSIONS,
    M_UNSCHEDULED,
    M_TIMES_IN,
    M_VENUE_TIME,
    M_OTHER_ZONES,
    M_YOUR_ZONE,
    M_TRACKS,
    M_FEED_OF_EVENT,
    M_HOW,
    M_HOW_OUTLOOK,
    M_HOW_GOOGLE,
    M_HOW_APPLE,
    M_HOW_THUNDERBIRD,
    M_PERSON,
    M_YOUR_FEED,
    M_SECRET,
    M_YOUR_EVENTS,
    M_REPLIES,
    M_FOOTER,
    M_ST_PROPOSED,
    M_ST_TENTATIVE,
    M_ST_CONFIRMED,
    M_ST_CANCELLED,
    M_ST_HELD,
    M_TR_PLENARY,
    M_TR_DIGITAL,
    M_TR_CLIMATE,
    M_TR_INCLUSION,
    M_TR_LOCAL,
    M_MS_VENUE, /* the milestones, in the order of cv_milestones_for_event() */
    M_MS_SAVE,
    M_MS_INVITATIONS,
    M_MS_VISA,
    M_MS_REGISTRATION,
    M_MS_AGENDA,
    M_ZONE_LABEL,
    M_ZONE_SHOW,
    M_QR, /* the QR code's text alternative: "QR code: <the feed's name>" */
    NMSG
};

static const char *const T[NLANG][NMSG] = {
    [L_EN] =
        {
            "Programme",
            "Subscribe",
            "The programme at a glance",
            "Each event's planning window as a light band, its dates as a dark bar and its "
            "planning deadlines as diamonds; the UN General Assembly's high-level week, Ramadan "
            "and other dates for everyone as shaded bands; the host country's public holidays "
            "as red marks on the event's row.",
            "Events",
            "Event",
            "Host",
            "Planning window",
            "Dates",
            "Status",
            "not placed yet",
            "Reference dates drawn as bands",
            "planning window",
            "dates",
            "planning deadline",
            "host's public holiday",
            "dates kept free for everyone (blackout)",
            "dates to avoid",
            "Timetable",
            "No session is timetabled yet.",
            "Sessions not yet timetabled",
            "Times in %s",
            "the venue's local time",
            "Times in another zone",
            "Your zone",
            "Tracks",
            "Calendar of this event",
            "How to subscribe",
            "Outlook: Add calendar, Subscribe from web, then paste the https address.",
            "Google Calendar: Other calendars, +, From URL, then paste the https address "
            "(Google refreshes it every 12 to 24 hours).",
            "Apple Calendar: File, New Calendar Subscription, then paste the webcal address (on "
            "an iPhone, open the webcal link).",
            "Thunderbird: New Calendar, On the Network, then paste the https address.",
            "Programme of %s",
            "Your private calendar",
            "This address is yours alone: anyone who has it can read your calendar. Ask the "
            "office for a new one if it leaks.",
            "Your events",
            "Your answers to invitations (accepted, declined, tentative) are on your own line of "
            "each event in your private calendar; this page lists the events you are invited to.",
            "Made by convene from the programme's database.",
            "proposed",
            "tentative",
            "confirmed",
            "cancelled",
            "held",
            "Plenary",
            "Digital governance",
            "Climate",
            "Inclusion",
            "OGP Local",
            "Sign the venue contract",
            "Send the save-the-date",
            "Send the invitations",
            "Issue visa support letters",
            "Close registration",
            "Publish the final agenda",
            "Any other time zone (its IANA name, such as America/Bogota)",
            "Show",
            "QR code",
        },
    [L_FR] =
        {
            "Programme",
            "S'abonner",
            "Le programme d'un coup d'œil",
            "La période de planification de chaque événement en bande claire, ses dates en barre "
            "foncée et ses échéances en losanges ; la semaine de haut niveau de l'Assemblée "
            "générale des Nations unies, le ramadan et les autres dates communes en bandes "
            "grisées ; les jours fériés du pays hôte en marques rouges sur la ligne de "
            "l'événement.",
            "Événements",
            "Événement",
            "Hôte",
            "Période de planification",
            "Dates",
            "Statut",
            "pas encore placé",
            "Dates de référence tracées en bandes",
            "période de planification",
            "dates",
            "échéance",
            "jour férié du pays hôte",
            "dates à laisser libres pour tous",
            "dates à éviter",
            "Programme détaillé",
            "Aucune session n'est encore placée.",
            "Sessions pas encore placées",
            "Heures de %s",
            "l'heure locale du lieu",
            "Heures d'un autre fuseau",
            "Votre fuseau",
            "Thèmes",
            "Calendrier de cet événement",
            "Comment s'abonner",
            "Outlook : Ajouter un calendrier, S'abonner à partir du web, puis collez l'adresse "
            "https.",
            "Google Agenda : Autres agendas, +, À partir de l'URL, puis collez l'adresse https "
            "(Google l'actualise toutes les 12 à 24 heures).",
            "Calendrier Apple : Fichier, Nouvel abonnement à un calendrier, puis collez l'adresse "
            "webcal (sur iPhone, ouvrez le lien webcal).",
            "Thunderbird : Nouvel agenda, Sur le réseau, puis collez l'adresse https.",
            "Programme de %s",
            "Votre calendrier privé",
            "Cette adresse n'est qu'à vous : qui la connaît peut lire votre calendrier. "
            "Demandez-en "
            "une nouvelle au bureau si elle a fuité.",
            "Vos événements",
            "Vos réponses aux invitations (acceptée, déclinée, provisoire) figurent sur votre "
            "ligne "
            "de chaque événement dans votre agenda privé ; cette page liste les événements "
            "auxquels "
            "vous êtes invité.",
            "Produit par convene à partir de la base du programme.",
            "proposé",
            "provisoire",
            "confirmé",
            "annulé",
            "tenu",
            "Plénière",
            "Gouvernance numérique",
            "Climat",
            "Inclusion",
            "OGP Local",
            "Signer le contrat du lieu",
            "Envoyer l'annonce de la date",
            "Envoyer les invitations",
            "Délivrer les lettres d'appui aux visas",
            "Clore les inscriptions",
            "Publier l'ordre du jour définitif",
            "Un autre fuseau horaire (son nom IANA, par exemple America/Bogota)",
            "Afficher",
            "Code QR",
        },
    [L_ES] =
        {
            "Programa",
            "Suscribirse",
            "El programa de un vistazo",
            "El periodo de planificación de cada evento como banda clara, sus fechas como barra "
            "oscura y sus plazos como rombos; la semana de alto nivel de la Asamblea General de "
            "la ONU, el Ramadán y otras fechas comunes como bandas sombreadas; los feriados del "
            "país anfitrión como marcas rojas en la fila del evento.",
            "Eventos",
            "Evento",
            "Anfitrión",
            "Periodo de planificación",
            "Fechas",
            "Estado",
            "aún sin fecha",
            "Fechas de referencia dibujadas como bandas",
            "periodo de planificación",
            "fechas",
            "plazo",
            "feriado del país anfitrión",
            "fechas que quedan libres para todos",
            "fechas que conviene evitar",
            "Agenda",
            "Aún no hay sesiones programadas.",
            "Sesiones aún sin horario",
            "Horas de %s",
            "la hora local de la sede",
            "Horas en otra zona",
            "Su zona",
            "Ejes",
            "Calendario de este evento",
            "Cómo suscribirse",
            "Outlook: Agregar calendario, Suscribirse desde la web y pegue la dirección https.",
            "Google Calendar: Otros calendarios, +, Desde URL y pegue la dirección https (Google "
            "la actualiza cada 12 a 24 horas).",
            "Calendario de Apple: Archivo, Nueva suscripción a calendario y pegue la dirección "
            "webcal (en un iPhone, abra el enlace webcal).",
            "Thunderbird: Nuevo calendario, En la red y pegue la dirección https.",
            "Programa de %s",
            "Su calendario privado",
            "Esta dirección es solo suya: quien la tenga puede leer su calendario. Pida una nueva "
            "a la oficina si se filtra.",
            "Sus eventos",
            "Sus respuestas a las invitaciones (aceptada, rechazada, provisional) figuran en su "
            "línea "
            "de cada evento en su calendario privado; esta página muestra los eventos a los que "
            "está invitado.",
            "Generado por convene a partir de la base del programa.",
            "propuesto",
            "provisional",
            "confirmado",
            "cancelado",
            "celebrado",
            "Plenaria",
            "Gobernanza digital",
            "Clima",
            "Inclusión",
            "OGP Local",
            "Firmar el contrato de la sede",
            "Enviar el aviso de reserva de fecha",
            "Enviar las invitaciones",
            "Emitir las cartas de apoyo para visados",
            "Cerrar la inscripción",
            "Publicar la agenda definitiva",
            "Otra zona horaria (su nombre IANA, por ejemplo America/Bogota)",
            "Mostrar",
            "Código QR",
        },
    [L_AR] =
        {
            "البرنامج",
            "الاشتراك",
            "البرنامج في لمحة",
            "فترة التخطيط لكل فعالية شريطٌ فاتح، وتواريخها شريطٌ داكن، ومواعيدها النهائية "
            "معيّنات؛ وأسبوع الجمعية العامة للأمم المتحدة الرفيع المستوى ورمضان وسائر التواريخ "
            "العامة أشرطةٌ مظللة؛ والعطل الرسمية للبلد المضيف علاماتٌ حمراء في سطر الفعالية.",
            "الفعاليات",
            "الفعالية",
            "المضيف",
            "فترة التخطيط",
            "التواريخ",
            "الحالة",
            "لم تُحدَّد بعد",
            "تواريخ مرجعية مرسومة أشرطةً",
            "فترة التخطيط",
            "التواريخ",
            "موعد نهائي",
            "عطلة رسمية في البلد المضيف",
            "تواريخ تُترك خالية للجميع",
            "تواريخ يُستحسن تجنّبها",
            "الجدول الزمني",
            "لم تُجدوَل أي جلسة بعد.",
            "جلسات لم تُجدوَل بعد",
            "الأوقات بتوقيت %s",
            "التوقيت المحلي لمكان الانعقاد",
            "الأوقات في منطقة زمنية أخرى",
            "منطقتك الزمنية",
            "المحاور",
            "تقويم هذه الفعالية",
            "طريقة الاشتراك",
            "Outlook: إضافة تقويم، ثم الاشتراك من الويب، ثم الصق عنوان https.",
            "تقويم Google: تقويمات أخرى، ثم +، ثم من عنوان URL، ثم الصق عنوان https (يحدّثه "
            "Google كل 12 إلى 24 ساعة).",
            "تقويم Apple: ملف، ثم اشتراك تقويم جديد، ثم الصق عنوان webcal (على iPhone افتح رابط "
            "webcal).",
            "Thunderbird: تقويم جديد، ثم على الشبكة، ثم الصق عنوان https.",
            "برنامج %s",
            "تقويمك الخاص",
            "هذا العنوان لك وحدك: من يملكه يستطيع قراءة تقويمك. اطلب عنوانًا جديدًا من المكتب "
            "إذا تسرّب.",
            "فعالياتك",
            "تظهر ردودك على الدعوات (قبول، اعتذار، مبدئي) في سطرك لكل فعالية في تقويمك الخاص؛ "
            "تعرض هذه الصفحة الفعاليات التي دُعيت إليها.",
            "أنشأه convene من قاعدة بيانات البرنامج.",
            "مقترحة",
            "مبدئية",
            "مؤكدة",
            "ملغاة",
            "منعقدة",
            "جلسة عامة",
            "الحوكمة الرقمية",
            "المناخ",
            "الشمول",
            "OGP المحلية",
            "توقيع عقد مكان الانعقاد",
            "إرسال إشعار حفظ الموعد",
            "إرسال الدعوات",
            "إصدار رسائل دعم التأشيرات",
            "إغلاق التسجيل",
            "نشر جدول الأعمال النهائي",
            "منطقة زمنية أخرى (اسمها في IANA، مثل America/Bogota)",
            "عرض",
            "رمز QR",
        },
};

static const char *const month_names[NLANG][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"},
    {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
     "نوفمبر", "ديسمبر"},
};

static const char *const month_short[NLANG][12] = {
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
     "déc."},
    {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"},
    {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
     "نوفمبر", "ديسمبر"},
};

static const char *const lang_codes[NLANG] = {"en", "fr", "es", "ar"};
static const char *const lang_names[NLANG] = {"English", "Français", "Español", "العربية"};

static const char css[] =
    ":root{color-scheme:light}"
    "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans Arabic',"
    "sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}"
    "header,main,footer{max-width:75rem;margin:0 auto;padding:0 1rem}"
    "header nav{display:flex;flex-wrap:wrap;gap:1rem;padding:.75rem 0;border-bottom:1px solid "
    "#bbb}"
    "nav .langs{margin-inline-start:auto;display:flex;gap:.75rem}"
    "a{color:#0b4f8a}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3rem .5rem;"
    "text-align:start;vertical-align:top}th{background:#f0f0f0}"
    ".tl{width:100%;height:auto;font-family:inherit}"
    ".legend{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;list-style:none;padding:0}"
    ".sw{display:inline-block;width:1.2em;height:.8em;margin-inline-end:.4em;"
    "vertical-align:middle;border:1px solid #555}"
    ".grid{display:grid;gap:2px;font-size:.85rem;margin-bottom:1rem}"
    ".grid .h{font-weight:bold;background:#eee;padding:.25rem}"
    ".grid .t{color:#333;font-variant-numeric:tabular-nums;border-top:1px solid #ddd;"
    "padding-inline-end:.25rem}"
    ".s{border-radius:4px;padding:.15rem .35rem;overflow:hidden;color:#111;"
    "border-inline-start:4px solid #333}.s b{display:block}.s small{display:block}"
    ".s .sp{white-space:pre-line}"
    ".track-plenary{background:#e3e3e3;border-color:#444}"
    ".track-digital-governance{background:#d6e6fa;border-color:#0b4f8a}"
    ".track-climate{background:#d5efd9;border-color:#1e6b2e}"
    ".track-inclusion{background:#f7e1c8;border-color:#8a4b0b}"
    ".track-ogp-local{background:#eadcf5;border-color:#5b2a86}"
    ".feed{border:1px solid #bbb;border-radius:6px;padding:.75rem;margin:1rem 0;display:flex;"
    "gap:1rem;flex-wrap:wrap;align-items:flex-start}.feed h2{margin-top:0}"
    ".qr{width:140px;height:140px;flex:none}code{word-break:break-all}"
    ".note{background:#fff7d6;border:1px solid #b89b2a;padding:.5rem .75rem}"
    "@media print{header nav,details,.noprint,.qr{display:none}a{color:#000;"
    "text-decoration:none}.s,.feed,tr{break-inside:avoid}h2{break-after:avoid}"
    "body{font-size:10pt}}";

/* Everything the pages are made of, read once. */
struct world {
    struct cv_store *st;
    struct cv_ctx *ctx;
    const struct cv_feed_options *opt;
    const struct cv_feed_set *feeds;
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_session_list sessions;
    struct cv_person_list people;
    struct cv_country_list members;
    struct cv_refcal_list refcals;
    int langs[NLANG]; /* the programme's languages, in its order */
    size_t nlangs;
};

/* A page being written: the first error stops every later write. */
struct page {
    struct cv_buf b;
    int rc;
    int lang;
};

static void p_str(struct page *p, const char *s)
{
    if (p->rc == 0)
        p->rc = cv_buf_addstr(&p->b, s);
}

static void p_esc(struct page *p, const char *s)
{
    if (p->rc == 0)
        p->rc = cv_html_escape(&p->b, s);
}

static void p_fmt(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void p_fmt(struct page *p, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        if (p->rc == 0)
            p->rc = CV_EINVAL;
        return;
    }
    p_str(p, tmp);
}

static const char *tr(const struct page *p, enum msg m)
{
    return T[p->lang][m];
}

static int lang_index(const char *code)
{
    for (int i = 0; i < NLANG; i++) {
        if (code && strcmp(code, lang_codes[i]) == 0)
            return i;
    }
    return -1;
}

/* "BASE.html" in the programme's first language, "BASE-LANG.html" in the others. */
static void page_name(const struct world *w, char *out, size_t size, const char *base, int lang)
{
    if (w->nlangs && lang == w->langs[0])
        snprintf(out, size, "%s.html", base);
    else
        snprintf(out, size, "%s-%s.html", base, lang_codes[lang]);
}

static void p_date(struct page *p, const struct cv_date *d)
{
    if (!cv_date_is_set(d))
        return;
    if (p->lang == L_EN)
        p_fmt(p, "%d %s %d", d->day, month_names[p->lang][d->month - 1], d->year);
    else if (p->lang == L_ES)
        p_fmt(p, "%d de %s de %d", d->day, month_names[p->lang][d->month - 1], d->year);
    else
        p_fmt(p, "%d %s %d", d->day, month_names[p->lang][d->month - 1], d->year);
}

static void p_range(struct page *p, const struct cv_date *a, const struct cv_date *b)
{
    if (!cv_date_is_set(a)) {
        p_esc(p, tr(p, M_NOT_PLACED));
        return;
    }
    p_date(p, a);
    if (cv_date_cmp(a, b) != 0) {
        p_str(p, " – ");
        p_date(p, b);
    }
}

static const char *status_text(const struct page *p, enum cv_event_status s)
{
    return tr(p, (enum msg)(M_ST_PROPOSED + (int)s));
}

static const char *track_text(const struct page *p, enum cv_track t)
{
    return tr(p, (enum msg)(M_TR_PLENARY + (int)t));
}

/*
 * The page's start: <html> in its language and direction, the title, the style, the navigation
 * and the links to the same page in the other languages (@base, or NULL for none).
 */
static void p_head(struct page *p, const struct world *w, const char *title, const char *base,
                   const char *up, const char *query)
{
    char name[160];
    p_fmt(p, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
          lang_codes[p->lang], p->lang == L_AR ? "rtl" : "ltr");
    p_str(p, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"referrer\" content=\"no-referrer\">\n"
             "<link rel=\"icon\" href=\"data:,\">\n<title>");
    const char *prog_name = cv_programme_name_in(&w->prog, lang_codes[p->lang]);
    p_esc(p, title);
    if (!cv_str_eq(title, prog_name)) {
        p_str(p, " · ");
        p_esc(p, prog_name);
    }
    p_str(p, "</title>\n<style>");
    p_str(p, css);
    p_fmt(p, "</style>\n</head>\n<body>\n<header><nav aria-label=\"%s\">", tr(p, M_PROGRAMME));
    page_name(w, name, sizeof(name), "index", p->lang);
    p_fmt(p, "<a href=\"%s%s\">%s</a>", up, name, tr(p, M_PROGRAMME));
    page_name(w, name, sizeof(name), "subscribe", p->lang);
    p_fmt(p, "<a href=\"%s%s\">%s</a>", up, name, tr(p, M_SUBSCRIBE));
    if (base && w->nlangs > 1) {
        p_str(p, "<span class=\"langs\">");
        for (size_t i = 0; i < w->nlangs; i++) {
            int l = w->langs[i];
            page_name(w, name, sizeof(name), base, l);
            if (l == p->lang)
                p_fmt(p, "<span lang=\"%s\" aria-current=\"page\">%s</span>", lang_codes[l],
                      lang_names[l]);
            else
                p_fmt(p, "<a href=\"%s%s%s\" lang=\"%s\" hreflang=\"%s\">%s</a>", up, name,
                      query ? query : "", lang_codes[l], lang_codes[l], lang_names[l]);
        }
        p_str(p, "</span>");
    }
    p_str(p, "</nav></header>\n<main>\n");
}

static void p_foot(struct page *p)
{
    p_fmt(p, "</main>\n<footer><p><small>%s</small></p></footer>\n</body>\n</html>\n",
          tr(p, M_FOOTER));
}

static int add_page(struct cv_page_set *out, const char *path, struct page *p, bool is_private,
                    struct cv_error *err)
{
    if (p->rc < 0)
        return cv_error_set(err, p->rc, "cannot write the page %s: %s", path, cv_strerror(p->rc));
    if (cv_grow(&out->v, &out->alloc, out->n + 1, sizeof(out->v[0])) < 0)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    struct cv_page *pg = &out->v[out->n];
    memset(pg, 0, sizeof(*pg));
    pg->len = p->b.len;
    pg->is_private = is_private;
    if (!(pg->path = strdup(path)) || !(pg->data = cv_buf_detach(&p->b))) {
        free(pg->path);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    out->n++;
    return 0;
}

static const struct cv_country *member(const struct world *w, const char *iso2)
{
    for (size_t i = 0; iso2 && i < w->members.n; i++) {
        if (strcmp(w->members.v[i].iso2, iso2) == 0)
            return &w->members.v[i];
    }
    return NULL;
}

/* The event's first and last day: its dates, else its window. @return false when neither. */
static bool event_span(const struct cv_event *e, struct cv_date *a, struct cv_date *b)
{
    if (cv_date_is_set(&e->start)) {
        *a = e->start;
        *b = cv_date_is_set(&e->end) ? e->end : e->start;
    } else if (cv_date_is_set(&e->window_start)) {
        *a = e->window_start;
        *b = cv_date_is_set(&e->window_end) ? e->window_end : e->window_start;
    } else {
        return false;
    }
    if (cv_date_is_set(&e->window_start) && cv_date_cmp(&e->window_start, a) < 0)
        *a = e->window_start;
    if (cv_date_is_set(&e->window_end) && cv_date_cmp(&e->window_end, b) > 0)
        *b = e->window_end;
    return true;
}

static const char *region_color(const char *region, bool light)
{
    if (region && strstr(region, "Africa"))
        return light ? "#f6c89a" : "#a04a00";
    if (region && strstr(region, "Americas"))
        return light ? "#a6dcbc" : "#1e6b3e";
    if (region && strstr(region, "Asia"))
        return light ? "#a9c8e6" : "#1f4f80";
    return light ? "#c7c7e8" : "#3d3d8f";
}

/* ---- the programme's timeline ---------------------------------------------------------------- */

#define TL_W   1000
#define TL_X0  190
#define TL_TOP 44
#define TL_ROW 40

static void p_svg_title(struct page *p, const char *text, const struct cv_date *a,
                        const struct cv_date *b)
{
    p_str(p, "<title>");
    p_esc(p, text);
    if (a) {
        p_str(p, ": ");
        p_range(p, a, b);
    }
    p_str(p, "</title>");
}

static void timeline(struct page *p, const struct world *w)
{
    struct cv_date first = {0}, last = {0}, a, b;
    for (size_t i = 0; i < w->events.n; i++) {
        if (!event_span(&w->events.v[i], &a, &b))
            continue;
        if (!cv_date_is_set(&first) || cv_date_cmp(&a, &first) < 0)
            first = a;
        if (!cv_date_is_set(&last) || cv_date_cmp(&b, &last) > 0)
            last = b;
    }
    if (!cv_date_is_set(&first))
        return;
    first.day = 1;
    last = cv_date_add_days(
        &(struct cv_date){last.year + (last.month == 12), last.month % 12 + 1, 1}, -1);
    int64_t d0 = cv_date_to_days(&first), days = cv_date_to_days(&last) - d0 + 1;
    int height = TL_TOP + (int)w->events.n * TL_ROW + 10;
    double scale = (double)(TL_W - TL_X0 - 10) / (double)days;
#define X(d) (TL_X0 + (double)(cv_date_to_days(d) - d0) * scale)

    p_fmt(p,
          "<div dir=\"ltr\"><svg class=\"tl\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
          "%d %d\" role=\"img\" aria-labelledby=\"tl-title tl-desc\" font-size=\"13\">",
          TL_W, height);
    p_fmt(p, "<title id=\"tl-title\">%s</title><desc id=\"tl-desc\">", tr(p, M_TIMELINE));
    p_esc(p, tr(p, M_TIMELINE_DESC));
    p_str(p, "</desc>");

    /* Reference dates for everyone (scope "all") as bands over every row. */
    for (size_t c = 0; c < w->refcals.n; c++) {
        const struct cv_refcal *cal = &w->refcals.v[c];
        if (!cv_str_eq(cal->scope, "all"))
            continue;
        for (size_t k = 0; k < cal->n; k++) {
            const struct cv_refentry *en = &cal->entries[k];
            if (cv_date_cmp(&en->last, &first) < 0 || cv_date_cmp(&en->first, &last) > 0)
                continue;
            struct cv_date s = cv_date_cmp(&en->first, &first) < 0 ? first : en->first;
            struct cv_date t = cv_date_cmp(&en->last, &last) > 0 ? last : en->last;
            struct cv_date t1 = cv_date_add_days(&t, 1);
            enum cv_meaning m = en->has_meaning ? en->meaning : cal->meaning;
            p_fmt(p,
                  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                  "fill-opacity=\"0.45\">",
                  X(&s), TL_TOP - 8, X(&t1) - X(&s) < 2 ? 2 : X(&t1) - X(&s), height - TL_TOP + 4,
                  m == CV_MEANING_BLACKOUT ? "#9a9a9a" : "#c9b458");
            p_svg_title(p, en->summary, &en->first, &en->last);
            p_str(p, "</rect>");
        }
    }
    /* Months. */
    for (struct cv_date m = first; cv_date_cmp(&m, &last) <= 0;) {
        double x = X(&m);
        p_fmt(p, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\"/>", x,
              TL_TOP - 20, x, height - 4);
        p_fmt(p, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\" font-size=\"11\">%s</text>", x + 2,
              TL_TOP - 24, month_short[p->lang][m.month - 1]);
        if (m.month == 1 || cv_date_cmp(&m, &first) == 0)
            p_fmt(p,
                  "<text x=\"%.1f\" y=\"%d\" fill=\"#111\" font-size=\"12\" "
                  "font-weight=\"bold\">%d</text>",
                  x + 2, TL_TOP - 36 < 10 ? 10 : TL_TOP - 36, m.year);
        m = (struct cv_date){m.year + (m.month == 12), m.month % 12 + 1, 1};
    }
    /* One row per event. */
    for (size_t i = 0; i < w->events.n; i++) {
        const struct cv_event *e = &w->events.v[i];
        int y = TL_TOP + (int)i * TL_ROW;
        const char *title = cv_event_title_in(e, lang_codes[p->lang]);
        p_fmt(p, "<g><text x=\"4\" y=\"%d\" fill=\"#111\" font-weight=\"bold\">", y + 17);
        p_esc(p, e->city ? e->city : e->key);
        p_fmt(p, "</text><text x=\"4\" y=\"%d\" fill=\"#333\" font-size=\"11\">", y + 31);
        p_esc(p, status_text(p, e->status));
        p_str(p, "</text>");
        if (cv_date_is_set(&e->window_start) && cv_date_is_set(&e->window_end)) {
            struct cv_date we = cv_date_add_days(&e->window_end, 1);
            p_fmt(p,
                  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" fill=\"%s\" "
                  "stroke=\"%s\" stroke-dasharray=\"4 3\">",
                  X(&e->window_start), y + 8, X(&we) - X(&e->window_start),
                  region_color(e->region, true), region_color(e->region, false));
            p_svg_title(p, title, &e->window_start, &e->window_end);
            p_str(p, "</rect>");
        }
        /* The host's public holidays as marks on the row. */
        char scope[32];
        snprintf(scope, sizeof(scope), "country:%s", e->country ? e->country : "");
        for (size_t c = 0; c < w->refcals.n; c++) {
            const struct cv_refcal *cal = &w->refcals.v[c];
            if (!cv_str_eq(cal->scope, scope))
                continue;
            for (size_t k = 0; k < cal->n; k++) {
                const struct cv_refentry *en = &cal->entries[k];
                if (cv_date_cmp(&en->first, &first) < 0 || cv_date_cmp(&en->first, &last) > 0)
                    continue;
                p_fmt(p, "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"8\" fill=\"#c0392b\">",
                      X(&en->first), y + 2);
                p_svg_title(p, en->summary, &en->first, &en->last);
                p_str(p, "</rect>");
            }
        }
        if (cv_date_is_set(&e->start)) {
            struct cv_date end = cv_date_is_set(&e->end) ? e->end : e->start;
            struct cv_date e1 = cv_date_add_days(&end, 1);
            double wdt = X(&e1) - X(&e->start);
            p_fmt(p, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"28\" fill=\"%s\"%s>",
                  X(&e->start), y + 5, wdt < 4 ? 4 : wdt, region_color(e->region, false),
                  e->status == CV_EVENT_CANCELLED ? " fill-opacity=\"0.35\"" : "");
            p_svg_title(p, title, &e->start, &end);
            p_str(p, "</rect>");
            struct cv_milestone ms[CV_MILESTONES_MAX];
            size_t n = cv_milestones_for_event(e, ms);
            for (size_t k = 0; k < n; k++) {
                if (cv_date_cmp(&ms[k].due, &first) >= 0) {
                    double x = X(&ms[k].due);
                    p_fmt(p, "<path d=\"M%.1f %dl5 5l-5 5l-5 -5z\" fill=\"#111\" stroke=\"#fff\">",
                          x, y + 14);
                    /* The milestones come in the order of the messages: one per step. */
                    _Static_assert(M_MS_AGENDA - M_MS_VENUE + 1 == CV_MILESTONES_MAX,
                                   "a message per milestone");
                    char mt[768];
                    snprintf(mt, sizeof(mt), "%s: %s", tr(p, (enum msg)(M_MS_VENUE + k)), title);
                    p_svg_title(p, mt, &ms[k].due, &ms[k].due);
                    p_str(p, "</path>");
                }
                cv_milestone_release(&ms[k]);
            }
        }
        p_str(p, "</g>");
    }
    p_str(p, "</svg></div>\n");
#undef X
}

/*
 * The programme's description exists in one language only (the model has no translations of
 * it): the programme's first one. On a page in another language it is marked as such, so that a
 * screen reader speaks it right.
 */
static void p_prog_text(struct page *p, const struct world *w, const char *tag, const char *text)
{
    int l = w->nlangs ? w->langs[0] : L_EN;
    if (l == p->lang)
        p_fmt(p, "<%s>", tag);
    else
        p_fmt(p, "<%s lang=\"%s\" dir=\"%s\">", tag, lang_codes[l], l == L_AR ? "rtl" : "ltr");
    p_esc(p, text);
    p_fmt(p, "</%s>\n", tag);
}

/*
 * The programme's name in the page's language; where it has none in that language, its English
 * name, marked lang="en" (the page's own language otherwise).
 */
static void p_prog_name(struct page *p, const struct world *w, const char *tag)
{
    if (cv_programme_has_name_in(&w->prog, lang_codes[p->lang]))
        p_fmt(p, "<%s>", tag);
    else
        p_fmt(p, "<%s lang=\"en\" dir=\"ltr\">", tag);
    p_esc(p, cv_programme_name_in(&w->prog, lang_codes[p->lang]));
    p_fmt(p, "</%s>\n", tag);
}

static void index_page(struct page *p, const struct world *w)
{
    char name[160];
    p_prog_name(p, w, "h1");
    if (w->prog.description)
        p_prog_text(p, w, "p", w->prog.description);
    p_fmt(p, "<h2>%s</h2>\n", tr(p, M_TIMELINE));
    timeline(p, w);
    p_fmt(p,
          "<ul class=\"legend\"><li><span class=\"sw\" style=\"background:#f6c89a\"></span>%s</li>"
          "<li><span class=\"sw\" style=\"background:#a04a00\"></span>%s</li>"
          "<li><span class=\"sw\" style=\"background:#111\"></span>%s</li>"
          "<li><span class=\"sw\" style=\"background:#c0392b\"></span>%s</li>"
          "<li><span class=\"sw\" style=\"background:#c4c4c4\"></span>%s</li>"
          "<li><span class=\"sw\" style=\"background:#e4d9ab\"></span>%s</li></ul>\n",
          tr(p, M_LEGEND_WINDOW), tr(p, M_LEGEND_DATES), tr(p, M_LEGEND_MILESTONE),
          tr(p, M_LEGEND_HOLIDAY), tr(p, M_LEGEND_BLACKOUT), tr(p, M_LEGEND_AVOID));

    p_fmt(p,
          "<h2>%s</h2>\n<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
          "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
          "</thead>\n<tbody>\n",
          tr(p, M_EVENTS), tr(p, M_EVENT), tr(p, M_HOST), tr(p, M_WINDOW), tr(p, M_DATES),
          tr(p, M_STATUS));
    for (size_t i = 0; i < w->events.n; i++) {
        const struct cv_event *e = &w->events.v[i];
        char base[96];
        snprintf(base, sizeof(base), "event-%s", e->key);
        page_name(w, name, sizeof(name), base, p->lang);
        p_fmt(p, "<tr><th scope=\"row\"><a href=\"%s\">", name);
        p_esc(p, cv_event_title_in(e, lang_codes[p->lang]));
        p_str(p, "</a></th><td>");
        p_esc(p, e->city);
        if (e->country) {
            p_str(p, " (");
            p_esc(p, e->country);
            p_str(p, ")");
        }
        p_str(p, "</td><td>");
        p_range(p, &e->window_start, &e->window_end);
        p_str(p, "</td><td>");
        p_range(p, &e->start, &e->end);
        p_str(p, "</td><td>");
        p_esc(p, status_text(p, e->status));
        p_str(p, "</td></tr>\n");
    }
    p_str(p, "</tbody>\n</table>\n");

    p_fmt(p, "<h2>%s</h2>\n<ul>\n", tr(p, M_REFERENCE));
    for (size_t c = 0; c < w->refcals.n; c++) {
        const struct cv_refcal *cal = &w->refcals.v[c];
        if (!cv_str_eq(cal->scope, "all"))
            continue;
        for (size_t k = 0; k < cal->n; k++) {
            p_str(p, "<li><bdi>");
            p_esc(p, cal->entries[k].summary);
            p_str(p, "</bdi>");
            p_str(p, ": ");
            p_range(p, &cal->entries[k].first, &cal->entries[k].last);
            p_str(p, "</li>\n");
        }
    }
    p_str(p, "</ul>\n");
}

/* ---- an event's timetable ---------------------------------------------------------------- */

/* A zone as a page-name part: "America/New_York" -> "america-new-york". */
static void zone_slug(const char *zone, char *out, size_t size)
{
    cv_slugify(zone, out, size);
}

/* The zones an event's timetable is also shown in: UTC and the zones of the people it invites,
 * most of them first, at most @max, never the venue's. */
static size_t event_zones(const struct world *w, const struct cv_event *e, const char **out,
                          size_t max)
{
    size_t n = 0, counts[64] = {0};
    const char *zones[64];
    for (size_t i = 0; i < w->people.n; i++) {
        const struct cv_person *pp = &w->people.v[i];
        const struct cv_country *c = member(w, pp->country);
        if (!pp->tzid || cv_str_eq(pp->tzid, e->tzid) ||
            !cv_audience_match(e, pp, c ? c->region : NULL))
            continue;
        size_t k = 0;
        while (k < n && strcmp(zones[k], pp->tzid) != 0)
            k++;
        if (k == n) {
            if (n == 64)
                continue;
            zones[n++] = pp->tzid;
        }
        counts[k]++;
    }
    size_t m = 0;
    if (!cv_str_eq(e->tzid, "UTC") && m < max)
        out[m++] = "UTC";
    while (m < max) {
        size_t best = n;
        for (size_t k = 0; k < n; k++) {
            if (counts[k] && (best == n || counts[k] > counts[best]))
                best = k;
        }
        if (best == n)
            break;
        out[m++] = zones[best];
        counts[best] = 0;
    }
    return m;
}

struct placed {
    const struct cv_session *s;
    int64_t day;  /* local day number */
    int from, to; /* local minutes after that day's midnight */
    size_t room;
};

static void p_hhmm(struct page *p, int minute)
{
    p_fmt(p, "%02d:%02d", minute / 60 % 24, minute % 60);
}

static void timetable(struct page *p, const struct world *w, const struct cv_event *e,
                      const struct cv_room_list *rooms, const struct cv_tz *tz)
{
    struct placed *v = calloc(w->sessions.n + 1, sizeof(*v));
    const char **room_names = calloc(rooms->n + w->sessions.n + 1, sizeof(*room_names));
    size_t n = 0, nrooms = 0, unplaced = 0;
    if (!v || !room_names) {
        p->rc = CV_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < rooms->n; i++)
        room_names[nrooms++] = rooms->v[i].name;
    for (size_t i = 0; i < w->sessions.n; i++) {
        const struct cv_session *s = &w->sessions.v[i];
        if (!cv_str_eq(s->event_key, e->key))
            continue;
        if (!s->start) {
            unplaced++;
            continue;
        }
        const char *rn = s->room ? s->room : "—";
        size_t r = 0;
        while (r < nrooms && strcmp(room_names[r], rn) != 0)
            r++;
        if (r == nrooms)
            room_names[nrooms++] = rn;
        int64_t local = s->start + cv_tz_offset(tz, s->start);
        int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
        int from = (int)((local - day * 86400) / 60);
        v[n++] = (struct placed){s, day, from, from + s->minutes, r};
    }
    if (n == 0) {
        p_fmt(p, "<p>%s</p>\n", tr(p, M_NO_SESSIONS));
    }
    for (size_t i = 0; i < n;) {
        /* One day: sessions come in order of start, so a day's sessions are consecutive. */
        int64_t day = v[i].day;
        int lo = 24 * 60, hi = 0;
        size_t j = i;
        while (j < n && v[j].day == day) {
            if (v[j].from < lo)
                lo = v[j].from;
            if (v[j].to > hi)
                hi = v[j].to;
            j++;
        }
        lo -= lo % 30;
        hi = hi > 24 * 60 ? 24 * 60 : hi;
        hi += (30 - hi % 30) % 30;
        struct cv_date d = cv_date_from_days(day);
        p_str(p, "<h2>");
        p_date(p, &d);
        p_str(p, "</h2>\n");
        p_fmt(p,
              "<div class=\"grid\" style=\"grid-template-columns:4.5rem repeat(%zu,minmax(7rem,"
              "1fr));grid-template-rows:auto repeat(%d,1.15rem)\">",
              nrooms, (hi - lo) / 15);
        for (size_t r = 0; r < nrooms; r++) {
            p_fmt(p, "<div class=\"h\" style=\"grid-column:%zu;grid-row:1\">", r + 2);
            p_esc(p, room_names[r]);
            p_str(p, "</div>");
        }
        for (int m = lo; m < hi; m += 30) {
            p_fmt(p, "<div class=\"t\" style=\"grid-column:1;grid-row:%d/span 2\">",
                  (m - lo) / 15 + 2);
            p_hhmm(p, m);
            p_str(p, "</div>");
        }
        for (size_t k = i; k < j; k++) {
            const struct placed *s = &v[k];
            char start[CV_TIME_SIZE], end[CV_TIME_SIZE];
            int to = s->to > hi ? hi : s->to;
            int span = (to - s->from + 14) / 15;
            cv_time_format_utc(s->s->start, start);
            cv_time_format_utc(s->s->start + (int64_t)s->s->minutes * 60, end);
            p_fmt(p,
                  "<div class=\"s track-%s\" style=\"grid-column:%zu;grid-row:%d/span %d\">"
                  "<time datetime=\"%s\">",
                  cv_track_name(s->s->track), s->room + 2, (s->from - lo) / 15 + 2,
                  span < 1 ? 1 : span, start);
            p_hhmm(p, s->from);
            p_fmt(p, "</time>–<time datetime=\"%s\">", end);
            p_hhmm(p, s->to);
            p_str(p, "</time> <b>");
            p_esc(p, s->s->title);
            p_str(p, "</b><small>");
            p_esc(p, room_names[s->room]);
            p_str(p, " · ");
            p_esc(p, track_text(p, s->s->track));
            p_str(p, "</small>");
            if (s->s->speakers) {
                p_str(p, "<small class=\"sp\">");
                p_esc(p, s->s->speakers);
                p_str(p, "</small>");
            }
            p_str(p, "</div>");
        }
        p_str(p, "</div>\n");
        i = j;
    }
    if (unplaced) {
        p_fmt(p, "<h2>%s</h2>\n<ul>\n", tr(p, M_UNSCHEDULED));
        for (size_t i = 0; i < w->sessions.n; i++) {
            const struct cv_session *s = &w->sessions.v[i];
            if (!cv_str_eq(s->event_key, e->key) || s->start)
                continue;
            p_str(p, "<li>");
            p_esc(p, s->title);
            p_fmt(p, " (%d min, ", s->minutes);
            p_esc(p, track_text(p, s->track));
            p_str(p, ")</li>\n");
        }
        p_str(p, "</ul>\n");
    }
out:
    free(v);
    free(room_names);
}

/* The zone switch: the same page in other zones (no script needed); a script adds a link to
 * the reader's own zone when the list has it. */
static void zone_switch(struct page *p, const struct world *w, const struct cv_event *e,
                        const char *const *zones, size_t nz, const char *shown)
{
    char base[160], name[320], slug[65];
    p_fmt(p, "<details class=\"noprint\"><summary>%s</summary>\n<ul>\n", tr(p, M_OTHER_ZONES));
    snprintf(base, sizeof(base), "event-%s", e->key);
    page_name(w, name, sizeof(name), base, p->lang);
    p_fmt(p, "<li><a href=\"%s\" data-zone=\"", name);
    p_esc(p, e->tzid);
    p_str(p, "\">");
    p_esc(p, e->tzid);
    p_fmt(p, "</a> (%s)</li>\n", tr(p, M_VENUE_TIME));
    for (size_t i = 0; i < nz; i++) {
        char zbase[240];
        zone_slug(zones[i], slug, sizeof(slug));
        snprintf(zbase, sizeof(zbase), "%s-tz-%s", base, slug);
        page_name(w, name, sizeof(name), zbase, p->lang);
        p_fmt(p, "<li><a href=\"%s\" data-zone=\"", name);
        p_esc(p, zones[i]);
        p_fmt(p, "\"%s>", cv_str_eq(zones[i], shown) ? " aria-current=\"page\"" : "");
        p_esc(p, zones[i]);
        p_str(p, "</a></li>\n");
    }
    /* Any other zone without a script: convene serve draws event-KEY.html?tz=ZONE on request
     * (a static host ignores the query and shows the venue's time, which the page says). */
    page_name(w, name, sizeof(name), base, p->lang);
    p_fmt(p,
          "</ul>\n<form method=\"get\" action=\"%s\"><label for=\"tz\">%s</label> "
          "<input id=\"tz\" name=\"tz\" required maxlength=\"64\" "
          "autocomplete=\"off\" spellcheck=\"false\" "
          "placeholder=\"America/Bogota\" dir=\"ltr\"> <button>%s</button></form>\n",
          name, tr(p, M_ZONE_LABEL), tr(p, M_ZONE_SHOW));
    p_fmt(p, "<p id=\"your-zone\" data-label=\"%s\" hidden></p>\n</details>\n", tr(p, M_YOUR_ZONE));
    p_str(p, "<script>(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;"
             "var l=document.querySelectorAll('a[data-zone]');var y=document.getElementById("
             "'your-zone');for(var i=0;i<l.length;i++){if(l[i].getAttribute('data-zone')===z){"
             "var a=l[i].cloneNode(false);a.textContent=y.getAttribute('data-label')+': '+z;"
             "y.appendChild(a);y.hidden=false;break;}}}catch(e){}})();</script>\n");
}

/*
 * One timetable page: in the venue's zone (@zone NULL), or in @zone, pre-drawn (its own page,
 * event-KEY-tz-SLUG) or, @on_request, drawn for event-KEY.html?tz=ZONE (its language links keep
 * the query).
 */
static int event_page(struct cv_page_set *out, const struct world *w, const struct cv_event *e,
                      int lang, const char *zone, bool on_request, const char *const *zones,
                      size_t nz, const struct cv_room_list *rooms, struct cv_error *err)
{
    struct page p = {.lang = lang};
    struct cv_tz *tz = NULL;
    char base[160], path[320], slug[65], query[3 * 64 + 8] = "";
    const char *shown = zone ? zone : e->tzid;
    int rc;

    cv_buf_init(&p.b, CV_BUF_NOLIMIT);
    if ((rc = cv_tz_load(shown, &tz, err)) < 0)
        goto out;
    snprintf(base, sizeof(base), "event-%s", e->key);
    const char *title = cv_event_title_in(e, lang_codes[lang]);
    char self[240];
    if (zone && on_request) {
        /* The zone passed cv_tz_load(): letters, digits and "/_-+"; '/' and '+' escaped. */
        size_t q = (size_t)snprintf(query, sizeof(query), "?tz=");
        for (const char *z = zone; *z && q + 4 < sizeof(query); z++)
            q += (size_t)snprintf(query + q, sizeof(query) - q,
                                  *z == '/'   ? "%%2F"
                                  : *z == '+' ? "%%2B"
                                              : "%c",
                                  *z);
        snprintf(self, sizeof(self), "%s", base);
    } else if (zone) {
        zone_slug(zone, slug, sizeof(slug));
        snprintf(self, sizeof(self), "%s-tz-%s", base, slug);
    } else {
        snprintf(self, sizeof(self), "%s", base);
    }
    p_head(&p, w, title, self, "", query[0] ? query : NULL);
    p_str(&p, "<h1>");
    p_esc(&p, title);
    p_str(&p, "</h1>\n<p>");
    p_esc(&p, e->city);
    if (e->country) {
        p_str(&p, " (");
        p_esc(&p, e->country);
        p_str(&p, ")");
    }
    if (e->venue) {
        p_str(&p, ", ");
        p_esc(&p, e->venue);
    }
    p_str(&p, " · ");
    p_range(&p, &e->start, &e->end);
    p_str(&p, " · ");
    p_esc(&p, status_text(&p, e->status));
    p_str(&p, "</p>\n<p><strong>");
    char times[256];
    snprintf(times, sizeof(times), tr(&p, M_TIMES_IN), shown);
    p_esc(&p, times);
    p_str(&p, "</strong>");
    if (!zone)
        p_fmt(&p, " (%s)", tr(&p, M_VENUE_TIME));
    p_str(&p, "</p>\n");
    if (nz)
        zone_switch(&p, w, e, zones, nz, shown);
    timetable(&p, w, e, rooms, tz);
    p_fmt(&p, "<h2>%s</h2>\n<ul class=\"legend\">", tr(&p, M_TRACKS));
    for (int t = CV_TRACK_PLENARY; t <= CV_TRACK_LOCAL; t++)
        p_fmt(&p, "<li><span class=\"sw s track-%s\"></span>%s</li>",
              cv_track_name((enum cv_track)t), track_text(&p, (enum cv_track)t));
    p_str(&p, "</ul>\n");
    /* The event's own feed in this language. */
    for (size_t i = 0; i < w->feeds->n; i++) {
        const struct cv_feed_file *f = &w->feeds->v[i];
        char want[160];
        snprintf(want, sizeof(want), "event-%s", e->key);
        if (f->kind == CV_FEED_EVENT && strcmp(f->lang, lang_codes[lang]) == 0 &&
            strncmp(f->path, want, strlen(want)) == 0 &&
            (f->path[strlen(want)] == '.' || f->path[strlen(want)] == '-')) {
            p_fmt(&p, "<p><a href=\"%s\">%s</a></p>\n", f->path, tr(&p, M_FEED_OF_EVENT));
            break;
        }
    }
    p_foot(&p);
    page_name(w, path, sizeof(path), self, lang);
    rc = add_page(out, path, &p, false, err);
out:
    cv_tz_free(tz);
    cv_buf_release(&p.b);
    return rc;
}

/* ---- subscribe ------------------------------------------------------------------------------ */

static void feed_links(struct page *p, const struct world *w, const char *path, bool marker)
{
    const char *base = w->opt->base_url;
    const char *host = strstr(base, "://");
    host = host ? host + 3 : base;
    p_str(p, "<p><a href=\"");
    p_esc(p, base);
    p_str(p, "/");
    p_str(p, marker ? "private/" CV_FEED_TOKEN_MARKER ".ics" : path);
    p_str(p, "\"><code>");
    p_esc(p, base);
    p_str(p, "/");
    p_str(p, marker ? "private/" CV_FEED_TOKEN_MARKER ".ics" : path);
    p_str(p, "</code></a></p>\n<p><a href=\"webcal://");
    p_esc(p, host);
    p_str(p, "/");
    p_str(p, marker ? "private/" CV_FEED_TOKEN_MARKER ".ics" : path);
    p_str(p, "\"><code>webcal://");
    p_esc(p, host);
    p_str(p, "/");
    p_str(p, marker ? "private/" CV_FEED_TOKEN_MARKER ".ics" : path);
    p_str(p, "</code></a></p>\n");
}

static void how_to(struct page *p)
{
    p_fmt(p, "<h2>%s</h2>\n<ul>\n", tr(p, M_HOW));
    for (int m = M_HOW_OUTLOOK; m <= M_HOW_THUNDERBIRD; m++) {
        p_str(p, "<li>");
        p_esc(p, tr(p, (enum msg)m));
        p_str(p, "</li>\n");
    }
    p_str(p, "</ul>\n");
}

/*
 * A feed's title, as the feed names itself (in the page's language: the programme's name in it,
 * the region's, the event's title). The programme's and a region's feed begin with the
 * programme's name: its English one, where it has none in this language, is marked lang="en".
 */
static void p_feed_title(struct page *p, const struct world *w, const struct cv_feed_file *f)
{
    const char *en = w->prog.name;
    size_t n = en ? strlen(en) : 0;
    const char *t = f->title ? f->title : f->path;
    if ((f->kind == CV_FEED_PROGRAMME || f->kind == CV_FEED_REGION) && n &&
        !cv_programme_has_name_in(&w->prog, lang_codes[p->lang]) && strncmp(t, en, n) == 0) {
        p_str(p, "<span lang=\"en\" dir=\"ltr\">");
        p_esc(p, en);
        p_str(p, "</span>");
        t += n;
    }
    p_esc(p, t);
}

static void subscribe_page(struct page *p, const struct world *w)
{
    char webcal[1200];
    const char *base = w->opt->base_url;
    const char *host = strstr(base, "://");
    host = host ? host + 3 : base;
    p_fmt(p, "<h1>%s</h1>\n", tr(p, M_SUBSCRIBE));
    how_to(p);
    for (size_t i = 0; i < w->feeds->n; i++) {
        const struct cv_feed_file *f = &w->feeds->v[i];
        if (f->kind == CV_FEED_PERSON || strcmp(f->lang, lang_codes[p->lang]) != 0)
            continue;
        p_str(p, "<section class=\"feed\"><div>\n<h2>");
        p_feed_title(p, w, f);
        p_str(p, "</h2>\n");
        feed_links(p, w, f->path, false);
        p_str(p, "</div>");
        snprintf(webcal, sizeof(webcal), "webcal://%s/%s", host, f->path);
        if (p->rc == 0)
            p->rc = html_qr_svg(&p->b, webcal, tr(p, M_QR), f->title ? f->title : f->path);
        p_str(p, "</section>\n");
    }
}

/* ---- a person's page ------------------------------------------------------------------------ */

static int person_page(struct cv_page_set *out, const struct world *w, const struct cv_person *pp,
                       struct cv_error *err)
{
    char hash[CV_SHA256_HEX_SIZE], path[128], name[160], title[512];
    struct cv_error tokerr;
    int lang = lang_index(pp->lang);
    if (lang < 0)
        lang = w->nlangs ? w->langs[0] : L_EN;
    struct page p = {.lang = lang};
    int rc;

    cv_error_init(&tokerr);
    rc = cv_store_person_token_hash(w->st, pp->email, hash, &tokerr);
    if (rc == CV_ENOTFOUND)
        return 0; /* no token: no page */
    if (rc < 0) {
        *err = tokerr;
        return rc;
    }
    const struct cv_country *c = member(w, pp->country);
    bool office = pp->role == CV_ROLE_ORGANIZER;
    cv_buf_init(&p.b, CV_BUF_NOLIMIT);
    snprintf(title, sizeof(title), tr(&p, M_PERSON), pp->name);
    p_head(&p, w, title, NULL, "../", NULL);
    p_str(&p, "<h1>");
    p_esc(&p, title);
    p_fmt(&p, "</h1>\n<h2>%s</h2>\n", tr(&p, M_YOUR_FEED));
    feed_links(&p, w, NULL, true);
    p_fmt(&p, "<p class=\"note\">%s</p>\n", tr(&p, M_SECRET));
    how_to(&p);
    p_fmt(&p,
          "<h2>%s</h2>\n<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
          "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
          tr(&p, M_YOUR_EVENTS), tr(&p, M_EVENT), tr(&p, M_HOST), tr(&p, M_DATES),
          tr(&p, M_STATUS));
    for (size_t i = 0; i < w->events.n; i++) {
        const struct cv_event *e = &w->events.v[i];
        if (!cv_event_has_dates(e) || !(office || cv_audience_match(e, pp, c ? c->region : NULL)))
            continue;
        char base[96];
        snprintf(base, sizeof(base), "event-%s", e->key);
        page_name(w, name, sizeof(name), base, lang);
        p_fmt(&p, "<tr><th scope=\"row\"><a href=\"../%s\">", name);
        p_esc(&p, cv_event_title_in(e, lang_codes[lang]));
        p_str(&p, "</a></th><td>");
        p_esc(&p, e->city);
        p_str(&p, "</td><td>");
        p_range(&p, &e->start, &e->end);
        p_str(&p, "</td><td>");
        p_esc(&p, status_text(&p, e->status));
        p_str(&p, "</td></tr>\n");
    }
    p_str(&p, "</tbody>\n</table>\n");
    p_fmt(&p, "<p class=\"note\">%s</p>\n", tr(&p, M_REPLIES));
    p_foot(&p);
    snprintf(path, sizeof(path), "private/%s.html", hash);
    rc = add_page(out, path, &p, true, err);
    cv_buf_release(&p.b);
    return rc;
}

/* ---- all of them ---------------------------------------------------------------------------- */

static void world_release(struct world *w)
{
    cv_programme_release(&w->prog);
    cv_event_list_release(&w->events);
    cv_session_list_release(&w->sessions);
    cv_person_list_release(&w->people);
    cv_country_list_release(&w->members);
    cv_refcal_list_release(&w->refcals);
}

static int world_load(struct world *w, struct cv_error *err)
{
    int rc;
    cv_programme_init(&w->prog);
    cv_event_list_init(&w->events);
    cv_session_list_init(&w->sessions);
    cv_person_list_init(&w->people);
    cv_country_list_init(&w->members);
    cv_refcal_list_init(&w->refcals);
    if ((rc = cv_store_programme_get(w->st, &w->prog, err)) < 0 ||
        (rc = cv_store_event_list(w->st, &w->events, err)) < 0 ||
        (rc = cv_store_session_list(w->st, NULL, &w->sessions, err)) < 0 ||
        (rc = cv_store_person_list(w->st, &w->people, err)) < 0 ||
        (rc = cv_store_country_list(w->st, &w->members, err)) < 0 ||
        (rc = cv_store_refcal_list(w->st, &w->refcals, err)) < 0)
        return rc;
    const char *s = w->prog.languages ? w->prog.languages : "en";
    while (*s && w->nlangs < NLANG) {
        char code[8];
        size_t n = strcspn(s, ",");
        if (n > 0 && n < sizeof(code)) {
            memcpy(code, s, n);
            code[n] = '\0';
            int l = lang_index(code);
            if (l >= 0)
                w->langs[w->nlangs++] = l;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    if (!w->nlangs)
        w->langs[w->nlangs++] = L_EN;
    return 0;
}

int cv_html_build(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                  const struct cv_feed_set *feeds, struct cv_page_set *out, struct cv_error *err)
{
    struct world w = {.st = st, .ctx = ctx, .opt = opt, .feeds = feeds};
    char path[160];
    int rc = world_load(&w, err);

    for (size_t li = 0; rc == 0 && li < w.nlangs; li++) {
        int lang = w.langs[li];
        struct page p = {.lang = lang};
        cv_buf_init(&p.b, CV_BUF_NOLIMIT);
        p_head(&p, &w, cv_programme_name_in(&w.prog, lang_codes[lang]), "index", "", NULL);
        index_page(&p, &w);
        p_foot(&p);
        page_name(&w, path, sizeof(path), "index", lang);
        rc = add_page(out, path, &p, false, err);
        cv_buf_release(&p.b);

        if (rc == 0) {
            struct page q = {.lang = lang};
            cv_buf_init(&q.b, CV_BUF_NOLIMIT);
            p_head(&q, &w, T[lang][M_SUBSCRIBE], "subscribe", "", NULL);
            subscribe_page(&q, &w);
            p_foot(&q);
            page_name(&w, path, sizeof(path), "subscribe", lang);
            rc = add_page(out, path, &q, false, err);
            cv_buf_release(&q.b);
        }
    }
    for (size_t i = 0; rc == 0 && i < w.events.n; i++) {
        const struct cv_event *e = &w.events.v[i];
        struct cv_room_list rooms;
        const char *zones[7];
        size_t nz = 0;
        bool timed = false;
        for (size_t k = 0; k < w.sessions.n && !timed; k++)
            timed = cv_str_eq(w.sessions.v[k].event_key, e->key) && w.sessions.v[k].start;
        if (timed)
            nz = event_zones(&w, e, zones, sizeof(zones) / sizeof(zones[0]));
        cv_room_list_init(&rooms);
        rc = cv_store_room_list(st, e->key, &rooms, err);
        for (size_t li = 0; rc == 0 && li < w.nlangs; li++) {
            rc = event_page(out, &w, e, w.langs[li], NULL, false, zones, nz, &rooms, err);
            for (size_t z = 0; rc == 0 && z < nz; z++)
                rc = event_page(out, &w, e, w.langs[li], zones[z], false, zones, nz, &rooms, err);
        }
        cv_room_list_release(&rooms);
    }
    for (size_t i = 0; rc == 0 && i < w.people.n; i++)
        rc = person_page(out, &w, &w.people.v[i], err);
    world_release(&w);
    return rc;
}

/* ---- a timetable in any zone, drawn on request ---------------------------------------------- */

struct cv_html_views {
    struct world w;
    struct cv_feed_set feeds;   /* the feeds' paths, kinds and languages, without their bytes */
    struct cv_room_list *rooms; /* one per event, in the order of w.events */
};

void cv_html_views_free(struct cv_html_views *v)
{
    if (!v)
        return;
    for (size_t i = 0; v->rooms && i < v->w.events.n; i++)
        cv_room_list_release(&v->rooms[i]);
    free(v->rooms);
    cv_feed_set_release(&v->feeds);
    world_release(&v->w);
    free(v);
}

int cv_html_views_new(struct cv_store *st, struct cv_ctx *ctx, const struct cv_feed_options *opt,
                      const struct cv_feed_set *feeds, struct cv_html_views **ret,
                      struct cv_error *err)
{
    struct cv_html_views *v = calloc(1, sizeof(*v));
    int rc;

    *ret = NULL;
    if (!v)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    v->w = (struct world){.st = st, .ctx = ctx, .opt = opt, .feeds = &v->feeds};
    cv_feed_set_init(&v->feeds);
    if ((rc = world_load(&v->w, err)) < 0)
        goto fail;
    v->w.st = NULL; /* drawn later, from any thread: never from the store */
    if (!(v->rooms = calloc(v->w.events.n + 1, sizeof(v->rooms[0]))) ||
        !(v->feeds.v = calloc(feeds->n + 1, sizeof(v->feeds.v[0])))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto fail;
    }
    v->feeds.alloc = feeds->n + 1;
    for (size_t i = 0; i < feeds->n; i++) {
        struct cv_feed_file *f = &v->feeds.v[v->feeds.n];
        f->kind = feeds->v[i].kind;
        memcpy(f->lang, feeds->v[i].lang, sizeof(f->lang));
        if (!(f->path = strdup(feeds->v[i].path))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            goto fail;
        }
        v->feeds.n++;
    }
    for (size_t i = 0; i < v->w.events.n; i++)
        cv_room_list_init(&v->rooms[i]);
    for (size_t i = 0; i < v->w.events.n; i++) {
        if ((rc = cv_store_room_list(st, v->w.events.v[i].key, &v->rooms[i], err)) < 0)
            goto fail;
    }
    *ret = v;
    return 0;
fail:
    cv_html_views_free(v);
    return rc;
}

int cv_html_event_page_in(const struct cv_html_views *v, const char *path, const char *zone,
                          char **ret_data, size_t *ret_len, struct cv_error *err)
{
    const struct world *w = &v->w;
    const struct cv_event *e = NULL;
    struct cv_page_set out;
    const char *zones[7];
    char base[96], name[160];
    size_t ei = 0, nz = 0;
    int lang = -1, rc;

    *ret_data = NULL;
    *ret_len = 0;
    for (size_t i = 0; !e && i < w->events.n; i++) {
        snprintf(base, sizeof(base), "event-%s", w->events.v[i].key);
        for (size_t li = 0; lang < 0 && li < w->nlangs; li++) {
            page_name(w, name, sizeof(name), base, w->langs[li]);
            if (strcmp(name, path) == 0) {
                e = &w->events.v[i];
                ei = i;
                lang = w->langs[li];
            }
        }
    }
    if (!e)
        return cv_error_set(err, CV_ENOTFOUND, "%s is not a timetable", path);
    if (!cv_tz_exists(zone))
        return cv_error_set(err, CV_EINVAL, "not a time zone of the system's database");
    bool timed = false;
    for (size_t k = 0; k < w->sessions.n && !timed; k++)
        timed = cv_str_eq(w->sessions.v[k].event_key, e->key) && w->sessions.v[k].start;
    if (timed)
        nz = event_zones(w, e, zones, sizeof(zones) / sizeof(zones[0]));
    cv_page_set_init(&out);
    rc = event_page(&out, w, e, lang, zone, true, zones, nz, &v->rooms[ei], err);
    if (rc == 0) {
        *ret_data = out.v[0].data;
        *ret_len = out.v[0].len;
        out.v[0].data = NULL;
    }
    cv_page_set_release(&out);
    return rc;
}
