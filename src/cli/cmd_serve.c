/* SPDX-License-Identifier: MIT */
/* cmd_serve.c: `convene serve`: the feeds and pages over HTTP until SIGTERM or SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] =
    "usage: convene serve [--listen ADDR:PORT] [--base-url URL] [--threads N]\n"
    "                     [--access-log FILE|-|none] [--dir FOLDER]\n\n"
    "Answers the public feeds (/programme.ics, /region-*.ics, /event-*.ics), each person's\n"
    "private feed at /private/TOKEN.ics and their page at /private/TOKEN.html, and the pages\n"
    "(/ the programme's timeline, /event-KEY.html the timetables, /subscribe.html) from memory,\n"
    "built from the database; a change to the database is served at the next request, without\n"
    "a restart. ETag and Last-Modified with 304 answers, gzip when asked, HEAD. Unknown and\n"
    "revoked tokens get 404. Each request is logged in the common log format, tokens replaced\n"
    "by [token]; fetches per feed are kept for 'convene feeds status'. SIGTERM or SIGINT stops\n"
    "it cleanly.\n\n"
    "  --listen ADDR:PORT  where to listen (default: 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
    "  --base-url URL      the address clients use, for the links in feeds and pages, e.g.\n"
    "                      https://calendars.example.org behind a reverse proxy (default:\n"
    "                      http://ADDR:PORT)\n"
    "  --threads N         worker threads (default: 2)\n"
    "  --access-log FILE   append the access log to FILE; '-' (the default) is stdout, 'none'\n"
    "                      keeps no log\n"
    "  --dir FOLDER        serve what 'convene publish --out FOLDER' wrote instead of the\n"
    "                      database (on a machine without it): the same paths and answers,\n"
    "                      Last-Modified from the files' times, reloaded when the folder\n"
    "                      changes; the links are those publish wrote (its --base-url), and no\n"
    "                      fetch statistics are kept\n";

/* Pages for the server: the html module's, each person's with their token in its links. */
static int build_pages(void *data, struct cv_store *st, struct cv_ctx *ctx,
                       const struct cv_feed_options *opt, const struct cv_feed_set *feeds,
                       struct cv_site *out, struct cv_error *err)
{
    struct cv_page_set pages;
    int rc;
    (void)data;
    cv_page_set_init(&pages);
    rc = cv_html_build(st, ctx, opt, feeds, &pages, err);
    for (size_t i = 0; rc == 0 && i < pages.n; i++) {
        const struct cv_page *p = &pages.v[i];
        if ((rc = cv_site_add(out, p->path, p->data, p->len, "text/html; charset=utf-8",
                              p->is_private, p->is_private)) < 0)
            cv_error_set(err, rc, "out of memory");
    }
    cv_page_set_release(&pages);
    return rc;
}

/* The access log, written in blocks (when 64 KiB are waiting, and every second), as nginx's
 * access_log buffer= does: a write() per request would cost a third of the requests a
 * second convene can answer. */
struct log_sink {
    int fd;
    pthread_mutex_t lock;
    size_t len;
    char buf[64 * 1024];
};

static void log_flush_locked(struct log_sink *s)
{
    size_t off = 0;
    while (off < s->len) {
        ssize_t w = write(s->fd, s->buf + off, s->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* a full disk loses log lines, never requests */
        off += (size_t)w;
    }
    s->len = 0;
}

static void log_flush(struct log_sink *s)
{
    pthread_mutex_lock(&s->lock);
    log_flush_locked(s);
    pthread_mutex_unlock(&s->lock);
}

static void write_log(void *data, const char *line)
{
    struct log_sink *s = data;
    size_t n = strlen(line);
    if (n > 2048)
        n = 2048;
    pthread_mutex_lock(&s->lock);
    if (s->len + n + 1 > sizeof(s->buf))
        log_flush_locked(s);
    memcpy(s->buf + s->len, line, n);
    s->buf[s->len + n] = '\n';
    s->len += n + 1;
    pthread_mutex_unlock(&s->lock);
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT" into @host (of @size) and @port. @return 0 or -1. */
static int parse_listen(const char *s, char *host, size_t size, unsigned *port)
{
    const char *colon;
    long p;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || (size_t)(end - s - 1) >= size)
            return -1;
        memcpy(host, s + 1, (size_t)(end - s - 1));
        host[end - s - 1] = '\0';
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= size)
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
        if (!host[0])
            cv_str_copy(host, size, "127.0.0.1");
    }
    if (cv_parse_long(colon + 1, 0, 65535, &p) < 0)
        return -1;
    *port = (unsigned)p;
    return 0;
}

int cmd_serve(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"base-url", required_argument, NULL, 'b'},
        {"threads", required_argument, NULL, 't'},
        {"access-log", required_argument, NULL, 'a'},
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct cv_server_options o;
    struct cv_server *srv = NULL;
    struct cv_store *st = NULL;
    struct cv_error err;
    struct log_sink sink = {STDOUT_FILENO, PTHREAD_MUTEX_INITIALIZER, 0, {0}};
    const char *base = NULL, *log_path = "-";
    char host[64], base_buf[1024];
    sigset_t stop;
    long n;
    int c, rc;

    cv_server_options_init(&o);
    cv_str_copy(host, sizeof(host), o.host);
    optind = 1;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (parse_listen(optarg, host, sizeof(host), &o.port) < 0)
                return cli_usage_error("serve", "--listen takes ADDR:PORT, such as 127.0.0.1:8080");
            break;
        case 'b':
            if (!cv_uri_is_valid(optarg) || strncmp(optarg, "mailto:", 7) == 0)
                return cli_usage_error("serve", "--base-url takes an http(s):// URL");
            base = optarg;
            break;
        case 't':
            if (cv_parse_long(optarg, 1, 64, &n) < 0)
                return cli_usage_error("serve", "--threads takes 1 to 64");
            o.threads = (unsigned)n;
            break;
        case 'a':
            log_path = optarg;
            break;
        case 'd':
            o.dir = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_usage_error("serve", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    o.host = host;
    if (base) {
        cv_str_copy(base_buf, sizeof(base_buf), base);
    } else {
        bool v6 = strchr(host, ':') != NULL;
        snprintf(base_buf, sizeof(base_buf), "http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
                 o.port);
    }
    size_t bl = strlen(base_buf);
    while (bl > 8 && base_buf[bl - 1] == '/')
        base_buf[--bl] = '\0';
    o.feed.base_url = base_buf;

    if (strcmp(log_path, "none") != 0) {
        if (strcmp(log_path, "-") != 0 &&
            (sink.fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0)
            return cli_error(EXIT_CANTCREAT, "%s: cannot open the access log: %s", log_path,
                             strerror(errno));
        fflush(stdout);
        o.access_log = write_log;
        o.access_log_data = &sink;
    }
    o.build_site = build_pages;
    o.watch_path = cli->db_path;

    /* The signals that stop the server wait for this thread: blocked before the server's
     * threads start, so that they inherit the mask. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    cv_error_init(&err);
    if (o.dir && base)
        return cli_usage_error("serve", "--base-url goes with the database; a folder keeps the "
                                        "links 'convene publish --base-url' wrote");
    if (!o.dir && (rc = cli_open_store(cli, 0, &st)))
        goto out;
    rc = cv_server_new(cli->ctx, st, &o, &srv, &err);
    if (rc < 0) {
        rc = err.code == CV_EIO ? (cli_fail(&err), EXIT_UNAVAILABLE) : cli_fail(&err);
        goto out;
    }
    fprintf(stderr,
            "convene: serving %zu files on http://%s%s%s:%u/ (links as %s); stop with "
            "SIGTERM or Ctrl-C\n",
            cv_server_files(srv), strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
            cv_server_port(srv), base_buf);
    for (unsigned tick = 1;; tick++) {
        struct timespec second = {1, 0};
        int sig = sigtimedwait(&stop, NULL, &second);
        if (sig > 0)
            break;
        if (sig < 0 && errno != EAGAIN && errno != EINTR)
            break;
        log_flush(&sink);
        /* Every 5 s: the fetches counted so far go to the database. */
        if (tick % 5 == 0 && cv_server_flush(srv, &err) < 0)
            fprintf(stderr, "convene: warning: fetch statistics not written yet: %s\n", err.msg);
    }
    cv_server_stop(srv);
    rc = 0;
    if (cv_server_flush(srv, &err) < 0)
        rc = cli_fail(&err);
    fprintf(stderr, "convene: stopped\n");
out:
    cv_server_free(srv);
    cv_store_free(st);
    log_flush(&sink);
    if (sink.fd != STDOUT_FILENO)
        close(sink.fd);
    return rc;
}
