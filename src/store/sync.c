/* SPDX-License-Identifier: MIT */
/* sync.c: deferred syncs: commits written at once and synced to disk by a thread of the store's,
 * so that the delivery loop sends the next message's envelope and body while the last `sent`
 * mark goes to disk, and waits for it only before that message's final dot. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

#include "banned.h"

struct store_syncer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *wal;       /* the WAL's path */
    char *dir;       /* its folder, synced once (a new WAL's directory entry) */
    int fd;          /* the WAL, opened by the thread on the first sync; -1 before */
    uint64_t asked;  /* commits to sync, counted */
    uint64_t synced; /* of those, on disk */
    int error;       /* errno of a failed sync: sticky, nothing after it counts as durable */
    bool stop;
};

/* Syncs the WAL (and, the first time, its folder); @return 0 or an errno. */
static int sync_once(struct store_syncer *s)
{
    if (s->fd < 0) {
        s->fd = open(s->wal, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0)
            return errno;
        int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            return errno;
        int rc = fsync(dfd) < 0 ? errno : 0;
        close(dfd);
        if (rc)
            return rc;
    }
    return fdatasync(s->fd) < 0 ? errno : 0;
}

static void *syncer_main(void *arg)
{
    struct store_syncer *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->stop && s->asked == s->synced)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->asked == s->synced)
            break; /* stopping, nothing left to sync */
        uint64_t upto = s->asked;
        pthread_mutex_unlock(&s->mu);
        int e = sync_once(s);
        pthread_mutex_lock(&s->mu);
        if (e && !s->error)
            s->error = e;
        s->synced = upto;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

void store_sync_ask(struct cv_store *st)
{
    struct store_syncer *s = st->syncer;
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->asked++;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int cv_store_sync_wait(struct cv_store *st, struct cv_error *err)
{
    struct store_syncer *s = st->syncer;
    int e;
    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    while (s->synced < s->asked)
        pthread_cond_wait(&s->cv, &s->mu);
    e = s->error;
    pthread_mutex_unlock(&s->mu);
    if (e) {
        cv_error_at(err, s->wal, 0);
        return cv_error_set(err, CV_EIO, "cannot sync the database to disk: %s", strerror(e));
    }
    return 0;
}

static void syncer_free(struct store_syncer *s)
{
    if (s->fd >= 0)
        close(s->fd);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s->wal);
    free(s->dir);
    free(s);
}

/* Stops the thread after its last sync; @return what cv_store_sync_wait() would. */
static int syncer_stop(struct cv_store *st, struct cv_error *err)
{
    struct store_syncer *s = st->syncer;
    int rc = cv_store_sync_wait(st, err);
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    st->syncer = NULL;
    syncer_free(s);
    return rc;
}

void store_sync_release(struct cv_store *st)
{
    if (st->syncer)
        syncer_stop(st, NULL);
}

int cv_store_sync_defer(struct cv_store *st, bool on, struct cv_error *err)
{
    int rc;
    if (!on) {
        if (!st->syncer)
            return 0;
        rc = syncer_stop(st, err);
        int rc2 = store_exec(st, "PRAGMA synchronous = FULL", rc < 0 ? NULL : err);
        return rc < 0 ? rc : rc2;
    }
    if (st->syncer)
        return 0;
    const char *db = sqlite3_db_filename(st->db, "main");
    const char *wal = db ? sqlite3_filename_wal(db) : NULL;
    if (!wal || !*wal)
        return cv_error_set(err, CV_EINVAL, "the database has no file to sync");
    struct store_syncer *s = calloc(1, sizeof(*s));
    if (!s)
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    s->fd = -1;
    s->wal = strdup(wal);
    s->dir = strdup(db);
    if (!s->wal || !s->dir) {
        free(s->wal);
        free(s->dir);
        free(s);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    char *slash = strrchr(s->dir, '/');
    if (slash == s->dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        memcpy(s->dir, ".", 2); /* the path has at least one character, so room for "." */
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, syncer_main, s) != 0) {
        syncer_free(s);
        return cv_error_set(err, CV_ENOMEM, "cannot start the sync thread");
    }
    st->syncer = s;
    /* Commits now only write the WAL; the thread syncs it (as synchronous=FULL would). */
    if ((rc = store_exec(st, "PRAGMA synchronous = NORMAL", err)) < 0) {
        syncer_stop(st, NULL);
        return rc;
    }
    return 0;
}
