/* SPDX-License-Identifier: MIT */
/* sync.c: deferred syncs: commits written to the WAL at once and synced to disk later, when the
 * caller asks (the delivery loop: once the next message's envelope is on its way, so that the
 * server answers it while the last `sent` mark goes to disk, and always before its final dot). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

#include "banned.h"

struct store_syncer {
    char *wal;    /* the WAL's path */
    char *dir;    /* its folder, synced once (a new WAL's directory entry) */
    int fd;       /* the WAL, opened on the first sync; -1 before */
    bool pending; /* a commit not yet synced */
    int error;    /* errno of a failed sync: sticky, nothing after it counts as durable */
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

void store_sync_ask(struct cv_store *st)
{
    if (st->syncer)
        st->syncer->pending = true;
}

int cv_store_sync_wait(struct cv_store *st, struct cv_error *err)
{
    struct store_syncer *s = st->syncer;
    if (!s)
        return 0;
    if (s->pending && !s->error) {
        s->error = sync_once(s);
        s->pending = false;
    }
    if (s->error) {
        cv_error_at(err, s->wal, 0);
        return cv_error_set(err, CV_EIO, "cannot sync the database to disk: %s",
                            strerror(s->error));
    }
    return 0;
}

static void syncer_free(struct store_syncer *s)
{
    if (s->fd >= 0)
        close(s->fd);
    free(s->wal);
    free(s->dir);
    free(s);
}

/* Ends deferred syncs after the last one; @return what cv_store_sync_wait() would. */
static int syncer_stop(struct cv_store *st, struct cv_error *err)
{
    int rc = cv_store_sync_wait(st, err);
    syncer_free(st->syncer);
    st->syncer = NULL;
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
        syncer_free(s);
        return cv_error_set(err, CV_ENOMEM, "out of memory");
    }
    char *slash = strrchr(s->dir, '/');
    if (slash == s->dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        memcpy(s->dir, ".", 2); /* the path has at least one character, so room for "." */
    st->syncer = s;
    /* Commits now only write the WAL; cv_store_sync_wait() syncs it (what synchronous=FULL does
     * at each commit). */
    if ((rc = store_exec(st, "PRAGMA synchronous = NORMAL", err)) < 0) {
        syncer_stop(st, NULL);
        return rc;
    }
    return 0;
}
