/* SPDX-License-Identifier: MIT */
/* probe.c: parsing untrusted input once in a child process with limits, so that a fault of
 * libical 3.0.16 on a crafted file (RELIABILITY.md L3) cannot take the caller down. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ical_int.h"

#include "banned.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

int cv_ical_probe(const char *data, size_t len, const char *name, const struct cv_ical_limits *lim,
                  struct cv_error *err)
{
    pid_t pid = fork();
    if (pid < 0) {
        cv_error_at(err, name, 0);
        return cv_error_set(err, CV_EIO, "cannot start a process to check the file: %s",
                            strerror(errno));
    }
    if (pid == 0) {
        struct rlimit cpu = {2, 3};
        setrlimit(RLIMIT_CPU, &cpu);
#ifndef UNDER_ASAN
        /* ASan reserves terabytes of address space: no memory cap under it. */
        struct rlimit mem = {512u * 1024 * 1024, 512u * 1024 * 1024};
        setrlimit(RLIMIT_AS, &mem);
#endif
        icalcomponent *root = NULL;
        int rc = ical_parse(data, len, name, lim, NULL, &root, NULL);
        if (root)
            icalcomponent_free(root);
        _exit(rc == 0 || rc == CV_EPARSE || rc == CV_ELIMIT || rc == CV_EINVAL ? 0 : 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            cv_error_at(err, name, 0);
            return cv_error_set(err, CV_EIO, "lost the checking process: %s", strerror(errno));
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    cv_error_at(err, name, 0);
    if (WIFSIGNALED(status))
        return cv_error_set(err, CV_EPARSE,
                            "reading the file crashed the parser (signal %d) or passed its time "
                            "or memory limit; the file is refused",
                            WTERMSIG(status));
    return cv_error_set(err, CV_EPARSE, "the parser could not read the file within its limits");
}
