/* SPDX-License-Identifier: MIT */
/* path.c: what a request path may name, how it is written in the log, and who is asking. */
#include <stdio.h>
#include <string.h>

#include <convene/http.h>

#include "banned.h"

static bool is_path_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '~' || c == '-' || c == '/';
}

/* A file name of ours: [a-z0-9][a-z0-9.-]*. */
static bool is_our_name(const char *s, size_t n)
{
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static bool is_token(const char *s, size_t n)
{
    if (n != CV_TOKEN_SIZE - 1)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

int cv_http_path_parse(const char *raw, struct cv_http_path *out)
{
    size_t len = strlen(raw);
    memset(out, 0, sizeof(*out));
    if (len == 0 || raw[0] != '/' || len > CV_HTTP_PATH_MAX)
        return 400;
    for (size_t i = 0; i < len; i++) {
        if (!is_path_byte((unsigned char)raw[i]))
            return 400;
    }
    /* Segments: none empty (but the root), none "." or "..". */
    for (const char *s = raw + 1; len > 1;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return 400;
        if (!s[n])
            break;
        s += n + 1;
    }
    if (len == 1) {
        out->kind = CV_HTTP_FILE;
        memcpy(out->name, "index.html", sizeof("index.html"));
        return 0;
    }
    const char *p = raw + 1;
    if (strncmp(p, "private/", 8) == 0) {
        const char *t = p + 8;
        const char *dot = strrchr(t, '.');
        if (!dot || strchr(t, '/'))
            return 404;
        if (strcmp(dot, ".ics") != 0 && strcmp(dot, ".html") != 0)
            return 404;
        out->kind = CV_HTTP_PRIVATE;
        memcpy(out->ext, dot + 1, strlen(dot));
        if (is_token(t, (size_t)(dot - t))) {
            memcpy(out->token, t, CV_TOKEN_SIZE - 1);
            out->token[CV_TOKEN_SIZE - 1] = '\0';
        }
        return 0;
    }
    if (strchr(p, '/') || !is_our_name(p, strlen(p)))
        return 404;
    out->kind = CV_HTTP_FILE;
    memcpy(out->name, p, strlen(p) + 1);
    return 0;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void cv_http_path_redact(const char *raw, char *out, size_t size)
{
    size_t o = 0;
    const char *p = raw;
    if (strncmp(p, "/private/", 9) == 0) {
        /* Whatever stands after /private/ may be a token, mistyped or not: only the
         * extension stays. */
        const char *dot = strrchr(p + 9, '.');
        bool ext = dot && (strcmp(dot, ".ics") == 0 || strcmp(dot, ".html") == 0);
        snprintf(out, size, "/private/[token]%s", ext ? dot : "");
        return;
    }
    while (*p && o + 8 < size) {
        size_t run = 0;
        while (is_hex(p[run]))
            run++;
        if (run >= CV_TOKEN_SIZE - 1) {
            /* A token put somewhere else by mistake is still a token. */
            o += (size_t)snprintf(out + o, size - o, "[token]");
            p += run;
            continue;
        }
        unsigned char c = (unsigned char)*p++;
        if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o < size ? o : size - 1] = '\0';
}

bool cv_http_agent_is_google(const char *agent)
{
    return agent && (strstr(agent, "Google-Calendar-Importer") || strstr(agent, "GoogleCalendar") ||
                     strstr(agent, "Google-Calendar"));
}
