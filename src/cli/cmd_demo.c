/* SPDX-License-Identifier: MIT */
/* cmd_demo.c: `convene demo`: the main job on the shipped OGP programme, end to end. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene demo\n\n"
    "Loads the shipped OGP co-chairs' programme 2023-2024 and its reference calendars into the\n"
    "database (./convene.db unless --db or $CONVENE_DB says otherwise), imports the sample\n"
    "delegate list, prints a summary of the programme, plans the events not yet fixed (and, as\n"
    "a what-if, every event in its window beside the dates it was really held), places the\n"
    "sessions of the Nairobi meeting as 'convene plan EVENT --timetable --explain' does (with\n"
    "demo rooms, sessions and speakers' preferences, labelled so, in memory only), gives two\n"
    "sample people a private feed and publishes every feed and page to ./feeds (open\n"
    "./feeds/index.html, or run 'convene serve' and visit its address), then\n"
    "invites everyone to each event with dates (iMIP, in their language) and sends the\n"
    "messages to the folder ./outbox (one .eml each: no SMTP server is used), and publishes\n"
    "the new private feeds. Then the delegates answer the Nairobi meeting: their replies, as\n"
    "their calendar clients would write them, go to ./replies through the same folder\n"
    "transport, are read back as 'convene rsvp import' reads them (one delegates to a deputy,\n"
    "who is invited), and 'convene attendance' shows who comes.\n\n"
    "Links (the feeds' and pages' addresses it prints and writes, and the private feed\n"
    "addresses in the invitations) use $CONVENE_BASE_URL, as 'serve', 'publish' and 'invite'\n"
    "do, else http://127.0.0.1:8080; the demo says which.\n";

/* The host part of @base ("https://host/path" -> "host/path"), for webcal:// links. */
static const char *webcal_host(const char *base)
{
    const char *host = strstr(base, "://");
    return host ? host + 3 : base;
}

/* Gives @email a private feed unless it has one; prints the address once. */
static int demo_token(struct cv_store *st, const char *base, const char *email, const char *why,
                      struct cv_error *err)
{
    char hash[CV_SHA256_HEX_SIZE], token[CV_TOKEN_SIZE];
    struct cv_error probe;
    cv_error_init(&probe);
    int rc = cv_store_person_token_hash(st, email, hash, &probe);
    if (rc == 0) {
        printf("  %s (%s): has a private feed already; 'convene people token %s' issues a new "
               "one\n",
               email, why, email);
        return 0;
    }
    if ((rc = cv_store_begin(st, err)) < 0)
        return rc;
    rc = cv_store_person_token_new(st, email, token, err);
    if (rc == 0)
        rc = cv_store_commit(st, err);
    if (rc < 0) {
        cv_store_rollback(st);
        return rc;
    }
    printf("  %s (%s): webcal://%s/private/%s.ics\n", email, why, webcal_host(base), token);
    memset(token, 0, sizeof(token));
    return 0;
}

/* What the demo adds to a shipped event's timetable: none of it is sourced, all of it is named
 * "demo", and it stays in memory (never stored, published nor sent). */
static const struct cv_room demo_rooms[] = {
    {NULL, (char *)"Demo Hall", 600},
    {NULL, (char *)"Demo Room A", 150},
    {NULL, (char *)"Demo Room B", 80},
};

static const struct {
    const char *key, *title, *speakers;
    enum cv_track track;
    int minutes, seats;
} demo_sessions[] = {
    {"demo-digital-1", "Demo session: digital governance panel", "Demo Speaker A;Demo Speaker B",
     CV_TRACK_DIGITAL, 90, 120},
    {"demo-digital-2", "Demo session: open data clinic", "Demo Speaker C", CV_TRACK_DIGITAL, 60,
     60},
    {"demo-climate-1", "Demo session: climate and open contracting",
     "Demo Speaker B;Demo Speaker D", CV_TRACK_CLIMATE, 90, 120},
    {"demo-inclusion-1", "Demo session: inclusion roundtable", "Demo Speaker E", CV_TRACK_INCLUSION,
     60, 70},
    {"demo-local-1", "Demo session: OGP Local exchange", "Demo Speaker A;Demo Speaker F",
     CV_TRACK_LOCAL, 60, 70},
    {"demo-plenary", "Demo session: plenary on the action plans", NULL, CV_TRACK_PLENARY, 60, 300},
};

/*
 * `convene plan EVENT --timetable --explain` on a shipped event with sessions: the shipped
 * programme has sessions but no rooms, so the demo adds demo rooms, sessions and speakers'
 * preferences, in memory only, and says so; the shipped sessions' sourced times are shown
 * beside the engine's.
 */
static int demo_timetable(struct cv_store *st, struct cv_error *err)
{
    const char *key = "africa-regional-meeting";
    struct cv_event e;
    struct cv_session_list shipped;
    struct cv_person_list people;
    struct cv_session *all = NULL;
    struct cv_tz *tz = NULL;
    struct cv_tt_input in;
    struct cv_tt_result r;
    const char *required[64];
    const size_t ndemo = sizeof(demo_sessions) / sizeof(demo_sessions[0]);
    int rc;

    printf("\n-- convene plan %s --timetable --explain\n", key);
    cv_event_init(&e);
    cv_session_list_init(&shipped);
    cv_person_list_init(&people);
    cv_tt_input_init(&in);
    cv_tt_result_init(&r);
    if ((rc = cv_store_event_get(st, key, &e, err)) < 0 ||
        (rc = cv_store_session_list(st, key, &shipped, err)) < 0 ||
        (rc = cv_store_person_list(st, &people, err)) < 0 ||
        (rc = cv_tz_load(e.tzid, &tz, err)) < 0)
        goto out;
    if (!(all = calloc(shipped.n + ndemo, sizeof(*all)))) {
        rc = cv_error_set(err, CV_ENOMEM, "out of memory");
        goto out;
    }
    /* Borrowed: the shipped sessions' strings stay in @shipped, the demo's are constants. */
    for (size_t i = 0; i < shipped.n; i++)
        all[i] = shipped.v[i];
    for (size_t i = 0; i < ndemo; i++) {
        struct cv_session *se = &all[shipped.n + i];
        se->key = (char *)demo_sessions[i].key;
        se->title = (char *)demo_sessions[i].title;
        se->speakers = (char *)demo_sessions[i].speakers;
        se->track = demo_sessions[i].track;
        se->minutes = demo_sessions[i].minutes;
        se->min_capacity = demo_sessions[i].seats;
    }
    struct cv_speaker_pref prefs[] = {
        {.name = (char *)"Demo Speaker A",
         .days = (char *)"2025-03-26",
         .from_min = 13 * 60,
         .to_min = 18 * 60,
         .weight = 20},
        {.name = (char *)"Demo Speaker D", .not_on = (char *)"2025-03-25", .not_before = 14 * 60},
    };
    for (size_t i = 0; i < people.n && in.nrequired < 64; i++) {
        if (people.v[i].role == CV_ROLE_PRINCIPAL)
            required[in.nrequired++] = people.v[i].name;
    }
    printf("the shipped programme gives %s %zu session%s and no rooms; the demo adds, in memory "
           "only (none of it is sourced, stored, published or sent):\n",
           key, shipped.n, shipped.n == 1 ? "" : "s");
    printf("  demo rooms: Demo Hall (600 seats), Demo Room A (150), Demo Room B (80)\n");
    printf("  demo sessions: %zu, keyed demo-* and titled 'Demo session: ...', given by Demo "
           "Speakers A to F\n",
           ndemo);
    printf("  demo preferences: Demo Speaker A prefers 13:00-18:00 on 26 March 2025 (weight 20); "
           "Demo Speaker D cannot come on 25 March 2025, nor before 14:00\n");
    printf("the co-chairs (principals: %zu) attend every plenary\n\n", in.nrequired);
    in.event = &e;
    in.tz = tz;
    in.sessions = all;
    in.nsessions = shipped.n + ndemo;
    in.rooms = demo_rooms;
    in.nrooms = sizeof(demo_rooms) / sizeof(demo_rooms[0]);
    in.required = required;
    in.prefs = prefs;
    in.nprefs = sizeof(prefs) / sizeof(prefs[0]);
    if ((rc = cv_timetable(&in, &r, err)) < 0)
        goto out;
    fflush(stdout);
    cli_print_timetable(&e, &in, &r, true);
    for (size_t i = 0; i < shipped.n; i++) {
        const struct cv_session *se = &shipped.v[i];
        if (!se->start)
            continue;
        int64_t local = se->start + cv_tz_offset(tz, se->start);
        int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
        int min = (int)((local - days * 86400) / 60), end = min + se->minutes;
        struct cv_date day = cv_date_from_days(days);
        char date[40];
        cv_date_format_long(&day, date, sizeof(date));
        printf("\n%s, as shipped (sourced): %s, %02d:%02d-%02d:%02d%s%s; the engine places it "
               "within the venue's hours (%02d:%02d-%02d:%02d) and nothing here is applied\n",
               se->key, date, min / 60, min % 60, end / 60 % 24, end % 60, se->room ? " in " : "",
               se->room ? se->room : "", (e.opens_min ? e.opens_min : 9 * 60) / 60,
               (e.opens_min ? e.opens_min : 9 * 60) % 60,
               (e.closes_min ? e.closes_min : 18 * 60) / 60,
               (e.closes_min ? e.closes_min : 18 * 60) % 60);
    }
out:
    cv_tt_result_release(&r);
    cv_tz_free(tz);
    free(all);
    cv_person_list_release(&people);
    cv_session_list_release(&shipped);
    cv_event_release(&e);
    return rc;
}

static int demo_publish(struct cli *cli, struct cv_store *st, const char *base,
                        struct cv_error *err)
{
    struct cv_feed_options opt;
    struct cv_feed_set set;
    struct cv_publish_report rep, prep;
    struct cv_page_set pages;
    int rc;

    printf("\n-- private feeds (convene people token EMAIL)\n");
    if ((rc = demo_token(st, base, "delegate-jo@example.org", "a delegate, in Arabic", err)) < 0 ||
        (rc = demo_token(st, base, "cochair-office@example.org",
                         "the office: events and milestones", err)) < 0)
        return rc;

    printf("\n-- convene publish --out feeds\n");
    cv_feed_options_init(&opt);
    opt.base_url = base;
    cv_feed_set_init(&set);
    cv_publish_report_init(&rep);
    cv_publish_report_init(&prep);
    cv_page_set_init(&pages);
    rc = cv_feed_build(st, cli->ctx, &opt, &set, err);
    if (rc == 0)
        rc = cv_html_build(st, cli->ctx, &opt, &set, &pages, err);
    if (rc == 0)
        rc = cv_feed_publish(&set, "feeds", &rep, err);
    if (rc == 0)
        rc = cv_html_publish(&pages, "feeds", &prep, err);
    if (rc == 0) {
        size_t priv = 0;
        for (size_t i = 0; i < set.n; i++)
            priv += set.v[i].kind == CV_FEED_PERSON;
        printf("%zu feeds (%zu public in en, fr, es, ar; %zu private), each checked by 'convene "
               "lint': %zu files written, %zu unchanged, %zu removed\n",
               set.n, set.n - priv, priv, rep.nwritten, rep.unchanged, rep.nremoved);
        printf("subscribe (once 'convene serve' runs; until then the files are in ./feeds):\n");
        for (size_t i = 0; i < set.n; i++) {
            const struct cv_feed_file *f = &set.v[i];
            if (strcmp(f->lang, "en") == 0 &&
                (f->kind == CV_FEED_PROGRAMME || f->kind == CV_FEED_REGION))
                printf("  webcal://%s/%-44s %zu event%s\n", webcal_host(base), f->path, f->events,
                       f->events == 1 ? "" : "s");
        }
        printf("\n%zu pages (%zu written, %zu unchanged, %zu removed), in English, French, "
               "Spanish and Arabic:\n"
               "  ./feeds/index.html         the programme's timeline\n"
               "  ./feeds/event-KEY.html     each event's timetable\n"
               "  ./feeds/subscribe.html     every feed's webcal:// and https:// address, QR "
               "codes\n"
               "  ./feeds/private/HASH.html  each person's page (served at /private/TOKEN.html)\n"
               "open them as files, or run 'convene serve' and visit %s/\n",
               pages.n, prep.nwritten, prep.unchanged, prep.nremoved, base);
    }
    cv_publish_report_release(&prep);
    cv_page_set_release(&pages);
    cv_publish_report_release(&rep);
    cv_feed_set_release(&set);
    return rc;
}

/* Invites to every event with dates, sends to ./outbox, publishes the private feeds minted. */
static int demo_invite(struct cli *cli, struct cv_store *st, const char *base, struct cv_error *err)
{
    struct cv_imip_templates *tpl = NULL;
    struct cv_event_list events;
    struct cv_transport *t = NULL;
    struct cv_send_options so = {0};
    struct cv_send_report sr;
    size_t total[4] = {0}, minted = 0;
    int rc;

    printf("\n-- convene invite EVENT, for each event with dates; convene outbox send --dir "
           "outbox\n");
    cv_event_list_init(&events);
    if ((rc = cv_imip_templates_load(NULL, &tpl, err)) < 0 ||
        (rc = cv_store_event_list(st, &events, err)) < 0)
        goto out;
    for (size_t i = 0; i < events.n; i++) {
        struct cv_imip_ledger l;
        struct cv_imip_report rep;
        struct cv_imip_options opt = {tpl, base, NULL};
        if (!cv_event_has_dates(&events.v[i]))
            continue;
        cv_imip_ledger_init(&l);
        rc = cv_imip_ledger_compute(st, events.v[i].key, NULL, &l, err);
        if (rc == 0)
            rc = cv_imip_queue(st, cli->ctx, &l, &opt, &rep, err);
        if (rc == 0) {
            printf("  %-30s %3zu invitations, %zu updates, %zu cancellations queued; %zu up to "
                   "date\n",
                   l.event.key, rep.queued[CV_IMIP_NEW], rep.queued[CV_IMIP_CHANGE],
                   rep.queued[CV_IMIP_CANCEL], l.count[CV_IMIP_NOTHING]);
            for (int k = 1; k < 4; k++)
                total[k] += rep.queued[k];
            minted += rep.subscribed;
        }
        cv_imip_ledger_release(&l);
        if (rc < 0)
            goto out;
    }
    if ((rc = cv_transport_file_new("outbox", &t, err)) < 0 ||
        (rc = cv_outbox_send(st, cli->ctx, t, &so, &sr, err)) < 0)
        goto out;
    printf("%zu messages queued (each in the person's language, with the event's and their own "
           "local time); %zu private feed addresses minted into first invitations\n",
           total[1] + total[2] + total[3], minted);
    printf("sent %ld to ./outbox/ (one .eml per message, REQUEST or CANCEL with text, HTML and "
           "the calendar), failed %ld, left %ld\n",
           sr.sent, sr.failed, sr.left);
    if (minted) {
        struct cv_feed_options opt;
        struct cv_feed_set set;
        struct cv_publish_report pub;
        cv_feed_options_init(&opt);
        opt.base_url = base;
        cv_feed_set_init(&set);
        cv_publish_report_init(&pub);
        rc = cv_feed_build(st, cli->ctx, &opt, &set, err);
        if (rc == 0)
            rc = cv_feed_publish(&set, "feeds", &pub, err);
        if (rc == 0)
            printf("the private feeds behind those addresses: %zu files written to ./feeds\n",
                   pub.nwritten);
        cv_publish_report_release(&pub);
        cv_feed_set_release(&set);
    }
out:
    cv_transport_free(t);
    cv_event_list_release(&events);
    cv_imip_templates_free(tpl);
    return rc;
}

/* What the demo's delegate @email answers: a fixed choice from the address, so that every run
 * gives the same answers. */
static enum cv_partstat demo_answer(const char *email)
{
    static const enum cv_partstat answers[] = {CV_PARTSTAT_ACCEPTED, CV_PARTSTAT_ACCEPTED,
                                               CV_PARTSTAT_TENTATIVE, CV_PARTSTAT_DECLINED,
                                               CV_PARTSTAT_NEEDS_ACTION};
    unsigned sum = 0;
    for (const char *p = email; *p; p++)
        sum += (unsigned char)*p;
    return answers[sum % 5];
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every .eml of @dir back (sorted by name) as `convene rsvp import` does. */
static int demo_import(struct cli *cli, struct cv_store *st, const char *dir,
                       const struct cv_rsvp_options *opt, size_t counts[4], struct cv_error *err)
{
    char **names = NULL;
    size_t n = 0, alloc = 0;
    int rc = 0;
    DIR *d = opendir(dir);
    if (!d) {
        cv_error_at(err, dir, 0);
        return cv_error_set(err, CV_EIO, "cannot read the folder of replies");
    }
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
            continue;
        if (cv_grow(&names, &alloc, n + 1, sizeof(char *)) < 0 ||
            !(names[n] = strdup(de->d_name))) {
            rc = cv_error_set(err, CV_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0)
        qsort(names, n, sizeof(char *), name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[4096];
        struct cv_buf data;
        struct cv_rsvp_msg msg;
        struct cv_rsvp_result r;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        cv_buf_init(&data, CV_MAIL_MAX);
        cv_rsvp_msg_init(&msg);
        if ((rc = cv_file_read(path, CV_MAIL_MAX, &data, err)) == 0 &&
            (rc = cv_rsvp_read(data.buf, data.len, path, &msg, err)) == 0 &&
            (rc = cv_rsvp_apply(st, cli->ctx, &msg, path, opt, &r, err)) == 0)
            counts[r.outcome]++;
        cv_rsvp_msg_release(&msg);
        cv_buf_release(&data);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/*
 * The delegates answer the Nairobi meeting: each reply written as their calendar client would
 * (RFC 5546 REPLY in an RFC 6047 message) and "sent" through a folder transport to ./replies,
 * the office's mailbox here; one delegates to a deputy. Then `convene rsvp import` reads them
 * back, the deputy's invitation goes out, the feeds take the answers, and the attendance shows.
 */
static int demo_replies(struct cli *cli, struct cv_store *st, const char *base,
                        struct cv_error *err)
{
    const char *key = "africa-regional-meeting";
    struct cv_programme prog;
    struct cv_event e;
    struct cv_attendance_list who;
    struct cv_imip_templates *tpl = NULL;
    struct cv_transport *t = NULL, *out = NULL;
    struct cv_imip_message m;
    struct cv_send_options so = {0};
    struct cv_send_report sr;
    size_t sent = 0, counts[4] = {0};
    int rc;

    printf("\n-- the delegates answer %s from their calendars (./replies, one .eml each); "
           "convene rsvp import replies/*.eml; convene attendance %s\n",
           key, key);
    cv_programme_init(&prog);
    cv_event_init(&e);
    cv_attendance_list_init(&who);
    cv_imip_message_init(&m);
    if ((rc = cv_store_programme_get(st, &prog, err)) < 0 ||
        (rc = cv_store_event_get(st, key, &e, err)) < 0 ||
        (rc = cv_store_attendance(st, key, &who, err)) < 0 ||
        (rc = cv_imip_templates_load(NULL, &tpl, err)) < 0 ||
        (rc = cv_transport_file_new("replies", &t, err)) < 0)
        goto out;
    for (size_t i = 0; i < who.n; i++) {
        const struct cv_attendance_row *r = &who.v[i];
        bool deputy = strcmp(r->person.email, "delegate-za@example.org") == 0;
        enum cv_partstat p = deputy ? CV_PARTSTAT_DELEGATED : demo_answer(r->person.email);
        struct cv_smtp_result res;
        if (r->via || p == CV_PARTSTAT_NEEDS_ACTION)
            continue; /* guests came by a reply; some people never answer */
        cv_imip_message_release(&m);
        if ((rc = cv_imip_reply_build(cli->ctx, &prog, &e, &r->person, r->sequence_sent, p,
                                      deputy ? "deputy-za@example.org" : NULL, &m, err)) < 0 ||
            (rc = cv_transport_send(t, m.message_id, m.sender, m.recipient, m.data.buf, m.data.len,
                                    &res, err)) < 0)
            goto out;
        sent++;
    }
    struct cv_rsvp_options ro = {tpl, base, NULL, 0};
    if ((rc = demo_import(cli, st, "replies", &ro, counts, err)) < 0)
        goto out;
    printf("%zu replies written to ./replies and read back: %zu applied, %zu ignored (already "
           "taken), %zu held for the organizer\n",
           sent, counts[CV_REPLY_APPLIED], counts[CV_REPLY_IGNORED],
           counts[CV_REPLY_PENDING] + counts[CV_REPLY_COUNTER]);
    if ((rc = cv_transport_file_new("outbox", &out, err)) < 0 ||
        (rc = cv_outbox_send(st, cli->ctx, out, &so, &sr, err)) < 0)
        goto out;
    printf("the deputy's invitation (DELEGATED-FROM): sent %ld to ./outbox/\n", sr.sent);
    struct cv_feed_options fo;
    struct cv_feed_set set;
    struct cv_publish_report pub;
    cv_feed_options_init(&fo);
    fo.base_url = base;
    cv_feed_set_init(&set);
    cv_publish_report_init(&pub);
    rc = cv_feed_build(st, cli->ctx, &fo, &set, err);
    if (rc == 0)
        rc = cv_feed_publish(&set, "feeds", &pub, err);
    if (rc == 0)
        printf("the private feeds with each answer (the office's with everyone's): %zu files "
               "written to ./feeds\n\n",
               pub.nwritten);
    cv_publish_report_release(&pub);
    cv_feed_set_release(&set);
    if (rc == 0)
        fflush(stdout), rc = cli_print_attendance(st, key, CLI_TABLE, err);
out:
    cv_transport_free(out);
    cv_transport_free(t);
    cv_imip_message_release(&m);
    cv_imip_templates_free(tpl);
    cv_attendance_list_release(&who);
    cv_event_release(&e);
    cv_programme_release(&prog);
    return rc;
}

static int print_summary(struct cv_store *st, struct cv_error *err)
{
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_refcal_list cals;
    struct cv_person_list people;
    struct cv_country_list members;
    struct cli_table t;
    int rc;

    cv_programme_init(&prog);
    cv_event_list_init(&events);
    cv_refcal_list_init(&cals);
    cv_person_list_init(&people);
    cv_country_list_init(&members);
    if ((rc = cv_store_programme_get(st, &prog, err)) < 0 ||
        (rc = cv_store_event_list(st, &events, err)) < 0 ||
        (rc = cv_store_refcal_list(st, &cals, err)) < 0 ||
        (rc = cv_store_person_list(st, &people, err)) < 0 ||
        (rc = cv_store_country_list(st, &members, err)) < 0)
        goto out;

    printf("\n%s\norganizer: %s (set the office's real mailbox before inviting)\n\n", prog.name,
           prog.organizer);
    cli_table_init(&t, 5);
    static const char *const head[] = {"EVENT", "HOST", "ZONE", "WHEN", "STATUS"};
    for (size_t i = 0; i < 5; i++)
        cli_table_add(&t, head[i]);
    for (size_t i = 0; i < events.n; i++) {
        const struct cv_event *e = &events.v[i];
        char host[160], when[96], status[64];
        snprintf(host, sizeof(host), "%s, %s", e->city ? e->city : "?",
                 e->country ? e->country : "?");
        cli_event_when(e, when, sizeof(when));
        snprintf(status, sizeof(status), "%s%s", cv_event_status_name(e->status),
                 e->scenario ? " (scenario)" : "");
        cli_table_add(&t, e->key);
        cli_table_add(&t, host);
        cli_table_add(&t, e->tzid);
        cli_table_add(&t, when);
        cli_table_add(&t, status);
    }
    cli_table_print(&t, CLI_TABLE, 0, stdout);
    cli_table_release(&t);

    for (size_t i = 0; i < events.n; i++) {
        const struct cv_event *e = &events.v[i];
        printf("\n%s: %s\n", e->key, e->title);
        if (e->venue)
            printf("  venue: %s\n", e->venue);
        if (e->inside)
            printf("  must fall inside: %s\n", e->inside);
        if (e->source_url)
            printf("  source: %s\n", e->source_url);
    }

    size_t entries = 0;
    for (size_t i = 0; i < cals.n; i++)
        entries += cals.v[i].n;
    printf("\nreference calendars: %zu (%zu dated entries)\n", cals.n, entries);
    for (size_t i = 0; i < cals.n; i++)
        printf("  %-24s %-12s %-9s %3zu  %s\n", cals.v[i].key, cals.v[i].scope,
               cv_meaning_name(cals.v[i].meaning), cals.v[i].n, cals.v[i].name);

    size_t sourced = 0;
    for (size_t i = 0; i < members.n; i++)
        sourced += cv_str_eq(members.v[i].confidence, "sourced");
    printf("\nOGP national members: %zu (%zu with a current source, %zu inferred)\n", members.n,
           sourced, members.n - sourced);

    size_t lang[4] = {0};
    static const char *const langs[] = {"en", "fr", "es", "ar"};
    for (size_t i = 0; i < people.n; i++) {
        for (size_t k = 0; k < 4; k++)
            lang[k] += cv_str_eq(people.v[i].lang, langs[k]);
    }
    printf("people: %zu (sample data: en %zu, fr %zu, es %zu, ar %zu)\n", people.n, lang[0],
           lang[1], lang[2], lang[3]);
out:
    cv_country_list_release(&members);
    cv_person_list_release(&people);
    cv_refcal_list_release(&cals);
    cv_event_list_release(&events);
    cv_programme_release(&prog);
    return rc;
}

int cmd_demo(int argc, char **argv, struct cli *cli)
{
    struct cv_store *st = NULL;
    struct cv_load_report report;
    struct cv_import_report people;
    struct cv_error err;
    char base[512];
    int rc;

    (void)argv;
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        return cli_usage_error("demo", "'demo' takes no arguments");
    }
    /* The same address 'serve', 'publish' and 'invite' use, so that the links it prints and
     * writes work where the feeds are really served. */
    if ((rc = cli_base_url("demo", NULL, CLI_DEFAULT_BASE_URL, base, sizeof(base))))
        return rc;
    const char *env = getenv("CONVENE_BASE_URL");
    bool from_env = env && *env;
    cv_error_init(&err);
    cv_import_report_init(&people);
    if ((rc = cli_open_store(cli, CV_STORE_CREATE, &st)))
        return rc;

    printf("== convene demo: the OGP co-chairs' programme 2023-2024 ==\n\n");
    if (from_env)
        printf("links: %s (from $CONVENE_BASE_URL)\n\n", base);
    else
        printf("links: %s (the default; set $CONVENE_BASE_URL to the address delegates reach "
               "'convene serve' at)\n\n",
               base);
    printf("-- convene init (the shipped calendars)\n");
    rc = cv_load_calendars(st, NULL, &report, &err);
    if (rc < 0)
        goto fail;
    cli_print_load_report(cli, &report, st);

    printf("\n-- convene people import calendars/sample-delegates.csv\n");
    const struct cv_default_file *f = cv_defaults_find("sample-delegates.csv");
    if (!f) {
        rc = cli_error(EXIT_SOFTWARE, "the sample delegate list is not built in");
        goto out;
    }
    rc = cv_load_people(st, (const char *)f->data, f->len, "calendars/sample-delegates.csv", 0,
                        &people, &err);
    if (rc < 0)
        goto fail;
    cli_print_import_report("calendars/sample-delegates.csv", &people);

    printf("\n-- the programme\n");
    rc = print_summary(st, &err);
    if (rc < 0)
        goto fail;

    /* The engine on the programme: the events still to place, then every event in its window
     * beside the dates it was really held. */
    char plan[] = "plan", explain[] = "--explain", all[] = "--all";
    char *plan_args[] = {plan, explain, NULL};
    char *all_args[] = {plan, all, NULL};
    printf("\n-- convene plan --explain (the events not yet fixed)\n");
    fflush(stdout);
    if ((rc = cmd_plan(2, plan_args, cli)) != 0)
        goto out;
    printf("\n-- convene plan --all (every event in its planning window, beside what happened)\n");
    fflush(stdout);
    if ((rc = cmd_plan(2, all_args, cli)) != 0)
        goto out;
    rc = demo_timetable(st, &err);
    if (rc == 0)
        rc = demo_publish(cli, st, base, &err);
    if (rc == 0)
        rc = demo_invite(cli, st, base, &err);
    if (rc == 0)
        rc = demo_replies(cli, st, base, &err);
    if (rc < 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    rc = cli_fail(&err);
out:
    cv_import_report_release(&people);
    cv_store_free(st);
    return rc;
}
