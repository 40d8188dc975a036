/* SPDX-License-Identifier: MIT */
/* measure.c: runs one contender and records its wall time and peak resident memory (ru_maxrss
 * from wait4(), the number `/usr/bin/time -f %M` prints), killing it after a timeout.
 *   measure OUT TIMEOUT_SECONDS COMMAND [ARG...]
 * OUT receives one line "WALL_SECONDS MAXRSS_KIB STATUS", STATUS being the exit code, "timeout"
 * or "signal-N". The command's own output passes through. Exits 0 once it has measured. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: measure OUT TIMEOUT_SECONDS COMMAND [ARG...]\n");
        return 64;
    }
    char *end;
    long timeout = strtol(argv[2], &end, 10);
    if (*end || timeout < 1) {
        fprintf(stderr, "measure: bad timeout '%s'\n", argv[2]);
        return 64;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 71;
    }
    if (pid == 0) {
        setpgid(0, 0); /* its own group, so a timeout ends the whole contender */
        execvp(argv[3], argv + 3);
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    alarm((unsigned)timeout);
    int status = 0;
    struct rusage ru = {0};
    for (;;) {
        pid_t r = wait4(pid, &status, 0, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno == EINTR && timed_out) {
            kill(-pid, SIGKILL);
            continue;
        }
        if (r < 0 && errno != EINTR) {
            perror("measure: wait4");
            return 71;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 73;
    }
    if (timed_out)
        fprintf(f, "%.6f %ld timeout\n", wall, ru.ru_maxrss);
    else if (WIFSIGNALED(status))
        fprintf(f, "%.6f %ld signal-%d\n", wall, ru.ru_maxrss, WTERMSIG(status));
    else
        fprintf(f, "%.6f %ld %d\n", wall, ru.ru_maxrss, WEXITSTATUS(status));
    return fclose(f) == 0 ? 0 : 74;
}
