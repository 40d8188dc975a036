/* SPDX-License-Identifier: MIT */
/* test_store.c: the SQLite store: opening and refusing files, round trips, upserts,
 * transactions, locking and SQL meta-characters (RELIABILITY.md I4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <convene/error.h>
#include <convene/core.h>
#include <convene/util.h>
#include <convene/model.h>
#include <convene/store.h>

#include "../../src/store/store_int.h"

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SQLITE_CLI "/usr/bin/sqlite3"

/* ---- fixture: a fresh temporary folder and a context per test -------------------------------- */

struct fx {
    char dir[256];
    char db[300];
    struct cv_ctx *ctx;
};

static int64_t fixed_clock(void *data)
{
    (void)data;
    return INT64_C(2240611200); /* 2041-01-01T00:00:00Z, past 2038 */
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(f->dir, sizeof(f->dir), "%s/cv-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_true(n > 0 && (size_t)n < sizeof(f->dir));
    assert_non_null(mkdtemp(f->dir));
    n = snprintf(f->db, sizeof(f->db), "%s/convene.db", f->dir);
    assert_true(n > 0 && (size_t)n < sizeof(f->db));
    assert_int_equal(cv_ctx_new(&f->ctx, NULL), 0);
    cv_ctx_set_clock(f->ctx, fixed_clock, NULL);
    *state = f;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    cv_ctx_free(f->ctx);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Joins the folder and a file name. */
static void in_dir(const struct fx *f, const char *name, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/%s", f->dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static bool have_cli(void)
{
    return access(SQLITE_CLI, X_OK) == 0;
}

/* Runs one SQL text through the sqlite3 command-line shell on @path. */
static void cli_exec(const char *path, const char *sql)
{
    char cmd[1024];
    int n = snprintf(cmd, sizeof(cmd), SQLITE_CLI " '%s' '%s' >/dev/null 2>&1", path, sql);
    assert_true(n > 0 && (size_t)n < sizeof(cmd));
    assert_int_equal(system(cmd), 0);
}

/* Reads one integer result from the sqlite3 shell. */
static long cli_long(const char *path, const char *sql)
{
    char cmd[1024], out[64] = "";
    int n = snprintf(cmd, sizeof(cmd), SQLITE_CLI " '%s' '%s' 2>/dev/null", path, sql);
    assert_true(n > 0 && (size_t)n < sizeof(cmd));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *got = fgets(out, sizeof(out), p);
    assert_int_equal(pclose(p), 0);
    assert_non_null(got);
    char *end;
    long v = strtol(out, &end, 10);
    assert_true(end != out);
    return v;
}

/* The whole of a file, for byte comparisons. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    assert_true(size >= 0);
    rewind(fp);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static struct cv_store *open_new(struct fx *f)
{
    struct cv_store *st = NULL;
    struct cv_error err;
    cv_error_init(&err);
    int rc = cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &st, &err);
    if (rc != 0)
        fail_msg("open %s: %d %s", f->db, rc, err.msg);
    assert_non_null(st);
    return st;
}

/* ---- deterministic randomness (splitmix64) --------------------------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

/* ---- values used by several tests ------------------------------------------------------------ */

static void set(char **dst, const char *s)
{
    assert_int_equal(cv_str_set(dst, s), 0);
}

static struct cv_date date(int y, int m, int d)
{
    struct cv_date dt = {y, m, d};
    return dt;
}

/* An event with every field set, dates past 2038. */
static void full_event(struct cv_event *e, const char *key, const char *uid)
{
    cv_event_init(e);
    set(&e->key, key);
    set(&e->uid, uid);
    set(&e->title, "Regional meeting: open government in 2041");
    assert_int_equal(cv_event_set_title(e, "fr", "Réunion régionale : gouvernement ouvert, 2041"),
                     0);
    assert_int_equal(cv_event_set_title(e, "es", "Reunión regional: gobierno abierto en 2041"), 0);
    assert_int_equal(cv_event_set_title(e, "ar", "الاجتماع الإقليمي للحكومة المفتوحة 2041"), 0);
    e->kind = CV_KIND_SUMMIT;
    set(&e->region, "Africa and the Middle East");
    set(&e->city, "Nairobi");
    set(&e->country, "KE");
    set(&e->venue, "Radisson Blu Hotel, Upper Hill");
    set(&e->tzid, "Africa/Nairobi");
    e->status = CV_EVENT_CONFIRMED;
    e->window_start = date(2040, 12, 1);
    e->window_end = date(2041, 6, 30);
    e->days = 3;
    e->start = date(2041, 3, 25);
    e->end = date(2041, 3, 27);
    e->sequence = 7;
    e->revision = INT64_C(4102444800); /* 2100-01-01T00:00:00Z */
    set(&e->source_url, "https://opengovernment.go.ke/faqs");
    set(&e->description, "Line one; it's \"quoted\".\nLine two\twith a tab.");
    set(&e->inside, "unga79-high-level-week");
    e->scenario = true;
    set(&e->audience, "region,lang:fr,country:KE");
}

/* A minimal valid event. */
static void small_event(struct cv_event *e, const char *key, const char *uid)
{
    cv_event_init(e);
    set(&e->key, key);
    set(&e->uid, uid);
    set(&e->title, key);
    set(&e->tzid, "Europe/Paris");
}

static void assert_date(const struct cv_date *d, int y, int m, int day)
{
    assert_int_equal(d->year, y);
    assert_int_equal(d->month, m);
    assert_int_equal(d->day, day);
}

static void assert_full_event(const struct cv_event *g, const char *key, const char *uid)
{
    assert_string_equal(g->key, key);
    assert_string_equal(g->uid, uid);
    assert_string_equal(g->title, "Regional meeting: open government in 2041");
    assert_int_equal(g->ntitles, 3);
    assert_string_equal(cv_event_title_in(g, "fr"),
                        "Réunion régionale : gouvernement ouvert, 2041");
    assert_string_equal(cv_event_title_in(g, "es"), "Reunión regional: gobierno abierto en 2041");
    assert_string_equal(cv_event_title_in(g, "ar"), "الاجتماع الإقليمي للحكومة المفتوحة 2041");
    assert_int_equal(g->kind, CV_KIND_SUMMIT);
    assert_string_equal(g->region, "Africa and the Middle East");
    assert_string_equal(g->city, "Nairobi");
    assert_string_equal(g->country, "KE");
    assert_string_equal(g->venue, "Radisson Blu Hotel, Upper Hill");
    assert_string_equal(g->tzid, "Africa/Nairobi");
    assert_int_equal(g->status, CV_EVENT_CONFIRMED);
    assert_date(&g->window_start, 2040, 12, 1);
    assert_date(&g->window_end, 2041, 6, 30);
    assert_int_equal(g->days, 3);
    assert_date(&g->start, 2041, 3, 25);
    assert_date(&g->end, 2041, 3, 27);
    assert_int_equal(g->sequence, 7);
    assert_true(g->revision == INT64_C(4102444800));
    assert_string_equal(g->source_url, "https://opengovernment.go.ke/faqs");
    assert_string_equal(g->description, "Line one; it's \"quoted\".\nLine two\twith a tab.");
    assert_string_equal(g->inside, "unga79-high-level-week");
    assert_true(g->scenario);
    assert_string_equal(g->audience, "region,lang:fr,country:KE");
}

static void make_person(struct cv_person *p, const char *email, const char *name, const char *lang,
                        const char *country, const char *tzid)
{
    cv_person_init(p);
    set(&p->email, email);
    set(&p->name, name);
    set(&p->lang, lang);
    set(&p->country, country);
    set(&p->tzid, tzid);
    if (country)
        cv_str_copy(p->delegation.country, sizeof(p->delegation.country), country);
    p->delegation.kind = CV_DELEGATION_GOVERNMENT;
    p->role = CV_ROLE_DELEGATE;
}

static void make_country(struct cv_country *c, const char *iso2, const char *name,
                         const char *region, const char *capital, const char *tzid,
                         unsigned weekend)
{
    cv_country_init(c);
    cv_str_copy(c->iso2, sizeof(c->iso2), iso2);
    set(&c->name, name);
    set(&c->region, region);
    set(&c->capital, capital);
    set(&c->tzid, tzid);
    c->weekend = weekend;
    set(&c->confidence, "sourced");
    set(&c->source_url, "https://www.opengovpartnership.org/about/");
}

static void add_entry(struct cv_refcal *c, const char *key, const char *summary,
                      struct cv_date first, struct cv_date last)
{
    struct cv_refentry *e;
    assert_int_equal(cv_refcal_add_entry(c, &e), 0);
    set(&e->uid, summary);
    set(&e->key, key);
    set(&e->summary, summary);
    e->first = first;
    e->last = last;
}

static void make_refcal(struct cv_refcal *c, const char *key)
{
    cv_refcal_init(c);
    set(&c->key, key);
    set(&c->name, "Public holidays: Kenya");
    set(&c->scope, "country:KE");
    c->meaning = CV_MEANING_BLACKOUT;
    set(&c->sources, "https://kenyalaw.org/a\nhttps://example.org/b");
    set(&c->description, "Holidays; \"sourced\" where a gazette says so");
    add_entry(c, "ke-jamhuri-day-2040", "Jamhuri Day", date(2040, 12, 12), date(2040, 12, 12));
    add_entry(c, NULL, "Christmas and Boxing Day", date(2040, 12, 25), date(2040, 12, 26));
    add_entry(c, "ke-new-years-day-2099", "New Year's Day", date(2099, 1, 1), date(2099, 1, 1));
    c->entries[1].has_meaning = true;
    c->entries[1].meaning = CV_MEANING_AVOID;
    set(&c->entries[1].confidence, "inferred");
    set(&c->entries[1].url, "https://example.org/christmas?a=1&b='2'");
    set(&c->entries[1].category, "PUBLIC-HOLIDAY");
    set(&c->entries[1].description, "Observed on the Monday");
}

static void assert_counts(struct cv_store *st, long events, long people, long countries,
                          long refcals, long refentries)
{
    struct cv_store_counts c;
    memset(&c, 0xff, sizeof(c));
    assert_int_equal(cv_store_counts(st, &c, NULL), 0);
    assert_int_equal(c.events, events);
    assert_int_equal(c.people, people);
    assert_int_equal(c.countries, countries);
    assert_int_equal(c.refcals, refcals);
    assert_int_equal(c.refentries, refentries);
}

/* ---- opening --------------------------------------------------------------------------------- */

static void test_open_create(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = NULL;
    struct cv_error err;

    assert_true(cv_store_schema_latest() >= 1);
    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &st, &err), 0);
    assert_non_null(st);
    assert_int_equal(cv_store_schema_found(st), 0);
    assert_counts(st, 0, 0, 0, 0, 0);
    cv_store_free(st);
    assert_true(exists(f->db));

    /* Reopened: the file holds the latest schema, with or without CREATE, read-only too. */
    st = NULL;
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), 0);
    assert_int_equal(cv_store_schema_found(st), cv_store_schema_latest());
    cv_store_free(st);
    st = NULL;
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), 0);
    assert_int_equal(cv_store_schema_found(st), cv_store_schema_latest());
    cv_store_free(st);

    if (have_cli()) {
        assert_int_equal(cli_long(f->db, "PRAGMA user_version;"), cv_store_schema_latest());
        assert_int_equal(cli_long(f->db, "PRAGMA application_id;"), 1668703298L);
    }
    cv_store_free(NULL);
}

static void test_open_missing(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = (struct cv_store *)&st; /* must be reset to NULL */
    struct cv_error err;

    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), CV_ENOTFOUND);
    assert_null(st);
    assert_int_equal(err.code, CV_ENOTFOUND);
    assert_string_equal(err.file, f->db);
    assert_false(exists(f->db));

    /* Read-only does not create either. */
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, NULL), CV_ENOTFOUND);
    assert_null(st);
    assert_false(exists(f->db));

    /* CREATE in a folder that does not exist cannot create the file. */
    char deep[400];
    in_dir(f, "no-such-folder/convene.db", deep, sizeof(deep));
    assert_int_equal(cv_store_open(f->ctx, deep, CV_STORE_CREATE, &st, &err), CV_EIO);
    assert_null(st);
    assert_string_equal(err.file, deep);

    /* A folder is not a database. */
    assert_int_equal(cv_store_open(f->ctx, f->dir, CV_STORE_CREATE, &st, &err), CV_ENOTDB);
    assert_null(st);
}

static void test_open_text_file(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct rng r = {42};
    char text[4096];

    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)(i % 61 == 60 ? '\n' : ' ' + (int)rng_below(&r, 95));
    write_file(f->db, text, sizeof(text));
    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), CV_ENOTDB);
    assert_null(st);
    assert_int_equal(err.code, CV_ENOTDB);
    assert_string_equal(err.file, f->db);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &st, &err), CV_ENOTDB);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), CV_ENOTDB);

    /* Untouched. */
    size_t len;
    char *after = slurp(f->db, &len);
    assert_int_equal(len, sizeof(text));
    assert_memory_equal(after, text, sizeof(text));
    free(after);

    /* A short text file too. */
    static const char hello[] = "hello, world\n";
    write_file(f->db, hello, sizeof(hello) - 1);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), CV_ENOTDB);
    assert_null(st);
    after = slurp(f->db, &len);
    assert_int_equal(len, sizeof(hello) - 1);
    assert_memory_equal(after, hello, len);
    free(after);
}

static void test_open_foreign_db(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = NULL;
    struct cv_error err;
    char other[300];

    if (!have_cli())
        skip();
    cli_exec(f->db, "CREATE TABLE accounts(id INTEGER, balance INTEGER);"
                    " INSERT INTO accounts VALUES (1, 10);");
    size_t len0, len1;
    char *before = slurp(f->db, &len0);
    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), CV_ENOTDB);
    assert_null(st);
    assert_int_equal(err.code, CV_ENOTDB);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &st, &err), CV_ENOTDB);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), CV_ENOTDB);
    char *after = slurp(f->db, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);
    assert_int_equal(cli_long(f->db, "SELECT count(*) FROM accounts;"), 1);

    /* Another program's application_id, even with no tables. */
    in_dir(f, "other.db", other, sizeof(other));
    cli_exec(other, "PRAGMA application_id = 1234;");
    assert_int_equal(cv_store_open(f->ctx, other, 0, &st, &err), CV_ENOTDB);
    assert_null(st);

    /* user_version set by another program, no tables. */
    in_dir(f, "other2.db", other, sizeof(other));
    cli_exec(other, "PRAGMA user_version = 3;");
    assert_int_equal(cv_store_open(f->ctx, other, 0, &st, &err), CV_ENOTDB);
    assert_null(st);
}

static void test_open_newer_schema(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_error err;
    struct cv_event e;
    char sql[64];

    if (!have_cli()) {
        cv_store_free(st);
        skip();
    }
    small_event(&e, "kept", "uid-kept");
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_event_release(&e);
    cv_store_free(st);

    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;", cv_store_schema_latest() + 1);
    cli_exec(f->db, sql);
    size_t len0, len1;
    char *before = slurp(f->db, &len0);

    st = NULL;
    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), CV_ESCHEMA);
    assert_null(st);
    assert_int_equal(err.code, CV_ESCHEMA);
    assert_string_equal(err.file, f->db);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &st, &err), CV_ESCHEMA);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), CV_ESCHEMA);
    assert_null(st);

    char *after = slurp(f->db, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);
    assert_int_equal(cli_long(f->db, "PRAGMA user_version;"), cv_store_schema_latest() + 1);
}

static void test_open_readonly_needs_migration(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = NULL;
    struct cv_error err;

    /* An empty file is a SQLite database of schema 0: it needs every migration. */
    write_file(f->db, "", 0);
    cv_error_init(&err);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), CV_ESCHEMA);
    assert_null(st);
    assert_int_equal(err.code, CV_ESCHEMA);
    struct stat sb;
    assert_int_equal(stat(f->db, &sb), 0);
    assert_int_equal(sb.st_size, 0);

    /* A writable open upgrades it. */
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &st, &err), 0);
    assert_int_equal(cv_store_schema_found(st), 0);
    cv_store_free(st);
    st = NULL;
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_READONLY, &st, &err), 0);
    assert_int_equal(cv_store_schema_found(st), cv_store_schema_latest());

    /* Read-only means no writes. */
    struct cv_event e;
    small_event(&e, "ro", "uid-ro");
    cv_error_init(&err);
    assert_int_equal(cv_store_event_insert(st, &e, &err), CV_EREADONLY);
    assert_int_equal(err.code, CV_EREADONLY);
    assert_int_equal(cv_store_begin(st, &err), CV_EREADONLY);
    cv_event_release(&e);
    assert_counts(st, 0, 0, 0, 0, 0);
    cv_store_free(st);

    if (have_cli()) {
        /* Ours but older: our application_id, user_version 0. */
        char older[300];
        in_dir(f, "older.db", older, sizeof(older));
        cli_exec(older, "PRAGMA application_id = 1668703298;");
        st = NULL;
        assert_int_equal(cv_store_open(f->ctx, older, CV_STORE_READONLY, &st, &err), CV_ESCHEMA);
        assert_null(st);
        assert_int_equal(cli_long(older, "PRAGMA user_version;"), 0);
        assert_int_equal(cv_store_open(f->ctx, older, 0, &st, &err), 0);
        cv_store_free(st);
        assert_int_equal(cli_long(older, "PRAGMA user_version;"), cv_store_schema_latest());
    }
}

/* ---- events ---------------------------------------------------------------------------------- */

static void test_event_round_trip(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e, g;
    struct cv_error err;

    full_event(&e, "africa-2041", "61d4b765-001a-4ac9-950d-13a44526072b");
    cv_error_init(&err);
    assert_int_equal(cv_store_event_insert(st, &e, &err), 0);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "africa-2041", &g, &err), 0);
    assert_full_event(&g, "africa-2041", "61d4b765-001a-4ac9-950d-13a44526072b");
    assert_true(cv_event_equal(&e, &g));
    cv_event_release(&g);

    /* Optional fields absent stay absent (NULL, unset). */
    struct cv_event s;
    small_event(&s, "bare", "uid-bare");
    assert_int_equal(cv_store_event_insert(st, &s, &err), 0);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "bare", &g, &err), 0);
    assert_null(g.region);
    assert_null(g.city);
    assert_null(g.country);
    assert_null(g.venue);
    assert_null(g.source_url);
    assert_null(g.description);
    assert_null(g.inside);
    assert_null(g.audience);
    assert_int_equal(g.ntitles, 0);
    assert_false(cv_date_is_set(&g.start));
    assert_false(cv_date_is_set(&g.window_start));
    assert_int_equal(g.days, 1);
    assert_false(g.scenario);
    assert_true(cv_event_equal(&s, &g));
    cv_event_release(&g);
    cv_event_release(&s);

    /* Unknown key. */
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "nope", &g, &err), CV_ENOTFOUND);
    assert_int_equal(err.code, CV_ENOTFOUND);
    assert_null(g.key);
    cv_event_release(&g);

    /* An invalid event is refused before SQL. */
    struct cv_event bad;
    small_event(&bad, "Not A Slug", "uid-bad");
    assert_int_equal(cv_store_event_insert(st, &bad, &err), CV_EINVAL);
    cv_event_release(&bad);
    assert_counts(st, 2, 0, 0, 0, 0);

    cv_event_release(&e);
    cv_store_free(st);
}

static void test_event_conflict_and_update(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e, dup, g;
    struct cv_error err;

    full_event(&e, "asia-2041", "uid-asia");
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);

    /* Same key, other UID; same UID, other key. */
    small_event(&dup, "asia-2041", "uid-other");
    cv_error_init(&err);
    assert_int_equal(cv_store_event_insert(st, &dup, &err), CV_ECONFLICT);
    assert_int_equal(err.code, CV_ECONFLICT);
    cv_event_release(&dup);
    small_event(&dup, "other-key", "uid-asia");
    assert_int_equal(cv_store_event_insert(st, &dup, &err), CV_ECONFLICT);
    cv_event_release(&dup);
    assert_counts(st, 1, 0, 0, 0, 0);

    /* Update to a UID another event holds. */
    small_event(&dup, "holder", "uid-held");
    assert_int_equal(cv_store_event_insert(st, &dup, NULL), 0);
    cv_event_release(&dup);
    small_event(&dup, "asia-2041", "uid-held");
    cv_error_init(&err);
    assert_int_equal(cv_store_event_update(st, &dup, &err), CV_ECONFLICT);
    cv_event_release(&dup);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "asia-2041", &g, NULL), 0);
    assert_full_event(&g, "asia-2041", "uid-asia");
    cv_event_release(&g);
    small_event(&dup, "holder", "uid-held");
    assert_int_equal(cv_store_event_update(st, &dup, NULL), 0);
    cv_event_release(&dup);
    assert_counts(st, 2, 0, 0, 0, 0);

    /* Update of an unknown key. */
    small_event(&dup, "ghost", "uid-ghost");
    cv_error_init(&err);
    assert_int_equal(cv_store_event_update(st, &dup, &err), CV_ENOTFOUND);
    assert_int_equal(err.code, CV_ENOTFOUND);
    cv_event_release(&dup);
    assert_counts(st, 2, 0, 0, 0, 0);

    /* Update every field; the Spanish title goes away. */
    struct cv_event u;
    cv_event_init(&u);
    set(&u.key, "asia-2041");
    set(&u.uid, "uid-asia-2");
    set(&u.title, "Asia and the Pacific, moved");
    assert_int_equal(cv_event_set_title(&u, "fr", "Asie et Pacifique, déplacée"), 0);
    assert_int_equal(cv_event_set_title(&u, "ar", "آسيا والمحيط الهادئ"), 0);
    u.kind = CV_KIND_CALL;
    set(&u.region, "Asia and the Pacific");
    set(&u.city, "Taguig City (Metro Manila)");
    set(&u.country, "PH");
    set(&u.tzid, "Asia/Manila");
    u.status = CV_EVENT_CANCELLED;
    u.days = 2;
    u.start = date(2099, 12, 31);
    u.end = date(2100, 1, 1);
    u.sequence = 8;
    u.revision = INT64_C(253402300799); /* 9999-12-31T23:59:59Z */
    assert_int_equal(cv_store_event_update(st, &u, &err), 0);

    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "asia-2041", &g, NULL), 0);
    assert_string_equal(g.uid, "uid-asia-2");
    assert_string_equal(g.title, "Asia and the Pacific, moved");
    assert_int_equal(g.ntitles, 2);
    assert_string_equal(cv_event_title_in(&g, "fr"), "Asie et Pacifique, déplacée");
    assert_string_equal(cv_event_title_in(&g, "ar"), "آسيا والمحيط الهادئ");
    assert_string_equal(cv_event_title_in(&g, "es"), "Asia and the Pacific, moved");
    assert_int_equal(g.kind, CV_KIND_CALL);
    assert_int_equal(g.status, CV_EVENT_CANCELLED);
    assert_null(g.venue);
    assert_null(g.description);
    assert_null(g.inside);
    assert_false(cv_date_is_set(&g.window_start));
    assert_date(&g.start, 2099, 12, 31);
    assert_date(&g.end, 2100, 1, 1);
    assert_int_equal(g.sequence, 8);
    assert_true(g.revision == INT64_C(253402300799));
    assert_false(g.scenario);
    assert_true(cv_event_equal(&u, &g));
    cv_event_release(&g);

    /* The old UID is free again. */
    small_event(&dup, "reuse", "uid-asia");
    assert_int_equal(cv_store_event_insert(st, &dup, NULL), 0);
    cv_event_release(&dup);
    assert_counts(st, 3, 0, 0, 0, 0);

    cv_event_release(&u);
    cv_event_release(&e);
    cv_store_free(st);
}

static void test_event_put(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e, g;
    enum cv_upsert how = (enum cv_upsert)99;

    full_event(&e, "americas-2041", "uid-americas");
    assert_int_equal(cv_store_event_put(st, &e, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_event_put(st, &e, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);

    /* A change in a title only is a change. */
    assert_int_equal(cv_event_set_title(&e, "es", "América Abierta 2041"), 0);
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_event_put(st, &e, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "americas-2041", &g, NULL), 0);
    assert_string_equal(cv_event_title_in(&g, "es"), "América Abierta 2041");
    assert_int_equal(g.ntitles, 3);
    cv_event_release(&g);
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_event_put(st, &e, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);

    /* The revision alone, past 2038. */
    e.revision += 1;
    assert_int_equal(cv_store_event_put(st, &e, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "americas-2041", &g, NULL), 0);
    assert_true(g.revision == INT64_C(4102444801));
    cv_event_release(&g);
    assert_counts(st, 1, 0, 0, 0, 0);

    cv_event_release(&e);
    cv_store_free(st);
}

static void test_event_list_order(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e;
    struct cv_event_list l;

    small_event(&e, "b-event", "u1");
    e.start = date(2041, 3, 1);
    e.end = date(2041, 3, 1);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_event_release(&e);
    small_event(&e, "c-event", "u2");
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_event_release(&e);
    small_event(&e, "a-event", "u3");
    e.window_start = date(2040, 1, 1);
    e.window_end = date(2040, 12, 31);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_event_release(&e);
    small_event(&e, "a-late", "u4");
    e.window_start = date(2020, 1, 1);
    e.window_end = date(2050, 1, 1);
    e.start = date(2041, 3, 1);
    e.end = date(2041, 3, 1);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_event_release(&e);
    full_event(&e, "full", "u5");
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);

    cv_event_list_init(&l);
    assert_int_equal(cv_store_event_list(st, &l, NULL), 0);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[0].key, "a-event");
    assert_string_equal(l.v[1].key, "a-late");
    assert_string_equal(l.v[2].key, "b-event");
    assert_string_equal(l.v[3].key, "full");
    assert_string_equal(l.v[4].key, "c-event");
    assert_full_event(&l.v[3], "full", "u5");
    assert_true(cv_event_equal(&l.v[3], &e));
    cv_event_list_release(&l);
    cv_event_release(&e);
    cv_store_free(st);
}

/* ---- people, countries, programme ------------------------------------------------------------ */

static void test_person(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_person p, g;
    struct cv_person_list l;
    struct cv_error err;
    enum cv_upsert how = (enum cv_upsert)99;

    make_person(&p, "delegate@example.org", "Amina Wanjiru", "fr", "KE", "Africa/Nairobi");
    p.role = CV_ROLE_SPEAKER;
    p.delegation.kind = CV_DELEGATION_CIVIL_SOCIETY;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);

    cv_person_init(&g);
    assert_int_equal(cv_store_person_get(st, "delegate@example.org", &g, NULL), 0);
    assert_string_equal(g.email, "delegate@example.org");
    assert_string_equal(g.name, "Amina Wanjiru");
    assert_string_equal(g.lang, "fr");
    assert_string_equal(g.country, "KE");
    assert_string_equal(g.tzid, "Africa/Nairobi");
    assert_string_equal(g.delegation.country, "KE");
    assert_int_equal(g.delegation.kind, CV_DELEGATION_CIVIL_SOCIETY);
    assert_int_equal(g.role, CV_ROLE_SPEAKER);
    assert_true(cv_person_equal(&p, &g));
    cv_person_release(&g);

    /* The same person, any case: unchanged, then updated; never a second row. */
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    set(&p.email, "Delegate@Example.org");
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    set(&p.name, "Amina W. Wanjiru");
    set(&p.lang, "ar");
    how = (enum cv_upsert)99;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    assert_counts(st, 0, 1, 0, 0, 0);
    cv_person_init(&g);
    assert_int_equal(cv_store_person_get(st, "DELEGATE@EXAMPLE.ORG", &g, NULL), 0);
    assert_string_equal(g.name, "Amina W. Wanjiru");
    assert_string_equal(g.lang, "ar");
    assert_int_equal(strcasecmp(g.email, "delegate@example.org"), 0);
    cv_person_release(&g);

    /* Others, and the list ordered by country then email; no country sorts first. */
    cv_person_release(&p);
    make_person(&p, "zed@example.org", "Zed Sample", "es", "BR", "America/Sao_Paulo");
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    cv_person_release(&p);
    make_person(&p, "abe@example.org", "Abe Sample", "en", "BR", NULL);
    p.role = CV_ROLE_PRINCIPAL;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    cv_person_release(&p);
    make_person(&p, "nobody@example.org", "No Country", "en", NULL, NULL);
    p.delegation.kind = CV_DELEGATION_OTHER;
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    cv_person_release(&p);

    cv_person_list_init(&l);
    assert_int_equal(cv_store_person_list(st, &l, NULL), 0);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].email, "nobody@example.org");
    assert_null(l.v[0].country);
    assert_null(l.v[0].tzid);
    assert_string_equal(l.v[0].delegation.country, "");
    assert_int_equal(l.v[0].delegation.kind, CV_DELEGATION_OTHER);
    assert_string_equal(l.v[1].email, "abe@example.org");
    assert_int_equal(l.v[1].role, CV_ROLE_PRINCIPAL);
    assert_string_equal(l.v[2].email, "zed@example.org");
    assert_string_equal(l.v[2].tzid, "America/Sao_Paulo");
    assert_int_equal(strcasecmp(l.v[3].email, "delegate@example.org"), 0);
    cv_person_list_release(&l);

    /* Refused values and unknown people. */
    make_person(&p, "not an address", "X", "en", NULL, NULL);
    cv_error_init(&err);
    assert_int_equal(cv_store_person_put(st, &p, &how, &err), CV_EINVAL);
    cv_person_release(&p);
    cv_person_init(&g);
    assert_int_equal(cv_store_person_get(st, "ghost@example.org", &g, &err), CV_ENOTFOUND);
    cv_person_release(&g);
    assert_counts(st, 0, 4, 0, 0, 0);
    cv_store_free(st);
}

static void test_country(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_country c;
    struct cv_country_list l;
    enum cv_upsert how = (enum cv_upsert)99;
    const unsigned satsun = CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7);
    const unsigned frisat = CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6);

    make_country(&c, "KE", "Kenya", "Africa and the Middle East", "Nairobi", "Africa/Nairobi",
                 satsun);
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    cv_country_release(&c);
    make_country(&c, "JO", "Jordan", "Africa and the Middle East", "Amman", "Asia/Amman", satsun);
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    c.weekend = frisat;
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    cv_country_release(&c);
    make_country(&c, "BR", "Brazil", "Americas", "Brasília", "America/Sao_Paulo", satsun);
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);

    cv_country_list_init(&l);
    assert_int_equal(cv_store_country_list(st, &l, NULL), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].iso2, "JO");
    assert_int_equal(l.v[0].weekend, frisat);
    assert_string_equal(l.v[0].tzid, "Asia/Amman");
    assert_string_equal(l.v[1].iso2, "KE");
    assert_string_equal(l.v[1].capital, "Nairobi");
    assert_string_equal(l.v[1].confidence, "sourced");
    assert_string_equal(l.v[1].source_url, "https://www.opengovpartnership.org/about/");
    assert_string_equal(l.v[2].iso2, "BR");
    assert_string_equal(l.v[2].capital, "Brasília");
    assert_true(cv_country_equal(&l.v[2], &c));
    cv_country_list_release(&l);
    cv_country_release(&c);
    assert_counts(st, 0, 0, 3, 0, 0);
    cv_store_free(st);
}

static void test_programme(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_programme p, g;
    struct cv_error err;
    enum cv_upsert how = (enum cv_upsert)99;

    cv_programme_init(&g);
    cv_error_init(&err);
    assert_int_equal(cv_store_programme_get(st, &g, &err), CV_ENOTFOUND);
    assert_int_equal(err.code, CV_ENOTFOUND);

    cv_programme_init(&p);
    set(&p.key, "ogp-cochairs-2040");
    set(&p.name, "OGP co-chairs' programme 2040-2041");
    set(&p.organizer, "mailto:cochair-office@example.org");
    set(&p.languages, "en,fr,es,ar");
    set(&p.description, "Planning; \"windows\" are assumptions, 'not' sourced");
    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    assert_int_equal(cv_store_programme_get(st, &g, NULL), 0);
    assert_string_equal(g.key, "ogp-cochairs-2040");
    assert_string_equal(g.name, "OGP co-chairs' programme 2040-2041");
    assert_string_equal(g.organizer, "mailto:cochair-office@example.org");
    assert_string_equal(g.languages, "en,fr,es,ar");
    assert_string_equal(g.description, "Planning; \"windows\" are assumptions, 'not' sourced");
    cv_programme_release(&g);

    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    set(&p.description, NULL);
    set(&p.languages, "en,fr");
    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    assert_int_equal(cv_store_programme_get(st, &g, NULL), 0);
    assert_string_equal(g.languages, "en,fr");
    assert_null(g.description);
    cv_programme_release(&g);

    /* The name in other languages (schema 11): stored, read back, compared. */
    assert_int_equal(cv_programme_set_name(&p, "fr", "Programme des coprésidents 2040-2041"), 0);
    assert_int_equal(cv_programme_set_name(&p, "es", "Programa de los copresidentes 2040-2041"), 0);
    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    assert_int_equal(cv_store_programme_get(st, &g, NULL), 0);
    assert_int_equal(g.nnames, 2);
    assert_string_equal(cv_programme_name_in(&g, "fr"), "Programme des coprésidents 2040-2041");
    assert_string_equal(cv_programme_name_in(&g, "es"), "Programa de los copresidentes 2040-2041");
    assert_string_equal(cv_programme_name_in(&g, "ar"), "OGP co-chairs' programme 2040-2041");
    assert_false(cv_programme_has_name_in(&g, "ar"));
    cv_programme_release(&g);
    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);
    assert_int_equal(cv_programme_set_name(&p, "es", NULL), 0);
    assert_int_equal(cv_store_programme_put(st, &p, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    assert_int_equal(cv_store_programme_get(st, &g, NULL), 0);
    assert_int_equal(g.nnames, 1);
    assert_false(cv_programme_has_name_in(&g, "es"));
    cv_programme_release(&g);

    set(&p.organizer, "cochair-office@example.org");
    assert_int_equal(cv_store_programme_put(st, &p, &how, &err), CV_EINVAL);
    assert_int_equal(cv_store_programme_get(st, &g, NULL), 0);
    assert_string_equal(g.organizer, "mailto:cochair-office@example.org");
    cv_programme_release(&g);
    cv_programme_release(&p);
    cv_store_free(st);
}

/* ---- reference calendars --------------------------------------------------------------------- */

static void test_refcal(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_refcal c, g;
    struct cv_refcal_list l;
    struct cv_error err;
    enum cv_upsert how = (enum cv_upsert)99;

    make_refcal(&c, "holidays-ke");
    assert_int_equal(cv_store_refcal_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    cv_refcal_init(&g);
    assert_int_equal(cv_store_refcal_get(st, "holidays-ke", &g, NULL), 0);
    assert_string_equal(g.key, "holidays-ke");
    assert_string_equal(g.name, "Public holidays: Kenya");
    assert_string_equal(g.scope, "country:KE");
    assert_int_equal(g.meaning, CV_MEANING_BLACKOUT);
    assert_string_equal(g.sources, "https://kenyalaw.org/a\nhttps://example.org/b");
    assert_int_equal(g.n, 3);
    assert_string_equal(g.entries[0].key, "ke-jamhuri-day-2040");
    assert_false(g.entries[0].has_meaning);
    assert_null(g.entries[1].key);
    assert_true(g.entries[1].has_meaning);
    assert_int_equal(g.entries[1].meaning, CV_MEANING_AVOID);
    assert_string_equal(g.entries[1].url, "https://example.org/christmas?a=1&b='2'");
    assert_string_equal(g.entries[1].category, "PUBLIC-HOLIDAY");
    assert_string_equal(g.entries[1].confidence, "inferred");
    assert_string_equal(g.entries[1].description, "Observed on the Monday");
    assert_date(&g.entries[1].first, 2040, 12, 25);
    assert_date(&g.entries[1].last, 2040, 12, 26);
    assert_date(&g.entries[2].first, 2099, 1, 1);
    assert_true(cv_refcal_equal(&c, &g));
    cv_refcal_release(&g);
    assert_counts(st, 0, 0, 0, 1, 3);

    assert_int_equal(cv_store_refcal_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UNCHANGED);

    /* Replace the entries: two new ones only. */
    for (size_t i = 0; i < c.n; i++)
        cv_refentry_release(&c.entries[i]);
    c.n = 0;
    add_entry(&c, "ke-madaraka-day-2041", "Madaraka Day", date(2041, 6, 1), date(2041, 6, 1));
    add_entry(&c, "ke-mashujaa-day-2041", "Mashujaa Day", date(2041, 10, 20), date(2041, 10, 21));
    c.meaning = CV_MEANING_AVOID;
    assert_int_equal(cv_store_refcal_put(st, &c, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_UPDATED);
    cv_refcal_init(&g);
    assert_int_equal(cv_store_refcal_get(st, "holidays-ke", &g, NULL), 0);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.meaning, CV_MEANING_AVOID);
    assert_string_equal(g.entries[0].key, "ke-madaraka-day-2041");
    assert_string_equal(g.entries[1].key, "ke-mashujaa-day-2041");
    assert_date(&g.entries[1].last, 2041, 10, 21);
    cv_refcal_release(&g);
    assert_counts(st, 0, 0, 0, 1, 2);

    /* A second calendar, the list by key; an empty calendar is allowed. */
    struct cv_refcal a;
    cv_refcal_init(&a);
    set(&a.key, "a-summits");
    set(&a.name, "Summits");
    set(&a.scope, "region:Americas");
    a.meaning = CV_MEANING_PREFER;
    assert_int_equal(cv_store_refcal_put(st, &a, &how, NULL), 0);
    assert_int_equal(how, CV_UPSERT_INSERTED);
    cv_refcal_list_init(&l);
    assert_int_equal(cv_store_refcal_list(st, &l, NULL), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].key, "a-summits");
    assert_int_equal(l.v[0].n, 0);
    assert_int_equal(l.v[0].meaning, CV_MEANING_PREFER);
    assert_null(l.v[0].sources);
    assert_string_equal(l.v[1].key, "holidays-ke");
    assert_int_equal(l.v[1].n, 2);
    assert_true(cv_refcal_equal(&l.v[1], &c));
    cv_refcal_list_release(&l);

    /* Unknown, and invalid. */
    cv_refcal_init(&g);
    cv_error_init(&err);
    assert_int_equal(cv_store_refcal_get(st, "nope", &g, &err), CV_ENOTFOUND);
    cv_refcal_release(&g);
    set(&a.scope, "country:Kenya");
    assert_int_equal(cv_store_refcal_put(st, &a, &how, &err), CV_EINVAL);
    assert_counts(st, 0, 0, 0, 2, 2);

    cv_refcal_release(&a);
    cv_refcal_release(&c);
    cv_store_free(st);
}

/* ---- transactions and locking ---------------------------------------------------------------- */

static void test_transaction_rollback(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e, g;
    struct cv_person p;
    enum cv_upsert how;

    full_event(&e, "rolled-back", "uid-rb");
    make_person(&p, "ada@example.org", "Ada", "en", "KE", NULL);
    assert_int_equal(cv_store_begin(st, NULL), 0);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    assert_counts(st, 1, 1, 0, 0, 0); /* visible inside the transaction */
    cv_store_rollback(st);
    assert_counts(st, 0, 0, 0, 0, 0);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "rolled-back", &g, NULL), CV_ENOTFOUND);
    cv_event_release(&g);
    cv_store_rollback(st); /* no transaction: a no-op */

    /* No nesting, and no commit without a transaction. */
    struct cv_error err;
    cv_error_init(&err);
    assert_int_equal(cv_store_commit(st, &err), CV_ESTORE);
    assert_int_equal(cv_store_begin(st, NULL), 0);
    assert_int_equal(cv_store_begin(st, &err), CV_ESTORE);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    cv_store_rollback(st);
    assert_counts(st, 0, 0, 0, 0, 0);

    /* SQLite rolls a transaction back by itself after some errors (out of memory, I/O, a full
     * disk): a write after that fails instead of being committed on its own. */
    assert_int_equal(cv_store_begin(st, NULL), 0);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    assert_int_equal(sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    cv_error_init(&err);
    assert_int_equal(cv_store_person_put(st, &p, &how, &err), CV_EIO);
    assert_non_null(strstr(err.msg, "the transaction was rolled back by an earlier error"));
    assert_int_not_equal(cv_store_commit(st, NULL), 0);
    assert_counts(st, 0, 0, 0, 0, 0);

    /* Committed work stays. */
    assert_int_equal(cv_store_begin(st, NULL), 0);
    assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
    assert_int_equal(cv_store_commit(st, NULL), 0);

    /* Freeing the store with a transaction open rolls it back. */
    assert_int_equal(cv_store_begin(st, NULL), 0);
    assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
    cv_store_free(st);
    st = open_new(f);
    assert_counts(st, 1, 0, 0, 0, 0);
    cv_event_init(&g);
    assert_int_equal(cv_store_event_get(st, "rolled-back", &g, NULL), 0);
    assert_true(cv_event_equal(&e, &g));
    cv_event_release(&g);

    cv_person_release(&p);
    cv_event_release(&e);
    cv_store_free(st);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_busy(void **state)
{
    struct fx *f = *state;
    struct cv_store *a = NULL, *b = NULL;
    struct cv_error err;
    struct cv_event e;

    /* Keep the test setup's value for the tests that follow. */
    const char *was = getenv("CONVENE_BUSY_TIMEOUT_MS");
    char saved[32] = "";
    bool had = was && cv_str_copy(saved, sizeof(saved), was);
    assert_int_equal(setenv("CONVENE_BUSY_TIMEOUT_MS", "100", 1), 0);
    assert_int_equal(cv_store_open(f->ctx, f->db, CV_STORE_CREATE, &a, NULL), 0);
    assert_int_equal(cv_store_open(f->ctx, f->db, 0, &b, NULL), 0);

    assert_int_equal(cv_store_begin(a, NULL), 0);
    small_event(&e, "from-a", "uid-a");
    assert_int_equal(cv_store_event_insert(a, &e, NULL), 0);
    cv_event_release(&e);

    cv_error_init(&err);
    double t0 = now_s();
    assert_int_equal(cv_store_begin(b, &err), CV_EBUSY);
    double waited = now_s() - t0;
    assert_int_equal(err.code, CV_EBUSY);
    assert_true(err.lib_code != 0);
    assert_true(waited >= 0.05); /* it did wait: the busy timeout, not an immediate refusal */

    /* The reader still sees the last committed state (WAL). */
    assert_counts(b, 0, 0, 0, 0, 0);

    assert_int_equal(cv_store_commit(a, NULL), 0);
    assert_int_equal(cv_store_begin(b, &err), 0);
    small_event(&e, "from-b", "uid-b");
    assert_int_equal(cv_store_event_insert(b, &e, NULL), 0);
    cv_event_release(&e);
    assert_int_equal(cv_store_commit(b, NULL), 0);
    assert_counts(a, 2, 0, 0, 0, 0);

    cv_store_free(b);
    cv_store_free(a);
    if (had)
        setenv("CONVENE_BUSY_TIMEOUT_MS", saved, 1);
    else
        unsetenv("CONVENE_BUSY_TIMEOUT_MS");
}

static void test_counts(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_event e;
    struct cv_person p;
    struct cv_country c;
    struct cv_refcal r;
    enum cv_upsert how;
    char key[32], uid[32];

    for (int i = 0; i < 7; i++) {
        snprintf(key, sizeof(key), "event-%d", i);
        snprintf(uid, sizeof(uid), "uid-%d", i);
        small_event(&e, key, uid);
        assert_int_equal(cv_store_event_insert(st, &e, NULL), 0);
        cv_event_release(&e);
    }
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof(key), "p%d@example.org", i);
        make_person(&p, key, "Sample", "en", NULL, NULL);
        assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
        cv_person_release(&p);
    }
    make_country(&c, "KE", "Kenya", "Africa and the Middle East", "Nairobi", "Africa/Nairobi",
                 CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7));
    assert_int_equal(cv_store_country_put(st, &c, &how, NULL), 0);
    cv_country_release(&c);
    make_refcal(&r, "cal-one");
    assert_int_equal(cv_store_refcal_put(st, &r, &how, NULL), 0);
    cv_refcal_release(&r);
    make_refcal(&r, "cal-two");
    add_entry(&r, "extra", "Extra", date(2050, 1, 1), date(2050, 1, 2));
    assert_int_equal(cv_store_refcal_put(st, &r, &how, NULL), 0);
    cv_refcal_release(&r);
    assert_counts(st, 7, 3, 1, 2, 7);
    cv_store_free(st);
}

/* ---- SQL meta-characters (I4) ---------------------------------------------------------------- */

#define NSTRINGS 2000
#define LONG_LEN (100 * 1024)

static const char *const meta[] = {
    "'",
    "''",
    "\"",
    ";--",
    "'; DROP TABLE event; --",
    "\"); DELETE FROM person; --",
    "' OR '1'='1",
    "/*",
    "*/",
    "\\",
    "\\'",
    "%s%n%x",
    "?1",
    ":key",
    "@a",
    "$1",
    "NULL",
    "\t",
    "%",
    "_",
    "\xe2\x80\xa8",
    "\xef\xbb\xbf",
    "\xef\xbf\xbd",
    "\xf4\x8f\xbf\xbf",
    "\xc2\x80",
    "END:VEVENT",
    "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9",
};

/* Appends code point @cp as UTF-8. */
static void put_utf8(struct cv_buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xc0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xe0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        s[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        s[0] = (char)(0xf0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        s[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    assert_int_equal(cv_buf_add(b, s, n), 0);
}

/* A random code point, never a control (but TAB) or a surrogate. */
static uint32_t random_cp(struct rng *r)
{
    for (;;) {
        uint32_t cp;
        switch (rng_below(r, 6)) {
        case 0:
        case 1:
            cp = 0x20 + rng_below(r, 0x5f); /* printable ASCII */
            break;
        case 2:
            cp = 0x80 + rng_below(r, 0x780); /* C1 and the two-byte range */
            break;
        case 3:
            cp = 0x800 + rng_below(r, 0xf800);
            break;
        case 4:
            cp = 0x10000 + rng_below(r, 0x100000);
            break;
        default:
            cp = 0x600 + rng_below(r, 0x100); /* Arabic */
        }
        if (cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff))
            continue;
        return cp;
    }
}

/* A random string of SQL meta-characters and UTF-8; @multiline allows '\n'. */
static char *random_text(struct rng *r, size_t target, bool multiline)
{
    struct cv_buf b;
    cv_buf_init(&b, CV_BUF_NOLIMIT);
    while (b.len < target) {
        uint32_t pick = rng_below(r, 10);
        if (pick < 4)
            assert_int_equal(cv_buf_addstr(&b, meta[rng_below(r, sizeof(meta) / sizeof(meta[0]))]),
                             0);
        else if (pick == 4 && multiline)
            assert_int_equal(cv_buf_addch(&b, '\n'), 0);
        else
            put_utf8(&b, random_cp(r));
    }
    char *s = cv_buf_detach(&b);
    assert_non_null(s);
    assert_true(cv_utf8_is_valid(s, strlen(s)));
    return s;
}

static void test_sql_meta(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct rng r = {20250325};
    char **titles = calloc(NSTRINGS, sizeof(char *));
    char **texts = calloc(NSTRINGS, sizeof(char *));
    char key[32], uid[32];
    struct cv_error err;
    size_t longs = 0;

    assert_non_null(titles);
    assert_non_null(texts);
    for (size_t i = 0; i < NSTRINGS; i++) {
        size_t len = i % 100 == 7 ? LONG_LEN : 1 + rng_below(&r, 120);
        titles[i] = random_text(&r, len, false);
        texts[i] = random_text(&r, i % 100 == 8 ? LONG_LEN : rng_below(&r, 300), true);
        longs += strlen(titles[i]) >= LONG_LEN;
    }
    assert_int_equal(longs, NSTRINGS / 100);

    cv_error_init(&err);
    assert_int_equal(cv_store_begin(st, &err), 0);
    for (size_t i = 0; i < NSTRINGS; i++) {
        struct cv_event e;
        struct cv_person p;
        enum cv_upsert how;
        snprintf(key, sizeof(key), "meta-%04zu", i);
        snprintf(uid, sizeof(uid), "%s'--%zu", i % 2 ? "\"" : "'", i);
        small_event(&e, key, uid);
        set(&e.title, titles[i]);
        set(&e.description, texts[i]);
        set(&e.venue, titles[(i + 1) % NSTRINGS]);
        set(&e.city, titles[(i + 2) % NSTRINGS]);
        assert_int_equal(cv_event_set_title(&e, "fr", titles[(i + 3) % NSTRINGS]), 0);
        int rc = cv_store_event_insert(st, &e, &err);
        if (rc != 0)
            fail_msg("event %zu: %d %s", i, rc, err.msg);
        cv_event_release(&e);

        snprintf(key, sizeof(key), "p%04zu@example.org", i);
        make_person(&p, key, titles[i], "en", NULL, NULL);
        assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
        assert_int_equal(how, CV_UPSERT_INSERTED);
        cv_person_release(&p);
    }
    assert_int_equal(cv_store_commit(st, &err), 0);
    assert_counts(st, NSTRINGS, NSTRINGS, 0, 0, 0);

    /* Read back byte-identical, one by one and as a list. */
    for (size_t i = 0; i < NSTRINGS; i++) {
        struct cv_event g;
        struct cv_person p;
        snprintf(key, sizeof(key), "meta-%04zu", i);
        snprintf(uid, sizeof(uid), "%s'--%zu", i % 2 ? "\"" : "'", i);
        cv_event_init(&g);
        assert_int_equal(cv_store_event_get(st, key, &g, NULL), 0);
        assert_string_equal(g.uid, uid);
        assert_int_equal(strlen(g.title), strlen(titles[i]));
        assert_memory_equal(g.title, titles[i], strlen(titles[i]) + 1);
        assert_memory_equal(g.description, texts[i], strlen(texts[i]) + 1);
        assert_string_equal(g.venue, titles[(i + 1) % NSTRINGS]);
        assert_string_equal(g.city, titles[(i + 2) % NSTRINGS]);
        assert_string_equal(cv_event_title_in(&g, "fr"), titles[(i + 3) % NSTRINGS]);
        cv_event_release(&g);

        snprintf(key, sizeof(key), "p%04zu@example.org", i);
        cv_person_init(&p);
        assert_int_equal(cv_store_person_get(st, key, &p, NULL), 0);
        assert_memory_equal(p.name, titles[i], strlen(titles[i]) + 1);
        cv_person_release(&p);
    }
    struct cv_event_list l;
    cv_event_list_init(&l);
    assert_int_equal(cv_store_event_list(st, &l, NULL), 0);
    assert_int_equal(l.n, NSTRINGS);
    for (size_t i = 0; i < l.n; i++) {
        /* No dates: listed by key, which is the index. */
        assert_string_equal(l.v[i].title, titles[i]);
        assert_string_equal(l.v[i].description, texts[i]);
    }
    cv_event_list_release(&l);

    /* The same values again are recognised as equal: nothing was altered on the way. */
    for (size_t i = 0; i < NSTRINGS; i += 97) {
        struct cv_person p;
        enum cv_upsert how = (enum cv_upsert)99;
        snprintf(key, sizeof(key), "p%04zu@example.org", i);
        make_person(&p, key, titles[i], "en", NULL, NULL);
        assert_int_equal(cv_store_person_put(st, &p, &how, NULL), 0);
        assert_int_equal(how, CV_UPSERT_UNCHANGED);
        cv_person_release(&p);
    }
    cv_store_free(st);

    if (have_cli())
        assert_int_equal(cli_long(f->db, "SELECT integrity_check IS char(111, 107)"
                                         " FROM pragma_integrity_check;"),
                         1);

    for (size_t i = 0; i < NSTRINGS; i++) {
        free(titles[i]);
        free(texts[i]);
    }
    free(titles);
    free(texts);
}

/* RELIABILITY.md T5: replies held by the per-sender limit keep their bytes (NUL included),
 * are counted per sender in any case, listed oldest first without their data, and leave only
 * when deleted; a sender's replies are counted by the time they were read. */
static void test_reply_held(void **state)
{
    struct fx *f = *state;
    struct cv_store *st = open_new(f);
    struct cv_store_held h, got;
    struct cv_store_held_list l;
    struct cv_store_reply r;
    struct cv_error err;
    static const char data[] = "From: a@example.org\r\n\r\nBEGIN:VCALENDAR\0tail";
    int64_t id[3];
    long n;

    cv_store_held_init(&h);
    h.received = INT64_C(2240611200);
    h.sender = (char *)"A@Example.org";
    h.source = (char *)"a.eml";
    h.message_id = (char *)"<1@example.org>";
    h.authserv_id = (char *)"mx.example.org";
    h.data = (char *)data;
    h.len = sizeof(data);
    for (int i = 0; i < 3; i++) {
        if (i == 2)
            h.sender = (char *)"b@example.org";
        assert_int_equal(cv_store_held_add(st, &h, &id[i], &err), 0);
    }
    assert_int_equal(cv_store_held_count(st, "a@EXAMPLE.org", &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(cv_store_held_count(st, NULL, &n, &err), 0);
    assert_int_equal(n, 3);
    cv_store_held_list_init(&l);
    assert_int_equal(cv_store_held_list(st, &l, &err), 0);
    assert_int_equal(l.n, 3);
    assert_true(l.v[0].id == id[0] && l.v[2].id == id[2]);
    assert_null(l.v[0].data);
    assert_string_equal(l.v[2].sender, "b@example.org");
    cv_store_held_list_release(&l);
    cv_store_held_init(&got);
    assert_int_equal(cv_store_held_get(st, id[1], &got, &err), 0);
    assert_int_equal(got.len, sizeof(data));
    assert_memory_equal(got.data, data, sizeof(data));
    assert_string_equal(got.source, "a.eml");
    assert_string_equal(got.authserv_id, "mx.example.org");
    cv_store_held_release(&got);
    assert_int_equal(cv_store_held_delete(st, id[1], &err), 0);
    assert_int_equal(cv_store_held_delete(st, id[1], &err), CV_ENOTFOUND);
    assert_int_equal(cv_store_held_get(st, id[1], &got, &err), CV_ENOTFOUND);
    assert_int_equal(cv_store_held_count(st, "a@example.org", &n, &err), 0);
    assert_int_equal(n, 1);
    h.data = NULL;
    assert_int_equal(cv_store_held_add(st, &h, NULL, &err), CV_EINVAL);

    /* The replies of the last hour, by sender, in any case. */
    cv_store_reply_init(&r);
    r.source = (char *)"x.eml";
    r.reason = (char *)"test";
    r.outcome = CV_REPLY_IGNORED;
    for (int i = 0; i < 5; i++) {
        r.received = INT64_C(2240611200) + i * 1000;
        r.sender = (char *)(i % 2 ? "C@example.org" : "c@example.org");
        assert_int_equal(cv_store_reply_add(st, &r, NULL, &err), 0);
    }
    assert_int_equal(cv_store_reply_count_since(st, "c@example.ORG", INT64_C(2240611200), &n, &err),
                     0);
    assert_int_equal(n, 5);
    assert_int_equal(
        cv_store_reply_count_since(st, "c@example.org", INT64_C(2240611200) + 2001, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(cv_store_reply_count_since(st, "d@example.org", 0, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_string_equal(cv_reply_outcome_name(CV_REPLY_LIMITED), "limited");
    cv_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_text_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_foreign_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_readonly_needs_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_conflict_and_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_put, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_list_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_country, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refcal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_held, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
