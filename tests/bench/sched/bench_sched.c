/* SPDX-License-Identifier: MIT */
/*
 * bench_sched.c: the scheduling benchmark. Builds deterministic instances of the three problems
 * convene's engine solves (the dates of a programme, an event's timetable, a call slot across
 * time zones), times the engine on each (median of several runs, in a child process with a
 * time limit), writes each instance out as a MiniZinc model with the same hard constraints, grid
 * and objective, runs MiniZinc with Gecode on it (all improving solutions, with their times),
 * checks both answers with a checker of its own, and prints a table (also written as Markdown).
 *
 *   bench_sched --root DIR --out DIR [--quick] [--only SUBSTRING] [--no-gecode]
 *               [--gecode-scale X] [--search tuned|default]
 *
 * Not part of the test suite: tests/bench/sched/run builds and runs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <convene/core.h>
#include <convene/load.h>
#include <convene/model.h>
#include <convene/sched.h>
#include <convene/store.h>
#include <convene/util.h>

/* ---- options, small helpers ------------------------------------------------------------------ */

static struct {
    const char *root;   /* the source tree (calendars/sample-delegates.csv) */
    const char *out;    /* models, solver logs, results */
    const char *only;   /* run only the instances whose name contains this */
    bool quick;         /* short Gecode limits: a smoke test */
    bool no_gecode;     /* convene only */
    double scale;       /* Gecode limits multiplied by this */
    const char *search; /* "tuned" (timetables: session by session) or "default" (Gecode's) */
    double convene_timeout;
    int profile; /* run only convene's engine, in this process, this many times (for perf) */
} opt = {.root = ".", .out = "out", .scale = 1.0, .search = "tuned", .convene_timeout = 900};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_sched: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        die("out of memory");
    return p;
}

static void set_str(char **dst, const char *src)
{
    if (cv_str_set(dst, src) < 0)
        die("out of memory");
}

/* splitmix64: every instance from a fixed seed. */
static uint64_t rng;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int rnd_int(int lo, int hi)
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A growable text buffer. */
struct sbuf {
    char *s;
    size_t len, cap;
};
static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            die("vsnprintf");
        if (b->s && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            die("out of memory");
        b->s = p;
        b->cap = cap;
    }
}

static void write_file(const char *path, const struct sbuf *b)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b->s ? b->s : "", 1, b->len, f) != b->len || fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

static void mkdir_p(const char *dir)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    }
    if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
        die("cannot create %s: %s", dir, strerror(errno));
}

/* ---- child processes with a deadline, read line by line -------------------------------------- */

typedef void (*line_fn)(void *arg, const char *line, double t);
typedef void (*child_fn)(void *arg, FILE *out);

struct run_status {
    bool timed_out;
    int status;
    double elapsed;
};

/*
 * Runs @argv (exec) or @fn (forked) in a process group of its own, its stdout read line by line
 * until it ends or @timeout seconds pass (then the whole group is killed). stderr goes to
 * @errpath (or stays ours when NULL).
 */
static struct run_status run_lines(char *const argv[], child_fn fn, void *carg, const char *errpath,
                                   double timeout, line_fn on_line, void *larg)
{
    struct run_status rs = {0};
    int p[2];
    if (pipe(p) < 0)
        die("pipe: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        close(p[0]);
        if (errpath) {
            int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                dup2(fd, 2);
                close(fd);
            }
        }
        if (argv) {
            dup2(p[1], 1);
            close(p[1]);
            execvp(argv[0], argv);
            fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
            _exit(127);
        }
        FILE *out = fdopen(p[1], "w");
        if (!out)
            _exit(126);
        fn(carg, out);
        fclose(out);
        _exit(0);
    }
    setpgid(pid, pid);
    close(p[1]);
    size_t cap = 1 << 16, len = 0;
    char *buf = xcalloc(cap, 1);
    for (;;) {
        double left = timeout - (now() - t0);
        if (left <= 0) {
            rs.timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd pfd = {.fd = p[0], .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        if (len + 65536 + 1 > cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                die("out of memory");
            buf = nb;
        }
        ssize_t n = read(p[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        double t = now() - t0;
        char *start = buf, *nl;
        while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
            *nl = '\0';
            on_line(larg, start, t);
            start = nl + 1;
        }
        len -= (size_t)(start - buf);
        memmove(buf, start, len);
    }
    if (len) {
        buf[len] = '\0';
        on_line(larg, buf, now() - t0);
    }
    close(p[0]);
    free(buf);
    waitpid(pid, &rs.status, 0);
    kill(-pid, SIGKILL); /* anything the group left behind */
    rs.elapsed = now() - t0;
    return rs;
}

/* ---- one row of the results ------------------------------------------------------------------ */

struct row {
    char problem[48];
    char size[96];
    /* convene */
    bool c_ran, c_timed_out, c_feasible, c_check_ok, c_model_ok;
    double c_time; /* median seconds */
    int c_runs;
    long c_obj;
    char c_opt[48];
    char c_note[300];
    /* Gecode */
    bool g_ran, g_any, g_optimal, g_timed_out, g_killed, g_unsat, g_check_ok;
    double g_limit, g_flat;
    double g_first_t, g_best_t, g_reach_t; /* reach: first solution at least as good as convene's */
    long g_first_obj, g_best_obj;
    long g_nsol;
    char g_note[300];
};

static struct row rows[32];
static size_t nrows;

static struct row *new_row(const char *problem, const char *size)
{
    if (nrows == sizeof(rows) / sizeof(rows[0]))
        die("too many rows");
    struct row *r = &rows[nrows++];
    memset(r, 0, sizeof(*r));
    snprintf(r->problem, sizeof(r->problem), "%s", problem);
    snprintf(r->size, sizeof(r->size), "%s", size);
    r->g_reach_t = -1;
    return r;
}

static bool selected(const char *name)
{
    return !opt.only || strstr(name, opt.only);
}

/* ---- convene's engine in a child: timings and the last answer as text ------------------------ */

struct conv_lines {
    double times[16];
    int ntimes;
    long obj;
    bool feasible, optimal, have_obj;
    long nodes, nconflict;
    int hv;
    char *sol; /* the SOL line */
    char extra[200];
};

static void conv_line(void *arg, const char *line, double t)
{
    struct conv_lines *c = arg;
    (void)t;
    if (strncmp(line, "TIME ", 5) == 0 && c->ntimes < 16)
        c->times[c->ntimes++] = strtod(line + 5, NULL);
    else if (strncmp(line, "OBJ ", 4) == 0)
        c->obj = strtol(line + 4, NULL, 10), c->have_obj = true;
    else if (strncmp(line, "FEAS ", 5) == 0)
        c->feasible = atoi(line + 5) != 0;
    else if (strncmp(line, "OPT ", 4) == 0)
        c->optimal = atoi(line + 4) != 0;
    else if (strncmp(line, "NODES ", 6) == 0)
        c->nodes = strtol(line + 6, NULL, 10);
    else if (strncmp(line, "HV ", 3) == 0)
        c->hv = atoi(line + 3);
    else if (strncmp(line, "CONFLICT ", 9) == 0)
        c->nconflict = strtol(line + 9, NULL, 10);
    else if (strncmp(line, "EXTRA ", 6) == 0)
        snprintf(c->extra, sizeof(c->extra), "%s", line + 6);
    else if (strncmp(line, "SOL", 3) == 0) {
        free(c->sol);
        c->sol = xstrdup(line);
    }
}

/* How many runs in all after a first one of @t seconds: 5 under 2 s, 3 under 10 s, else 1. */
static int runs_for(double t)
{
    return t < 2 ? 5 : t < 10 ? 3 : 1;
}

/* --profile N: convene's engine only, in this process (perf record can see it), N rounds. */
static bool profile(const char *name, child_fn fn, void *arg)
{
    if (!opt.profile)
        return false;
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        die("/dev/null: %s", strerror(errno));
    double t0 = now();
    for (int k = 0; k < opt.profile; k++)
        fn(arg, null);
    fclose(null);
    printf("%s: %d rounds of the engine in %.3f s\n", name, opt.profile, now() - t0);
    return true;
}

/* ---- MiniZinc and Gecode -----------------------------------------------------------------------
 */

struct mzn_sol {
    long obj;
    double t;
};

struct mzn_lines {
    long cur_obj;
    bool have_cur;
    char *cur_sol;
    struct mzn_sol *sols;
    size_t nsols, cap;
    char *first_sol, *best_sol;
    bool optimal, unsat, unknown;
    double flat;
    bool flat_seen;
    double last_elapsed; /* from "% time elapsed" */
    bool pending;        /* a solution read, its time line not yet */
    long nodes, failures;
};

static void mzn_line(void *arg, const char *line, double t)
{
    struct mzn_lines *m = arg;
    if (strncmp(line, "OBJ ", 4) == 0) {
        m->cur_obj = strtol(line + 4, NULL, 10);
        m->have_cur = true;
    } else if (strncmp(line, "SOL", 3) == 0) {
        free(m->cur_sol);
        m->cur_sol = xstrdup(line);
    } else if (strncmp(line, "% time elapsed: ", 16) == 0) {
        double e = strtod(line + 16, NULL);
        m->last_elapsed = e;
        if (m->pending && m->nsols) {
            m->sols[m->nsols - 1].t = e;
            m->pending = false;
        }
    } else if (strcmp(line, "----------") == 0) {
        if (!m->have_cur)
            return;
        if (m->nsols == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 64;
            m->sols = realloc(m->sols, m->cap * sizeof(*m->sols));
            if (!m->sols)
                die("out of memory");
        }
        /* The time is MiniZinc's own (from its start, flattening included), on the next line;
         * our clock until then. */
        m->sols[m->nsols].obj = m->cur_obj;
        m->sols[m->nsols].t = t;
        m->nsols++;
        m->pending = true;
        if (!m->first_sol)
            m->first_sol = xstrdup(m->cur_sol ? m->cur_sol : "SOL");
        free(m->best_sol);
        m->best_sol = xstrdup(m->cur_sol ? m->cur_sol : "SOL");
        m->have_cur = false;
    } else if (strcmp(line, "==========") == 0) {
        m->optimal = true;
    } else if (strcmp(line, "=====UNSATISFIABLE=====") == 0) {
        m->unsat = true;
    } else if (strcmp(line, "=====UNKNOWN=====") == 0) {
        m->unknown = true;
    } else if (strncmp(line, "%%%mzn-stat: flatTime=", 22) == 0 && !m->flat_seen) {
        m->flat = strtod(line + 22, NULL);
        m->flat_seen = true;
    } else if (strncmp(line, "%%%mzn-stat: nodes=", 19) == 0) {
        m->nodes = strtol(line + 19, NULL, 10);
    } else if (strncmp(line, "%%%mzn-stat: failures=", 22) == 0) {
        m->failures = strtol(line + 22, NULL, 10);
    }
}

static void mzn_release(struct mzn_lines *m)
{
    free(m->cur_sol);
    free(m->sols);
    free(m->first_sol);
    free(m->best_sol);
    memset(m, 0, sizeof(*m));
}

/*
 * Runs Gecode on @name.mzn/@name.dzn under @limit seconds and fills the Gecode half of @r, but
 * for the checks (the caller's, on m->first_sol and m->best_sol).
 */
static void run_gecode(const char *name, double limit, struct row *r, struct mzn_lines *m)
{
    char mzn[4096], dzn[4096], err[4096], ms[32];
    snprintf(mzn, sizeof(mzn), "%s/%s.mzn", opt.out, name);
    snprintf(dzn, sizeof(dzn), "%s/%s.dzn", opt.out, name);
    snprintf(err, sizeof(err), "%s/%s.gecode.err", opt.out, name);
    snprintf(ms, sizeof(ms), "%ld", (long)(limit * 1000));
    char *argv[] = {"minizinc", "--solver", "gecode", "-a", "--output-time", "-s", "--time-limit",
                    ms,         mzn,        dzn,      NULL};
    memset(m, 0, sizeof(*m));
    r->g_ran = true;
    r->g_limit = limit;
    printf("  gecode: %s (limit %.0f s) ...\n", name, limit);
    struct run_status rs = run_lines(argv, NULL, NULL, err, limit + 60, mzn_line, m);
    r->g_killed = rs.timed_out;
    r->g_optimal = m->optimal;
    r->g_unsat = m->unsat;
    r->g_flat = m->flat;
    r->g_nsol = (long)m->nsols;
    r->g_any = m->nsols > 0;
    r->g_timed_out = !m->optimal && !m->unsat;
    if (m->nsols) {
        r->g_first_t = m->sols[0].t;
        r->g_first_obj = m->sols[0].obj;
        r->g_best_t = m->sols[m->nsols - 1].t;
        r->g_best_obj = m->sols[m->nsols - 1].obj;
    }
    if (r->c_ran && r->c_feasible) {
        for (size_t k = 0; k < m->nsols; k++) {
            if (m->sols[k].obj <= r->c_obj) {
                r->g_reach_t = m->sols[k].t;
                break;
            }
        }
    }
    if (!m->flat_seen)
        snprintf(r->g_note + strlen(r->g_note), sizeof(r->g_note) - strlen(r->g_note),
                 "%sflattening did not finish", r->g_note[0] ? "; " : "");
    if (WIFEXITED(rs.status) && WEXITSTATUS(rs.status) != 0 && !m->nsols)
        snprintf(r->g_note + strlen(r->g_note), sizeof(r->g_note) - strlen(r->g_note),
                 "%sminizinc exit %d (see %s)", r->g_note[0] ? "; " : "", WEXITSTATUS(rs.status),
                 err);
    printf("  gecode: %zu solutions, first %ld at %.2f s, best %ld at %.2f s, %s; flatten %.2f s, "
           "%ld nodes\n",
           m->nsols, r->g_first_obj, r->g_first_t, r->g_best_obj, r->g_best_t,
           m->optimal ? "proved optimal"
           : m->unsat ? "unsatisfiable"
                      : "stopped by the limit",
           m->flat, m->nodes);
}

static void note(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 3 >= size)
        return;
    if (len) {
        strcat(buf, "; ");
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/*
 * Cross-checks the model against convene: @name.mzn with convene's answer imposed (@fix, MiniZinc
 * constraints) must be satisfiable with the objective convene reported. Notes the outcome in @r.
 */
static void model_accepts(const char *name, const char *fix, long want, struct row *r)
{
    char mzn[4096], dzn[4096], chk[4096], err[4096];
    snprintf(mzn, sizeof(mzn), "%s/%s.mzn", opt.out, name);
    snprintf(dzn, sizeof(dzn), "%s/%s.dzn", opt.out, name);
    snprintf(chk, sizeof(chk), "%s/%s.convene.mzn", opt.out, name);
    snprintf(err, sizeof(err), "%s/%s.convene.err", opt.out, name);
    struct sbuf b = {0};
    sb_add(&b,
           "%% convene's answer, imposed on %s.mzn: the model must accept it, with the same "
           "objective.\ninclude \"%s.mzn\";\n%s\n",
           name, name, fix);
    write_file(chk, &b);
    free(b.s);
    char *argv[] = {"minizinc", "--solver", "gecode", "--time-limit", "120000", chk, dzn, NULL};
    struct mzn_lines m;
    memset(&m, 0, sizeof(m));
    run_lines(argv, NULL, NULL, err, 180, mzn_line, &m);
    if (!m.nsols)
        note(r->c_note, sizeof(r->c_note),
             "MODEL CHECK FAILED: the model rejects convene's answer (see %s)", err);
    else if (m.sols[0].obj != want)
        note(r->c_note, sizeof(r->c_note),
             "MODEL CHECK FAILED: the model gives convene's answer objective %ld, convene %ld",
             m.sols[0].obj, want);
    else
        note(r->c_note, sizeof(r->c_note), "the model accepts convene's answer with objective %ld",
             want);
    r->c_model_ok = m.nsols && m.sols[0].obj == want;
    mzn_release(&m);
}

/* ============================================================================================== */
/* ---- dates ------------------------------------------------------------------------------------
 */
/* ============================================================================================== */

/* The shipped programme, as the store gives it after `convene init` and the sample delegates. */
struct shipped {
    struct cv_programme prog;
    struct cv_event_list events;
    struct cv_refcal_list cals;
    struct cv_country_list countries;
    struct cv_person_list people;
};

/* Creates @db afresh as `convene init` and `convene people import` of the sample delegates do. */
static struct cv_store *programme_db(const char *db, struct cv_ctx **ctx)
{
    char path[4096];
    struct cv_store *st = NULL;
    struct cv_error err;
    struct cv_load_report rep;
    struct cv_import_report irep;

    cv_error_init(&err);
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < 4; k++) {
        snprintf(path, sizeof(path), "%s%s", db, suffix[k]);
        unlink(path);
    }
    if (cv_ctx_new(ctx, &err) < 0 || cv_store_open(*ctx, db, CV_STORE_CREATE, &st, &err) < 0 ||
        cv_load_calendars(st, NULL, &rep, &err) < 0)
        die("%s: loading the shipped programme: %s", db, err.msg);
    snprintf(path, sizeof(path), "%s/calendars/sample-delegates.csv", opt.root);
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    char *data = xcalloc(1 << 20, 1);
    size_t len = fread(data, 1, (1 << 20) - 1, f);
    fclose(f);
    cv_import_report_init(&irep);
    if (cv_load_people(st, data, len, path, 0, &irep, &err) < 0)
        die("loading the sample delegates: %s", err.msg);
    cv_import_report_release(&irep);
    free(data);
    return st;
}

/* What `convene plan` reads from the store. */
static void read_programme(struct cv_store *st, struct shipped *sh)
{
    struct cv_error err;
    cv_error_init(&err);
    cv_programme_init(&sh->prog);
    cv_event_list_init(&sh->events);
    cv_refcal_list_init(&sh->cals);
    cv_country_list_init(&sh->countries);
    cv_person_list_init(&sh->people);
    if (cv_store_programme_get(st, &sh->prog, &err) < 0 ||
        cv_store_event_list(st, &sh->events, &err) < 0 ||
        cv_store_refcal_list(st, &sh->cals, &err) < 0 ||
        cv_store_country_list(st, &sh->countries, &err) < 0 ||
        cv_store_person_list(st, &sh->people, &err) < 0)
        die("reading the store: %s", err.msg);
}

static void load_shipped(struct shipped *sh, const char *db)
{
    struct cv_ctx *ctx = NULL;
    struct cv_store *st = programme_db(db, &ctx);
    read_programme(st, sh);
    cv_store_free(st);
    cv_ctx_free(ctx);
}

static bool is_fixed(const struct cv_event *e)
{
    return cv_event_has_dates(e) && (e->status == CV_EVENT_CONFIRMED || e->status == CV_EVENT_HELD);
}

static bool is_planned(const struct cv_event *e)
{
    return e->status != CV_EVENT_CANCELLED && !is_fixed(e);
}

/* ---- the checker's own reading of the constraints (not dates.c's code) ---- */

static int64_t dd(const struct cv_date *d)
{
    return cv_date_to_days(d);
}

/* ISO weekday of a day count: 1970-01-01 was a Thursday. */
static int weekday_of(int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

static bool chk_forbidden(const struct cv_constraint *c, int64_t day)
{
    int64_t f = dd(&c->first), l = dd(&c->last);
    switch (c->kind) {
    case CV_CON_WINDOW:
    case CV_CON_INSIDE:
        return day < f || day > l;
    case CV_CON_WEEKEND:
        return (c->weekdays >> (weekday_of(day) - 1)) & 1u;
    case CV_CON_BLACKOUT:
        return day >= f && day <= l;
    case CV_CON_LEAD:
        return day < f;
    default:
        return false;
    }
}

static long chk_overlap(int64_t s, int len, const struct cv_constraint *c)
{
    int64_t a = dd(&c->first), b = dd(&c->last), e = s + len - 1;
    int64_t lo = s > a ? s : a, hi = e < b ? e : b;
    return hi >= lo ? (long)(hi - lo + 1) : 0;
}

static long chk_unary(const struct cv_constraint *c, int64_t s, int len)
{
    switch (c->kind) {
    case CV_CON_AVOID:
        return (long)c->weight * chk_overlap(s, len, c);
    case CV_CON_PREFER:
        return (long)c->weight * (len - chk_overlap(s, len, c));
    case CV_CON_DELEGATES:
        return (long)c->weight * c->count * chk_overlap(s, len, c);
    case CV_CON_WEEKDAY:
        return ((c->weekdays >> (weekday_of(s) - 1)) & 1u) ? 0 : c->weight;
    case CV_CON_DATES: {
        int64_t a = dd(&c->first), b = dd(&c->last);
        return (long)c->weight * (long)(s < a ? a - s : s > b ? s - b : 0);
    }
    default:
        return 0;
    }
}

/* Free days between [sa, sa+la) and [sb, sb+lb): negative when they overlap. */
static int64_t chk_between(int64_t sa, int la, int64_t sb, int lb)
{
    int64_t x = sb - (sa + la - 1) - 1, y = sa - (sb + lb - 1) - 1;
    return x > y ? x : y;
}

struct dates_inst {
    char name[48];
    char size[96];
    const struct cv_event *events;
    size_t nevents;
    struct cv_plan_input in;
    struct cv_plan_result cons; /* cv_plan_constraints(): the constraints as data */
    /* what the checker and the model need */
    size_t *planned; /* event indices planned, in order */
    size_t nplanned;
    size_t *model_of; /* event index -> model index, or SIZE_MAX */
};

/*
 * The checker: @start[k] the first day of planned event k (model order). @return the hard
 * violations; *@cost the soft score, recomputed from the constraints.
 */
static int dates_check(const struct dates_inst *I, const int64_t *start, long *cost, char *why,
                       size_t whysize)
{
    int bad = 0;
    long total = 0;
    for (size_t c = 0; c < I->cons.ncons; c++) {
        const struct cv_constraint *k = &I->cons.cons[c];
        size_t a = I->model_of[k->event];
        if (a == SIZE_MAX)
            continue;
        const struct cv_event *ea = &I->events[k->event];
        int64_t sa = start[a];
        if (k->kind == CV_CON_GAP || k->kind == CV_CON_SPREAD) {
            const struct cv_event *eb = &I->events[k->other];
            size_t b = I->model_of[k->other];
            int64_t sb = b == SIZE_MAX ? dd(&eb->start) : start[b];
            int64_t g = chk_between(sa, ea->days, sb, eb->days);
            if (k->kind == CV_CON_GAP) {
                if (g < k->days) {
                    bad++;
                    if (why && !why[0])
                        snprintf(why, whysize, "violates: %s", k->why);
                }
            } else if (g < k->days) {
                total += (long)k->weight * (k->days - (g < 0 ? 0 : g));
            }
            continue;
        }
        if (k->hard) {
            for (int64_t d = sa; d < sa + ea->days; d++) {
                if (chk_forbidden(k, d)) {
                    bad++;
                    if (why && !why[0])
                        snprintf(why, whysize, "violates: %s", k->why);
                    break;
                }
            }
        } else {
            total += chk_unary(k, sa, ea->days);
        }
    }
    *cost = total;
    return bad;
}

static void dates_prepare(struct dates_inst *I)
{
    struct cv_error err;
    cv_error_init(&err);
    cv_plan_result_init(&I->cons);
    if (cv_plan_constraints(&I->in, &I->cons, &err) < 0)
        die("%s: constraints: %s", I->name, err.msg);
    I->planned = xcalloc(I->nevents, sizeof(size_t));
    I->model_of = xcalloc(I->nevents, sizeof(size_t));
    for (size_t i = 0; i < I->nevents; i++) {
        I->model_of[i] = SIZE_MAX;
        if (is_planned(&I->events[i])) {
            I->model_of[i] = I->nplanned;
            I->planned[I->nplanned++] = i;
        }
    }
}

static void dates_child(void *arg, FILE *out)
{
    struct dates_inst *I = arg;
    struct cv_plan_result r;
    struct cv_error err;
    int runs = 1;
    for (int run = 0; run < runs; run++) {
        cv_plan_result_init(&r);
        cv_error_init(&err);
        double t0 = now();
        int rc = cv_plan_dates(&I->in, &r, &err);
        double t = now() - t0;
        if (rc < 0) {
            fprintf(out, "EXTRA engine error: %s\n", err.msg);
            return;
        }
        fprintf(out, "TIME %.9f\n", t);
        fflush(out);
        if (run == 0)
            runs = runs_for(t);
        if (run + 1 < runs) {
            cv_plan_result_release(&r);
            continue;
        }
        fprintf(out, "OBJ %ld\nFEAS %d\nOPT %d\nNODES %lu\nHV %d\nCONFLICT %zu\n", r.score,
                r.feasible, r.optimal, r.nodes, r.hard_violations, r.nconflict);
        fprintf(out, "SOL");
        for (size_t k = 0; k < r.nev; k++) {
            const struct cv_plan_event *pe = &r.ev[k];
            if (!pe->fixed && pe->placed)
                fprintf(out, " %zu:%lld", pe->event, (long long)dd(&pe->start));
        }
        fprintf(out, "\n");
        cv_plan_result_release(&r);
    }
}

static void dates_write_model(const struct dates_inst *I)
{
    struct sbuf m = {0}, d = {0};
    sb_add(&m,
           "%% %s: the dates of a programme, as convene's planner sees them (src/sched/dates.c).\n"
           "%% Written by tests/bench/sched/bench_sched.c. Days are counted from 1970-01-01.\n"
           "%% The unary hard constraints (window, weekend, blackouts, inside, lead time) are\n"
           "%% applied to each event's set of allowed first days A; the unary soft ones (avoid,\n"
           "%% prefer, delegates, weekday, dates) are summed per first day in U.\n"
           "int: E;                               %% events to plan\n"
           "array[1..E] of int: len;              %% their days\n"
           "array[1..E] of int: lo;               %% first day of each window\n"
           "array[1..E] of set of int: A;         %% allowed first days\n"
           "array[int] of int: U;                 %% unary soft cost of first day lo[e]+k: "
           "U[uoff[e]+k]\n"
           "array[1..E] of int: uoff;\n"
           "int: NP;                              %% pairs of events to plan: gap (hard), "
           "spread (soft)\n"
           "array[1..NP] of 1..E: pa;\n"
           "array[1..NP] of 1..E: pb;\n"
           "array[1..NP] of int: pgap;            %% -1: none\n"
           "array[1..NP] of int: pspread;         %% 0: none\n"
           "array[1..NP] of int: pw;\n"
           "int: NF;                              %% an event to plan against a fixed one\n"
           "array[1..NF] of 1..E: fa;\n"
           "array[1..NF] of int: fs;\n"
           "array[1..NF] of int: fl;\n"
           "array[1..NF] of int: fgap;\n"
           "array[1..NF] of int: fspread;\n"
           "array[1..NF] of int: fw;\n"
           "array[1..E] of var int: s;\n"
           "constraint forall(e in 1..E)(s[e] in A[e]);\n"
           "%% free days between two spans; negative when they overlap\n"
           "function var int: between(var int: sa, int: la, var int: sb, int: lb) =\n"
           "    max(sb - (sa + la - 1) - 1, sa - (sb + lb - 1) - 1);\n"
           "constraint forall(k in 1..NP where pgap[k] >= 0)(between(s[pa[k]], len[pa[k]], "
           "s[pb[k]], len[pb[k]]) >= pgap[k]);\n"
           "constraint forall(k in 1..NF where fgap[k] >= 0)(between(s[fa[k]], len[fa[k]], "
           "fs[k], fl[k]) >= fgap[k]);\n"
           "var int: unary = sum(e in 1..E)(U[uoff[e] + s[e] - lo[e]]);\n"
           "var int: spread = sum(k in 1..NP where pspread[k] > 0)(pw[k] * max(0, pspread[k] - "
           "max(0, between(s[pa[k]], len[pa[k]], s[pb[k]], len[pb[k]]))))\n"
           "    + sum(k in 1..NF where fspread[k] > 0)(fw[k] * max(0, fspread[k] - max(0, "
           "between(s[fa[k]], len[fa[k]], fs[k], fl[k]))));\n"
           "var int: obj = unary + spread;\n",
           I->name);
    /* Gecode's default search: of the annotations tried, it proves the 10-event plan optimal
     * soonest. */
    sb_add(&m, "solve minimize obj;\n");
    sb_add(&m, "output [\"OBJ \\(obj)\\nSOL \", join(\" \", [show(s[e]) | e in 1..E]), "
               "\"\\n\"];\n");

    /* Data: allowed days and unary costs, from the checker's reading of the constraints. */
    size_t E = I->nplanned;
    sb_add(&d, "E = %zu;\nlen = [", E);
    for (size_t k = 0; k < E; k++)
        sb_add(&d, "%s%d", k ? ", " : "", I->events[I->planned[k]].days);
    sb_add(&d, "];\nlo = [");
    for (size_t k = 0; k < E; k++)
        sb_add(&d, "%s%lld", k ? ", " : "", (long long)dd(&I->events[I->planned[k]].window_start));
    sb_add(&d, "];\nA = [");
    struct sbuf u = {0};
    long off = 1;
    long *uoff = xcalloc(E, sizeof(long));
    for (size_t k = 0; k < E; k++) {
        size_t ev = I->planned[k];
        const struct cv_event *e = &I->events[ev];
        int64_t lo = dd(&e->window_start), hi = dd(&e->window_end);
        uoff[k] = off;
        bool first = true, in_run = false;
        int64_t run_from = 0;
        sb_add(&d, "%s", k ? ",\n  " : "");
        for (int64_t s = lo; s <= hi + 1; s++) {
            bool ok = s <= hi;
            long cost = 0;
            for (size_t c = 0; ok && c < I->cons.ncons; c++) {
                const struct cv_constraint *kc = &I->cons.cons[c];
                if (kc->event != ev || kc->kind == CV_CON_GAP || kc->kind == CV_CON_SPREAD)
                    continue;
                if (kc->hard) {
                    for (int64_t x = s; x < s + e->days && ok; x++)
                        ok = !chk_forbidden(kc, x);
                } else {
                    cost += chk_unary(kc, s, e->days);
                }
            }
            if (s <= hi) {
                sb_add(&u, "%s%ld", off > 1 ? ", " : "", ok ? cost : 0);
                off++;
            }
            if (ok && !in_run) {
                in_run = true;
                run_from = s;
            } else if (!ok && in_run) {
                in_run = false;
                sb_add(&d, "%s%lld..%lld", first ? "" : " union ", (long long)run_from,
                       (long long)(s - 1));
                first = false;
            }
        }
        if (first)
            sb_add(&d, "{}");
    }
    sb_add(&d, "];\nU = [%s];\nuoff = [", u.s ? u.s : "");
    for (size_t k = 0; k < E; k++)
        sb_add(&d, "%s%ld", k ? ", " : "", uoff[k]);
    sb_add(&d, "];\n");
    /* Pairs, from the constraint list: gap and spread of the same two events go together. */
    struct sbuf pa = {0}, pb = {0}, pg = {0}, ps = {0}, pw = {0};
    struct sbuf fa = {0}, fs = {0}, fl = {0}, fg = {0}, fsp = {0}, fw = {0};
    size_t np = 0, nf = 0;
    for (size_t c = 0; c < I->cons.ncons; c++) {
        const struct cv_constraint *k = &I->cons.cons[c];
        if (k->kind != CV_CON_GAP && k->kind != CV_CON_SPREAD)
            continue;
        /* One entry per constraint: gap entries carry no spread and the other way round. */
        int gap = k->kind == CV_CON_GAP ? k->days : -1;
        int spread = k->kind == CV_CON_SPREAD ? k->days : 0;
        int w = k->kind == CV_CON_SPREAD ? k->weight : 0;
        size_t a = I->model_of[k->event], b = I->model_of[k->other];
        if (b != SIZE_MAX) {
            sb_add(&pa, "%s%zu", np ? ", " : "", a + 1);
            sb_add(&pb, "%s%zu", np ? ", " : "", b + 1);
            sb_add(&pg, "%s%d", np ? ", " : "", gap);
            sb_add(&ps, "%s%d", np ? ", " : "", spread);
            sb_add(&pw, "%s%d", np ? ", " : "", w);
            np++;
        } else {
            const struct cv_event *eb = &I->events[k->other];
            sb_add(&fa, "%s%zu", nf ? ", " : "", a + 1);
            sb_add(&fs, "%s%lld", nf ? ", " : "", (long long)dd(&eb->start));
            sb_add(&fl, "%s%d", nf ? ", " : "", eb->days);
            sb_add(&fg, "%s%d", nf ? ", " : "", gap);
            sb_add(&fsp, "%s%d", nf ? ", " : "", spread);
            sb_add(&fw, "%s%d", nf ? ", " : "", w);
            nf++;
        }
    }
#define S(b) ((b).s ? (b).s : "")
    sb_add(&d, "NP = %zu;\npa = [%s];\npb = [%s];\npgap = [%s];\npspread = [%s];\npw = [%s];\n", np,
           S(pa), S(pb), S(pg), S(ps), S(pw));
    sb_add(&d,
           "NF = %zu;\nfa = [%s];\nfs = [%s];\nfl = [%s];\nfgap = [%s];\nfspread = [%s];\nfw = "
           "[%s];\n",
           nf, S(fa), S(fs), S(fl), S(fg), S(fsp), S(fw));
#undef S
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.mzn", opt.out, I->name);
    write_file(path, &m);
    snprintf(path, sizeof(path), "%s/%s.dzn", opt.out, I->name);
    write_file(path, &d);
    struct sbuf *all[] = {&m, &d, &u, &pa, &pb, &pg, &ps, &pw, &fa, &fs, &fl, &fg, &fsp, &fw};
    for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
        free(all[k]->s);
    free(uoff);
}

/* Reads "SOL a b c" (model order) or "SOL ev:day ..." (convene) into @start. */
static bool dates_parse_sol(const struct dates_inst *I, const char *sol, bool convene,
                            int64_t *start)
{
    const char *p = sol + 3;
    size_t got = 0;
    for (size_t k = 0; k < I->nplanned; k++)
        start[k] = INT64_MIN;
    while (*p) {
        char *end;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (convene) {
            unsigned long ev = strtoul(p, &end, 10);
            if (*end != ':' || ev >= I->nevents || I->model_of[ev] == SIZE_MAX)
                return false;
            p = end + 1;
            start[I->model_of[ev]] = strtoll(p, &end, 10);
        } else {
            if (got >= I->nplanned)
                return false;
            start[got] = strtoll(p, &end, 10);
        }
        if (end == p)
            return false;
        p = end;
        got++;
    }
    for (size_t k = 0; k < I->nplanned; k++) {
        if (start[k] == INT64_MIN)
            return false;
    }
    return true;
}

/* Gecode's best plan in words, to set beside `convene plan`: out/NAME.gecode-plan.txt. */
static void dates_write_plan(const struct dates_inst *I, const int64_t *start, long cost, int bad)
{
    struct sbuf b = {0};
    char path[4096];
    sb_add(&b, "Gecode's best plan for %s: cost %ld, %d hard violations (the harness's check)\n",
           I->name, cost, bad);
    for (size_t k = 0; k < I->nplanned; k++) {
        const struct cv_event *e = &I->events[I->planned[k]];
        struct cv_date a = cv_date_from_days(start[k]),
                       z = cv_date_from_days(start[k] + e->days - 1);
        char x[CV_DATE_SIZE], y[CV_DATE_SIZE];
        cv_date_format(&a, x);
        cv_date_format(&z, y);
        sb_add(&b, "%-32s %s..%s\n", e->key, x, y);
    }
    snprintf(path, sizeof(path), "%s/%s.gecode-plan.txt", opt.out, I->name);
    write_file(path, &b);
    free(b.s);
}

static void dates_bench(struct dates_inst *I, double glimit)
{
    if (!selected(I->name))
        return;
    if (profile(I->name, dates_child, I))
        return;
    printf("%s: %s\n", I->name, I->size);
    dates_prepare(I);
    struct row *r = new_row("dates", I->size);
    snprintf(r->problem, sizeof(r->problem), "%s", I->name);
    struct conv_lines cl = {0};
    struct run_status rs =
        run_lines(NULL, dates_child, I, NULL, opt.convene_timeout, conv_line, &cl);
    r->c_ran = true;
    r->c_timed_out = rs.timed_out;
    int64_t *start = xcalloc(I->nplanned, sizeof(int64_t));
    struct sbuf fix = {0};
    if (cl.ntimes && cl.have_obj) {
        /* With 4 runs or more, the first is a warm-up. */
        r->c_runs = cl.ntimes >= 4 ? cl.ntimes - 1 : cl.ntimes;
        r->c_time = median(cl.ntimes >= 4 ? cl.times + 1 : cl.times, r->c_runs);
        r->c_obj = cl.obj;
        r->c_feasible = cl.feasible;
        snprintf(r->c_opt, sizeof(r->c_opt), "%s", cl.optimal ? "yes (search complete)" : "no");
        note(r->c_note, sizeof(r->c_note), "%ld search nodes", cl.nodes);
        long cost = 0;
        char why[300] = "";
        if (cl.feasible && cl.sol && dates_parse_sol(I, cl.sol, true, start)) {
            sb_add(&fix, "constraint s = [");
            for (size_t k = 0; k < I->nplanned; k++)
                sb_add(&fix, "%s%lld", k ? ", " : "", (long long)start[k]);
            sb_add(&fix, "];");
            int bad = dates_check(I, start, &cost, why, sizeof(why));
            r->c_check_ok = bad == 0 && cost == cl.obj;
            if (!r->c_check_ok)
                note(r->c_note, sizeof(r->c_note),
                     "CHECK FAILED: %d hard violations (%s), objective recomputed %ld", bad, why,
                     cost);
        } else if (cl.feasible) {
            note(r->c_note, sizeof(r->c_note), "CHECK FAILED: no readable plan");
        } else {
            note(r->c_note, sizeof(r->c_note),
                 "no plan: convene reports the input infeasible, with %ld constraints in "
                 "conflict, its search %s",
                 cl.nconflict, cl.optimal ? "complete" : "stopped by the node budget");
        }
    } else {
        note(r->c_note, sizeof(r->c_note), "%s",
             rs.timed_out ? "did not answer within the limit" : cl.extra);
    }
    printf("  convene: %.6f s (median of %d), objective %ld, %s, check %s\n", r->c_time, r->c_runs,
           r->c_obj, cl.optimal ? "proven optimal" : "not proven optimal",
           r->c_check_ok ? "ok" : "FAILED");
    free(cl.sol);
    dates_write_model(I);
    if (fix.s && !opt.no_gecode)
        model_accepts(I->name, fix.s, r->c_obj, r);
    free(fix.s);
    if (!opt.no_gecode) {
        struct mzn_lines m;
        run_gecode(I->name, glimit, r, &m);
        const char *sols[2] = {m.first_sol, m.best_sol};
        r->g_check_ok = m.nsols > 0;
        for (int k = 0; k < 2 && m.nsols; k++) {
            long cost = 0;
            char why[300] = "";
            long want = k ? r->g_best_obj : r->g_first_obj;
            if (!sols[k] || !dates_parse_sol(I, sols[k], false, start)) {
                r->g_check_ok = false;
                note(r->g_note, sizeof(r->g_note), "CHECK FAILED: unreadable solution");
                continue;
            }
            int bad = dates_check(I, start, &cost, why, sizeof(why));
            if (bad || cost != want) {
                r->g_check_ok = false;
                note(r->g_note, sizeof(r->g_note),
                     "CHECK FAILED (%s solution): %d hard violations (%s), objective recomputed "
                     "%ld, model said %ld",
                     k ? "best" : "first", bad, why, cost, want);
            }
            if (k == 1)
                dates_write_plan(I, start, cost, bad);
        }
        mzn_release(&m);
    }
    free(start);
}

/* The plan input of a programme read from the store, as cmd_plan.c builds it. */
static void dates_input(struct dates_inst *I, const struct shipped *sh)
{
    I->events = sh->events.v;
    I->nevents = sh->events.n;
    cv_plan_input_init(&I->in);
    I->in.events = sh->events.v;
    I->in.nevents = sh->events.n;
    I->in.refcals = sh->cals.v;
    I->in.nrefcals = sh->cals.n;
    I->in.countries = sh->countries.v;
    I->in.ncountries = sh->countries.n;
    I->in.people = sh->people.v;
    I->in.npeople = sh->people.n;
    I->in.planning_date = sh->prog.planning_date;
}

/*
 * A programme of @n generated events added to the shipped one (its calendars, people, the two
 * events it leaves open and the three held), with more delegates from the countries whose
 * holidays the calendars carry. Written to the database @db, then read back as `convene --db
 * @db plan` reads it, into @out.
 */
static void gen_programme(const char *db, int n, struct shipped *out)
{
    static const char *const hosts_with_holidays[] = {"BR", "JO", "KE", "PH", "US"};
    struct cv_ctx *ctx = NULL;
    struct cv_store *st = programme_db(db, &ctx);
    struct shipped base;
    struct cv_error err;
    cv_error_init(&err);
    read_programme(st, &base);
    rng = 0xC0FFEE00ULL + (uint64_t)n;
    if (cv_store_begin(st, &err) < 0)
        die("%s: %s", db, err.msg);
    for (size_t h = 0; h < 5; h++) {
        int extra = rnd_int(3, 12);
        for (int k = 0; k < extra; k++) {
            struct cv_person p;
            char email[96], name[96];
            enum cv_upsert how;
            cv_person_init(&p);
            snprintf(email, sizeof(email), "gen-%s-%02d@example.org", hosts_with_holidays[h], k);
            for (char *c = email; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
            snprintf(name, sizeof(name), "Generated delegate %s %d", hosts_with_holidays[h], k);
            set_str(&p.email, email);
            set_str(&p.name, name);
            set_str(&p.lang, "en");
            set_str(&p.country, hosts_with_holidays[h]);
            p.role = CV_ROLE_DELEGATE;
            if (cv_store_person_put(st, &p, &how, &err) < 0)
                die("%s: %s", db, err.msg);
            cv_person_release(&p);
        }
    }
    /* Days the generated events keep clear of: the held events, and windows of a month or less
     * (the leaders' event inside UNGA week). */
    int64_t busy_from[16], busy_to[16];
    int nbusy = 0;
    for (size_t i = 0; i < base.events.n && nbusy < 16; i++) {
        const struct cv_event *e = &base.events.v[i];
        if (is_fixed(e)) {
            busy_from[nbusy] = dd(&e->start);
            busy_to[nbusy++] = dd(&e->start) + e->days - 1;
        } else if (cv_date_is_set(&e->window_start) &&
                   dd(&e->window_end) - dd(&e->window_start) <= 30) {
            busy_from[nbusy] = dd(&e->window_start);
            busy_to[nbusy++] = dd(&e->window_end);
        }
    }
    /* Ideal dates spread evenly over 2024-2025, away from those; windows around them. */
    struct cv_date first = {2024, 1, 15}, last = {2025, 11, 30};
    int64_t lo = dd(&first), hi = dd(&last);
    double step = (double)(hi - lo) / (n + nbusy);
    int64_t cursor = lo;
    for (int k = 0; k < n; k++) {
        int days = rnd_int(1, 4);
        for (int f = 0; f < nbusy; f++) {
            if (cursor + days - 1 + 16 >= busy_from[f] && cursor <= busy_to[f] + 16)
                cursor = busy_to[f] + 17;
        }
        const struct cv_country *host = NULL;
        char iso[3];
        if (rnd() % 2)
            snprintf(iso, sizeof(iso), "%s", hosts_with_holidays[rnd() % 5]);
        else
            snprintf(iso, sizeof(iso), "%s", base.countries.v[rnd() % base.countries.n].iso2);
        for (size_t c = 0; c < base.countries.n; c++) {
            if (strcmp(base.countries.v[c].iso2, iso) == 0)
                host = &base.countries.v[c];
        }
        if (!host || !host->tzid)
            host = &base.countries.v[0];
        struct cv_event e;
        char key[64], title[96], uid[CV_UUID_SIZE];
        cv_event_init(&e);
        snprintf(key, sizeof(key), "gen-event-%02d", k);
        snprintf(title, sizeof(title), "Generated event %d", k);
        if (cv_ctx_new_uid(ctx, uid) < 0)
            die("uid");
        set_str(&e.key, key);
        set_str(&e.uid, uid);
        set_str(&e.title, title);
        set_str(&e.country, host->iso2);
        set_str(&e.city, host->capital ? host->capital : "City");
        set_str(&e.tzid, host->tzid);
        int kind = rnd_int(0, 9);
        e.kind = kind < 6   ? CV_KIND_REGIONAL_MEETING
                 : kind < 8 ? CV_KIND_SIDE_EVENT
                            : CV_KIND_SUMMIT;
        if (host->region && e.kind == CV_KIND_REGIONAL_MEETING)
            set_str(&e.region, host->region);
        e.status = CV_EVENT_PROPOSED;
        e.days = days;
        int64_t ws = cursor - rnd_int(5, 60), we = cursor + days - 1 + rnd_int(5, 60);
        e.window_start = cv_date_from_days(ws);
        e.window_end = cv_date_from_days(we);
        int p = rnd_int(0, 9);
        if (p < 2)
            set_str(&e.blackouts, "ramadan-eid");
        if (p == 3)
            e.prefer_weekdays = CV_WEEKDAY_BIT(1) | CV_WEEKDAY_BIT(2);
        if (p >= 7) {
            int64_t pf = cursor + rnd_int(-10, 10);
            e.prefer_first = cv_date_from_days(pf);
            e.prefer_last = cv_date_from_days(pf + rnd_int(0, 6));
        }
        if (cv_store_event_insert(st, &e, &err) < 0)
            die("%s: %s: %s", db, key, err.msg);
        cv_event_release(&e);
        cursor += (int64_t)step;
    }
    if (cv_store_commit(st, &err) < 0)
        die("%s: %s", db, err.msg);
    read_programme(st, out);
    cv_store_free(st);
    cv_ctx_free(ctx);
}

static void dates_all(double glimit_small, double glimit_gen)
{
    struct shipped sh, sh_all;
    char db[4096];

    /* 1. convene plan: the shipped programme as it is (two open events, three held). */
    snprintf(db, sizeof(db), "%s/dates-shipped.db", opt.out);
    load_shipped(&sh, db);
    load_shipped(&sh_all, db);
    struct dates_inst a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "dates-shipped");
    dates_input(&a, &sh);
    size_t open = 0;
    for (size_t i = 0; i < sh.events.n; i++)
        open += is_planned(&sh.events.v[i]);
    snprintf(a.size, sizeof(a.size), "shipped programme: %zu to plan, %zu held; %zu people", open,
             sh.events.n - open, sh.people.n);
    dates_bench(&a, glimit_small);

    /* 2. convene plan --all: every event back in its window. */
    struct dates_inst b;
    memset(&b, 0, sizeof(b));
    snprintf(b.name, sizeof(b.name), "dates-shipped-all");
    for (size_t i = 0; i < sh_all.events.n; i++) {
        struct cv_event *e = &sh_all.events.v[i];
        if (e->status != CV_EVENT_CANCELLED && cv_date_is_set(&e->window_start)) {
            memset(&e->start, 0, sizeof(e->start));
            memset(&e->end, 0, sizeof(e->end));
            e->status = CV_EVENT_PROPOSED;
        }
    }
    dates_input(&b, &sh_all);
    snprintf(b.size, sizeof(b.size), "shipped, plan --all: %zu to plan; %zu people",
             sh_all.events.n, sh_all.people.n);
    dates_bench(&b, glimit_small);

    /* 3. Generated programmes: 10 and 30 more events. */
    int sizes[] = {10, 30};
    for (size_t k = 0; k < 2; k++) {
        struct dates_inst g;
        struct shipped gs;
        memset(&g, 0, sizeof(g));
        snprintf(g.name, sizeof(g.name), "dates-gen-%d", sizes[k]);
        if (!selected(g.name))
            continue;
        snprintf(db, sizeof(db), "%s/%s.db", opt.out, g.name);
        gen_programme(db, sizes[k], &gs);
        dates_input(&g, &gs);
        size_t planned = 0;
        for (size_t i = 0; i < gs.events.n; i++)
            planned += is_planned(&gs.events.v[i]);
        snprintf(g.size, sizeof(g.size),
                 "shipped + %d generated: %zu to plan, %zu held; %zu people", sizes[k], planned,
                 gs.events.n - planned, gs.people.n);
        dates_bench(&g, glimit_gen);
    }
}

/* ============================================================================================== */
/* ---- timetables -------------------------------------------------------------------------------
 */
/* ============================================================================================== */

#define TT_MAXSPK 4

struct tt_inst {
    char name[48];
    char size[96];
    int n, R, P, D;
    struct cv_event ev;
    struct cv_tz *tz;
    struct cv_session *sessions;
    struct cv_room *rooms;
    const char *required[2];
    struct cv_tt_input in;
    /* what the checker and the model need */
    int *dur, *cap, *track, *rcap;
    int (*who)[TT_MAXSPK + 2]; /* person ids: speakers, and the co-chairs at plenaries */
    int *nwho;
    int opens, closes, step, largest;
    int nbreaks, bfrom[4], bto[4];
};

static bool tt_fits(const struct tt_inst *I, int a, int len)
{
    if (a < I->opens || a + len > I->closes || (a - I->opens) % I->step != 0)
        return false;
    for (int k = 0; k < I->nbreaks; k++) {
        if (a < I->bto[k] && a + len > I->bfrom[k])
            return false;
    }
    return true;
}

static bool tt_share(const struct tt_inst *I, int a, int b)
{
    for (int i = 0; i < I->nwho[a]; i++) {
        for (int k = 0; k < I->nwho[b]; k++) {
            if (I->who[a][i] == I->who[b][k])
                return true;
        }
    }
    return false;
}

/* The checker: hard rules, and the soft score recomputed. @return the hard violations. */
static int tt_check(const struct tt_inst *I, const int *day, const int *start, const int *room,
                    long *cost, char *why, size_t whysize)
{
    int bad = 0;
    long parallel = 0, spread = 0, plenary = 0;
    for (int s = 0; s < I->n; s++) {
        if (day[s] < 0 || day[s] >= I->D || room[s] < 0 || room[s] >= I->R ||
            !tt_fits(I, start[s], I->dur[s]) || I->rcap[room[s]] < I->cap[s]) {
            bad++;
            if (why && !why[0])
                snprintf(why, whysize, "session %d: day %d, %d min, room %d", s, day[s], start[s],
                         room[s]);
        }
    }
    for (int s = 0; s < I->n; s++) {
        if (I->track[s] == CV_TRACK_PLENARY && room[s] != I->largest)
            plenary += 10;
        for (int o = s + 1; o < I->n; o++) {
            bool ov = day[s] == day[o] && start[s] < start[o] + I->dur[o] &&
                      start[o] < start[s] + I->dur[s];
            if (!ov)
                continue;
            if (room[s] == room[o] || tt_share(I, s, o)) {
                bad++;
                if (why && !why[0])
                    snprintf(why, whysize, "sessions %d and %d at once in %s", s, o,
                             room[s] == room[o] ? "one room" : "one person's diary");
            }
            if (I->track[s] == I->track[o] && I->track[s] != CV_TRACK_PLENARY)
                parallel += 20;
        }
    }
    for (int tr = 0; tr < 5; tr++) {
        int ntr = 0;
        for (int s = 0; s < I->n; s++)
            ntr += I->track[s] == tr;
        int share = (ntr + I->D - 1) / I->D;
        for (int d = 0; d < I->D; d++) {
            int k = 0;
            for (int s = 0; s < I->n; s++)
                k += I->track[s] == tr && day[s] == d;
            if (k > share)
                spread += 5L * (k - share);
        }
    }
    *cost = parallel + spread + plenary;
    return bad;
}

static void tt_generate(struct tt_inst *I, int n, int R, int P, int D)
{
    memset(I, 0, sizeof(*I));
    I->n = n;
    I->R = R;
    I->P = P;
    I->D = D;
    snprintf(I->name, sizeof(I->name), "timetable-%d", n);
    snprintf(I->size, sizeof(I->size), "%d sessions, %d rooms, %d speakers, %d days (%s)", n, R, P,
             D, n >= 1000 ? "08:00-19:00" : "09:00-18:00");
    rng = 0x7177ULL * (uint64_t)n + 17;
    struct cv_error err;
    cv_error_init(&err);
    if (cv_tz_load("Africa/Nairobi", &I->tz, &err) < 0)
        die("Africa/Nairobi: %s", err.msg);
    cv_event_init(&I->ev);
    set_str(&I->ev.key, "bench-timetable");
    set_str(&I->ev.title, "Benchmark meeting");
    set_str(&I->ev.tzid, "Africa/Nairobi");
    set_str(&I->ev.country, "KE");
    I->ev.status = CV_EVENT_CONFIRMED;
    I->ev.days = D;
    I->ev.start = (struct cv_date){2024, 6, 3};
    I->ev.end = cv_date_add_days(&I->ev.start, D - 1);
    /* The largest event keeps its venue open longer: 08:00-19:00, else 09:00-18:00. */
    int opens = n >= 1000 ? 8 * 60 : 9 * 60, closes = n >= 1000 ? 19 * 60 : 18 * 60;
    I->ev.opens_min = opens;
    I->ev.closes_min = closes;
    set_str(&I->ev.breaks, "12:30-13:30,15:30-15:45");
    I->opens = opens;
    I->closes = closes;
    I->nbreaks = 2;
    I->bfrom[0] = 12 * 60 + 30;
    I->bto[0] = 13 * 60 + 30;
    I->bfrom[1] = 15 * 60 + 30;
    I->bto[1] = 15 * 60 + 45;
    I->step = 15;

    /* Rooms: a plenary hall, a few large rooms, many small ones. */
    I->rooms = xcalloc((size_t)R, sizeof(struct cv_room));
    I->rcap = xcalloc((size_t)R, sizeof(int));
    for (int r = 0; r < R; r++) {
        char name[32];
        cv_room_init(&I->rooms[r]);
        snprintf(name, sizeof(name), r == 0 ? "Plenary hall" : "Room %02d", r);
        set_str(&I->rooms[r].name, name);
        set_str(&I->rooms[r].event_key, "bench-timetable");
        I->rcap[r] = r == 0 ? 800 : r <= R / 5 ? rnd_int(250, 500) : rnd_int(40, 200);
        I->rooms[r].capacity = I->rcap[r];
    }
    I->largest = 0;
    /* Sessions: a few plenaries, the rest over 4 tracks. */
    I->sessions = xcalloc((size_t)n, sizeof(struct cv_session));
    I->dur = xcalloc((size_t)n, sizeof(int));
    I->cap = xcalloc((size_t)n, sizeof(int));
    I->track = xcalloc((size_t)n, sizeof(int));
    I->who = xcalloc((size_t)n, sizeof(*I->who));
    I->nwho = xcalloc((size_t)n, sizeof(int));
    /* Plenaries: one or two a day (the co-chairs attend every one). */
    int nplen = D + 1 + (n >= 200 ? D : 0);
    int *load = xcalloc((size_t)P + 2, sizeof(int)); /* sessions per speaker: at most 6 */
    static const int mins[] = {30, 45, 60, 60, 90};
    for (int s = 0; s < n; s++) {
        struct cv_session *se = &I->sessions[s];
        char key[32], title[64];
        cv_session_init(se);
        snprintf(key, sizeof(key), "s-%04d", s);
        snprintf(title, sizeof(title), "Session %d", s);
        set_str(&se->key, key);
        set_str(&se->title, title);
        set_str(&se->event_key, "bench-timetable");
        bool plen = s < nplen;
        I->track[s] = plen ? CV_TRACK_PLENARY : rnd_int(1, 4);
        I->dur[s] = plen ? (rnd() % 2 ? 60 : 90) : mins[rnd() % 5];
        I->cap[s] = plen ? rnd_int(200, 600) : rnd_int(20, 180);
        se->track = (enum cv_track)I->track[s];
        se->minutes = I->dur[s];
        se->min_capacity = I->cap[s];
        /* 1-3 speakers, drawn with a skew: a few people speak often. */
        int k = plen ? rnd_int(1, 2) : rnd_int(1, 3);
        char spk[TT_MAXSPK * 24] = "";
        for (int j = 0; j < k; j++) {
            double u = (double)(rnd() >> 11) / 9007199254740992.0;
            int id = (int)((double)P * u * u); /* quadratic skew toward low ids */
            if (id >= P)
                id = P - 1;
            while (load[id] >= 6)
                id = (int)(rnd() % (uint64_t)P);
            load[id]++;
            bool dup = false;
            for (int x = 0; x < I->nwho[s]; x++)
                dup |= I->who[s][x] == id;
            if (dup)
                continue;
            I->who[s][I->nwho[s]++] = id;
            size_t len = strlen(spk);
            snprintf(spk + len, sizeof(spk) - len, "%sSpeaker %04d", len ? ";" : "", id);
        }
        /* The co-chairs speak in a couple of track sessions too. */
        if (!plen && s % (n / 3) == 1) {
            I->who[s][I->nwho[s]++] = P;
            size_t len = strlen(spk);
            snprintf(spk + len, sizeof(spk) - len, ";Co-chair Kenya");
        }
        set_str(&se->speakers, spk);
        if (plen) {
            /* The engine adds the required people to plenaries; so does the checker. */
            for (int c = 0; c < 2; c++) {
                bool dup = false;
                for (int x = 0; x < I->nwho[s]; x++)
                    dup |= I->who[s][x] == P + c;
                if (!dup)
                    I->who[s][I->nwho[s]++] = P + c;
            }
        }
    }
    free(load);
    I->required[0] = "Co-chair Kenya";
    I->required[1] = "Co-chair Civil Society";
    cv_tt_input_init(&I->in);
    I->in.event = &I->ev;
    I->in.tz = I->tz;
    I->in.sessions = I->sessions;
    I->in.nsessions = (size_t)n;
    I->in.rooms = I->rooms;
    I->in.nrooms = (size_t)R;
    I->in.required = I->required;
    I->in.nrequired = 2;
}

static void tt_child(void *arg, FILE *out)
{
    struct tt_inst *I = arg;
    struct cv_tt_result r;
    struct cv_error err;
    int runs = 1;
    for (int run = 0; run < runs; run++) {
        cv_tt_result_init(&r);
        cv_error_init(&err);
        double t0 = now();
        int rc = cv_timetable(&I->in, &r, &err);
        double t = now() - t0;
        if (rc < 0) {
            fprintf(out, "EXTRA engine error: %s\n", err.msg);
            return;
        }
        fprintf(out, "TIME %.9f\n", t);
        fflush(out);
        if (run == 0)
            runs = runs_for(t);
        if (run + 1 < runs) {
            cv_tt_result_release(&r);
            continue;
        }
        fprintf(out, "OBJ %ld\nFEAS %d\nOPT %d\nHV %d\nEXTRA %s\n", r.score, r.feasible, r.optimal,
                r.hard_violations, r.costs);
        fprintf(out, "SOL");
        for (size_t s = 0; s < r.n; s++)
            fprintf(out, " %d:%d:%d:%zu", r.v[s].placed, r.v[s].day, r.v[s].start_min, r.v[s].room);
        fprintf(out, "\n");
        cv_tt_result_release(&r);
    }
}

static bool tt_parse_sol(const struct tt_inst *I, const char *sol, bool convene, int *day,
                         int *start, int *room)
{
    const char *p = sol + 3;
    for (int s = 0; s < I->n; s++) {
        char *end;
        if (convene) {
            int placed = (int)strtol(p, &end, 10);
            if (end == p || *end != ':')
                return false;
            day[s] = (int)strtol(end + 1, &end, 10);
            if (*end != ':')
                return false;
            start[s] = (int)strtol(end + 1, &end, 10);
            if (*end != ':')
                return false;
            room[s] = (int)strtol(end + 1, &end, 10);
            if (!placed)
                day[s] = -1;
        } else {
            long t = strtol(p, &end, 10);
            if (end == p)
                return false;
            p = end;
            long rm = strtol(p, &end, 10);
            if (end == p)
                return false;
            day[s] = (int)(t / 1440);
            start[s] = (int)(t % 1440);
            room[s] = (int)rm - 1;
        }
        p = end;
    }
    return true;
}

static void tt_write_model(const struct tt_inst *I)
{
    struct sbuf m = {0}, d = {0};
    sb_add(&m,
           "%% %s: an event's timetable, as convene's engine sees it (src/sched/timetable.c).\n"
           "%% Written by tests/bench/sched/bench_sched.c. A session's time t is day*1440 +\n"
           "%% minutes after local midnight; starts on the step grid from opens, inside the\n"
           "%% venue's hours and clear of every break.\n"
           "include \"diffn.mzn\";\ninclude \"disjunctive_strict.mzn\";\n"
           "int: N; int: R; int: D;\n"
           "int: opens; int: closes; int: step;\n"
           "int: NB; array[1..NB] of int: bfrom; array[1..NB] of int: bto;\n"
           "array[1..N] of int: dur;\n"
           "array[1..N] of int: cap;\n"
           "array[1..N] of 0..4: track;           %% 0: plenary\n"
           "array[1..R] of int: rcap;\n"
           "int: bigroom;                         %% the largest room (first of the largest)\n"
           "int: NP;                              %% people in two sessions or more\n"
           "array[1..NP] of set of 1..N: PS;      %% speakers; the co-chairs at every plenary\n"
           "function set of int: starts(int: len) =\n"
           "    { d * 1440 + a | d in 0..D-1, a in opens..closes-len where (a - opens) mod step "
           "= 0 /\\\n"
           "      forall(k in 1..NB)(a >= bto[k] \\/ a + len <= bfrom[k]) };\n"
           "array[1..N] of var 0..D*1440: t;\n"
           "array[1..N] of var 0..D-1: day;\n"
           "array[1..N] of var 1..R: room;\n"
           "constraint forall(s in 1..N)(t[s] in starts(dur[s]));\n"
           "constraint forall(s in 1..N)(room[s] in { r | r in 1..R where rcap[r] >= cap[s] });\n"
           "constraint forall(s in 1..N)(t[s] >= day[s] * 1440 /\\ t[s] < day[s] * 1440 + "
           "1440);\n"
           "%% no room holds two sessions at once\n"
           "constraint diffn(t, room, dur, [1 | s in 1..N]);\n"
           "%% no person in two places\n"
           "constraint forall(p in 1..NP)(disjunctive_strict([t[s] | s in PS[p]], [dur[s] | s in "
           "PS[p]]));\n"
           "var int: parallel = 20 * sum(i in 1..N, j in i+1..N where track[i] = track[j] /\\ "
           "track[i] != 0)\n"
           "    (bool2int(t[i] < t[j] + dur[j] /\\ t[j] < t[i] + dur[i]));\n"
           "array[0..4] of int: ntrack = array1d(0..4, [ sum(s in 1..N)(bool2int(track[s] = tr)) | "
           "tr in 0..4 "
           "]);\n"
           "var int: spread = 5 * sum(tr in 0..4 where ntrack[tr] > 0, d in 0..D-1)\n"
           "    (max(0, sum(s in 1..N where track[s] = tr)(bool2int(day[s] = d)) - (ntrack[tr] + "
           "D - 1) div D));\n"
           "var int: plenary = 10 * sum(s in 1..N where track[s] = 0)(bool2int(room[s] != "
           "bigroom));\n"
           "var int: obj = parallel + spread + plenary;\n",
           I->name);
    /* Gecode's default search finds no timetable at all, even of 50 sessions, in minutes; one
     * session at a time, its time then its room, smallest first (plenaries first: they come
     * first in the input), finds one at once. The bench uses it unless --search default. */
    if (strcmp(opt.search, "default") == 0)
        sb_add(&m, "solve minimize obj;\n");
    else
        sb_add(&m, "solve :: int_search([if k mod 2 = 0 then t[k div 2 + 1] else room[k div 2 + "
                   "1] endif | k in 0..2*N-1], input_order, indomain_min) minimize obj;\n");
    sb_add(&m, "output [\"OBJ \\(obj)\\nSOL \", join(\" \", [show(t[s]) ++ \" \" ++ show(room[s]) "
               "| s in 1..N]), \"\\n\"];\n");

    sb_add(&d, "N = %d;\nR = %d;\nD = %d;\nopens = %d;\ncloses = %d;\nstep = %d;\nNB = %d;\n", I->n,
           I->R, I->D, I->opens, I->closes, I->step, I->nbreaks);
    sb_add(&d, "bfrom = [");
    for (int k = 0; k < I->nbreaks; k++)
        sb_add(&d, "%s%d", k ? ", " : "", I->bfrom[k]);
    sb_add(&d, "];\nbto = [");
    for (int k = 0; k < I->nbreaks; k++)
        sb_add(&d, "%s%d", k ? ", " : "", I->bto[k]);
    sb_add(&d, "];\ndur = [");
    for (int s = 0; s < I->n; s++)
        sb_add(&d, "%s%d", s ? ", " : "", I->dur[s]);
    sb_add(&d, "];\ncap = [");
    for (int s = 0; s < I->n; s++)
        sb_add(&d, "%s%d", s ? ", " : "", I->cap[s]);
    sb_add(&d, "];\ntrack = [");
    for (int s = 0; s < I->n; s++)
        sb_add(&d, "%s%d", s ? ", " : "", I->track[s]);
    sb_add(&d, "];\nrcap = [");
    for (int r = 0; r < I->R; r++)
        sb_add(&d, "%s%d", r ? ", " : "", I->rcap[r]);
    sb_add(&d, "];\nbigroom = %d;\n", I->largest + 1);
    /* People in two sessions or more. */
    int np = 0;
    struct sbuf ps = {0};
    for (int p = 0; p < I->P + 2; p++) {
        int cnt = 0;
        for (int s = 0; s < I->n; s++) {
            for (int k = 0; k < I->nwho[s]; k++)
                cnt += I->who[s][k] == p;
        }
        if (cnt < 2)
            continue;
        sb_add(&ps, "%s{", np ? ", " : "");
        bool first = true;
        for (int s = 0; s < I->n; s++) {
            for (int k = 0; k < I->nwho[s]; k++) {
                if (I->who[s][k] == p) {
                    sb_add(&ps, "%s%d", first ? "" : ",", s + 1);
                    first = false;
                }
            }
        }
        sb_add(&ps, "}");
        np++;
    }
    sb_add(&d, "NP = %d;\nPS = [%s];\n", np, ps.s ? ps.s : "");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.mzn", opt.out, I->name);
    write_file(path, &m);
    snprintf(path, sizeof(path), "%s/%s.dzn", opt.out, I->name);
    write_file(path, &d);
    free(m.s);
    free(d.s);
    free(ps.s);
}

static void tt_bench(int n, int R, int P, int D, double glimit)
{
    char name[48];
    snprintf(name, sizeof(name), "timetable-%d", n);
    if (!selected(name))
        return;
    struct tt_inst I;
    tt_generate(&I, n, R, P, D);
    if (profile(I.name, tt_child, &I))
        return;
    printf("%s: %s\n", I.name, I.size);
    struct row *r = new_row(I.name, I.size);
    struct conv_lines cl = {0};
    struct run_status rs = run_lines(NULL, tt_child, &I, NULL, opt.convene_timeout, conv_line, &cl);
    r->c_ran = true;
    r->c_timed_out = rs.timed_out;
    int *day = xcalloc((size_t)n, sizeof(int)), *start = xcalloc((size_t)n, sizeof(int)),
        *room = xcalloc((size_t)n, sizeof(int));
    struct sbuf fix = {0};
    if (cl.ntimes && cl.have_obj) {
        /* With 4 runs or more, the first is a warm-up. */
        r->c_runs = cl.ntimes >= 4 ? cl.ntimes - 1 : cl.ntimes;
        r->c_time = median(cl.ntimes >= 4 ? cl.times + 1 : cl.times, r->c_runs);
        r->c_obj = cl.obj;
        r->c_feasible = cl.feasible;
        snprintf(r->c_opt, sizeof(r->c_opt), "%s", cl.optimal ? "yes (cost 0)" : "not proven");
        if (!cl.feasible)
            note(r->c_note, sizeof(r->c_note), "convene left sessions unplaced");
        long cost = 0;
        char why[300] = "";
        if (cl.sol && tt_parse_sol(&I, cl.sol, true, day, start, room)) {
            if (cl.feasible) {
                sb_add(&fix, "constraint t = [");
                for (int s = 0; s < n; s++)
                    sb_add(&fix, "%s%d", s ? ", " : "", day[s] * 1440 + start[s]);
                sb_add(&fix, "];\nconstraint room = [");
                for (int s = 0; s < n; s++)
                    sb_add(&fix, "%s%d", s ? ", " : "", room[s] + 1);
                sb_add(&fix, "];");
            }
            int bad = tt_check(&I, day, start, room, &cost, why, sizeof(why));
            r->c_check_ok = bad == 0 && cost == cl.obj;
            if (!r->c_check_ok)
                note(r->c_note, sizeof(r->c_note),
                     "CHECK FAILED: %d hard violations (%s), objective recomputed %ld", bad, why,
                     cost);
        } else {
            note(r->c_note, sizeof(r->c_note), "CHECK FAILED: no readable timetable");
        }
        note(r->c_note, sizeof(r->c_note), "%s", cl.extra);
    } else {
        note(r->c_note, sizeof(r->c_note), "%s",
             rs.timed_out ? "no answer within the limit" : cl.extra);
        snprintf(r->c_opt, sizeof(r->c_opt), "-");
        if (rs.timed_out)
            r->c_time = rs.elapsed;
    }
    printf("  convene: %.6f s (median of %d), objective %ld, %s, check %s%s\n", r->c_time,
           r->c_runs, r->c_obj, cl.feasible ? "feasible" : "INFEASIBLE",
           r->c_check_ok ? "ok" : "FAILED", rs.timed_out ? " (TIMED OUT)" : "");
    free(cl.sol);
    tt_write_model(&I);
    if (fix.s && !opt.no_gecode)
        model_accepts(I.name, fix.s, r->c_obj, r);
    free(fix.s);
    if (!opt.no_gecode) {
        struct mzn_lines m;
        run_gecode(I.name, glimit, r, &m);
        const char *sols[2] = {m.first_sol, m.best_sol};
        r->g_check_ok = m.nsols > 0;
        for (int k = 0; k < 2 && m.nsols; k++) {
            long cost = 0;
            char why[300] = "";
            long want = k ? r->g_best_obj : r->g_first_obj;
            if (!sols[k] || !tt_parse_sol(&I, sols[k], false, day, start, room)) {
                r->g_check_ok = false;
                note(r->g_note, sizeof(r->g_note), "CHECK FAILED: unreadable solution");
                continue;
            }
            int bad = tt_check(&I, day, start, room, &cost, why, sizeof(why));
            if (bad || cost != want) {
                r->g_check_ok = false;
                note(r->g_note, sizeof(r->g_note),
                     "CHECK FAILED (%s solution): %d hard violations (%s), objective recomputed "
                     "%ld, model said %ld",
                     k ? "best" : "first", bad, why, cost, want);
            }
        }
        mzn_release(&m);
    }
    free(day);
    free(start);
    free(room);
}

/* ============================================================================================== */
/* ---- call slots -------------------------------------------------------------------------------
 */
/* ============================================================================================== */

static const struct {
    const char *tzid;
    unsigned rest;
} zones[] = {
    {"America/New_York", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
    {"America/Sao_Paulo", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
    {"Europe/London", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
    {"Africa/Nairobi", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
    {"Asia/Amman", CV_WEEKDAY_BIT(5) | CV_WEEKDAY_BIT(6)},
    {"Asia/Kolkata", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
    {"Asia/Manila", CV_WEEKDAY_BIT(6) | CV_WEEKDAY_BIT(7)},
};
#define NZONES ((int)(sizeof(zones) / sizeof(zones[0])))

struct slot_inst {
    char name[48];
    char size[96];
    int n;
    struct cv_tz *tz[NZONES];
    struct cv_slot_person *people;
    struct cv_interval **busy;
    int *zone;
    char **email;
    struct cv_slot_input in;
    int64_t t0;
    size_t S; /* grid starts */
    int len;  /* seconds */
};

/*
 * The checker's own reading of one person at start @s: local wall clock from the zone's offset
 * at the start and at the end (not the engine's local-to-UTC of each day's hours).
 * @return true when the call fits their day (and rest days); *@burden the minutes outside work.
 */
static bool slot_person_ok(const struct slot_inst *I, int p, int64_t s, int *burden, bool busy)
{
    const struct cv_slot_person *sp = &I->people[p];
    int64_t e = s + I->len;
    int64_t ls = s + cv_tz_offset(sp->tz, s), le = e + cv_tz_offset(sp->tz, e);
    int64_t dayn = ls >= 0 ? ls / 86400 : -((-ls + 86399) / 86400);
    int64_t ms = (ls - dayn * 86400) / 60, me = (le - dayn * 86400) / 60;
    /* minutes outside work: the call less its best overlap with one day's working hours */
    int64_t best = 0;
    for (int k = -1; k <= 1; k++) {
        int64_t a = ms > sp->work_start + 1440 * k ? ms : sp->work_start + 1440 * k;
        int64_t b = me < sp->work_end + 1440 * k ? me : sp->work_end + 1440 * k;
        if (b - a > best)
            best = b - a;
    }
    if (burden)
        *burden = (int)((e - s) / 60 - best);
    if ((sp->rest_days >> (weekday_of(dayn) - 1)) & 1u)
        return false;
    if (ms < sp->day_start || me > sp->day_end)
        return false;
    for (size_t k = 0; busy && k < sp->nbusy; k++) {
        if (s < sp->busy[k].end && e > sp->busy[k].start)
            return false;
    }
    return true;
}

static void slot_generate(struct slot_inst *I, int n)
{
    memset(I, 0, sizeof(*I));
    I->n = n;
    snprintf(I->name, sizeof(I->name), "slots-%d", n);
    snprintf(I->size, sizeof(I->size),
             "%d participants, %d zones, 50 busy blocks each, 366 days, 60 min", n, NZONES);
    rng = 0x51075ULL + (uint64_t)n;
    struct cv_error err;
    cv_error_init(&err);
    for (int z = 0; z < NZONES; z++) {
        if (cv_tz_load(zones[z].tzid, &I->tz[z], &err) < 0)
            die("%s: %s", zones[z].tzid, err.msg);
    }
    struct cv_date first = {2024, 1, 1}, last = {2024, 12, 31};
    I->t0 = dd(&first) * 86400;
    /* The shared meetings: people's busy times come from a pool, as in an organisation. */
    enum { POOL = 600 };
    static struct cv_interval pool[POOL];
    static const int plen[] = {30, 45, 60, 90, 120};
    for (int k = 0; k < POOL; k++) {
        int64_t day = rnd_int(0, 365);
        int64_t minute = 6 * 60 + 15 * rnd_int(0, 56); /* 06:00-20:00 UTC, on a 15-min grid */
        pool[k].start = I->t0 + day * 86400 + minute * 60;
        pool[k].end = pool[k].start + plen[rnd() % 5] * 60;
    }
    I->people = xcalloc((size_t)n, sizeof(*I->people));
    I->busy = xcalloc((size_t)n, sizeof(*I->busy));
    I->zone = xcalloc((size_t)n, sizeof(int));
    I->email = xcalloc((size_t)n, sizeof(char *));
    for (int p = 0; p < n; p++) {
        struct cv_slot_person *sp = &I->people[p];
        char email[64];
        snprintf(email, sizeof(email), "p%04d@example.org", p);
        I->email[p] = xstrdup(email);
        I->zone[p] = p % NZONES;
        sp->email = I->email[p];
        sp->tz = I->tz[I->zone[p]];
        sp->day_start = 7 * 60;
        sp->day_end = 22 * 60;
        sp->work_start = (8 + p % 3) * 60;
        sp->work_end = sp->work_start + 8 * 60;
        sp->rest_days = zones[I->zone[p]].rest;
        I->busy[p] = xcalloc(50, sizeof(struct cv_interval));
        int got = 0;
        while (got < 50) {
            int k = (int)(rnd() % POOL), dup = 0;
            for (int j = 0; j < got; j++)
                dup |= I->busy[p][j].start == pool[k].start && I->busy[p][j].end == pool[k].end;
            if (!dup)
                I->busy[p][got++] = pool[k];
        }
        sp->busy = I->busy[p];
        sp->nbusy = 50;
    }
    cv_slot_input_init(&I->in);
    I->in.people = I->people;
    I->in.n = (size_t)n;
    I->in.first = first;
    I->in.last = last;
    I->in.minutes = 60;
    I->in.step = 30;
    I->in.max_results = 10;
    I->len = 3600;
    I->S = (size_t)((dd(&last) - dd(&first) + 1) * 86400 / 1800);
}

static void slot_child(void *arg, FILE *out)
{
    struct slot_inst *I = arg;
    struct cv_slot_result r;
    struct cv_error err;
    int runs = 1;
    for (int run = 0; run < runs; run++) {
        cv_slot_result_init(&r);
        cv_error_init(&err);
        double t0 = now();
        int rc = cv_slots_find(&I->in, &r, &err);
        double t = now() - t0;
        if (rc < 0) {
            fprintf(out, "EXTRA engine error: %s\n", err.msg);
            return;
        }
        fprintf(out, "TIME %.9f\n", t);
        fflush(out);
        if (run == 0)
            runs = t < 2 ? 11 : runs_for(t);
        if (run + 1 < runs) {
            cv_slot_result_release(&r);
            continue;
        }
        fprintf(out, "OBJ %ld\nFEAS %d\nOPT 1\nEXTRA %zu candidate starts\n",
                r.n ? r.v[0].score : -1, r.n > 0, r.candidates);
        fprintf(out, "SOL %lld\n", r.n ? (long long)r.v[0].start : -1LL);
        cv_slot_result_release(&r);
    }
}

/* For every grid start: do all fit (*ok), and the objective; the exhaustive reference. */
static void slot_reference(const struct slot_inst *I, unsigned char *ok, long *score, size_t *ncand,
                           long *best, int64_t *best_start)
{
    *ncand = 0;
    *best = -1;
    *best_start = -1;
    for (size_t i = 0; i < I->S; i++) {
        int64_t s = I->t0 + (int64_t)i * 1800;
        long sc = 0;
        bool all = true;
        for (int p = 0; p < I->n; p++) {
            int b;
            all &= slot_person_ok(I, p, s, &b, true);
            sc += (long)b * b;
        }
        ok[i] = all;
        score[i] = sc;
        if (all) {
            (*ncand)++;
            if (*best < 0 || sc < *best) {
                *best = sc;
                *best_start = s;
            }
        }
    }
}

static void slot_write_model(const struct slot_inst *I)
{
    struct sbuf m = {0}, d = {0};
    sb_add(
        &m,
        "%% %s: a call slot across time zones, as convene's engine sees it (src/sched/slots.c).\n"
        "%% Written by tests/bench/sched/bench_sched.c. The start is x, the index of a step on\n"
        "%% the grid from the window's first day at 00:00 UTC. A[p]: the starts at which person\n"
        "%% p's call fits their day's hours in their zone, off their rest days and busy times.\n"
        "%% B2[c, x]: the squared minutes outside working hours of a person of class c (zone\n"
        "%% and hours) for a call at x; cnt[c] people in class c.\n"
        "int: S; int: P; int: C;\n"
        "array[1..P] of set of int: A;\n"
        "array[1..C] of int: cnt;\n"
        "array[1..C, 0..S-1] of int: B2;\n"
        "var 0..S-1: x;\n"
        "constraint forall(p in 1..P)(x in A[p]);\n"
        "var int: obj = sum(c in 1..C)(cnt[c] * B2[c, x]);\n",
        I->name);
    sb_add(&m, "solve minimize obj;\n");
    sb_add(&m, "output [\"OBJ \\(obj)\\nSOL \\(x)\\n\"];\n");
    sb_add(&d, "S = %zu;\nP = %d;\nA = [", I->S, I->n);
    /* Each zone's day hours and rest days once, then each person's busy times. */
    unsigned char *base = xcalloc(I->S * NZONES, 1), *mine = xcalloc(I->S, 1);
    for (int z = 0; z < NZONES; z++) {
        int p = -1;
        for (int q = 0; q < I->n && p < 0; q++)
            p = I->zone[q] == z ? q : -1;
        if (p < 0)
            continue;
        for (size_t i = 0; i < I->S; i++)
            base[(size_t)z * I->S + i] =
                slot_person_ok(I, p, I->t0 + (int64_t)i * 1800, NULL, false);
    }
    for (int p = 0; p < I->n; p++) {
        const struct cv_slot_person *sp = &I->people[p];
        memcpy(mine, base + (size_t)I->zone[p] * I->S, I->S);
        for (size_t k = 0; k < sp->nbusy; k++) {
            /* starts s with s < end and s + len > start */
            int64_t a = sp->busy[k].start - I->len, b = sp->busy[k].end;
            for (size_t i = 0; i < I->S; i++) {
                int64_t s = I->t0 + (int64_t)i * 1800;
                if (s > a && s < b)
                    mine[i] = 0;
            }
        }
        sb_add(&d, "%s", p ? ",\n  " : "");
        bool first = true;
        for (size_t i = 0; i < I->S;) {
            if (!mine[i]) {
                i++;
                continue;
            }
            size_t j = i;
            while (j + 1 < I->S && mine[j + 1])
                j++;
            sb_add(&d, "%s%zu..%zu", first ? "" : " union ", i, j);
            first = false;
            i = j + 1;
        }
        if (first)
            sb_add(&d, "{}");
    }
    sb_add(&d, "];\n");
    /* Classes: people alike in zone and working hours have the same burden everywhere. */
    int cls_zone[64], cls_ws[64], cls_cnt[64], ncls = 0, rep[64];
    for (int p = 0; p < I->n; p++) {
        int c;
        for (c = 0; c < ncls; c++) {
            if (cls_zone[c] == I->zone[p] && cls_ws[c] == I->people[p].work_start)
                break;
        }
        if (c == ncls) {
            if (ncls == 64)
                die("too many classes");
            cls_zone[c] = I->zone[p];
            cls_ws[c] = I->people[p].work_start;
            cls_cnt[c] = 0;
            rep[c] = p;
            ncls++;
        }
        cls_cnt[c]++;
    }
    sb_add(&d, "C = %d;\ncnt = [", ncls);
    for (int c = 0; c < ncls; c++)
        sb_add(&d, "%s%d", c ? ", " : "", cls_cnt[c]);
    sb_add(&d, "];\nB2 = array2d(1..C, 0..S-1, [");
    for (int c = 0; c < ncls; c++) {
        for (size_t i = 0; i < I->S; i++) {
            int b;
            slot_person_ok(I, rep[c], I->t0 + (int64_t)i * 1800, &b, false);
            sb_add(&d, "%s%d", c || i ? "," : "", b * b);
        }
        sb_add(&d, "\n");
    }
    sb_add(&d, "]);\n");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.mzn", opt.out, I->name);
    write_file(path, &m);
    snprintf(path, sizeof(path), "%s/%s.dzn", opt.out, I->name);
    write_file(path, &d);
    free(m.s);
    free(d.s);
    free(base);
    free(mine);
}

static void slot_bench(int n, double glimit)
{
    char name[48];
    snprintf(name, sizeof(name), "slots-%d", n);
    if (!selected(name))
        return;
    struct slot_inst I;
    slot_generate(&I, n);
    if (profile(I.name, slot_child, &I))
        return;
    printf("%s: %s\n", I.name, I.size);
    struct row *r = new_row(I.name, I.size);
    struct conv_lines cl = {0};
    struct run_status rs =
        run_lines(NULL, slot_child, &I, NULL, opt.convene_timeout, conv_line, &cl);
    r->c_ran = true;
    r->c_timed_out = rs.timed_out;
    unsigned char *ok = xcalloc(I.S, 1);
    long *score = xcalloc(I.S, sizeof(long));
    size_t ncand;
    long best;
    int64_t best_start;
    slot_reference(&I, ok, score, &ncand, &best, &best_start);
    struct sbuf fix = {0};
    if (cl.ntimes && cl.have_obj) {
        /* With 4 runs or more, the first is a warm-up. */
        r->c_runs = cl.ntimes >= 4 ? cl.ntimes - 1 : cl.ntimes;
        r->c_time = median(cl.ntimes >= 4 ? cl.times + 1 : cl.times, r->c_runs);
        r->c_obj = cl.obj;
        r->c_feasible = cl.feasible;
        snprintf(r->c_opt, sizeof(r->c_opt), "yes (exhaustive)");
        long long s = cl.sol ? strtoll(cl.sol + 3, NULL, 10) : -1;
        size_t i = s >= I.t0 ? (size_t)((s - I.t0) / 1800) : 0;
        if (cl.feasible && s >= I.t0)
            sb_add(&fix, "constraint x = %zu;", i);
        r->c_check_ok = s >= I.t0 && (s - I.t0) % 1800 == 0 && i < I.S && ok[i] &&
                        score[i] == cl.obj && cl.obj == best && s == best_start;
        note(r->c_note, sizeof(r->c_note), "%s; checker: %zu candidates, best %ld", cl.extra, ncand,
             best);
        if (!r->c_check_ok)
            note(r->c_note, sizeof(r->c_note),
                 "CHECK FAILED: start %lld (%s), recomputed %ld, exhaustive best %ld at %lld", s,
                 i < I.S && ok[i] ? "fits" : "DOES NOT FIT", i < I.S ? score[i] : -1, best,
                 (long long)best_start);
    } else {
        note(r->c_note, sizeof(r->c_note), "%s", rs.timed_out ? "no answer in time" : cl.extra);
    }
    printf("  convene: %.6f s (median of %d), objective %ld, check %s\n", r->c_time, r->c_runs,
           r->c_obj, r->c_check_ok ? "ok" : "FAILED");
    free(cl.sol);
    slot_write_model(&I);
    if (fix.s && !opt.no_gecode)
        model_accepts(I.name, fix.s, r->c_obj, r);
    free(fix.s);
    if (!opt.no_gecode) {
        struct mzn_lines m;
        run_gecode(I.name, glimit, r, &m);
        const char *sols[2] = {m.first_sol, m.best_sol};
        r->g_check_ok = m.nsols > 0;
        for (int k = 0; k < 2 && m.nsols; k++) {
            long want = k ? r->g_best_obj : r->g_first_obj;
            long x = sols[k] ? strtol(sols[k] + 3, NULL, 10) : -1;
            if (x < 0 || (size_t)x >= I.S || !ok[x] || score[x] != want) {
                r->g_check_ok = false;
                note(r->g_note, sizeof(r->g_note),
                     "CHECK FAILED (%s solution): start %ld %s, recomputed %ld, model said %ld",
                     k ? "best" : "first", x,
                     x >= 0 && (size_t)x < I.S && ok[x] ? "fits" : "NO FIT",
                     x >= 0 && (size_t)x < I.S ? score[x] : -1, want);
            }
        }
        mzn_release(&m);
    }
    free(ok);
    free(score);
}

/* ============================================================================================== */
/* ---- the table --------------------------------------------------------------------------------
 */
/* ============================================================================================== */

static void fmt_time(char *out, size_t size, double t)
{
    if (t < 0)
        snprintf(out, size, "-");
    else if (t < 0.001)
        snprintf(out, size, "%.0f µs", t * 1e6);
    else if (t < 1)
        snprintf(out, size, "%.1f ms", t * 1e3);
    else
        snprintf(out, size, "%.2f s", t);
}

static void table(FILE *f, bool md)
{
    const char *sep = md ? " | " : " | ";
    if (md) {
        fprintf(f, "| problem | size | convene time | convene objective | optimal? | Gecode "
                   "first feasible (time / objective) | Gecode best (time / objective) | Gecode "
                   "ended | Gecode time to convene's objective | speed-up | checks |\n");
        fprintf(f, "|---|---|---|---|---|---|---|---|---|---|---|\n");
    }
    for (size_t k = 0; k < nrows; k++) {
        const struct row *r = &rows[k];
        char ct[32], gf[64], gb[64], gr[64], ratio[64], ended[64], chk[64], co[32];
        fmt_time(ct, sizeof(ct), r->c_ran && (r->c_runs || r->c_timed_out) ? r->c_time : -1);
        if (r->c_timed_out && !r->c_runs)
            snprintf(ct, sizeof(ct), "> %.0f s (killed)", r->c_time);
        if (r->c_runs && r->c_feasible)
            snprintf(co, sizeof(co), "%ld", r->c_obj);
        else if (r->c_runs)
            snprintf(co, sizeof(co), "no answer (says infeasible)");
        else
            snprintf(co, sizeof(co), "-");
        if (!r->g_ran) {
            snprintf(gf, sizeof(gf), "not run");
            snprintf(gb, sizeof(gb), "-");
            snprintf(ended, sizeof(ended), "-");
        } else if (!r->g_any) {
            snprintf(gf, sizeof(gf), "none in %.0f s", r->g_limit);
            snprintf(gb, sizeof(gb), "-");
        } else {
            char a[32], b[32];
            fmt_time(a, sizeof(a), r->g_first_t);
            fmt_time(b, sizeof(b), r->g_best_t);
            snprintf(gf, sizeof(gf), "%s / %ld", a, r->g_first_obj);
            snprintf(gb, sizeof(gb), "%s / %ld", b, r->g_best_obj);
        }
        if (r->g_ran)
            snprintf(ended, sizeof(ended), "%s",
                     r->g_optimal  ? "proved optimal"
                     : r->g_unsat  ? "unsatisfiable"
                     : r->g_killed ? "killed (limit + 60 s)"
                                   : "time limit");
        if (r->g_ran && r->g_optimal)
            snprintf(ended + strlen(ended), sizeof(ended) - strlen(ended), " (%.1f s)",
                     rows[k].g_best_t);
        else if (r->g_ran && !r->g_unsat)
            snprintf(ended + strlen(ended), sizeof(ended) - strlen(ended), " %.0f s", r->g_limit);
        if (r->g_ran && r->g_reach_t >= 0) {
            fmt_time(gr, sizeof(gr), r->g_reach_t);
            double x = r->c_time > 0 ? r->g_reach_t / r->c_time : 0;
            snprintf(ratio, sizeof(ratio), "%.0fx", x);
            if (x < 10)
                snprintf(ratio, sizeof(ratio), "%.1fx", x);
        } else if (r->g_ran && r->c_runs && r->c_feasible) {
            snprintf(gr, sizeof(gr), "never (in %.0f s)", r->g_limit);
            snprintf(ratio, sizeof(ratio), "> %.0fx", r->c_time > 0 ? r->g_limit / r->c_time : 0);
        } else {
            snprintf(gr, sizeof(gr), "-");
            snprintf(ratio, sizeof(ratio), "-");
        }
        snprintf(chk, sizeof(chk), "convene %s, Gecode %s",
                 !r->c_runs       ? "-"
                 : !r->c_feasible ? "gave no answer"
                 : r->c_check_ok  ? "ok"
                                  : "FAILED",
                 r->g_ran && r->g_any ? (r->g_check_ok ? "ok" : "FAILED") : "-");
        char prob[64];
        snprintf(prob, sizeof(prob), "%s", r->problem);
        if (md)
            fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", prob, r->size,
                    ct, co, r->c_opt[0] ? r->c_opt : "-", gf, gb, ended, gr, ratio, chk);
        else
            fprintf(f,
                    "%-18s%s%s\n    convene %s obj %s optimal %s%sGecode first %s, best %s, %s"
                    "%sto convene's objective %s (%s)%s%s\n",
                    prob, sep, r->size, ct, co, r->c_opt[0] ? r->c_opt : "-", sep, gf, gb, ended,
                    sep, gr, ratio, sep, chk);
    }
}

static void notes(FILE *f)
{
    for (size_t k = 0; k < nrows; k++) {
        const struct row *r = &rows[k];
        if (r->c_note[0])
            fprintf(f, "- %s, convene: %s\n", r->problem, r->c_note);
        if (r->g_note[0] || r->g_ran)
            fprintf(f, "- %s, Gecode: %ld solutions, flattening %.2f s%s%s\n", r->problem,
                    r->g_nsol, r->g_flat, r->g_note[0] ? "; " : "", r->g_note);
    }
}

static void verdicts(FILE *f)
{
    for (size_t k = 0; k < nrows; k++) {
        const struct row *r = &rows[k];
        if (!r->g_ran || !r->c_runs)
            continue;
        const char *v1, *v2;
        char b1[200], b2[200];
        if (!r->c_feasible && r->g_any) {
            snprintf(b1, sizeof(b1),
                     "NOT MET: convene gave no feasible answer; Gecode's first (objective %ld) "
                     "came in %.2f s",
                     r->g_first_obj, r->g_first_t);
            v1 = b1;
        } else if (!r->c_feasible) {
            snprintf(b1, sizeof(b1), "neither found a feasible answer");
            v1 = b1;
        } else if (!r->g_any) {
            snprintf(b1, sizeof(b1), "met (Gecode found nothing in %.0f s)", r->g_limit);
            v1 = b1;
        } else if (r->c_obj <= r->g_best_obj) {
            snprintf(b1, sizeof(b1), "met (%ld <= %ld)", r->c_obj, r->g_best_obj);
            v1 = b1;
        } else {
            snprintf(b1, sizeof(b1), "NOT MET: convene %ld, Gecode %ld", r->c_obj, r->g_best_obj);
            v1 = b1;
        }
        if (r->g_reach_t >= 0) {
            double x = r->g_reach_t / (r->c_time > 0 ? r->c_time : 1e-9);
            snprintf(b2, sizeof(b2), "%s (%.1fx)", x >= 10 ? "met" : "NOT MET", x);
        } else if (r->c_feasible) {
            double x = r->g_limit / (r->c_time > 0 ? r->c_time : 1e-9);
            if (x >= 10)
                snprintf(b2, sizeof(b2),
                         "met (Gecode did not reach convene's objective in %.0f s: over %.0fx)",
                         r->g_limit, x);
            else
                snprintf(b2, sizeof(b2),
                         "undecided (Gecode did not reach convene's objective in its %.0f s: "
                         "over %.1fx, not shown to be 10x)",
                         r->g_limit, x);
        } else {
            snprintf(b2, sizeof(b2), "-");
        }
        v2 = b2;
        fprintf(f,
                "- %s: never worse than Gecode's best: %s; at least 10x faster to the same "
                "objective: %s\n",
                r->problem, v1, v2);
        if (strcmp(r->problem, "slots-1000") == 0)
            fprintf(f, "- slots-1000: an answer in under 50 ms: %s (%.1f ms)\n",
                    r->c_time < 0.05 ? "met" : "NOT MET", r->c_time * 1e3);
    }
}

static void machine(FILE *f)
{
    char model[256] = "?";
    FILE *c = fopen("/proc/cpuinfo", "r");
    if (c) {
        char line[512];
        while (fgets(line, sizeof(line), c)) {
            if (strncmp(line, "model name", 10) == 0) {
                char *p = strchr(line, ':');
                if (p) {
                    snprintf(model, sizeof(model), "%s", p + 2);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(c);
    }
    double load[3] = {0};
    FILE *l = fopen("/proc/loadavg", "r");
    if (l) {
        if (fscanf(l, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = load[1] = load[2] = 0;
        fclose(l);
    }
    fprintf(f, "Machine: %s, %ld cores online, load average %.2f at the end of the run. ", model,
            sysconf(_SC_NPROCESSORS_ONLN), load[0]);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            opt.root = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            opt.out = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            opt.only = argv[++i];
        else if (strcmp(argv[i], "--quick") == 0)
            opt.quick = true;
        else if (strcmp(argv[i], "--no-gecode") == 0)
            opt.no_gecode = true;
        else if (strcmp(argv[i], "--gecode-scale") == 0 && i + 1 < argc)
            opt.scale = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--search") == 0 && i + 1 < argc)
            opt.search = argv[++i];
        else if (strcmp(argv[i], "--convene-timeout") == 0 && i + 1 < argc)
            opt.convene_timeout = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
            opt.profile = atoi(argv[++i]);
        else
            die("usage: bench_sched [--root DIR] [--out DIR] [--quick] [--only NAME] "
                "[--no-gecode] [--gecode-scale X] [--search tuned|default] [--convene-timeout S] "
                "[--profile N]");
    }
    if (opt.quick)
        opt.scale *= 0.1;
    mkdir_p(opt.out);
    setvbuf(stdout, NULL, _IOLBF, 0);
    double t_all = now();
    double s = opt.scale;

    dates_all(60 * s, 120 * s);
    tt_bench(50, 5, 100, 3, 60 * s);
    tt_bench(200, 12, 500, 4, 120 * s);
    tt_bench(1000, 30, 2000, 5, 300 * s);
    slot_bench(10, 60 * s);
    slot_bench(100, 60 * s);
    slot_bench(1000, 60 * s);

    printf("\n");
    table(stdout, false);
    printf("\n");
    notes(stdout);
    verdicts(stdout);

    char path[4096];
    snprintf(path, sizeof(path), "%s/results.md", opt.out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("%s: %s", path, strerror(errno));
    fprintf(f, "# Scheduling benchmark: convene and MiniZinc + Gecode\n\n");
    machine(f);
    fprintf(f,
            "MiniZinc 2.6.4 with Gecode 6.2.0 (`minizinc --solver gecode -a --output-time -s "
            "--time-limit`), search: %s. Total run %.0f s.\n\n",
            strcmp(opt.search, "default") == 0
                ? "Gecode's default everywhere"
                : "Gecode's default for dates and slots; for timetables one session at a time, "
                  "its time then its room, smallest value first (Gecode's default finds no "
                  "timetable)",
            now() - t_all);
    table(f, true);
    fprintf(f, "\nGoals (issue): never worse than Gecode's best objective within Gecode's time; "
               "at least 10x faster to the same objective.\n\n");
    verdicts(f);
    fprintf(f, "\nNotes:\n\n");
    notes(f);
    fclose(f);
    printf("\nwrote %s (%.0f s in all)\n", path, now() - t_all);
    return 0;
}
